"""Procurement intentions (采购意向, 财库〔2020〕10号): drafted, then published for all to read."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _
from django_fsm import can_proceed

from accounts.selectors import organisation_of, role_of
from audit.services import record_event
from common.errors import InvalidTransition, PermissionDenied

from ..models import IntentionStatus, ProcurementIntention
from ..parameters import legal_parameter
from ._base import budget_ceiling_problems, refuse_if

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


# A mainland mobile number (optionally +86), a landline with its area code (0371-67180000,
# (0371)67180000, an extension after -, 转 or #) or a 400/800 service number. Spaces and hyphens
# between the groups are allowed; the number is stored as entered.
PHONE = re.compile(
    r"^(?:(?:\+?86[- ]?)?1[3-9]\d(?:[- ]?\d{4}){2}"
    r"|(?:0\d{2,3}[- ]?|\(0\d{2,3}\) ?)[1-9]\d{2,3}[- ]?\d{4}(?:(?:-|转|#)\d{1,6})?"
    r"|[48]00[- ]?\d{3}[- ]?\d{4})$"
)


def is_phone_number(text: str) -> bool:
    return bool(PHONE.match(text.strip()))


BAD_PHONE = _(
    "Enter a mainland phone number: a mobile number (13812345678) or a landline with its area "
    "code (0371-67180000)."
)
BUDGET_NOT_POSITIVE = _("The budget must be more than 0 yuan.")


def month_in_the_past(month: dt.date, *, today: dt.date | None = None) -> bool:
    """The expected month lies before the current month (this month is still allowed)."""
    today = today or timezone.localdate()
    return (month.year, month.month) < (today.year, today.month)


def past_month_message(*, today: dt.date | None = None) -> str:
    today = today or timezone.localdate()
    return gettext(
        "The expected month is in the past: the procurement can start in %(month)s at the earliest."
    ) % {"month": f"{today:%Y-%m}"}


def intention_problems(intention: ProcurementIntention) -> list[str]:
    """Every value that cannot be disclosed as it stands (财库〔2020〕10号: name, summary, budget,
    expected month and contact). The form refuses the same earlier, field by field; this guards
    the services and the publication of a draft saved in an earlier month."""
    problems: list[str] = []
    if intention.budget is None or intention.budget <= 0:
        problems.append(str(BUDGET_NOT_POSITIVE))
    problems += budget_ceiling_problems(intention.budget)
    if intention.expected_month and month_in_the_past(intention.expected_month):
        problems.append(past_month_message())
    if not is_phone_number(intention.contact_phone or ""):
        problems.append(str(BAD_PHONE))
    return problems


def intention_warnings(intention: ProcurementIntention) -> list[str]:
    """What the purchaser should check before publishing, which the rules do not forbid.

    RULES.md A-4: intentions cover projects in the centralised procurement catalogue or at or
    above the decentralised procurement threshold. A project in the catalogue may cost less, so
    a budget under the threshold is not refused: the purchaser is asked to make sure.
    """
    warnings: list[str] = []
    threshold = legal_parameter("decentralised_procurement_threshold")
    if intention.budget is not None and Decimal("0") < intention.budget < threshold.value:
        warnings.append(
            gettext(
                "The budget (%(budget)s yuan) is under the decentralised procurement threshold "
                "(%(threshold)s yuan, %(source)s). An intention is disclosed for such a project "
                "only if it is in the centralised procurement catalogue; check the budget and "
                "the catalogue before publishing."
            )
            % {
                "budget": f"{intention.budget:,.2f}",
                "threshold": f"{threshold.value:,.0f}",
                "source": threshold.source,
            }
        )
    return warnings


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
        refuse_if(intention_problems(intention))
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
        refuse_if(intention_problems(intention))
        intention._history_user = acting_user
        intention._change_reason = gettext_noop("edited")
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
        # A draft saved last month may name a month that has passed since.
        refuse_if(intention_problems(intention))
        published_at = timezone.now()
        intention.publish(at=published_at)
        intention._history_user = acting_user
        intention._change_reason = gettext_noop("published")
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
