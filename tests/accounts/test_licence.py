"""Sign-in and registration by electronic business licence, through the development provider."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.contrib.auth import SESSION_KEY
from django.urls import reverse
from django.utils import timezone

from accounts.licence import (
    DevelopmentLicenceProvider,
    LicenceClaims,
    LicenceError,
    UnavailableLicenceProvider,
)
from accounts.models import Membership, MembershipRole, Organisation, OrganisationKind, User
from audit.models import Event
from suppliers.models import SupplierProfile
from tests.factories import OrganisationFactory, UserFactory, make_uscc

from .helpers import REGISTRATION, payload_of, scan

NEW_CODE = make_uscc(777)


def signed_in_user(client):
    return (
        User.objects.get(pk=client.session[SESSION_KEY]) if SESSION_KEY in client.session else None
    )


# The provider on its own ------------------------------------------------------------------


def claims(**overrides) -> LicenceClaims:
    data = {
        "uscc": NEW_CODE,
        "name": "郑州新星科技有限公司",
        "legal_representative": "王建华",
        "issued_at": timezone.now(),
        "state": "s1",
    }
    data.update(overrides)
    return LicenceClaims(**data)


def test_it_verifies_what_the_development_provider_signed():
    provider = DevelopmentLicenceProvider()
    original = claims()
    verified = provider.verify({"payload": payload_of(provider.callback_url(original))})
    assert verified == original


def test_it_refuses_a_payload_whose_claims_were_changed():
    provider = DevelopmentLicenceProvider()
    payload = provider.sign(claims())
    forged = payload.replace(
        payload.split(":")[0], provider.sign(claims(uscc=make_uscc(778))).split(":")[0]
    )
    assert forged != payload
    with pytest.raises(LicenceError, match="签名不正确"):
        provider.verify({"payload": forged})


def test_it_refuses_a_payload_signed_with_another_secret(settings):
    provider = DevelopmentLicenceProvider()
    settings.BUSINESS_LICENCE_SECRET = "someone-elses-secret"
    payload = provider.sign(claims())
    settings.BUSINESS_LICENCE_SECRET = "the-portals-secret"
    with pytest.raises(LicenceError):
        provider.verify({"payload": payload})


def test_it_refuses_a_scan_older_than_ten_minutes():
    provider = DevelopmentLicenceProvider()
    payload = provider.sign(claims())
    with (
        time_machine.travel(timezone.now() + timedelta(minutes=11)),
        pytest.raises(LicenceError, match="过期"),
    ):
        provider.verify({"payload": payload})


def test_it_refuses_claims_with_a_malformed_code():
    provider = DevelopmentLicenceProvider()
    with pytest.raises(LicenceError, match="校验位"):
        provider.verify({"payload": provider.sign(claims(uscc=NEW_CODE[:17] + "0"))})


# The flow for a new supplier ---------------------------------------------------------------


@pytest.mark.django_db
def test_it_registers_a_new_supplier_from_a_verified_licence(client, cast):
    callback = scan(client, uscc=NEW_CODE.lower())
    response = client.get(callback["Location"])
    assert response["Location"] == reverse("accounts:licence_register")

    page = client.get(reverse("accounts:licence_register"))
    assert page.status_code == 200
    form = page.context["form"]
    assert form["uscc"].value() == NEW_CODE
    assert form["name"].value() == "郑州新星科技有限公司"
    assert form["region_code"].value() == "410100"
    assert form["region_name"].value() == "郑州市"  # as other organisations of 410100 call it
    assert form.fields["uscc"].disabled and form.fields["name"].disabled

    # The browser cannot change what the licence says.
    data = {**REGISTRATION, "uscc": make_uscc(779), "name": "冒名公司"}
    done = client.post(reverse("accounts:licence_register"), data)
    assert done.status_code == 302, done.context["form"].errors
    assert done["Location"] == reverse("accounts:home")

    organisation = Organisation.objects.get(uscc=NEW_CODE)
    assert organisation.kind == OrganisationKind.SUPPLIER
    assert organisation.name == "郑州新星科技有限公司"
    assert organisation.legal_representative == "王建华"
    assert organisation.contact_phone == "13812345678"
    user = User.objects.get(username="xinxing")
    assert user.check_password("Sunny-Bid-2026")
    assert (user.full_name, user.phone, user.email) == (
        "王小明",
        "13812345678",
        "wang@xinxing.example.cn",
    )
    membership = Membership.objects.get(user=user)
    assert membership.organisation == organisation
    assert membership.role == MembershipRole.ADMIN
    assert SupplierProfile.objects.get(organisation=organisation).size_class == "small"
    assert signed_in_user(client) == user
    assert not Organisation.objects.filter(name="冒名公司").exists()

    # History and audit.
    assert organisation.history.get().history_change_reason == "electronic business licence"
    assert SupplierProfile.objects.get().history.get().history_user == user
    created = Event.objects.get(action="accounts.organisation.created")
    assert created.organisation == organisation and created.data["uscc"] == NEW_CODE
    assert Event.objects.filter(action="accounts.user.created", organisation=organisation).exists()


@pytest.mark.django_db
def test_it_keeps_what_was_typed_when_the_registration_form_has_errors(client, cast):
    client.get(scan(client, uscc=NEW_CODE)["Location"])
    data = {
        **REGISTRATION,
        "phone": "12345",
        "password2": "Something-Else-1",
        "username": "supplier",  # taken by the cast
    }
    response = client.post(reverse("accounts:licence_register"), data)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "手机号码" in errors["phone"][0]
    assert "不一致" in errors["password2"][0]
    assert "已被使用" in errors["username"][0]
    body = response.content.decode()
    for value in ("河南省郑州市", "郑州市金水区花园路 1 号", "王小明", "wang@xinxing.example.cn"):
        assert value in body
    assert 'value="small"' in body and "checked" in body
    assert not Organisation.objects.filter(uscc=NEW_CODE).exists()
    assert signed_in_user(client) is None


@pytest.mark.django_db
def test_it_refuses_a_weak_password(client, cast):
    client.get(scan(client, uscc=NEW_CODE)["Location"])
    data = {**REGISTRATION, "password1": "12345678", "password2": "12345678"}
    response = client.post(reverse("accounts:licence_register"), data)
    assert response.status_code == 200
    assert response.context["form"].errors["password1"]


@pytest.mark.django_db
def test_it_reports_a_code_registered_meanwhile_on_the_code_field(client, cast):
    client.get(scan(client, uscc=NEW_CODE)["Location"])
    OrganisationFactory(kind=OrganisationKind.SUPPLIER, uscc=NEW_CODE, name="抢先注册的公司")
    response = client.post(reverse("accounts:licence_register"), REGISTRATION)
    assert response.status_code == 200
    assert "该统一社会信用代码已在本平台注册" in response.context["form"].errors["uscc"][0]
    assert "王小明" in response.content.decode()
    assert not User.objects.filter(username="xinxing").exists()


@pytest.mark.django_db
def test_it_refuses_a_tampered_callback_and_keeps_nothing(client, cast):
    callback = scan(client, uscc=NEW_CODE)["Location"]
    tampered = callback.replace("payload=", "payload=x", 1)
    response = client.get(tampered)
    assert response.status_code == 400
    assert "签名不正确" in response.content.decode()
    assert client.get(reverse("accounts:licence_register"))["Location"] == reverse(
        "accounts:licence_start"
    )


@pytest.mark.django_db
def test_it_refuses_a_payload_from_a_scan_this_browser_did_not_start(client, cast):
    provider = DevelopmentLicenceProvider()
    client.get(reverse("accounts:licence_start"))
    response = client.get(provider.callback_url(claims(state="someone-elses-state")))
    assert response.status_code == 400
    assert "不是在当前浏览器中发起" in response.content.decode()


@pytest.mark.django_db
def test_it_uses_a_scan_only_once(client, cast):
    callback = scan(client, uscc=cast.supplier.memberships.get().organisation.uscc)["Location"]
    assert client.get(callback).status_code == 302
    client.post(reverse("accounts:logout"))
    assert client.get(callback).status_code == 400


@pytest.mark.django_db
def test_it_forgets_verified_claims_after_fifteen_minutes(client, cast):
    client.get(scan(client, uscc=NEW_CODE)["Location"])
    with time_machine.travel(timezone.now() + timedelta(minutes=16)):
        response = client.get(reverse("accounts:licence_register"))
    assert response["Location"] == reverse("accounts:licence_start")


@pytest.mark.django_db
def test_it_sends_the_scan_page_back_to_the_start_without_a_pending_scan(client, cast):
    response = client.get(reverse("accounts:licence_dev_scan"))
    assert response["Location"] == reverse("accounts:licence_start")


@pytest.mark.django_db
def test_it_keeps_the_typed_values_when_the_simulated_scan_has_a_bad_code(client, cast):
    client.get(reverse("accounts:licence_start"))
    response = client.post(
        reverse("accounts:licence_dev_scan"),
        {"uscc": "91410100ABC", "name": "郑州新星科技有限公司", "legal_representative": "王建华"},
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "18位" in body and "91410100ABC" in body and "郑州新星科技有限公司" in body


# The flow for a registered organisation ----------------------------------------------------


@pytest.mark.django_db
def test_it_signs_in_the_only_administrator_of_a_registered_supplier(client, cast):
    organisation = cast.supplier.memberships.get().organisation
    UserFactory(username="clerk", organisation=organisation, organisation__role="staff")
    response = client.get(scan(client, uscc=organisation.uscc)["Location"])
    assert response["Location"] == reverse("accounts:home")
    assert signed_in_user(client) == cast.supplier
    event = Event.objects.get(action="accounts.user.signed_in_by_licence")
    assert event.actor == cast.supplier and event.organisation == organisation
    assert event.data["uscc"] == organisation.uscc


@pytest.mark.django_db
def test_it_lets_the_licence_holder_choose_among_several_administrators(client, cast):
    organisation = cast.supplier.memberships.get().organisation
    second = UserFactory(username="boss", full_name="总经理", organisation=organisation)
    clerk = UserFactory(username="clerk", organisation=organisation, organisation__role="staff")
    outsider_admin = cast.supplier2
    response = client.get(scan(client, uscc=organisation.uscc)["Location"])
    assert response["Location"] == reverse("accounts:licence_choose")

    page = client.get(reverse("accounts:licence_choose"))
    choices = {user.pk for user in page.context["form"].fields["account"].queryset}
    assert choices == {cast.supplier.pk, second.pk}
    for stranger in (clerk, outsider_admin):
        refused = client.post(reverse("accounts:licence_choose"), {"account": stranger.pk})
        assert refused.status_code == 200 and signed_in_user(client) is None
    chosen = client.post(reverse("accounts:licence_choose"), {"account": second.pk})
    assert chosen["Location"] == reverse("accounts:home")
    assert signed_in_user(client) == second


@pytest.mark.django_db
def test_it_explains_when_a_registered_organisation_has_no_active_administrator(client, cast):
    organisation = cast.supplier.memberships.get().organisation
    cast.supplier.is_active = False
    cast.supplier.save()
    response = client.get(scan(client, uscc=organisation.uscc)["Location"])
    assert response.status_code == 403
    assert "联系财政部门" in response.content.decode()
    assert signed_in_user(client) is None


@pytest.mark.django_db
def test_it_offers_no_licence_sign_in_where_no_provider_is_configured(client, settings):
    settings.BUSINESS_LICENCE_PROVIDER = "accounts.licence.UnavailableLicenceProvider"
    response = client.get(reverse("accounts:licence_start"))
    assert response.status_code == 503
    assert "暂未开通电子营业执照登录" in response.content.decode()
    assert client.get(reverse("accounts:licence_dev_scan")).status_code == 404
    forged = DevelopmentLicenceProvider().callback_url(claims())
    assert client.get(forged).status_code == 400
    assert UnavailableLicenceProvider.__name__ in settings.BUSINESS_LICENCE_PROVIDER


def test_it_warns_a_deployment_that_uses_the_simulated_scan(settings):
    from accounts.checks import check_licence_provider, check_no_simulated_licence

    settings.BUSINESS_LICENCE_PROVIDER = "accounts.licence.DevelopmentLicenceProvider"
    assert [m.id for m in check_no_simulated_licence(None)] == ["accounts.W001"]
    settings.BUSINESS_LICENCE_PROVIDER = "accounts.licence.UnavailableLicenceProvider"
    assert check_no_simulated_licence(None) == []
    settings.BUSINESS_LICENCE_PROVIDER = "accounts.licence.NoSuchProvider"
    assert [m.id for m in check_licence_provider(None)] == ["accounts.E001"]


def test_it_defaults_production_to_no_licence_sign_in(monkeypatch):
    import importlib
    import sys

    monkeypatch.setenv("DJANGO_SECRET_KEY", "x" * 50)
    monkeypatch.delenv("BUSINESS_LICENCE_PROVIDER", raising=False)
    sys.modules.pop("config.settings.production", None)
    production = importlib.import_module("config.settings.production")
    assert production.BUSINESS_LICENCE_PROVIDER == "accounts.licence.UnavailableLicenceProvider"
    sys.modules.pop("config.settings.production", None)
