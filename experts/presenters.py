"""Rows prepared once for the committee page: templates compare no state strings."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from procurement.models import Lot

from .models import Committee, Expert, MemberKind, MemberState
from .services import seats_missing
from .services.committee import DRAWABLE_STATES
from .services.draw import PURPOSE_LEADER, PURPOSE_REPLACEMENT, PURPOSE_SEATS

PURPOSES = {
    PURPOSE_SEATS: _("First draw"),
    PURPOSE_REPLACEMENT: _("Replacement draw"),
    PURPOSE_LEADER: _("Leader draw"),
}
STATE_BADGES = {
    MemberState.INVITED: "warning",
    MemberState.ACCEPTED: "success",
    MemberState.DECLINED: "secondary",
    MemberState.EXPIRED: "secondary",
    MemberState.REMOVED: "danger",
}


@dataclass
class DrawRow:
    number: int
    at: dt.datetime
    purpose: str
    seats: int
    seed: str
    candidates: int
    eligible: int
    drawn: list[str]
    excluded: list[tuple[str, list[str]]]
    bidders_checked: bool


def committee_page(*, lot: Lot, committee: Committee | None, user, now: dt.datetime) -> dict:
    if committee is None:
        return {"lot": lot, "committee": None, "members": [], "draws": [], "missing": 0}
    members = [
        {
            "member": m,
            "name": str(m.user),
            "kind": m.get_kind_display(),
            "rep": m.kind == MemberKind.PURCHASER_REP,
            "state": m.get_state_display(),
            "badge": STATE_BADGES.get(MemberState(m.state), "secondary"),
        }
        for m in committee.members.select_related("user", "draw").order_by("kind", "pk")
    ]
    draws = list(committee.draws.order_by("number"))
    ids = {pk for d in draws for pk in d.record.get("drawn", [])}
    ids |= {row["expert"] for d in draws for row in d.record.get("excluded", [])}
    experts = Expert.objects.select_related("user").in_bulk(ids)

    def name(pk: int) -> str:
        expert = experts.get(pk)
        return str(expert.user) if expert else f"#{pk}"

    rows = [
        DrawRow(
            number=d.number,
            at=d.at,
            purpose=str(PURPOSES.get(d.record.get("purpose", ""), "")),
            seats=d.seats,
            seed=d.seed,
            candidates=len(d.record.get("candidates", [])),
            eligible=len(d.record.get("eligible", [])),
            drawn=[name(pk) for pk in d.record.get("drawn", [])],
            excluded=[
                (name(row["expert"]), [r["text"] for r in row["reasons"]])
                for row in d.record.get("excluded", [])
            ],
            bidders_checked=bool(d.record.get("bidders_checked")),
        )
        for d in draws
    ]
    missing = seats_missing(committee)
    return {
        "lot": lot,
        "committee": committee,
        "members": members,
        "draws": rows,
        "missing": missing,
        "may_replace": missing > 0
        and lot.state in DRAWABLE_STATES
        and user.has_perm("experts.draw_committee", lot),
    }
