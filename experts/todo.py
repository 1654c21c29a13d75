"""What experts asks of each role (accounts.todo): the purchaser or agency draws a lot's committee
once the lot is announced and draws again when seats are missing; a drawn expert answers its
invitation before it expires. Read from the rows, so an item goes when the step is done."""

from __future__ import annotations

from collections.abc import Iterator

from django.db.models import Count, F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import OrganisationKind
from accounts.todo import Owed, TodoItem
from procurement.models import Lot
from workdays.calendar import SHANGHAI

from .models import Committee, Member, MemberKind, MemberState
from .services.committee import DRAWABLE_STATES, LIVE, earliest_draw_day, may_draw_early


def _subject(lot) -> str:
    return _("%(project)s · lot %(number)s %(name)s") % {
        "project": lot.project.name,
        "number": lot.number,
        "name": lot.name,
    }


def staff_items(owed: Owed) -> Iterator[TodoItem]:
    if owed.role not in (OrganisationKind.PURCHASER, OrganisationKind.AGENCY):
        return
    org = owed.organisation
    mine = Q(project__purchaser=org) | Q(project__agency=org)
    # The draw is the step of whoever runs the procurement: the agency when it is entrusted
    # (like announcing the lots), else the purchaser. It is owed from the first day the rules
    # let it start before an evaluation right after the opening (D198 Art 14; at once for the
    # methods that may draw early), and due at the opening.
    runs = Q(project__agency=org) | Q(project__purchaser=org, project__agency__isnull=True)
    today = timezone.localdate(timezone.now(), SHANGHAI)
    for lot in (
        Lot.objects.filter(mine, runs, state__in=DRAWABLE_STATES, committee__isnull=True)
        .select_related("project")
        .order_by("bid_deadline", "pk")
    ):
        deadline = lot.bid_deadline
        if deadline is None:
            continue
        if not may_draw_early(lot=lot, remote=False) and today < earliest_draw_day(deadline):
            continue
        yield TodoItem(
            kind="experts.committee_to_draw",
            title=_("Draw the evaluation committee"),
            subject=_subject(lot),
            url=reverse("experts:committee", args=[lot.pk]),
            due=deadline,
            note=_("From two working days before the evaluation."),
        )
    for committee in (
        Committee.objects.filter(
            Q(lot__project__purchaser=org) | Q(lot__project__agency=org),
            lot__state__in=DRAWABLE_STATES,
        )
        .annotate(
            live=Count(
                "members", filter=Q(members__kind=MemberKind.EXPERT, members__state__in=LIVE)
            )
        )
        .filter(live__lt=F("expert_seats"))
        .select_related("lot", "lot__project")
        .order_by("evaluation_at", "pk")
    ):
        yield TodoItem(
            kind="experts.seats_to_fill",
            title=_("Draw the experts missing on the committee"),
            subject=_subject(committee.lot),
            url=reverse("experts:committee", args=[committee.lot_id]),
            due=committee.evaluation_at,
        )


def expert_items(owed: Owed) -> Iterator[TodoItem]:
    if owed.role != "expert":
        return
    for member in (
        Member.objects.filter(
            user_id=owed.user.pk,
            kind=MemberKind.EXPERT,
            state=MemberState.INVITED,
            respond_by__gt=timezone.now(),
        )
        .select_related("committee", "committee__lot", "committee__lot__project")
        .order_by("respond_by", "pk")
    ):
        yield TodoItem(
            kind="experts.invitation_to_answer",
            title=_("Accept or decline the invitation to evaluate"),
            subject=_subject(member.committee.lot),
            url=reverse("experts:invitation", args=[member.pk]),
            due=member.respond_by,
            note=_("Without an answer another expert is drawn."),
        )


PROVIDERS = [staff_items, expert_items]
