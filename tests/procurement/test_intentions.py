"""Procurement intentions: drafted by a purchaser, published once, then public and final."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from audit.models import Event
from common.errors import InvalidTransition, PermissionDenied
from procurement.models import IntentionStatus, ProcurementIntention
from procurement.services import create_intention, publish_intention, update_intention

pytestmark = pytest.mark.django_db

FIELDS = {
    "project_name": "教学设备采购",
    "summary": "交互式一体机 40 台",
    "budget": Decimal("1500000.00"),
    "expected_month": dt.date(2026, 7, 1),
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
        {**FIELDS, "expected_month": "2026-07", "budget": "1500000"},
    )
    intention = ProcurementIntention.objects.get()
    assert response.url == reverse("procurement:intention_detail", args=[intention.pk])
    assert intention.expected_month == dt.date(2026, 7, 1)
    page = client.get(reverse("procurement:intention_publish", args=[intention.pk]))
    assert page.status_code == 200
    client.post(reverse("procurement:intention_publish", args=[intention.pk]))
    intention.refresh_from_db()
    assert intention.status == IntentionStatus.PUBLISHED
