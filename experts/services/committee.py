"""Forming a lot's committee: the first draw, the invitations, the answers, the replacements, the
check at the opening's end and the leader (RULES.md §6.1; O87 Arts 45, 47–49).

Every write is one service `verb_noun(*, …, acting_user)` of the shape of STYLE.md habit 1: a
transaction, the rows re-read under lock, the guard, the FSM method, history, the audit event;
the messages go out with the transaction (notifications queue their SMS after the commit).
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop
from django_fsm import can_proceed

from accounts.models import Membership, User
from audit.services import record_event
from common.errors import DeadlinePassed, DomainError, InvalidTransition, PermissionDenied
from notifications.models import Channel
from notifications.services import INBOX, close_notifications, notify, notify_organisation
from procurement.models import Lot, LotState, ProcurementMethod
from procurement.parameters import legal_parameter
from timers.services import cancel_clock, meet_clock, start_clock
from workdays.calendar import SHANGHAI, add_working_days

from ..bidders import bidders_of
from ..models import Committee, Draw, Expert, Member, MemberKind, MemberState
from .draw import (
    PURPOSE_LEADER,
    PURPOSE_REPLACEMENT,
    PURPOSE_SEATS,
    Pool,
    build_pool,
    conflicts_of,
    evaluation_day,
    parties_of,
    record_draw,
)

if TYPE_CHECKING:
    from collections.abc import Callable

INVITATION_CLOCK = "experts.invitation"
INVITED = "experts.invited"  # to the expert: accept or decline (closed by the answer)
COMPLETE = "experts.committee_complete"  # to the purchaser and agency
SHORT = "experts.committee_short"  # to the purchaser and agency: replacements could not be drawn
REMOVED = "experts.member_removed"  # to the expert: its seat ended after the opening

LIVE = [MemberState.INVITED, MemberState.ACCEPTED]
# The lot's bid deadline is fixed and the evaluation has not begun (O87 Art 48).
DRAWABLE_STATES = [LotState.ANNOUNCED, LotState.CLOSED, LotState.OPENING, LotState.OPENED]
# D198 Art 14: the two working days do not bind these methods, nor remote evaluation.
EARLY_DRAW_METHODS = {
    ProcurementMethod.COMPETITIVE_NEGOTIATION,
    ProcurementMethod.COMPETITIVE_CONSULTATION,
}

NOT_STAFF = gettext_lazy("Only the purchaser or the agency of the lot draws its committee.")
NOT_YOURS = gettext_lazy("This invitation is not addressed to you.")


def _format(moment: dt.datetime) -> str:
    return date_format(timezone.localtime(moment, SHANGHAI), "Y-m-d H:i")


def _staff_organisation(user: User, lot: Lot):
    if not user.has_perm("experts.draw_committee", lot):
        raise PermissionDenied(NOT_STAFF, code="not_staff")
    return lot.project.agency if lot.project.agency_id else lot.project.purchaser


def _staff_of(lot: Lot) -> list:
    project = lot.project
    return [o for o in (project.purchaser, project.agency) if o is not None]


# The rules of the committee --------------------------------------------------------------------


def minimum_size(*, lot: Lot, complex_or_high_impact: bool) -> int:
    """5, or 7 when the budget reaches 10 million yuan or the project is technically complex or
    of high social impact (O87 Art 47: "成员人数应当为5人以上单数…应当为7人以上单数")."""
    large = legal_parameter("committee_large_budget").value
    return 7 if complex_or_high_impact or lot.budget >= large else 5


def size_problems(
    *, lot: Lot, size: int, complex_or_high_impact: bool, with_representative: bool
) -> list[str]:
    """Every rule of O87 Art 47 the proposed composition breaks (empty: lawful)."""
    problems = []
    least = minimum_size(lot=lot, complex_or_high_impact=complex_or_high_impact)
    if size < least or size % 2 == 0:
        problems.append(
            _(
                "The committee has an odd number of members, at least %(least)s for this lot "
                "(《政府采购货物和服务招标投标管理办法》（财政部令第87号）第四十七条)."
            )
            % {"least": least}
        )
    experts = size - (1 if with_representative else 0)
    if experts < math.ceil(2 * size / 3):
        problems.append(
            _(
                "Evaluation experts must be at least two thirds of the members: %(experts)s of "
                "%(size)s is too few (《政府采购货物和服务招标投标管理办法》（财政部令第87号）第四十七条)."
            )
            % {"experts": experts, "size": size}
        )
    return problems


def may_draw_early(*, lot: Lot, remote: bool) -> bool:
    return remote or lot.project.method in EARLY_DRAW_METHODS


def earliest_draw_day(evaluation_at: dt.datetime) -> dt.date:
    """The first day the draw may start: the evaluation day lies within the N working days that
    follow it (N = "expert_draw_lead_max", D198 Art 14)."""
    lead = legal_parameter("expert_draw_lead_max").days
    day = evaluation_day(evaluation_at)
    earliest = day
    candidate = day - dt.timedelta(days=1)
    # Walk back while the evaluation day is still within the lead; holidays make it longer.
    while add_working_days(candidate, lead) >= day:
        earliest = candidate
        candidate -= dt.timedelta(days=1)
    return earliest


def timing_problems(
    *, lot: Lot, evaluation_at: dt.datetime, remote: bool, now: dt.datetime
) -> list[str]:
    problems = []
    if lot.state not in DRAWABLE_STATES or lot.bid_deadline is None:
        problems.append(
            _("A committee is drawn once the lot is announced and before its evaluation begins.")
        )
        return problems
    if evaluation_at <= now:
        problems.append(_("The evaluation must start in the future."))
    if evaluation_at < lot.bid_deadline:
        problems.append(
            _("The evaluation starts after the opening, at %(deadline)s or later.")
            % {"deadline": _format(lot.bid_deadline)}
        )
    if not may_draw_early(lot=lot, remote=remote):
        earliest = earliest_draw_day(evaluation_at)
        if timezone.localtime(now, SHANGHAI).date() < earliest:
            lead = legal_parameter("expert_draw_lead_max")
            problems.append(
                _(
                    "The draw starts no earlier than %(n)s working days before the evaluation: "
                    "for an evaluation on %(day)s, from %(earliest)s (%(source)s)."
                )
                % {
                    "n": lead.days,
                    "day": evaluation_day(evaluation_at).isoformat(),
                    "earliest": earliest.isoformat(),
                    "source": lead.source,
                }
            )
    if lot.category_id is None:
        problems.append(
            _("The lot names no catalogue category: the experts are drawn by their specialty.")
        )
    return problems


# Forming the committee -------------------------------------------------------------------------


@dataclass(frozen=True)
class CommitteeValues:
    evaluation_at: dt.datetime
    size: int
    complex_or_high_impact: bool = False
    remote_evaluation: bool = False
    representative: User | None = None


def representative_problems(*, lot: Lot, user: User | None) -> list[str]:
    if user is None:
        return []
    acts_for_purchaser = Membership.objects.filter(
        user=user, organisation_id=lot.project.purchaser_id, user__is_active=True
    ).exists()
    if not acts_for_purchaser or user.is_expert:
        return [_("The purchaser's representative is a user of the purchaser.")]
    return []


def form_committee(
    *, lot: Lot, values: CommitteeValues, acting_user: User, seed: str | None = None
) -> Committee:
    """Draw the committee of `lot`: its seats, the first draw, the invitations (O87 Arts 47–48).

    `seed` is for the demo and the tests; a real draw takes a fresh one (draw.new_seed).
    Refused with every broken rule at once (RulesBroken).
    """
    from common.errors import RulesBroken

    now = timezone.now()
    organisation = _staff_organisation(acting_user, lot)
    with transaction.atomic():
        lot = (
            Lot.objects.select_for_update(of=("self",))
            .select_related("project", "project__purchaser", "project__agency", "category")
            .get(pk=lot.pk)
        )
        if Committee.objects.filter(lot=lot).exists():
            raise InvalidTransition(_("This lot's committee has been drawn already."))
        rep = values.representative
        problems = (
            timing_problems(
                lot=lot,
                evaluation_at=values.evaluation_at,
                remote=values.remote_evaluation,
                now=now,
            )
            + size_problems(
                lot=lot,
                size=values.size,
                complex_or_high_impact=values.complex_or_high_impact,
                with_representative=rep is not None,
            )
            + representative_problems(lot=lot, user=rep)
        )
        if problems:
            raise RulesBroken(problems)
        committee = Committee(
            lot=lot,
            size=values.size,
            expert_seats=values.size - (1 if rep is not None else 0),
            complex_or_high_impact=values.complex_or_high_impact,
            evaluation_at=values.evaluation_at,
            remote_evaluation=values.remote_evaluation,
            created_by=acting_user,
        )
        committee._history_user = acting_user
        committee._change_reason = gettext_noop("committee formed")
        pool = build_pool(committee=committee, lot=lot)
        if len(pool.eligible) < committee.expert_seats:
            raise DomainError(
                _(
                    "Only %(n)s experts can be drawn for this lot (%(seats)s seats): with the "
                    "consent of the budget unit in charge the purchaser may choose experts itself "
                    "(《政府采购货物和服务招标投标管理办法》（财政部令第87号）第四十八条)."
                )
                % {"n": len(pool.eligible), "seats": committee.expert_seats},
                code="too_few_experts",
            )
        committee.save()
        record_event(
            action="experts.committee.formed",
            actor=acting_user,
            organisation=organisation,
            subject=lot,
            data={
                "committee": committee.pk,
                "size": committee.size,
                "expert_seats": committee.expert_seats,
                "evaluation_at": committee.evaluation_at.isoformat(),
                "remote_evaluation": committee.remote_evaluation,
                "complex_or_high_impact": committee.complex_or_high_impact,
                "representative": rep.pk if rep else None,
            },
        )
        if rep is not None:
            member = Member(committee=committee, user=rep, kind=MemberKind.PURCHASER_REP)
            member.accept(at=now)
            _save(member, acting_user, gettext_noop("named by the purchaser"))
        _draw_and_invite(
            committee=committee,
            lot=lot,
            pool=pool,
            seats=committee.expert_seats,
            purpose=PURPOSE_SEATS,
            acting_user=acting_user,
            organisation=organisation,
            now=now,
            seed=seed,
        )
    return committee


def _save(member: Member, acting_user: User | None, reason: str) -> None:
    member._history_user = acting_user
    member._change_reason = reason
    member.save()


def respond_by(committee: Committee, now: dt.datetime) -> dt.datetime:
    window = dt.timedelta(minutes=int(legal_parameter("expert_answer_minutes").value))
    return min(now + window, committee.evaluation_at)


def _draw_and_invite(
    *,
    committee: Committee,
    lot: Lot,
    pool: Pool,
    seats: int,
    purpose: str,
    acting_user: User | None,
    organisation,
    now: dt.datetime,
    seed: str | None = None,
) -> Draw:
    draw, drawn = record_draw(
        committee=committee,
        lot=lot,
        pool=pool,
        seats=seats,
        purpose=purpose,
        acting_user=acting_user,
        at=now,
        seed=seed,
    )
    record_event(
        action="experts.draw.made",
        actor=acting_user,
        organisation=organisation,
        subject=lot,
        data={"draw": draw.pk, "number": draw.number, "seed": draw.seed, **draw.record},
    )
    experts = Expert.objects.select_related("user").in_bulk(drawn)
    due = respond_by(committee, now)
    for expert_id in drawn:
        user = experts[expert_id].user
        member = Member(
            committee=committee, user=user, kind=MemberKind.EXPERT, draw=draw, respond_by=due
        )
        _save(member, acting_user, gettext_noop("drawn"))
        start_clock(subject=member, kind=INVITATION_CLOCK, due=due, responsible=None, started=now)
        record_event(
            action="experts.member.invited",
            actor=acting_user,
            organisation=organisation,
            subject=member,
            data={"lot": lot.pk, "draw": draw.pk, "respond_by": due.isoformat()},
        )
        _tell_invited(member, lot)
    return draw


def _tell_invited(member: Member, lot: Lot) -> None:
    from django.urls import reverse

    notify(
        recipients=[member.user],
        kind=INVITED,
        subject=member,
        channels=(INBOX, Channel.SMS),
        context={
            "lot": str(lot),
            "evaluation_at": _format(member.committee.evaluation_at),
            "respond_by": _format(member.respond_by) if member.respond_by else "",
            "remote": member.committee.remote_evaluation,
            "url": reverse("experts:invitation", args=[member.pk]),
        },
    )


# Answers ------------------------------------------------------------------------------------


def _lock_member(member: Member) -> Member:
    return (
        Member.objects.select_for_update(of=("self",))
        .select_related(
            "committee",
            "committee__lot",
            "committee__lot__project",
            "committee__lot__project__purchaser",
            "committee__lot__project__agency",
            "committee__lot__category",
            "user",
        )
        .get(pk=member.pk)
    )


def _check_answer(member: Member, acting_user: User, now: dt.datetime, method: Callable) -> None:
    if member.user_id != acting_user.pk:
        raise PermissionDenied(NOT_YOURS, code="not_yours")
    if not can_proceed(method):
        raise InvalidTransition(
            _("This invitation has been answered already or has expired."), code="state"
        )
    if member.respond_by is not None and now >= member.respond_by:
        raise DeadlinePassed(
            _("The time to answer ended at %(due)s; another expert has been drawn.")
            % {"due": _format(member.respond_by)},
            code="too_late",
        )


def accept_invitation(*, member: Member, acting_user: User) -> Member:
    """The drawn expert accepts its seat before `respond_by`; a full committee gets its leader."""
    now = timezone.now()
    with transaction.atomic():
        member = _lock_member(member)
        _check_answer(member, acting_user, now, member.accept)
        member.accept(at=now)
        _save(member, acting_user, gettext_noop("accepted"))
        _answered(member, now)
        record_event(
            action="experts.member.accepted",
            actor=acting_user,
            subject=member,
            data={"lot": member.committee.lot_id},
        )
        _complete_if_full(member.committee, now=now)
    return member


def decline_invitation(*, member: Member, reason: str, acting_user: User) -> Member:
    """The drawn expert declines (with its reason); a replacement is drawn at once (O87 Art 49)."""
    now = timezone.now()
    reason = reason.strip()
    if not reason:
        raise DomainError(_("Say why you decline."), code="reason")
    with transaction.atomic():
        member = _lock_member(member)
        _check_answer(member, acting_user, now, member.decline)
        member.decline(at=now, reason=reason)
        _save(member, acting_user, gettext_noop("declined"))
        _answered(member, now)
        record_event(
            action="experts.member.declined",
            actor=acting_user,
            subject=member,
            data={"lot": member.committee.lot_id, "reason": reason},
        )
        replace_missing(committee=member.committee, acting_user=None, now=now)
    return member


def _answered(member: Member, now: dt.datetime) -> None:
    meet_clock(subject=member, kind=INVITATION_CLOCK, at=now)
    close_notifications(kinds=[INVITED], subject=member, at=now)


def expire_invitation(*, member_id: int, now: dt.datetime | None = None) -> bool:
    """An invitation not answered by `respond_by` expires and a replacement is drawn; idempotent."""
    now = now or timezone.now()
    with transaction.atomic():
        member = Member.objects.filter(pk=member_id).first()
        if member is None:
            return False
        member = _lock_member(member)
        if member.state != MemberState.INVITED or (
            member.respond_by is not None and now < member.respond_by
        ):
            return False
        member.expire()
        _save(member, None, gettext_noop("no answer in time"))
        close_notifications(kinds=[INVITED], subject=member, at=now)
        record_event(
            action="experts.member.expired",
            actor=None,
            subject=member,
            data={"lot": member.committee.lot_id},
        )
        replace_missing(committee=member.committee, acting_user=None, now=now)
    return True


def expire_at_due(clock) -> None:
    """Due action of the "experts.invitation" clock (subject: the Member)."""
    member = Member.objects.filter(pk=clock.subject_id).only("respond_by").first()
    if member is not None:
        due = member.respond_by or clock.due
        expire_invitation(member_id=member.pk, now=max(timezone.now(), due))


# Replacements and the check at the opening ------------------------------------------------------


def seats_missing(committee: Committee) -> int:
    live = committee.members.filter(kind=MemberKind.EXPERT, state__in=LIVE).count()
    return max(committee.expert_seats - live, 0)


def replace_missing(
    *, committee: Committee, acting_user: User | None, now: dt.datetime | None = None
) -> Draw | None:
    """Draw the seats that are missing (a decline, an expiry, a recusal) at once (O87 Art 49).

    From the sweeper or an answer (`acting_user` None) a shortfall is told to the purchaser and
    agency, who draw again from the committee page or choose experts themselves; from that page
    (`acting_user` set) it is refused with the reason. None when nothing was drawn.
    """
    now = now or timezone.now()
    with transaction.atomic():
        committee = (
            Committee.objects.select_for_update(of=("self",))
            .select_related(
                "lot", "lot__project", "lot__project__purchaser", "lot__project__agency"
            )
            .get(pk=committee.pk)
        )
        lot = Lot.objects.select_related(
            "project", "project__purchaser", "project__agency", "category"
        ).get(pk=committee.lot_id)
        organisation = None
        if acting_user is not None:
            organisation = _staff_organisation(acting_user, lot)
            if lot.state not in DRAWABLE_STATES:
                raise InvalidTransition(_("The evaluation has begun: no more draws."))
        missing = seats_missing(committee)
        if missing == 0:
            return None
        pool = build_pool(committee=committee, lot=lot)
        seats = min(missing, len(pool.eligible))
        if seats < missing:
            _tell_short(committee, lot, missing=missing, available=len(pool.eligible))
            if acting_user is not None and seats == 0:
                raise DomainError(
                    _(
                        "No further expert can be drawn for this lot: with the consent of the "
                        "budget unit in charge the purchaser may choose experts itself "
                        "(《政府采购货物和服务招标投标管理办法》（财政部令第87号）第四十八条、第四十九条)."
                    ),
                    code="too_few_experts",
                )
        if seats == 0:
            return None
        return _draw_and_invite(
            committee=committee,
            lot=lot,
            pool=pool,
            seats=seats,
            purpose=PURPOSE_REPLACEMENT,
            acting_user=acting_user,
            organisation=organisation,
            now=now,
        )


def _tell_short(committee: Committee, lot: Lot, *, missing: int, available: int) -> None:
    from django.urls import reverse

    for organisation in _staff_of(lot):
        notify_organisation(
            organisation=organisation,
            kind=SHORT,
            subject=committee,
            context={
                "lot": str(lot),
                "missing": missing,
                "available": available,
                "url": reverse("experts:committee", args=[lot.pk]),
            },
        )


def recheck_after_opening(*, lot: Lot, at: dt.datetime | None = None) -> list[Member]:
    """At the opening's end the bidders are known: a seated or invited expert tied to a bidder
    (employer, same legal representative, declared relation) is removed with its reason, told,
    and replaced at once (IR Art 9; O87 Art 49). Called by bidding in the transaction that ends
    the opening; does nothing for a lot without a committee. Returns the removed seats."""
    now = at or timezone.now()
    bidders = bidders_of(lot)
    committee = Committee.objects.filter(lot_id=lot.pk).first()
    if committee is None or bidders is None:
        return []
    lot = Lot.objects.select_related("project", "project__purchaser", "project__agency").get(
        pk=lot.pk
    )
    parties = parties_of(lot, bidders)
    day = evaluation_day(committee.evaluation_at)
    removed = []
    with transaction.atomic():
        members = (
            Member.objects.select_for_update(of=("self",))
            .filter(committee=committee, kind=MemberKind.EXPERT, state__in=LIVE)
            .select_related("user")
            .order_by("pk")
        )
        experts = {
            e.user_id: e
            for e in Expert.objects.filter(user__in=[m.user_id for m in members])
            .select_related("user", "user__employer")
            .prefetch_related("relations")
        }
        for member in members:
            expert = experts.get(member.user_id)
            if expert is None:
                continue
            reasons = conflicts_of(expert, parties, day=day)
            if not reasons:
                continue
            text = "；".join(r.text for r in reasons)
            was_invited = member.state == MemberState.INVITED
            member.remove(reason=text)
            member.is_leader = False
            _save(member, None, gettext_noop("recused: conflict with a bidder"))
            if was_invited:
                cancel_clock(subject=member, kind=INVITATION_CLOCK)
                close_notifications(kinds=[INVITED], subject=member, at=now)
            record_event(
                action="experts.member.removed",
                actor=None,
                subject=member,
                data={"lot": lot.pk, "reasons": [r.as_dict() for r in reasons]},
            )
            notify(
                recipients=[member.user],
                kind=REMOVED,
                subject=member,
                channels=(INBOX, Channel.SMS),
                context={"lot": str(lot), "evaluation_at": _format(committee.evaluation_at)},
            )
            removed.append(member)
        if removed:
            replace_missing(committee=committee, acting_user=None, now=now)
    return removed


# Completion and the leader ----------------------------------------------------------------------


def _complete_if_full(committee: Committee, *, now: dt.datetime) -> None:
    """Every seat accepted: the leader is drawn among the experts (never the purchaser's
    representative, O87 Art 45(4)) and the purchaser and agency are told."""
    from django.urls import reverse

    from ..selectors import is_full

    if (
        not is_full(committee)
        or committee.members.filter(is_leader=True, state=MemberState.ACCEPTED).exists()
    ):
        return
    lot = Lot.objects.select_related(
        "project", "project__purchaser", "project__agency", "category"
    ).get(pk=committee.lot_id)
    accepted = list(
        committee.members.filter(kind=MemberKind.EXPERT, state=MemberState.ACCEPTED)
        .select_related("user__expert_profile")
        .order_by("pk")
    )
    by_expert = {m.user.expert_profile.pk: m for m in accepted}
    pool = Pool(
        candidates=sorted(by_expert),
        excluded={},
        unavailable=[],
        bidders_known=bidders_of(lot) is not None,
    )
    draw, drawn = record_draw(
        committee=committee,
        lot=lot,
        pool=pool,
        seats=1,
        purpose=PURPOSE_LEADER,
        acting_user=None,
        at=now,
    )
    leader = by_expert[drawn[0]]
    leader.is_leader = True
    _save(leader, None, gettext_noop("drawn as leader"))
    record_event(
        action="experts.committee.completed",
        actor=None,
        subject=lot,
        data={"committee": committee.pk, "leader_draw": draw.pk, "seed": draw.seed},
    )
    with translation.override(settings.LANGUAGE_CODE):
        leader_name = str(leader.user)
    for organisation in _staff_of(lot):
        notify_organisation(
            organisation=organisation,
            kind=COMPLETE,
            subject=committee,
            event=f"{COMPLETE}:{committee.pk}:{draw.pk}",
            context={
                "lot": str(lot),
                "evaluation_at": _format(committee.evaluation_at),
                "leader": leader_name,
                "url": reverse("experts:committee", args=[lot.pk]),
            },
        )
    close_notifications(kinds=[SHORT], subject=committee, at=now)
