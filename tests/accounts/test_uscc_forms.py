"""Every form that takes a unified social credit code: normalised, checked, unique."""

from __future__ import annotations

import pytest
from django.urls import reverse

from accounts.forms import OrganisationForm, SimulatedScanForm
from accounts.models import Organisation, OrganisationKind
from tests.factories import OrganisationFactory, make_uscc

DUPLICATE = "该统一社会信用代码已在本平台注册"


def organisation_data(**overrides):
    data = {
        "kind": OrganisationKind.SUPPLIER,
        "name": "郑州新星科技有限公司",
        "uscc": make_uscc(900),
        "region_code": "410100",
        "region_name": "河南省郑州市",
        "legal_representative": "王建华",
        "address": "",
        "contact_phone": "",
        "is_active": "on",
    }
    data.update(overrides)
    return data


@pytest.mark.django_db
def test_it_accepts_a_valid_code_and_stores_it_normalised():
    code = make_uscc(901)
    spaced = f" {code[:6].lower()} {code[6:]} "
    form = OrganisationForm(data=organisation_data(uscc=spaced))
    assert form.is_valid(), form.errors
    organisation = form.save()
    assert organisation.uscc == code


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("code", "fragment"),
    [
        ("91410100MA4", "18位"),
        ("91410100MA44O1234X", "不允许"),
        (make_uscc(902)[:17] + ("0" if make_uscc(902)[17] != "0" else "1"), "校验位"),
    ],
)
def test_it_refuses_a_malformed_code_with_a_chinese_message(code, fragment):
    form = OrganisationForm(data=organisation_data(uscc=code))
    assert not form.is_valid()
    assert fragment in " ".join(form.errors["uscc"])


@pytest.mark.django_db
def test_it_refuses_a_duplicate_code_with_a_clear_message_on_the_field():
    existing = OrganisationFactory(kind=OrganisationKind.SUPPLIER)
    form = OrganisationForm(data=organisation_data(uscc=existing.uscc.lower()))
    assert not form.is_valid()
    assert DUPLICATE in form.errors["uscc"][0]
    assert list(form.errors) == ["uscc"]


@pytest.mark.django_db
def test_it_lets_an_organisation_keep_its_own_code_when_edited():
    organisation = OrganisationFactory(kind=OrganisationKind.SUPPLIER)
    form = OrganisationForm(
        data=organisation_data(uscc=organisation.uscc, name="改名后的公司"), instance=organisation
    )
    assert form.is_valid(), form.errors


@pytest.mark.django_db
def test_it_refuses_a_region_code_that_is_not_six_digits():
    form = OrganisationForm(data=organisation_data(region_code="4101"))
    assert not form.is_valid()
    assert "六位数字" in form.errors["region_code"][0]


@pytest.mark.django_db
def test_it_keeps_what_the_bureau_typed_when_the_admin_refuses_a_duplicate(client, cast):
    existing = Organisation.objects.get(name="郑州甲科技有限公司")
    client.force_login(cast.bureau)
    data = organisation_data(
        uscc=existing.uscc, name="重复注册的公司", address="郑州市二七区大学路 9 号"
    )
    data.update(
        {
            "memberships-TOTAL_FORMS": "0",
            "memberships-INITIAL_FORMS": "0",
            "memberships-MIN_NUM_FORMS": "0",
            "memberships-MAX_NUM_FORMS": "1000",
        }
    )
    response = client.post(reverse("admin:accounts_organisation_add"), data)
    assert response.status_code == 200
    body = response.content.decode()
    assert DUPLICATE in body
    assert "重复注册的公司" in body and "郑州市二七区大学路 9 号" in body
    assert not Organisation.objects.filter(name="重复注册的公司").exists()


def test_it_checks_the_code_typed_into_the_simulated_scan():
    form = SimulatedScanForm(data={"uscc": "123", "name": "某公司", "legal_representative": "某人"})
    assert not form.is_valid()
    assert "18位" in form.errors["uscc"][0]
