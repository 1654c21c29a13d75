"""Indicators the platform scores from the record (RULES.md §13.4 "auto"), never from a form.

Each rule reads the clocks and events the lower apps left and returns a Finding: passed, failed,
not applicable, or not settled yet (the clock still runs), with the evidence — what the points
come from, and a link to it (the public notice, or the clock in the bureau's admin).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from timers.models import SHANGHAI, Clock, format_deadline
from workdays.calendar import period_end


@dataclass(frozen=True)
class Finding:
    passed: bool | None  # None: not applicable, or not settled yet (`pending`)
    evidence: str
    url: str = ""
    pending: bool = False


NOT_APPLICABLE = "n/a"


@dataclass(frozen=True)
class Context:
    """What a rule reads: the lot, the contract after acceptance, and the rated party."""

    lot: Any
    contract: Any
    organisation: Any  # the rated organisation, or None for an expert
    expert: Any  # the rated expert (a user), or None
    now: dt.datetime


Rule = Callable[[Context], Finding]
RULES: dict[str, Rule] = {}


def rule(name: str) -> Callable[[Rule], Rule]:
    def register(func: Rule) -> Rule:
        RULES[name] = func
        return func

    return register


def rule_choices() -> list[tuple[str, str]]:
    return [(name, name) for name in sorted(RULES)]


def evaluate(name: str, ctx: Context) -> Finding:
    func = RULES.get(name)
    if func is None:
        return Finding(None, _("The platform has no rule “%(name)s”.") % {"name": name})
    return func(ctx)


def _clock_url(clock: Clock) -> str:
    return reverse("admin:timers_clock_change", args=[clock.pk])


def _day(moment: dt.datetime) -> str:
    return f"{timezone.localtime(moment, SHANGHAI):%Y-%m-%d %H:%M}"


def _clock_finding(clocks: list[Clock], *, none: Finding) -> Finding:
    """Breached → failed; running → pending; all met in time → passed."""
    if not clocks:
        return none
    for clock in clocks:
        if clock.breached_at is not None:
            return Finding(
                False,
                _("%(label)s: due %(due)s, not met in time.")
                % {"label": clock.label, "due": format_deadline(clock.due)},
                _clock_url(clock),
            )
    running = [c for c in clocks if c.met_at is None and c.cancelled_at is None]
    if running:
        clock = running[0]
        return Finding(
            None,
            _("%(label)s: running, due %(due)s.")
            % {"label": clock.label, "due": format_deadline(clock.due)},
            _clock_url(clock),
            pending=True,
        )
    clock = max(clocks, key=lambda c: c.met_at or c.due)
    return Finding(
        True,
        _("%(label)s: due %(due)s, met %(met)s.")
        % {
            "label": clock.label,
            "due": format_deadline(clock.due),
            "met": _day(clock.met_at) if clock.met_at else "—",
        },
        _clock_url(clock),
    )


def _clocks(kind: str, subjects) -> list[Clock]:
    subjects = list(subjects)
    if not subjects:
        return []
    return list(
        Clock.objects.filter(
            kind=kind,
            subject_type=ContentType.objects.get_for_model(subjects[0]),
            subject_id__in=[s.pk for s in subjects],
        ).order_by("due", "pk")
    )


def _published_within(
    published_at: dt.datetime | None, start: dt.datetime, days: int, now: dt.datetime, what: str
) -> tuple[bool | None, str]:
    due = period_end(start, days, working=True)
    if published_at is None:
        if now < due:
            return None, _("%(what)s not published yet; due %(due)s.") % {
                "what": what,
                "due": format_deadline(due),
            }
        return False, _("%(what)s not published by %(due)s.") % {
            "what": what,
            "due": format_deadline(due),
        }
    passed = published_at < due
    return passed, _("%(what)s published %(at)s; due %(due)s.") % {
        "what": what,
        "at": _day(published_at),
        "due": format_deadline(due),
    }


# Purchaser --------------------------------------------------------------------------------


@rule("intention_lead")
def intention_lead(ctx: Context) -> Finding:
    """财库〔2020〕10号: the intention public at least 30 days before the procurement starts."""
    from procurement.models import Announcement, AnnouncementKind
    from procurement.parameters import legal_parameter

    plan = ctx.lot.project.plan
    if plan.intention_exempt:
        return Finding(
            None,
            _("Exempt from intention disclosure: %(reason)s")
            % {"reason": plan.exemption_reason or "—"},
        )
    intention = plan.intention
    first = (
        Announcement.objects.filter(
            project=ctx.lot.project, kind=AnnouncementKind.TENDER, published_at__isnull=False
        )
        .order_by("published_at")
        .first()
    )
    if intention is None or intention.published_at is None:
        return Finding(False, _("No procurement intention was published."))
    if first is None or first.published_at is None:
        return Finding(None, _("The procurement announcement is not published yet."), pending=True)
    lead = legal_parameter("intention_min_lead").days
    days = (
        timezone.localtime(first.published_at, SHANGHAI).date()
        - timezone.localtime(intention.published_at, SHANGHAI).date()
    ).days
    return Finding(
        days >= lead,
        _(
            "Intention published %(intention)s, announcement %(announcement)s: %(days)d days "
            "apart (at least %(lead)d)."
        )
        % {
            "intention": _day(intention.published_at),
            "announcement": _day(first.published_at),
            "days": days,
            "lead": lead,
        },
        intention.public_url(),
    )


@rule("plan_filed")
def plan_filed(ctx: Context) -> Finding:
    plan = ctx.lot.project.plan
    if plan.filed_at is None:
        return Finding(False, _("The implementation plan was not filed."))
    return Finding(True, _("Implementation plan filed %(at)s.") % {"at": _day(plan.filed_at)})


@rule("result_confirmed")
def result_confirmed(ctx: Context) -> Finding:
    """O87 Art 68: the purchaser confirms the winner within five working days."""
    from evaluation.services.report import DECISION_CLOCK

    evaluation = getattr(ctx.lot, "evaluation", None)
    if evaluation is None:
        return Finding(None, NOT_APPLICABLE)
    award = getattr(ctx.lot, "award", None)
    if award is not None and award.deemed:
        return Finding(
            False, _("The purchaser let five working days pass: rank 1 was deemed chosen.")
        )
    return _clock_finding(_clocks(DECISION_CLOCK, [evaluation]), none=Finding(None, NOT_APPLICABLE))


def _answered(kind: str, cases, ctx: Context) -> Finding:
    clocks = [c for c in _clocks(kind, cases) if c.responsible_id == ctx.organisation.pk]
    return _clock_finding(clocks, none=Finding(None, _("Nothing was asked of it on this lot.")))


@rule("questions_replied")
def questions_replied(ctx: Context) -> Finding:
    """GPL Art 53: a question replied to within seven working days."""
    from complaints.models import Question
    from complaints.services import REPLY_CLOCK

    return _answered(REPLY_CLOCK, Question.objects.filter(lot=ctx.lot), ctx)


@rule("inquiries_answered")
def inquiries_answered(ctx: Context) -> Finding:
    """IR Art 52: an inquiry answered within three working days."""
    from complaints.models import Inquiry
    from complaints.services import INQUIRY_CLOCK

    return _answered(INQUIRY_CLOCK, Inquiry.objects.filter(lot=ctx.lot), ctx)


@rule("contract_signed")
def contract_signed(ctx: Context) -> Finding:
    """GPL Art 46: signed within 30 days of the award notice."""
    from contracts.services.clocks import SIGNING_LIMIT

    if ctx.contract is None:
        return Finding(None, NOT_APPLICABLE)
    return _clock_finding(
        _clocks(SIGNING_LIMIT, [ctx.contract.award]), none=Finding(None, NOT_APPLICABLE)
    )


@rule("contract_announced")
def contract_announced(ctx: Context) -> Finding:
    """IR Art 50: the contract announced within two working days of signing."""
    from procurement.parameters import legal_parameter

    contract = ctx.contract
    if contract is None or contract.signed_at is None:
        return Finding(None, NOT_APPLICABLE)
    announcement = contract.announcement
    passed, text = _published_within(
        announcement.published_at if announcement else None,
        contract.signed_at,
        legal_parameter("contract_publish").days,
        ctx.now,
        _("Contract announcement"),
    )
    return Finding(
        passed,
        text,
        announcement.get_absolute_url() if announcement else "",
        pending=passed is None,
    )


@rule("paid_in_time")
def paid_in_time(ctx: Context) -> Finding:
    """保障中小企业款项支付条例 Art 9: paid within the legal term."""
    from contracts.models import PaymentInstalment
    from contracts.services.payment import PAYMENT_LIMIT

    if ctx.contract is None:
        return Finding(None, NOT_APPLICABLE)
    instalments = PaymentInstalment.objects.filter(contract=ctx.contract)
    return _clock_finding(
        _clocks(PAYMENT_LIMIT, instalments),
        none=Finding(None, _("No payment has fallen due yet."), pending=True),
    )


# Agency -----------------------------------------------------------------------------------


@rule("result_announced")
def result_announced(ctx: Context) -> Finding:
    """O87 Art 69: the result announced within two working days of its decision."""
    award = getattr(ctx.lot, "award", None)
    if award is None:
        return Finding(None, NOT_APPLICABLE)
    announcement = award.announcement
    passed, text = _published_within(
        announcement.published_at if announcement else None,
        award.decided_at,
        2,
        ctx.now,
        _("Result announcement"),
    )
    return Finding(
        passed,
        text,
        announcement.get_absolute_url() if announcement else "",
        pending=passed is None,
    )


# Expert -----------------------------------------------------------------------------------


@rule("declaration_signed")
def declaration_signed(ctx: Context) -> Finding:
    """D198 Art 16: the expert declares its conflicts before it sees the bids."""
    from evaluation.models import Declaration

    declaration = (
        Declaration.objects.filter(evaluation__lot=ctx.lot, member__user=ctx.expert)
        .order_by("signed_at")
        .first()
    )
    if declaration is None:
        return Finding(False, _("No no-conflict declaration was signed."))
    return Finding(
        True, _("No-conflict declaration signed %(at)s.") % {"at": _day(declaration.signed_at)}
    )


# Supplier ---------------------------------------------------------------------------------


@rule("decrypted")
def decrypted(ctx: Context) -> Finding:
    """The bid decrypted by its bidder within the opening's window (DESIGN.md "Sealed bids")."""
    from bidding.models import Bid, BidState

    bid = (
        Bid.objects.filter(lot=ctx.lot, supplier=ctx.organisation)
        .exclude(state__in=[BidState.DRAFT, BidState.WITHDRAWN, BidState.REPLACED])
        .first()
    )
    if bid is None:
        return Finding(None, NOT_APPLICABLE)
    if bid.decrypted_at is None:
        return Finding(False, _("The bid was not decrypted within the decryption window."))
    return Finding(True, _("Bid decrypted %(at)s.") % {"at": _day(bid.decrypted_at)})


@rule("no_groundless_complaint")
def no_groundless_complaint(ctx: Context) -> Finding:
    """O94 Art 37: a complaint found groundless (查无实据) is recorded against the complainant."""
    from complaints.models import Complaint, ComplaintState

    complaints = list(Complaint.objects.filter(question__lot=ctx.lot, complainant=ctx.organisation))
    for complaint in complaints:
        if complaint.groundless:
            return Finding(
                False,
                _("Complaint %(number)s was found groundless (O94 Art 37).")
                % {"number": complaint.number},
                reverse("admin:complaints_complaint_change", args=[complaint.pk]),
            )
    open_states = {
        ComplaintState.SUBMITTED,
        ComplaintState.CORRECTION_REQUESTED,
        ComplaintState.ACCEPTED,
        ComplaintState.SUSPENDED,
    }
    undecided = [c for c in complaints if c.state in open_states]
    if undecided:
        return Finding(
            None,
            _("Complaint %(number)s is not decided yet.") % {"number": undecided[0].number},
            pending=True,
        )
    return Finding(True, _("No complaint of it on this lot was found groundless."))
