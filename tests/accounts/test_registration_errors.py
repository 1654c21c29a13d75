"""Supplier registration reports every error of a submission at once: what the account itself
checks (the username's characters) is in the form's answer with the other fields', and the
service checks the organisation and the account together."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone, translation

from accounts.licence import LicenceClaims
from accounts.models import Organisation, User
from accounts.services import register_supplier
from tests.factories import make_uscc

from .helpers import REGISTRATION, scan

pytestmark = pytest.mark.django_db

NEW_CODE = make_uscc(778)


def test_one_submission_names_every_field_error_at_once(client, cast):
    client.get(scan(client, uscc=NEW_CODE)["Location"])
    data = {
        **REGISTRATION,
        "username": "bad name!",  # the account's own check, told before only once the rest passed
        "phone": "123",
        "region_code": "41",
        "password2": "Something-Else-1",
    }
    with translation.override("zh-hans"):
        response = client.post(reverse("accounts:licence_register"), data)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert {"username", "phone", "region_code", "password2"} <= set(errors)
    assert "合法的用户名" in errors["username"][0]
    page = response.content.decode()
    assert page.count("合法的用户名") == 1
    assert not Organisation.objects.filter(uscc=NEW_CODE).exists()


def test_the_corrected_submission_registers(client, cast):
    client.get(scan(client, uscc=NEW_CODE)["Location"])
    client.post(reverse("accounts:licence_register"), {**REGISTRATION, "username": "bad name!"})
    response = client.post(reverse("accounts:licence_register"), REGISTRATION)
    assert response.status_code == 302
    assert Organisation.objects.filter(uscc=NEW_CODE).exists()


def test_the_service_checks_the_organisation_and_the_account_together(cast):
    claims = LicenceClaims(
        uscc=NEW_CODE,
        name="郑州新星科技有限公司",
        legal_representative="王建华",
        issued_at=timezone.now(),
        state="s1",
    )
    with pytest.raises(ValidationError) as excinfo:
        register_supplier(
            claims=claims,
            region_code="410100",
            region_name="河" * 101,  # the organisation's field
            username="supplier",  # the account's: taken by the cast
            full_name="王小明",
            phone="13812345678",
            email="not an address",  # the account's
            password="Sunny-Bid-2026",
        )
    assert {"region_name", "username", "email"} <= set(excinfo.value.error_dict)
    assert not Organisation.objects.filter(uscc=NEW_CODE).exists()
    assert not User.objects.filter(email="not an address").exists()
