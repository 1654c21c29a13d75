"""The evaluation up to the scores (issue 11 §3): start, declarations, qualification, compliance,
abnormally low prices and the members' score sheets. Each write is one `verb_noun(*, …,
acting_user)`: lock, guard, transition, save, audit, tell whom it concerns.

1. The organisation that runs the procurement (the agency, or the purchaser procuring by itself)
   starts the evaluation of an opened lot whose committee is complete; each decrypted bid gets a
   review row and each member is asked to declare.
2. Every member declares no conflict (回避声明) before any bid is shown to it; one that declares
   a conflict is recused (D198 Art 16) and the organiser is told to draw a replacement.
3. The purchaser or agency reviews the bidders' qualifications, the credit check of RULES.md E-5
   included (a bidder on a dishonesty list fails); fewer than three qualified: no evaluation
   (O87 Art 44).
4. The committee, through its leader (O87 Art 61: the majority decides, the leader records it),
   reviews compliance and finds bids invalid on the grounds of O87 Art 63; a price above the
   budget or the maximum price is found invalid by the platform itself (evaluation.scoring). A
   price far below the others is flagged and its bidder asked to explain it in a time the
   committee sets (O87 Art 60); silence by then is no justification. Fewer than three compliant
   bids fail the evaluation (GPL Art 36).
5. Each member scores each criterion of the lot's table for each compliant bid on its own sheet
   and submits it (a lowest-price lot has no criteria: submitting confirms the price ranking).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop
from django_fsm import can_proceed

from accounts.models import Organisation
from audit.services import record_event
from bidding.models import Bid, BiddingParameters, BidState
from common.errors import (
    DeadlinePassed,
    DomainError,
    InvalidTransition,
    PermissionDenied,
    RulesBroken,
)
from experts.models import Committee, Member
from experts.selectors import seated_members
from notifications.services import close_notifications, notify, notify_organisation
from procurement.models import EvaluationCriterion, Lot, LotState
from suppliers.sme import is_sme, items_from_data
from timers.models import format_deadline
from timers.services import cancel_clock, meet_clock, start_clock

from .. import scoring
from ..models import (
    BidReview,
    Declaration,
    Evaluation,
    EvaluationState,
    InquiryDecision,
    InvalidGround,
    PriceInquiry,
    Score,
    ScoreSheet,
)
from ..rules import runs_procurement, seat_of

if TYPE_CHECKING:
    from django.core.files.uploadedfile import UploadedFile

    from accounts.models import User
    from timers.models import Clock

PRICE_EXPLANATION_CLOCK = "evaluation.price_explanation"
PRICE_EXPLANATION_USE = "evaluation.price_explanation"

# Notification kinds; those that ask a step are closed when it is done.
EVALUATION_STARTED = "evaluation.started"  # each member: declare (subject: its seat)
MEMBER_RECUSED = "evaluation.member_recused"  # the organisers: draw a replacement
COMPLIANCE_DUE = "evaluation.compliance_due"  # each member: the compliance review begins
SCORING_DUE = "evaluation.scoring_due"  # each member: score (subject: its sheet)
PRICE_EXPLANATION_ASKED = "evaluation.price_explanation_asked"  # the bidder: explain
PRICE_EXPLANATION_ANSWERED = "evaluation.price_explanation_answered"  # the leader: decide
PRICE_EXPLANATION_DECIDED = "evaluation.price_explanation_decided"  # the bidder: the outcome

# O87 Art 60 says "明显低于其他通过符合性审查投标人的报价" and gives no number; RULES.md D-12
# neither. The platform flags a price below this share of the mean of the other compliant
# prices as a lead for the committee, which alone decides whether to ask. Callers may pass
# another share (a local rule or the tender documents may set one).
LOW_PRICE_SHARE = Decimal("0.80")

# Grounds found by their own step, never changed in the compliance form: a price above the
# ceiling (the platform) and a low price not justified (the inquiry).
PLATFORM_GROUNDS = (InvalidGround.ABOVE_PRICE, InvalidGround.LOW_PRICE)

# The rules a failure notice cites.
O87_44 = "《政府采购货物和服务招标投标管理办法》（财政部令第87号）第四十四条"
GPL_36 = "《中华人民共和国政府采购法》第三十六条"


def min_bids(lot: Lot) -> int:
    """The fewest qualified (O87 Art 44) or compliant (GPL Art 36 (1)) bids an evaluation goes
    on with: the bureau's bidding parameter for the method, which the report counts too."""
    return BiddingParameters.current().min_bids(lot.project.method)


NOT_RUNNER = gettext_lazy(
    "Only the organisation that runs this procurement (its agency, or the purchaser when it "
    "procures by itself) starts the evaluation."
)
NOT_STAFF = gettext_lazy("Only the purchaser or agency of the project reviews qualifications.")
NOT_MEMBER = gettext_lazy("Only a member seated on this lot's committee may do this.")
NOT_LEADER = gettext_lazy(
    "Only the committee's leader records the committee's decisions (O87 Art 61)."
)
NOT_DECLARED = gettext_lazy(
    "Sign your no-conflict declaration first: no bid is shown before it (回避声明)."
)
NOT_EVALUATING = gettext_lazy("The lot is not being evaluated now (it may be suspended).")
NOT_BIDDER = gettext_lazy("This is not your bid.")


# --------------------------------------------------------------------------------------------
# Shared steps


def _now() -> dt.datetime:
    return timezone.now()


def _save(obj, *, user: User | None, reason: str) -> None:
    obj._history_user = user
    obj._change_reason = reason
    obj.save()


def _staff_organisations(lot: Lot) -> list[Organisation]:
    project = lot.project
    return [o for o in (project.purchaser, project.agency) if o is not None]


def _lock_evaluation(evaluation: Evaluation) -> Evaluation:
    """The evaluation re-read under its row lock, with its lot (locked first, as bidding does)."""
    Lot.objects.select_for_update(of=("self",)).get(pk=evaluation.lot_id)
    return (
        Evaluation.objects.select_for_update(of=("self",))
        .select_related("lot", "lot__project")
        .get(pk=evaluation.pk)
    )


def _require_state(evaluation: Evaluation, state: str, message) -> None:
    if evaluation.lot.state != LotState.EVALUATING:
        raise InvalidTransition(NOT_EVALUATING, code="lot_state")
    if evaluation.state != state:
        raise InvalidTransition(message, code="state")


def _declared_seat(evaluation: Evaluation, user: User) -> Member:
    """The user's seat, once it has declared no conflict; PermissionDenied otherwise."""
    seat = seat_of(user, evaluation)
    if seat is None:
        raise PermissionDenied(NOT_MEMBER, code="not_member")
    if not Declaration.objects.filter(
        evaluation=evaluation, member=seat, no_conflict=True
    ).exists():
        raise PermissionDenied(NOT_DECLARED, code="not_declared")
    return seat


def _leader_seat(evaluation: Evaluation, user: User) -> Member:
    seat = _declared_seat(evaluation, user)
    if not seat.is_leader:
        raise PermissionDenied(NOT_LEADER, code="not_leader")
    return seat


def committee_shortfall(lot: Lot) -> int | None:
    """Seats still to fill (0: complete); None when the lot has no committee yet."""
    committee = Committee.objects.filter(lot=lot).first()
    if committee is None:
        return None
    return max(committee.size - len(seated_members(lot)), 0)


def _tell_members(
    members: list[Member], *, kind: str, lot: Lot, url: str, subject_of=None, **context
) -> None:
    for member in members:
        notify(
            recipients=[member.user],
            kind=kind,
            context={"lot": lot, "url": url, **context},
            subject=subject_of(member) if subject_of else member,
            channels=("inbox", "sms"),
        )


def _link(name: str, *args) -> str:
    from django.urls import NoReverseMatch, reverse

    try:
        return reverse(f"evaluation:{name}", args=args)
    except NoReverseMatch:  # the pages are not wired (a service test without URLs)
        return ""


def fail_evaluation(
    evaluation: Evaluation, reason: str, by: User | None, *, basis: str = GPL_36
) -> Evaluation:
    """End the evaluation and fail the lot (废标) for `reason` (a translated sentence with its
    legal basis `basis`): the failure notice is published and the staff and bidders told."""
    from .report import announce_failure

    with transaction.atomic():
        evaluation = _lock_evaluation(evaluation)
        lot = evaluation.lot
        if not can_proceed(evaluation.fail) or not can_proceed(lot.fail):
            raise InvalidTransition(
                _("This evaluation can no longer fail: it has ended."), code="state"
            )
        evaluation.fail(reason=reason)
        _save(evaluation, user=by, reason=gettext_noop("evaluation failed"))
        lot.fail()
        _save(lot, user=by, reason=gettext_noop("evaluation failed"))
        for inquiry in PriceInquiry.objects.filter(evaluation=evaluation, decided_at__isnull=True):
            cancel_clock(subject=inquiry, kind=PRICE_EXPLANATION_CLOCK)
        record_event(
            action="evaluation.evaluation.failed",
            actor=by,
            subject=lot,
            data={"evaluation": evaluation.pk, "reason": reason},
        )
        announce_failure(evaluation, lot, reason=reason, basis=basis, at=_now())
    return evaluation


# --------------------------------------------------------------------------------------------
# 1. Start


def start_evaluation(*, lot: Lot, acting_user: User) -> Evaluation:
    """Start the evaluation of an opened lot whose committee is complete."""
    if not runs_procurement(acting_user, lot):
        raise PermissionDenied(NOT_RUNNER, code="not_runner")
    with transaction.atomic():
        lot = Lot.objects.select_for_update(of=("self",)).select_related("project").get(pk=lot.pk)
        if Evaluation.objects.filter(lot=lot).exists() or not can_proceed(lot.start_evaluation):
            raise InvalidTransition(
                _("Only an opened lot whose evaluation has not begun can start one."),
                code="state",
            )
        shortfall = committee_shortfall(lot)
        if shortfall is None:
            raise DomainError(_("Draw the evaluation committee first."), code="no_committee")
        if shortfall:
            raise DomainError(
                _(
                    "The committee is not complete: %(n)s seat(s) still wait for an expert "
                    "who accepts."
                )
                % {"n": shortfall},
                code="committee_incomplete",
            )
        now = _now()
        lot.start_evaluation()
        _save(lot, user=acting_user, reason=gettext_noop("evaluation started"))
        evaluation = Evaluation(lot=lot, started_at=now)
        _save(evaluation, user=acting_user, reason=gettext_noop("evaluation started"))
        bids = list(
            Bid.objects.filter(lot=lot, state=BidState.DECRYPTED).order_by("received_at", "pk")
        )
        for bid in bids:
            _save(
                BidReview(evaluation=evaluation, bid=bid),
                user=acting_user,
                reason=gettext_noop("evaluation started"),
            )
        record_event(
            action="evaluation.evaluation.started",
            actor=acting_user,
            subject=lot,
            data={"evaluation": evaluation.pk, "bids": len(bids)},
        )
        _tell_members(
            seated_members(lot),
            kind=EVALUATION_STARTED,
            lot=lot,
            url=_link("declaration", lot.pk),
        )
    return evaluation


# --------------------------------------------------------------------------------------------
# 2. Declarations


def bidder_names(evaluation: Evaluation) -> list[str]:
    """The bidders whose bids are evaluated: what a member declares its relation to."""
    return list(
        BidReview.objects.filter(evaluation=evaluation)
        .order_by("bid__supplier__name")
        .values_list("bid__supplier__name", flat=True)
    )


def declaration_statement(evaluation: Evaluation, member: Member) -> str:
    """The text the member signs, rendered from the lot and the bidders' names (in Chinese)."""
    with translation.override(settings.LANGUAGE_CODE):
        return render_to_string(
            "evaluation/declaration_statement.txt",
            {
                "lot": evaluation.lot,
                "project": evaluation.lot.project,
                "member": member,
                "bidders": bidder_names(evaluation),
            },
        ).strip()


DECLARABLE = [EvaluationState.QUALIFICATION, EvaluationState.COMPLIANCE, EvaluationState.SCORING]


def sign_declaration(
    *, evaluation: Evaluation, no_conflict: bool, conflict_detail: str = "", acting_user: User
) -> Declaration:
    """A member declares it has no conflict with any bidder, or declares one and is recused."""
    conflict_detail = conflict_detail.strip()
    with transaction.atomic():
        evaluation = _lock_evaluation(evaluation)
        seat = seat_of(acting_user, evaluation)
        if seat is None:
            raise PermissionDenied(NOT_MEMBER, code="not_member")
        if evaluation.lot.state != LotState.EVALUATING or evaluation.state not in DECLARABLE:
            raise InvalidTransition(
                _("Declarations are made while the evaluation is under way."), code="state"
            )
        if Declaration.objects.filter(evaluation=evaluation, member=seat).exists():
            raise InvalidTransition(_("You have already signed your declaration."), code="done")
        if not no_conflict and not conflict_detail:
            raise DomainError(
                _("Say with which bidder and how you are related (D198 Art 16)."),
                code="detail",
            )
        now = _now()
        declaration = Declaration.objects.create(
            evaluation=evaluation,
            member=seat,
            signed_at=now,
            no_conflict=no_conflict,
            conflict_detail="" if no_conflict else conflict_detail,
            statement=declaration_statement(evaluation, seat),
        )
        close_notifications(kinds=[EVALUATION_STARTED], subject=seat, at=now)
        record_event(
            action="evaluation.declaration.signed",
            actor=acting_user,
            subject=evaluation.lot,
            data={"member": seat.pk, "no_conflict": no_conflict},
        )
        if not no_conflict:
            seat.remove(reason=conflict_detail)
            _save(seat, user=acting_user, reason=gettext_noop("recused"))
            record_event(
                action="evaluation.member.recused",
                actor=acting_user,
                subject=evaluation.lot,
                data={"member": seat.pk},
            )
            for organisation in _staff_organisations(evaluation.lot):
                notify_organisation(
                    organisation=organisation,
                    kind=MEMBER_RECUSED,
                    context={"lot": evaluation.lot, "url": _link("overview", evaluation.lot_id)},
                    subject=evaluation,
                    event=f"{MEMBER_RECUSED}:{seat.pk}",
                )
    return declaration


def undeclared_members(evaluation: Evaluation) -> list[Member]:
    declared = Declaration.objects.filter(evaluation=evaluation).values("member_id")
    return [
        m for m in seated_members(evaluation.lot) if m.pk not in {d["member_id"] for d in declared}
    ]


# --------------------------------------------------------------------------------------------
# 3. Qualification review (purchaser or agency, O87 Art 44; credit check RULES.md E-5)


@dataclass(frozen=True)
class QualificationValues:
    qualified: bool
    reason: str
    credit_checked_at: dt.datetime | None
    credit_listed: bool


def qualifies_for_reserved_lot(bid: Bid, lot: Lot) -> bool:
    """A lot reserved for SMEs (专门面向中小企业采购, D46 Art 8) admits only a bidder whose SME
    declaration letter shows every item made or served by an SME (D46 Arts 4, 11; a consortium of
    SMEs counts as one, Art 4 ¶3, and lists its members' items in the same letter). Any bidder
    qualifies on a lot that is not reserved."""
    return not lot.sme_reserved or is_sme(items_from_data(bid.sme_items or []))


def record_qualification(
    *, review: BidReview, values: QualificationValues, acting_user: User
) -> BidReview:
    """Record one bidder's qualification and credit check; every problem is refused at once."""
    with transaction.atomic():
        evaluation = _lock_evaluation(review.evaluation)
        if not acting_user.has_perm("evaluation.review_qualification", evaluation):
            raise PermissionDenied(NOT_STAFF, code="not_staff")
        _require_state(
            evaluation,
            EvaluationState.QUALIFICATION,
            _("The qualification review is closed."),
        )
        review = BidReview.objects.select_for_update().get(pk=review.pk, evaluation=evaluation)
        now = _now()
        problems = []
        checked = values.credit_checked_at
        if checked is None:
            problems.append(
                _(
                    "Give the time the credit records (信用中国, 中国政府采购网) were checked "
                    "(RULES.md E-5)."
                )
            )
        elif checked > now:
            problems.append(_("The credit check cannot be later than now."))
        elif evaluation.lot.announced_at and checked < evaluation.lot.announced_at:
            problems.append(_("The credit check must be made after the tender announcement."))
        if values.credit_listed and values.qualified:
            problems.append(
                _("A bidder on a dishonesty list fails the qualification review (RULES.md E-5).")
            )
        if values.qualified and not qualifies_for_reserved_lot(review.bid, evaluation.lot):
            problems.append(
                _(
                    "This lot is reserved for small and medium enterprises (D46 Art 8, Art 12 "
                    "(1)): the bidder's SME declaration letter (D46 Art 11) does not show every "
                    "item made or served by a small, medium or micro enterprise, so it does not "
                    "qualify."
                )
            )
        reason = values.reason.strip()
        if not values.qualified and not reason:
            if values.credit_listed:
                reason = _("On a dishonesty list at the credit check (RULES.md E-5).")
            else:
                problems.append(_("Give the reason the bidder fails the qualification review."))
        if problems:
            raise RulesBroken(problems)
        review.qualified = values.qualified
        review.qualification_reason = "" if values.qualified else reason
        review.credit_checked_at = checked
        review.credit_listed = values.credit_listed
        review.qualified_by = acting_user
        _save(review, user=acting_user, reason=gettext_noop("qualification recorded"))
        record_event(
            action="evaluation.bid_review.qualification_recorded",
            actor=acting_user,
            subject=evaluation.lot,
            data={
                "bid": str(review.bid.uuid),
                "qualified": values.qualified,
                "credit_listed": values.credit_listed,
                "credit_checked_at": checked,
            },
        )
    return review


def finish_qualification(*, evaluation: Evaluation, acting_user: User) -> Evaluation:
    """Close the qualification review: fewer than three qualified bidders, no evaluation."""
    with transaction.atomic():
        evaluation = _lock_evaluation(evaluation)
        if not acting_user.has_perm("evaluation.review_qualification", evaluation):
            raise PermissionDenied(NOT_STAFF, code="not_staff")
        _require_state(
            evaluation, EvaluationState.QUALIFICATION, _("The qualification review is closed.")
        )
        reviews = list(
            BidReview.objects.select_for_update()
            .filter(evaluation=evaluation)
            .select_related("bid")
        )
        open_ = [r for r in reviews if r.qualified is None or r.credit_checked_at is None]
        if open_:
            raise DomainError(
                _("Review every bidder first: %(n)s still to review.") % {"n": len(open_)},
                code="incomplete",
            )
        qualified = [r for r in reviews if r.qualified]
        required = min_bids(evaluation.lot)
        if len(qualified) < required:
            reason = _(
                "Only %(n)s bidder(s) passed the qualification review; an evaluation needs at "
                "least %(min)s (《政府采购货物和服务招标投标管理办法》（财政部令第87号）第四十四条)."
            ) % {"n": len(qualified), "min": required}
            return fail_evaluation(evaluation, reason, acting_user, basis=O87_44)
        now = _now()
        for review in reviews:
            if review.qualified:
                _check_price(review, evaluation.lot, user=acting_user)
            else:
                review.compliant = False
                review.invalid_ground = InvalidGround.QUALIFICATION
                _save(review, user=acting_user, reason=gettext_noop("qualification failed"))
                review.bid.mark_invalid()
                _save(review.bid, user=acting_user, reason=gettext_noop("qualification failed"))
        evaluation.finish_qualification(at=now)
        _save(evaluation, user=acting_user, reason=gettext_noop("qualification review done"))
        record_event(
            action="evaluation.evaluation.qualification_done",
            actor=acting_user,
            subject=evaluation.lot,
            data={"qualified": len(qualified), "failed": len(reviews) - len(qualified)},
        )
        _tell_members(
            seated_members(evaluation.lot),
            kind=COMPLIANCE_DUE,
            lot=evaluation.lot,
            url=_link("compliance", evaluation.lot_id),
        )
    return evaluation


def price_ceiling(lot: Lot) -> Decimal:
    """The budget, or the maximum price when it is lower (O87 Art 63 (4))."""
    return min(p for p in (lot.budget, lot.max_price) if p is not None)


def price_is_valid(price: Decimal | None, lot: Lot) -> bool:
    """evaluation.scoring's validity rule (rule 1), asked for one price."""
    if price is None:
        return False
    (ranked,) = scoring.rank(
        [scoring.Offer(key="bid", price=price)],
        method=scoring.LOWEST_PRICE,
        price_weight=Decimal("0"),
        max_price=price_ceiling(lot),
    )
    return ranked.valid


def _check_price(review: BidReview, lot: Lot, *, user: User | None) -> None:
    """A price above the budget or the maximum price is invalid, found by the platform."""
    if price_is_valid(review.bid.price, lot):
        return
    review.compliant = False
    review.invalid_ground = InvalidGround.ABOVE_PRICE
    with translation.override(settings.LANGUAGE_CODE):
        review.compliance_reason = _(
            "The price of %(price)s yuan is above the ceiling of %(ceiling)s yuan (the budget or "
            "the maximum price): found by the platform (O87 Art 63 (4))."
        ) % {"price": f"{review.bid.price:,.2f}", "ceiling": f"{price_ceiling(lot):,.2f}"}
    _save(review, user=user, reason=gettext_noop("price above the ceiling"))


# --------------------------------------------------------------------------------------------
# 4. Compliance review (the committee, through its leader) and abnormally low prices


def record_compliance(
    *, review: BidReview, compliant: bool, ground: str = "", reason: str = "", acting_user: User
) -> BidReview:
    """The leader records the committee's finding on one qualified bid."""
    reason = reason.strip()
    with transaction.atomic():
        evaluation = _lock_evaluation(review.evaluation)
        _require_state(
            evaluation, EvaluationState.COMPLIANCE, _("The compliance review is not open.")
        )
        seat = _leader_seat(evaluation, acting_user)
        review = (
            BidReview.objects.select_for_update(of=("self",))
            .select_related("bid")
            .get(pk=review.pk, evaluation=evaluation)
        )
        if not review.qualified:
            raise InvalidTransition(
                _("This bidder failed the qualification review."), code="not_qualified"
            )
        if review.invalid_ground in PLATFORM_GROUNDS:
            raise InvalidTransition(
                _("This bid's invalidity is already decided: %(ground)s.")
                % {"ground": review.get_invalid_ground_display()},
                code="decided",
            )
        if _open_inquiry(review.bid) is not None:
            raise InvalidTransition(
                _("Decide the price explanation of this bid first."), code="inquiry_open"
            )
        problems = []
        if not compliant:
            if ground not in InvalidGround.values or ground in (
                InvalidGround.QUALIFICATION,
                InvalidGround.LOW_PRICE,
            ):
                problems.append(_("Choose the ground on which the bid is invalid (O87 Art 63)."))
            if not reason:
                problems.append(_("Give the committee's reasons."))
        if problems:
            raise RulesBroken(problems)
        review.compliant = compliant
        review.invalid_ground = "" if compliant else ground
        review.compliance_reason = reason
        _save(review, user=acting_user, reason=gettext_noop("compliance recorded"))
        record_event(
            action="evaluation.bid_review.compliance_recorded",
            actor=acting_user,
            subject=evaluation.lot,
            data={
                "bid": str(review.bid.uuid),
                "compliant": compliant,
                "ground": review.invalid_ground,
                "leader": seat.pk,
            },
        )
    return review


@dataclass(frozen=True)
class LowPrice:
    """A price flagged as abnormally low: its share of the mean of the other compliant prices."""

    bid_id: int
    price: Decimal
    others_mean: Decimal
    share: Decimal


def low_price_flags(
    evaluation: Evaluation, *, threshold: Decimal = LOW_PRICE_SHARE
) -> dict[int, LowPrice]:
    """The bids priced below `threshold` × the mean of the other bids still in the compliance
    review (qualified and not found invalid), by bid id: leads for O87 Art 60."""
    prices = {
        r.bid_id: r.bid.price
        for r in BidReview.objects.filter(evaluation=evaluation, qualified=True)
        .exclude(compliant=False)
        .select_related("bid")
        if r.bid.price is not None
    }
    flags: dict[int, LowPrice] = {}
    for bid_id, price in prices.items():
        others = [p for other, p in prices.items() if other != bid_id]
        if not others:
            continue
        mean = sum(others, Decimal("0")) / len(others)
        if mean > 0 and price < threshold * mean:
            flags[bid_id] = LowPrice(bid_id, price, scoring.points(mean), price / mean)
    return flags


def _open_inquiry(bid: Bid) -> PriceInquiry | None:
    return PriceInquiry.objects.filter(bid=bid, decided_at__isnull=True).first()


def ask_price_explanation(
    *, review: BidReview, question: str, due: dt.datetime, acting_user: User
) -> PriceInquiry:
    """The committee asks a bidder to explain and prove its price by `due` (O87 Art 60)."""
    question = question.strip()
    with transaction.atomic():
        evaluation = _lock_evaluation(review.evaluation)
        _require_state(
            evaluation, EvaluationState.COMPLIANCE, _("The compliance review is not open.")
        )
        _leader_seat(evaluation, acting_user)
        review = BidReview.objects.select_related("bid", "bid__supplier").get(
            pk=review.pk, evaluation=evaluation
        )
        problems = []
        if not review.qualified or review.compliant is False:
            problems.append(_("Only a bid still in the compliance review can be asked."))
        if _open_inquiry(review.bid) is not None:
            problems.append(_("This bidder has already been asked and not yet answered."))
        if not question:
            problems.append(_("Say what the bidder is to explain and prove."))
        now = _now()
        if timezone.is_naive(due) or due <= now:
            problems.append(_("The answer is due at a time after now."))
        if problems:
            raise RulesBroken(problems)
        inquiry = PriceInquiry(
            evaluation=evaluation,
            bid=review.bid,
            question=question,
            asked_at=now,
            asked_by=acting_user,
            due=due,
        )
        _save(inquiry, user=acting_user, reason=gettext_noop("asked"))
        start_clock(
            subject=inquiry,
            kind=PRICE_EXPLANATION_CLOCK,
            due=due,
            responsible=review.bid.supplier,
            started=now,
        )
        record_event(
            action="evaluation.price_inquiry.asked",
            actor=acting_user,
            subject=evaluation.lot,
            data={"inquiry": inquiry.pk, "bid": str(review.bid.uuid), "due": due},
        )
        notify_organisation(
            organisation=review.bid.supplier,
            kind=PRICE_EXPLANATION_ASKED,
            context={
                "lot": evaluation.lot,
                "due": format_deadline(due),
                "url": _link("explain", inquiry.pk),
            },
            subject=inquiry,
            channels=("inbox", "email", "sms"),
        )
    return inquiry


def answer_price_explanation(
    *,
    inquiry: PriceInquiry,
    answer: str,
    files: list[UploadedFile],
    acting_user: User,
) -> PriceInquiry:
    """The bidder explains its price and attaches its proof, before the due time."""
    from django.core.exceptions import ValidationError

    from accounts.selectors import is_member
    from documents.services import store_file

    answer = answer.strip()
    with transaction.atomic():
        inquiry = (
            PriceInquiry.objects.select_for_update(of=("self",))
            .select_related("bid", "evaluation", "evaluation__lot")
            .get(pk=inquiry.pk)
        )
        if not is_member(acting_user, inquiry.bid.supplier_id):
            raise PermissionDenied(NOT_BIDDER, code="not_bidder")
        if inquiry.answered_at is not None or inquiry.decided_at is not None:
            raise InvalidTransition(_("This request has already been answered."), code="done")
        now = _now()
        if now >= inquiry.due:
            raise DeadlinePassed(_("The time to answer has passed."), code="late")
        if not answer:
            raise DomainError(_("Write your explanation."), code="answer")
        stored = []
        for upload in files:
            try:
                stored.append(
                    store_file(upload=upload, use=PRICE_EXPLANATION_USE, acting_user=acting_user)
                )
            except ValidationError as exc:
                raise DomainError(" ".join(exc.messages), code="file") from exc
        inquiry.answer = answer
        inquiry.answered_at = now
        _save(inquiry, user=acting_user, reason=gettext_noop("answered"))
        inquiry.answer_files.add(*stored)
        meet_clock(subject=inquiry, kind=PRICE_EXPLANATION_CLOCK, at=now)
        close_notifications(
            kinds=[PRICE_EXPLANATION_ASKED],
            subject=inquiry,
            organisation=inquiry.bid.supplier,
            at=now,
        )
        record_event(
            action="evaluation.price_inquiry.answered",
            actor=acting_user,
            organisation=inquiry.bid.supplier,
            subject=inquiry.evaluation.lot,
            data={"inquiry": inquiry.pk, "files": [f.sha256 for f in stored]},
        )
        leaders = [m for m in seated_members(inquiry.evaluation.lot) if m.is_leader]
        _tell_members(
            leaders,
            kind=PRICE_EXPLANATION_ANSWERED,
            lot=inquiry.evaluation.lot,
            url=_link("compliance", inquiry.evaluation.lot_id),
            subject_of=lambda _m: inquiry,
        )
    return inquiry


def _reject(inquiry: PriceInquiry, *, reason: str, user: User | None, now: dt.datetime) -> None:
    review = BidReview.objects.select_for_update().get(bid=inquiry.bid)
    review.compliant = False
    review.invalid_ground = InvalidGround.LOW_PRICE
    review.compliance_reason = reason
    _save(review, user=user, reason=gettext_noop("price not justified"))


def decide_price_explanation(
    *, inquiry: PriceInquiry, accepted: bool, reason: str, acting_user: User
) -> PriceInquiry:
    """The committee, through its leader, accepts the explanation or finds the bid invalid."""
    reason = reason.strip()
    with transaction.atomic():
        evaluation = _lock_evaluation(inquiry.evaluation)
        _require_state(
            evaluation, EvaluationState.COMPLIANCE, _("The compliance review is not open.")
        )
        seat = _leader_seat(evaluation, acting_user)
        inquiry = PriceInquiry.objects.select_for_update(of=("self",)).get(
            pk=inquiry.pk, evaluation=evaluation
        )
        if inquiry.decided_at is not None:
            raise InvalidTransition(_("This explanation has already been decided."), code="done")
        now = _now()
        if inquiry.answered_at is None and now < inquiry.due:
            raise InvalidTransition(
                _("Wait for the bidder's answer or the due time."), code="not_answered"
            )
        if not reason:
            raise DomainError(_("Record why the committee decides so."), code="reason")
        inquiry.decision = InquiryDecision.ACCEPTED if accepted else InquiryDecision.REJECTED
        inquiry.decision_reason = reason
        inquiry.decided_at = now
        _save(inquiry, user=acting_user, reason=gettext_noop("decided"))
        if not accepted:
            _reject(inquiry, reason=reason, user=acting_user, now=now)
        _after_decision(inquiry, actor=acting_user, leader=seat.pk)
    return inquiry


def _after_decision(inquiry: PriceInquiry, *, actor: User | None, leader: int | None) -> None:
    close_notifications(kinds=[PRICE_EXPLANATION_ANSWERED], subject=inquiry)
    record_event(
        action="evaluation.price_inquiry.decided",
        actor=actor,
        subject=inquiry.evaluation.lot,
        data={
            "inquiry": inquiry.pk,
            "decision": inquiry.decision,
            "answered": inquiry.answered_at is not None,
            "leader": leader,
        },
    )
    notify_organisation(
        organisation=inquiry.bid.supplier,
        kind=PRICE_EXPLANATION_DECIDED,
        context={
            "lot": inquiry.evaluation.lot,
            "accepted": inquiry.decision == InquiryDecision.ACCEPTED,
            "reason": inquiry.decision_reason,
            "url": _link("explain", inquiry.pk),
        },
        subject=inquiry,
    )


def price_explanation_due(clock: Clock) -> None:
    """Due action: no answer by the due time is no justification (O87 Art 60) — the bid is
    invalid. Idempotent: an answered or decided request is left alone."""
    with transaction.atomic():
        inquiry = (
            PriceInquiry.objects.select_for_update(of=("self",))
            .select_related("evaluation", "evaluation__lot", "bid", "bid__supplier")
            .filter(pk=clock.subject_id)
            .first()
        )
        if inquiry is None or inquiry.answered_at is not None or inquiry.decided_at is not None:
            return
        evaluation = inquiry.evaluation
        if evaluation.state != EvaluationState.COMPLIANCE:
            return
        now = _now()
        with translation.override(settings.LANGUAGE_CODE):
            reason = _(
                "No explanation was given by the due time: the price is not justified (O87 Art 60)."
            )
        inquiry.decision = InquiryDecision.REJECTED
        inquiry.decision_reason = reason
        inquiry.decided_at = now
        _save(inquiry, user=None, reason=gettext_noop("no answer in time"))
        _reject(inquiry, reason=reason, user=None, now=now)
        close_notifications(kinds=[PRICE_EXPLANATION_ASKED], subject=inquiry, at=now)
        _after_decision(inquiry, actor=None, leader=None)


def finish_compliance(*, evaluation: Evaluation, acting_user: User) -> Evaluation:
    """Close the compliance review: the bids are valid or invalid; fewer than three compliant
    fail the evaluation (GPL Art 36 (1)); otherwise the members score."""
    with transaction.atomic():
        evaluation = _lock_evaluation(evaluation)
        _require_state(
            evaluation, EvaluationState.COMPLIANCE, _("The compliance review is not open.")
        )
        _leader_seat(evaluation, acting_user)
        problems = []
        shortfall = committee_shortfall(evaluation.lot) or 0
        if shortfall:
            problems.append(
                _("The committee is %(n)s member(s) short: wait for the replacement.")
                % {"n": shortfall}
            )
        if undeclared_members(evaluation):
            problems.append(_("Every member must sign its declaration first."))
        reviews = list(
            BidReview.objects.select_for_update(of=("self",))
            .filter(evaluation=evaluation, qualified=True)
            .select_related("bid")
        )
        if any(r.compliant is None for r in reviews):
            problems.append(_("Record the committee's finding on every bid first."))
        if PriceInquiry.objects.filter(evaluation=evaluation, decided_at__isnull=True).exists():
            problems.append(_("Decide every price explanation first."))
        if problems:
            raise RulesBroken(problems)
        compliant = [r for r in reviews if r.compliant]
        required = min_bids(evaluation.lot)
        if len(compliant) < required:
            reason = _(
                "Only %(n)s bid(s) met the substantive requirements of the tender documents; "
                "at least %(min)s are needed (《中华人民共和国政府采购法》第三十六条第一款第（一）项)."
            ) % {"n": len(compliant), "min": required}
            return fail_evaluation(evaluation, reason, acting_user, basis=GPL_36)
        for review in reviews:
            bid = review.bid
            if review.compliant:
                bid.mark_valid()
            else:
                bid.mark_invalid()
            _save(bid, user=acting_user, reason=gettext_noop("compliance review done"))
        now = _now()
        evaluation.finish_compliance(at=now)
        _save(evaluation, user=acting_user, reason=gettext_noop("compliance review done"))
        record_event(
            action="evaluation.evaluation.compliance_done",
            actor=acting_user,
            subject=evaluation.lot,
            data={"compliant": len(compliant), "invalid": len(reviews) - len(compliant)},
        )
        members = seated_members(evaluation.lot)
        sheets = {
            m.pk: ScoreSheet.objects.get_or_create(evaluation=evaluation, member=m)[0]
            for m in members
        }
        _tell_members(
            members,
            kind=SCORING_DUE,
            lot=evaluation.lot,
            url=_link("sheet", evaluation.lot_id),
            subject_of=lambda m: sheets[m.pk],
        )
    return evaluation


# --------------------------------------------------------------------------------------------
# 5. Score sheets


def _sheet_for(evaluation: Evaluation, seat: Member, *, lock: bool) -> ScoreSheet:
    sheet, _created = ScoreSheet.objects.get_or_create(evaluation=evaluation, member=seat)
    if lock:
        sheet = ScoreSheet.objects.select_for_update().get(pk=sheet.pk)
    return sheet


def _scoring_context(evaluation: Evaluation, user: User) -> tuple[Evaluation, Member, ScoreSheet]:
    evaluation = _lock_evaluation(evaluation)
    _require_state(evaluation, EvaluationState.SCORING, _("Scoring is not open."))
    seat = _declared_seat(evaluation, user)
    sheet = _sheet_for(evaluation, seat, lock=True)
    if sheet.submitted_at is not None:
        raise InvalidTransition(_("Your sheet is submitted and can no longer change."), code="done")
    return evaluation, seat, sheet


def parse_points(text: str) -> Decimal | None:
    """A score typed on a sheet: None when blank; DomainError when not a number."""
    text = (text or "").strip()
    if not text:
        return None
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise DomainError(
            _("“%(text)s” is not a number.") % {"text": text}, code="number"
        ) from None
    if not value.is_finite():
        raise DomainError(_("“%(text)s” is not a number.") % {"text": text}, code="number")
    return value


def save_scores(
    *, evaluation: Evaluation, scores: dict[tuple[int, int], Decimal], acting_user: User
) -> ScoreSheet:
    """Save scores on the member's own sheet, keyed by (bid id, criterion id); a score outside
    0 … the criterion's points is refused, every one named at once."""
    from ..selectors import compliant_bids

    with transaction.atomic():
        evaluation, _seat, sheet = _scoring_context(evaluation, acting_user)
        bids = {b.pk: b for b in compliant_bids(evaluation).select_related("supplier")}
        criteria = {c.pk: c for c in EvaluationCriterion.objects.filter(lot=evaluation.lot)}
        problems = []
        for (bid_id, criterion_id), value in scores.items():
            bid, criterion = bids.get(bid_id), criteria.get(criterion_id)
            if bid is None or criterion is None:
                problems.append(_("A score is for a bid or criterion not scored on this lot."))
                continue
            if not Decimal("0") <= value <= criterion.points:
                problems.append(
                    _("%(bidder)s, “%(criterion)s”: %(value)s is outside the range 0 to %(max)s.")
                    % {
                        "bidder": bid.supplier.name,
                        "criterion": criterion.name,
                        "value": value,
                        "max": criterion.points,
                    }
                )
            elif value != value.quantize(Decimal("0.01")):
                problems.append(
                    _("%(bidder)s, “%(criterion)s”: give at most two decimals.")
                    % {"bidder": bid.supplier.name, "criterion": criterion.name}
                )
        if problems:
            raise RulesBroken(problems, code="score_range")
        for (bid_id, criterion_id), value in scores.items():
            Score.objects.update_or_create(
                sheet=sheet, bid_id=bid_id, criterion_id=criterion_id, defaults={"points": value}
            )
    return sheet


def submit_sheet(*, evaluation: Evaluation, acting_user: User) -> ScoreSheet:
    """The member submits its sheet, complete; on a lowest-price lot (no criteria) this is its
    confirmation that the compliant bids are ranked by price."""
    from ..selectors import compliant_bids

    with transaction.atomic():
        evaluation, seat, sheet = _scoring_context(evaluation, acting_user)
        bid_ids = list(compliant_bids(evaluation).values_list("pk", flat=True))
        criterion_ids = list(
            EvaluationCriterion.objects.filter(lot=evaluation.lot).values_list("pk", flat=True)
        )
        given = set(Score.objects.filter(sheet=sheet).values_list("bid_id", "criterion_id"))
        missing = [(b, c) for b in bid_ids for c in criterion_ids if (b, c) not in given]
        if missing:
            raise DomainError(
                _("Score every criterion of every bid first: %(n)s score(s) missing.")
                % {"n": len(missing)},
                code="incomplete",
            )
        now = _now()
        sheet.submitted_at = now
        sheet.save()
        close_notifications(kinds=[SCORING_DUE], subject=sheet, at=now)
        record_event(
            action="evaluation.score_sheet.submitted",
            actor=acting_user,
            subject=evaluation.lot,
            data={"member": seat.pk, "scores": len(given)},
        )
    return sheet
