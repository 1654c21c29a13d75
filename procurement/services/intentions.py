"""Procurement intentions (采购意向, 财库〔2020〕10号): drafted, then published for all to read."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import can_proceed

from accounts.selectors import organisation_of, role_of
from audit.services import record_event
from common.errors import InvalidTransition, PermissionDenied

from ..models import IntentionStatus, ProcurementIntention

INTENTION_FIELDS = (
    "project_name",
    "summary",
    "budget",
    "expected_month",
    "sme_reserved",
    "contact_name",
    "contact_phone",
    "remarks",
)

NOT_A_PURCHASER = _("Only a purchaser's staff may do this.")
NOT_YOURS = _("This intention belongs to another purchaser.")
ALREADY_PUBLISHED = _("This intention has already been published.")
PUBLISHED_IS_FINAL = _("A published intention can no longer be changed.")


def _require_purchaser_of(user, intention: ProcurementIntention | None = None):
    organisation = organisation_of(user)
    if role_of(user) != "purchaser" or organisation is None:
        raise PermissionDenied(NOT_A_PURCHASER)
    if intention is not None and intention.purchaser_id != organisation.pk:
        raise PermissionDenied(NOT_YOURS)
    return organisation


def create_intention(*, acting_user, **fields: Any) -> ProcurementIntention:
    """A draft intention of the acting user's purchaser."""
    purchaser = _require_purchaser_of(acting_user)
    values = {name: fields[name] for name in INTENTION_FIELDS if name in fields}
    with transaction.atomic():
        intention = ProcurementIntention(purchaser=purchaser, created_by=acting_user, **values)
        intention._history_user = acting_user
        intention.save()
        record_event(
            action="procurement.intention.created",
            actor=acting_user,
            organisation=purchaser,
            subject=intention,
            data={"project_name": intention.project_name, "budget": str(intention.budget)},
        )
    return intention


def update_intention(
    *, intention: ProcurementIntention, acting_user, **fields: Any
) -> ProcurementIntention:
    """Change a draft; a published intention is public and is not edited."""
    _require_purchaser_of(acting_user, intention)
    with transaction.atomic():
        intention = ProcurementIntention.objects.select_for_update(of=("self",)).get(
            pk=intention.pk
        )
        if intention.status != IntentionStatus.DRAFT:
            raise InvalidTransition(PUBLISHED_IS_FINAL)
        for name in INTENTION_FIELDS:
            if name in fields:
                setattr(intention, name, fields[name])
        intention._history_user = acting_user
        intention._change_reason = "edited"
        intention.save()
        record_event(
            action="procurement.intention.updated",
            actor=acting_user,
            organisation=intention.purchaser,
            subject=intention,
            data={"fields": sorted(name for name in INTENTION_FIELDS if name in fields)},
        )
    return intention


def publish_intention(*, intention: ProcurementIntention, acting_user) -> ProcurementIntention:
    """Publish a draft: from now on it is public and the 30-day lead runs from this moment."""
    _require_purchaser_of(acting_user, intention)
    with transaction.atomic():
        intention = (
            ProcurementIntention.objects.select_for_update(of=("self",))
            .select_related("purchaser")
            .get(pk=intention.pk)
        )
        if not can_proceed(intention.publish):
            raise InvalidTransition(ALREADY_PUBLISHED)
        published_at = timezone.now()
        intention.publish(at=published_at)
        intention._history_user = acting_user
        intention._change_reason = "published"
        intention.save()
        record_event(
            action="procurement.intention.published",
            actor=acting_user,
            organisation=intention.purchaser,
            subject=intention,
            data={
                "project_name": intention.project_name,
                "budget": str(intention.budget),
                "published_at": published_at.isoformat(),
            },
        )
    return intention
