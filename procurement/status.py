"""A lot's state as people read it: one label, badge and reason for every page that shows it.

The FSM state (Lot.state) is the record; what a page says of it depends on the moment as well
(an announced lot past its deadline is closed for bids although the sweep has not closed it yet)
and on why a lot stopped (流标 for too few bids, from its failure notice). Every page and
service asks `lot_status` (or the Lot's own rules `accepts_bids` and `is_cancellable`); none
retypes a state string (STYLE.md habit 13).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from .models import Announcement, AnnouncementKind, Lot, LotState

BADGES = {
    LotState.DRAFT: "secondary",
    LotState.ANNOUNCED: "primary",
    LotState.CLOSED: "dark",
    LotState.OPENING: "warning",
    LotState.OPENED: "info",
    LotState.EVALUATING: "info",
    LotState.EVALUATED: "info",
    LotState.AWARDED: "success",
    LotState.FAILED: "danger",
    LotState.SUSPENDED: "warning",
    LotState.CANCELLED: "danger",
}


@dataclass(frozen=True)
class LotStatus:
    """What to say of a lot now."""

    label: str
    badge: str
    reason: str = ""  # why it stopped: the failure notice's reason, or the termination
    takes_bids: bool = False
    stopped: bool = False  # failed or terminated: no opening, no award
    terminated: bool = False
    public: bool = False  # announced once: it has a public lot page
    editable: bool = False  # a draft: its tender settings may be changed
    correctable: bool = False  # announced and not closed: a correction may change it


def lot_status(lot: Lot, *, now: dt.datetime, failure_reason: str | None = None) -> LotStatus:
    """The lot's status at `now`; `failure_reason` from `failure_reasons()` for a failed lot
    (looked up here when not given: one query, only for a failed lot)."""
    state = lot.state
    badge = BADGES.get(LotState(state), "secondary")
    common = {
        "public": state != LotState.DRAFT,
        "editable": state == LotState.DRAFT,
        "correctable": state == LotState.ANNOUNCED,
    }
    if state == LotState.ANNOUNCED:
        if lot.accepts_bids(now):
            return LotStatus(_("Bidding open"), badge, takes_bids=True, **common)
        return LotStatus(_("Bidding has closed"), BADGES[LotState.CLOSED], **common)
    if state == LotState.CLOSED:
        return LotStatus(_("Bidding has closed"), badge, **common)
    if state == LotState.OPENING:
        return LotStatus(_("Opening in progress"), badge, **common)
    if state == LotState.FAILED:
        if failure_reason is None:
            failure_reason = failure_reasons([lot]).get(lot.pk, "")
        label = (
            pgettext("lot state", "Failed: too few bids")
            if failure_reason
            else str(lot.get_state_display())
        )
        return LotStatus(label, badge, reason=failure_reason, stopped=True, **common)
    if state == LotState.CANCELLED:
        return LotStatus(
            str(lot.get_state_display()),
            badge,
            reason=_("The procurement was terminated: no opening will take place."),
            stopped=True,
            terminated=True,
            **common,
        )
    return LotStatus(str(lot.get_state_display()), badge, **common)


def failure_reasons(lots: Iterable[Lot]) -> dict[int, str]:
    """The reason of each failed lot's failure notice (废标公告), in one query."""
    failed = [lot.pk for lot in lots if lot.state == LotState.FAILED]
    if not failed:
        return {}
    notices: QuerySet = (
        Announcement.objects.published()
        .filter(kind=AnnouncementKind.FAILURE, lots__in=failed)
        .values_list("lots", "data")
        .order_by("published_at", "id")
    )
    return {lot_id: str(data.get("reason", "")) for lot_id, data in notices}


def status_of(lot: Lot) -> LotStatus:
    """The status `with_status` set on the lot."""
    status = lot.__dict__.get("status")
    if not isinstance(status, LotStatus):
        raise ValueError(f"Lot {lot.pk}: call with_status first")
    return status


def with_status(lots: Iterable[Lot], *, now: dt.datetime) -> list[Lot]:
    """The lots, each with `.status` set (one query for all the failure reasons)."""
    lots = list(lots)
    reasons = failure_reasons(lots)
    for lot in lots:
        lot.status = lot_status(  # type: ignore[attr-defined]
            lot, now=now, failure_reason=reasons.get(lot.pk, "")
        )
    return lots


# The order of the lifecycle, for the step a project is at (its least advanced live lot).
ORDER = [
    LotState.DRAFT,
    LotState.ANNOUNCED,
    LotState.CLOSED,
    LotState.OPENING,
    LotState.OPENED,
    LotState.EVALUATING,
    LotState.EVALUATED,
    LotState.SUSPENDED,
    LotState.AWARDED,
    LotState.FAILED,
    LotState.CANCELLED,
]


def project_step(lots: Iterable[Lot]) -> LotStatus | None:
    """The step a project is at: the status of its least advanced lot, a stopped lot counting
    only when all are stopped (`lots` already carry `.status`, see with_status)."""
    ranked = sorted(lots, key=lambda lot: ORDER.index(LotState(lot.state)))
    if not ranked:
        return None
    return ranked[0].status  # type: ignore[attr-defined]
