"""Bad input is refused with a message, never a 500 (issue 16 §5), and a form sent twice makes
one row."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from bidding.models import BiddingParameters
from procurement.models import LegalParameter, ProcurementIntention
from suppliers.models import Qualification, SupplierProfile

pytestmark = pytest.mark.django_db


@pytest.fixture
def client():
    return Client(raise_request_exception=False, HTTP_ACCEPT_LANGUAGE="zh-hans")


def test_a_40_digit_employee_count_is_refused_on_the_profile(client, cast):
    client.force_login(cast.supplier)
    response = client.post(
        reverse("suppliers:profile"),
        {"size_class": "small", "employees": "9" * 40, "revenue": "100", "total_assets": "100"},
    )
    assert response.status_code == 200
    assert "从业人员数不能超过" in response.content.decode()
    assert not SupplierProfile.objects.filter(employees__isnull=False).exists()


def test_a_qualification_expired_in_1900_is_refused(client, cast):
    client.force_login(cast.supplier)
    client.post(
        reverse("suppliers:add_qualification"), {"name": "营业执照", "expires_on": "1900-01-01"}
    )
    assert not Qualification.objects.exists()


def intention(token: str = "", month: str = "") -> dict:
    next_month = (timezone.localdate().replace(day=1) + dt.timedelta(days=40)).strftime("%Y-%m")
    data = {
        "project_name": "办公桌椅采购",
        "summary": "办公桌椅一批",
        "budget": "600000",
        "expected_month": month or next_month,
        "contact_name": "王老师",
        "contact_phone": "0375-2662100",
    }
    if token:
        data["form_token"] = token
    return data


def test_an_intention_month_of_9999_12_is_refused_in_chinese(client, cast):
    client.force_login(cast.purchaser)
    response = client.post(reverse("procurement:intention_create"), intention(month="9999-12"))
    assert response.status_code == 200
    assert "请输入今后三年内的预计采购月份" in response.content.decode()
    assert not ProcurementIntention.objects.exists()


def test_an_intention_sent_twice_with_its_token_is_made_once(client, cast):
    client.force_login(cast.purchaser)
    page = client.get(reverse("procurement:intention_create")).content.decode()
    assert 'name="form_token"' in page
    token = "0123456789abcdef0123456789abcdef"
    first = client.post(reverse("procurement:intention_create"), intention(token))
    second = client.post(reverse("procurement:intention_create"), intention(token), follow=True)
    assert first.status_code == 302
    assert second.redirect_chain[0][0] == first["Location"]
    assert "该表单已提交过" in second.content.decode()
    assert ProcurementIntention.objects.count() == 1
    # A new page (a new token) makes a new one.
    client.post(reverse("procurement:intention_create"), intention("f" * 32))
    assert ProcurementIntention.objects.count() == 2


def test_a_refused_submission_frees_its_token(client, cast):
    client.force_login(cast.purchaser)
    token = "a" * 32
    client.post(reverse("procurement:intention_create"), intention(token, month="9999-12"))
    assert not ProcurementIntention.objects.exists()
    client.post(reverse("procurement:intention_create"), intention(token))
    assert ProcurementIntention.objects.count() == 1


@pytest.fixture
def bureau(client, cast):
    user = User.objects.get(username="bureau")
    client.force_login(user)
    return client


def test_a_minimum_of_0_bids_is_refused_in_the_admin(bureau):
    data = {
        "min_bids_public_tender": "0",
        "min_bids_other": "3",
        "min_bids_single_source": "1",
        "confirmation_window_minutes": "30",
        "max_failed_attempts": "10",
    }
    response = bureau.post(reverse("admin:bidding_biddingparameters_add"), data)
    assert response.status_code == 200
    assert "开标至少需要一份投标" in response.content.decode()
    assert not BiddingParameters.objects.exists()


def test_a_parameter_effective_from_1900_is_refused_in_the_admin(bureau):
    response = bureau.post(
        reverse("admin:procurement_legalparameter_add"),
        {
            "key": "budget_ceiling",
            "label": "预算上限",
            "value": "100",
            "unit": "yuan",
            "source": "—",
            "effective_from": "1900-01-01",
        },
    )
    assert response.status_code == 200
    assert "法定参数的生效日期不能早于" in response.content.decode()
    assert not LegalParameter.objects.exists()


def test_an_admin_date_of_9999_is_refused(bureau):
    from django.contrib import admin

    from common.bounds import DateWithin

    forms_with_dates = 0
    for model_admin in admin.site._registry.values():
        for field in model_admin.model._meta.fields:
            if field.get_internal_type() == "DateField" and field.editable:
                formfield = model_admin.formfield_for_dbfield(field, None)
                if formfield is not None:
                    assert any(isinstance(v, DateWithin) for v in formfield.validators)
                    forms_with_dates += 1
    assert forms_with_dates > 0
