"""Procurement intentions: drafted by a purchaser, published once, then public and final."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from audit.models import Event
from common.errors import InvalidTransition, PermissionDenied
from procurement.models import IntentionStatus, ProcurementIntention
from procurement.services import create_intention, publish_intention, update_intention
from procurement.services._base import RulesBroken
from procurement.services.intentions import is_phone_number


def _months_ahead(months: int) -> dt.date:
    """The first day of the month `months` after the current one."""
    today = timezone.localdate()
    index = today.year * 12 + today.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


pytestmark = pytest.mark.django_db

FIELDS = {
    "project_name": "教学设备采购",
    "summary": "交互式一体机 40 台",
    "budget": Decimal("1500000.00"),
    "expected_month": _months_ahead(2),
    "sme_reserved": True,
    "contact_name": "王老师",
    "contact_phone": "0371-12345678",
}


def test_it_creates_a_draft_for_the_purchaser_of_the_acting_user(cast):
    intention = create_intention(acting_user=cast.purchaser, **FIELDS)
    assert intention.status == IntentionStatus.DRAFT
    assert intention.purchaser.name == "市教育局"
    assert intention.published_at is None


def test_it_refuses_a_draft_from_anyone_but_a_purchaser(cast):
    for user in (cast.agency, cast.supplier, cast.bureau, cast.expert, cast.outsider):
        with pytest.raises(PermissionDenied):
            create_intention(acting_user=user, **FIELDS)
    assert not ProcurementIntention.objects.exists()


def test_it_publishes_with_the_moment_region_history_and_audit_event(cast):
    intention = create_intention(acting_user=cast.purchaser, **FIELDS)
    publish_intention(intention=intention, acting_user=cast.purchaser)
    intention.refresh_from_db()
    assert intention.status == IntentionStatus.PUBLISHED
    assert intention.published_at is not None
    assert intention.region_code == "410100"
    assert [h.status for h in intention.history.order_by("history_id")] == ["draft", "published"]
    assert intention.history.latest("history_id").history_user == cast.purchaser
    event = Event.objects.get(action="procurement.intention.published")
    assert event.actor == cast.purchaser
    assert ProcurementIntention.objects.published().get() == intention


def test_it_refuses_to_publish_twice(cast):
    intention = create_intention(acting_user=cast.purchaser, **FIELDS)
    publish_intention(intention=intention, acting_user=cast.purchaser)
    with pytest.raises(InvalidTransition, match="已经发布|already been published"):
        publish_intention(intention=intention, acting_user=cast.purchaser)
    assert Event.objects.filter(action="procurement.intention.published").count() == 1


def test_it_refuses_to_change_a_published_intention(cast):
    intention = create_intention(acting_user=cast.purchaser, **FIELDS)
    publish_intention(intention=intention, acting_user=cast.purchaser)
    with pytest.raises(InvalidTransition):
        update_intention(intention=intention, acting_user=cast.purchaser, budget=Decimal("1"))
    intention.refresh_from_db()
    assert intention.budget == Decimal("1500000.00")


def test_it_refuses_another_purchaser_to_publish_or_change(cast):
    intention = create_intention(acting_user=cast.purchaser, **FIELDS)
    with pytest.raises(PermissionDenied):
        publish_intention(intention=intention, acting_user=cast.purchaser2)
    with pytest.raises(PermissionDenied):
        update_intention(intention=intention, acting_user=cast.purchaser2, budget=Decimal("1"))
    intention.refresh_from_db()
    assert intention.status == IntentionStatus.DRAFT


def test_the_purchaser_drafts_and_publishes_in_the_browser_forms(client, cast):
    client.force_login(cast.purchaser)
    response = client.post(
        reverse("procurement:intention_create"),
        {**FIELDS, "expected_month": f"{_months_ahead(2):%Y-%m}", "budget": "1500000"},
    )
    intention = ProcurementIntention.objects.get()
    assert response.url == reverse("procurement:intention_detail", args=[intention.pk])
    assert intention.expected_month == _months_ahead(2)
    page = client.get(reverse("procurement:intention_publish", args=[intention.pk]))
    assert page.status_code == 200
    client.post(reverse("procurement:intention_publish", args=[intention.pk]))
    intention.refresh_from_db()
    assert intention.status == IntentionStatus.PUBLISHED


# --------------------------------------------------------------------------------------------
# Impossible values (walk item 10): refused with a Chinese message per field


def test_the_form_refuses_a_zero_budget_a_past_month_and_a_phone_that_is_no_number(client, cast):
    client.force_login(cast.purchaser)
    response = client.post(
        reverse("procurement:intention_create"),
        {
            **FIELDS,
            "budget": "0",
            "expected_month": f"{_months_ahead(-1):%Y-%m}",
            "contact_phone": "abc",
        },
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors["budget"] == ["预算金额必须大于 0 元。"]
    assert f"{timezone.localdate():%Y-%m}" in errors["expected_month"][0]
    assert "区号" in errors["contact_phone"][0]
    assert not ProcurementIntention.objects.exists()


def test_the_current_month_is_still_allowed(cast):
    intention = create_intention(
        acting_user=cast.purchaser, **{**FIELDS, "expected_month": _months_ahead(0)}
    )
    assert intention.expected_month == _months_ahead(0)


@pytest.mark.parametrize(
    ("budget", "month", "phone", "expected"),
    [
        (Decimal("-1"), 2, "0371-12345678", "0 元"),
        (Decimal("1500000"), -1, "0371-12345678", "预计采购时间"),
        (Decimal("1500000"), 2, "12345", "手机号码"),
    ],
)
def test_the_services_refuse_the_same_values(cast, budget, month, phone, expected):
    values = {**FIELDS, "budget": budget, "expected_month": _months_ahead(month)}
    values["contact_phone"] = phone
    with pytest.raises(RulesBroken) as excinfo:
        create_intention(acting_user=cast.purchaser, **values)
    assert expected in " ".join(excinfo.value.messages)
    intention = create_intention(acting_user=cast.purchaser, **FIELDS)
    with pytest.raises(RulesBroken):
        update_intention(intention=intention, acting_user=cast.purchaser, **values)
    intention.refresh_from_db()
    assert intention.budget == FIELDS["budget"]


def test_a_draft_whose_month_has_passed_is_not_published(client, cast):
    intention = create_intention(
        acting_user=cast.purchaser, **{**FIELDS, "expected_month": _months_ahead(0)}
    )
    with time_machine.travel(timezone.now() + dt.timedelta(days=40)):
        with pytest.raises(RulesBroken, match="预计采购时间"):
            publish_intention(intention=intention, acting_user=cast.purchaser)
        client.force_login(cast.purchaser)
        page = client.get(reverse("procurement:intention_publish", args=[intention.pk]))
        assert 'data-testid="intention-problems"' in page.content.decode()
    intention.refresh_from_db()
    assert intention.status == IntentionStatus.DRAFT


@pytest.mark.parametrize(
    "phone",
    [
        "13812345678",
        "138 1234 5678",
        "+86 13812345678",
        "0371-67180000",
        "(0371)67180000",
        "010-61234567",
        "0371-67180000-8021",
        "0371-67180000转8021",
        "400-810-8888",
    ],
)
def test_mainland_mobile_and_landline_numbers_are_accepted(phone):
    assert is_phone_number(phone)


@pytest.mark.parametrize(
    "phone", ["abc", "12345", "1234567890123", "67180000", "0371-1234", "23812345678"]
)
def test_other_phone_texts_are_refused(phone):
    assert not is_phone_number(phone)


def test_a_budget_under_the_threshold_is_published_after_a_warning(client, cast):
    """RULES.md A-4: a project in the centralised catalogue may cost less than the threshold."""
    client.force_login(cast.purchaser)
    response = client.post(
        reverse("procurement:intention_create"),
        {**FIELDS, "expected_month": f"{_months_ahead(2):%Y-%m}", "budget": "5.00"},
        follow=True,
    )
    page = response.content.decode()
    assert "分散采购限额标准" in page and "500,000" in page
    intention = ProcurementIntention.objects.get()
    publish = client.get(reverse("procurement:intention_publish", args=[intention.pk]))
    assert 'data-testid="intention-warning"' in publish.content.decode()
    client.post(reverse("procurement:intention_publish", args=[intention.pk]))
    intention.refresh_from_db()
    assert intention.status == IntentionStatus.PUBLISHED
