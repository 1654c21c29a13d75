"""Home sections: a committee member's evaluations (its seat only, RULES.md D-2) and the
purchaser's and agency's evaluations under way."""

from __future__ import annotations

from django.db.models import Q
from django.utils.translation import gettext as _

from accounts.home import HomeSection
from accounts.selectors import organisation_of
from experts.models import Member, MemberState
from procurement.models import LotState

from .models import Evaluation, EvaluationState

LIMIT = 8
ACTIVE = [EvaluationState.QUALIFICATION, EvaluationState.COMPLIANCE, EvaluationState.SCORING]


def member_section(request, role):
    seats = list(
        Member.objects.filter(
            user=request.user,
            state=MemberState.ACCEPTED,
            committee__lot__state=LotState.EVALUATING,
            committee__lot__evaluation__state__in=ACTIVE,
        )
        .select_related("committee__lot__project", "committee__lot__evaluation")
        .order_by("committee__evaluation_at", "pk")[:LIMIT]
    )
    if not seats and role != "expert":
        return None
    return HomeSection(
        title=_("My evaluations"),
        template="evaluation/home/member.html",
        context={"seats": [(seat, seat.committee.lot.evaluation) for seat in seats]},
        order=20,
    )


def staff_section(request, role):
    if role not in ("purchaser", "agency"):
        return None
    org = organisation_of(request.user)
    evaluations = list(
        Evaluation.objects.filter(
            Q(lot__project__purchaser=org) | Q(lot__project__agency=org),
            lot__state=LotState.EVALUATING,
            state__in=ACTIVE,
        )
        .select_related("lot", "lot__project")
        .order_by("started_at", "pk")[:LIMIT]
    )
    if not evaluations:
        return None
    return HomeSection(
        title=_("Evaluations under way"),
        template="evaluation/home/staff.html",
        context={"evaluations": evaluations},
        order=32,
    )


SECTIONS = [member_section, staff_section]
