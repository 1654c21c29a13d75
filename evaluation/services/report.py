"""The evaluation report: computed from the sheets, submitted by the leader, signed by each member.

Nothing in the report is typed (issue 11 §5): the scores are the members' submitted sheets, the
reasons are the reviews' and the price inquiries' decisions, and the ranking is
`evaluation.scoring.rank` over the valid bids with the lot's own parameters:

1. Method and price weight: the lot's (O87 Arts 54–55).
2. Small and micro price deduction: the lot's rate, for a bidder whose SME declaration lines are
   all small or micro enterprises (D46 Arts 4 and 9) and that declared no consortium or
   subcontract (a declared one has a large or medium lead, bidding.declaration); none on a lot
   reserved for SMEs.
3. Consortium or subcontract deduction (D46 Art 9 ¶2): the bureau's rate in force (works have
   their own), for a bid whose sealed declaration gives small or micro firms 30 % or more of
   the contract; none on a lot reserved for SMEs (D46 Art 9: "未预留份额").
4. Domestic-product preference: the legal parameter in force on the day (国办发〔2025〕34号, from
   2026-01-01), for goods and services lots (the notice covers goods, and goods bought within
   services), to a bid whose sealed declaration puts domestic products at 80 % or more of the
   product cost. The shares are read from the bid as decrypted at the opening.
5. Maximum price: the lot's maximum price, or its budget (O87 Art 63: above it, invalid).
6. A tie left after O87 Arts 56–57 is broken by a recorded random draw (`break_ties`, O87 Art 68).

Fewer valid bids than the method needs (GPL Art 36: three for a tender) fail the lot instead,
with its failure notice. Submitting starts the one-day result clock (RULES.md §17) and the legal
five working days beside it (O87 Art 68), after which rank 1 is deemed chosen (award.py).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import secrets
from collections.abc import Callable
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop
from django_fsm import can_proceed

from accounts.selectors import is_member
from audit.services import record_event
from bidding.models import Bid, BiddingParameters
from common.errors import InvalidTransition, PermissionDenied
from experts.models import Member, MemberKind
from experts.selectors import member_of, seated_members
from notifications.services import close_notifications, notify, notify_organisation
from procurement.models import EvaluationMethod, Lot, ProcurementKind
from procurement.parameters import legal_parameter
from procurement.services.announcements import publish_failure_notice
from suppliers.sme import is_small_or_micro, items_from_data
from timers.services import start_clock
from workdays.calendar import end_of_next_working_day, period_end

from .. import scoring
from ..models import (
    BidReview,
    Evaluation,
    EvaluationState,
    InquiryDecision,
    InvalidGround,
    PriceInquiry,
    ReportSignature,
    Score,
    ScoreSheet,
)

if TYPE_CHECKING:
    from accounts.models import Organisation, User

# Clock kinds (registered in apps.py).
RESULT_CLOCK = "evaluation.result"  # the city's one working day (RULES.md §17)
DECISION_CLOCK = "evaluation.result_decision"  # O87 Art 68: five working days, rank 1 deemed
# Notification kinds (templates in evaluation/templates/notifications/<kind>/).
REPORT_SUBMITTED = "evaluation.report_submitted"
REPORT_TO_SIGN = "evaluation.report_to_sign"
LOT_FAILED = "evaluation.lot_failed"
# Stored file uses (registered in apps.py).
REPORT_PDF_USE = "evaluation.report_pdf"

HUNDRED = Decimal("100")

NOT_LEADER = gettext_lazy("Only the committee's leader submits the evaluation report.")
NOT_SCORING = gettext_lazy("The report is submitted once the scoring is under way, and only once.")
SHEETS_MISSING = gettext_lazy(
    "Every member must submit its score sheet before the report: %(names)s have not."
)
NOT_MEMBER = gettext_lazy("Only a seated member of the committee signs the report.")
NOT_REPORTED = gettext_lazy("There is no submitted report waiting for signatures.")
ALREADY_SIGNED = gettext_lazy("You have already signed this report or recorded your dissent.")
DISSENT_NEEDS_REASONS = gettext_lazy("A dissent states its reasons (O87 Art 61).")
TOO_FEW_BIDS = gettext_noop(
    "Only %(valid)s bids remain valid after the evaluation; the method needs at least "
    "%(required)s. The procurement of this lot fails."
)
TOO_FEW_BASIS = "《中华人民共和国政府采购法》第三十六条"


# --------------------------------------------------------------------------------------------
# Shared pieces


def transition(
    obj: Any,
    method: Callable[..., Any],
    *,
    acting_user: User | None,
    reason: str,
    refusal: InvalidTransition,
    **kwargs: Any,
) -> None:
    """Guard, apply and save one FSM transition with its history reason (STYLE habit 12)."""
    if not can_proceed(method):
        raise refusal
    method(**kwargs)
    obj._history_user = acting_user
    obj._change_reason = reason
    obj.save()


def money(value: Decimal | None) -> str | None:
    return None if value is None else f"{value:.2f}"


def seat_of(user: User, lot: Lot) -> Member | None:
    """The user's seat on the lot's committee, when it is seated."""
    return member_of(user, lot)


def staff_organisations(lot: Lot) -> list[Organisation]:
    project = lot.project
    return [o for o in (project.purchaser, project.agency) if o is not None]


def is_self_selected(member: Member) -> bool:
    """An expert seated without a random draw (D198 Arts 12–13): flagged in the result notice."""
    return member.kind == MemberKind.EXPERT and member.draw_id is None


def report_sha256(report: dict) -> str:
    """SHA-256 of the report's canonical JSON: what a member's signature covers."""
    text = json.dumps(report, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


def _locked(evaluation: Evaluation) -> tuple[Evaluation, Lot]:
    lot = (
        Lot.objects.select_for_update(of=("self",))
        .select_related("project", "project__purchaser", "project__agency")
        .get(pk=evaluation.lot_id)
    )
    return Evaluation.objects.select_for_update().get(pk=evaluation.pk), lot


# --------------------------------------------------------------------------------------------
# The content, computed


def ranking_parameters(lot: Lot, *, on: dt.date) -> dict[str, Any]:
    """The inputs of `scoring.rank` for this lot, as the report records them."""
    domestic = legal_parameter("domestic_product_preference", on=on)
    in_force = on >= domestic.effective_from and lot.kind != ProcurementKind.WORKS
    consortium = legal_parameter(
        "consortium_deduction_works"
        if lot.kind == ProcurementKind.WORKS
        else "consortium_deduction",
        on=on,
    )
    max_price = min(p for p in (lot.max_price, lot.budget) if p is not None)
    return {
        "method": lot.evaluation_method,
        "price_weight": lot.price_weight or Decimal("0"),
        "small_micro_deduction": (
            Decimal("0") if lot.sme_reserved else (lot.sme_deduction or Decimal("0")) / HUNDRED
        ),
        "consortium_deduction": (Decimal("0") if lot.sme_reserved else consortium.value / HUNDRED),
        "domestic_preference": domestic.value / HUNDRED if in_force else Decimal("0"),
        "reserved": lot.sme_reserved,
        "max_price": max_price,
    }


def _reasons(review: BidReview, inquiries: list[PriceInquiry]) -> list[str]:
    """Why a bid is out of the ranking, in the words of the review that put it out."""
    reasons = []
    if review.qualified is False:
        reasons.append(
            _("Failed the qualification review: %(reason)s")
            % {"reason": review.qualification_reason or "—"}
        )
    if review.compliant is False:
        ground = InvalidGround(review.invalid_ground).label if review.invalid_ground else ""
        reasons.append(
            _("Invalid bid (O87 Art 63): %(ground)s %(reason)s")
            % {"ground": ground, "reason": review.compliance_reason}
        )
    for inquiry in inquiries:
        if inquiry.decision == InquiryDecision.REJECTED:
            reasons.append(
                _("Abnormally low price not justified (O87 Art 60): %(reason)s")
                % {"reason": inquiry.decision_reason}
            )
    return reasons


def compute_report(evaluation: Evaluation, *, at: dt.datetime) -> tuple[dict, dict]:
    """The report's content and the tie-break draw record (empty when no tie was left)."""
    lot = evaluation.lot
    params = ranking_parameters(lot, on=timezone.localdate(at))
    members = list(seated_members(lot))
    criteria = list(lot.criteria.order_by("position", "pk"))
    reviews = list(
        BidReview.objects.filter(evaluation=evaluation)
        .select_related("bid", "bid__supplier")
        .order_by("bid__received_at", "bid__pk")
    )
    inquiries: dict[int, list[PriceInquiry]] = {}
    for inquiry in PriceInquiry.objects.filter(evaluation=evaluation).order_by("asked_at"):
        inquiries.setdefault(inquiry.bid_id, []).append(inquiry)
    sheets = {
        s.member_id: s
        for s in ScoreSheet.objects.filter(evaluation=evaluation, submitted_at__isnull=False)
    }
    points: dict[tuple[int, int, int], Decimal] = {
        (s.sheet.member_id, s.bid_id, s.criterion_id): s.points
        for s in Score.objects.filter(sheet__in=list(sheets.values())).select_related("sheet")
    }

    rows: dict[str, dict[str, Any]] = {}
    offers: list[scoring.Offer] = []
    for review in reviews:
        bid = review.bid
        key = str(bid.uuid)
        reasons = _reasons(review, inquiries.get(bid.pk, []))
        member_scores: dict[str, dict[str, str]] = {}
        totals: list[Decimal] = []
        for member in members:
            if member.pk not in sheets:
                continue
            given = {c.pk: points.get((member.pk, bid.pk, c.pk)) for c in criteria}
            member_scores[str(member.pk)] = {
                str(c): money(p) or "" for c, p in given.items() if p is not None
            }
            totals.append(sum((p for p in given.values() if p is not None), Decimal("0")))
        quality = scoring.points(sum(totals, Decimal("0")) / len(totals)) if totals else Decimal(0)
        # A declared consortium or subcontract has a large or medium lead: its letter names
        # only the small partners, and the bid takes the consortium deduction, not the whole
        # one (bidding.declaration, D46 Art 9 ¶2).
        small_micro = not bid.arrangement and is_small_or_micro(
            items_from_data(bid.sme_items or [])
        )
        offer = scoring.Offer(
            key,
            bid.price or Decimal("0"),
            small_micro=small_micro,
            small_micro_share=(bid.small_micro_share or Decimal("0")) / HUNDRED,
            domestic_share=(bid.domestic_share or Decimal("0")) / HUNDRED,
            quality_points=quality,
        )
        in_ranking = not reasons and bid.price is not None
        rows[key] = {
            "bid": key,
            "supplier": bid.supplier.name,
            "supplier_id": bid.supplier_id,
            "price": money(bid.price),
            "small_micro": small_micro,
            "arrangement": bid.arrangement,
            "small_micro_share": money(bid.small_micro_share),
            "domestic_share": money(bid.domestic_share),
            "preferences": [],
            "qualified": review.qualified,
            "qualification_reason": review.qualification_reason,
            "compliant": review.compliant,
            "invalid_ground": review.invalid_ground,
            "compliance_reason": review.compliance_reason,
            "inquiries": [
                {
                    "question": i.question,
                    "answer": i.answer,
                    "decision": i.decision,
                    "reason": i.decision_reason,
                }
                for i in inquiries.get(bid.pk, [])
            ],
            "scores": member_scores,
            "quality_points": money(quality),
            "reasons": reasons,
            "valid": False,
            "evaluated_price": None,
            "deduction": None,
            "price_points": None,
            "total": None,
            "rank": None,
        }
        if in_ranking:
            offers.append(offer)

    ranked = scoring.rank(offers, **params)
    by_key = {o.key: o for o in offers}
    draw: dict[str, Any] = {}
    groups = scoring.tied_groups(ranked)
    if groups:
        # O87 Art 68: a tie the documents do not settle is drawn at random; the seed is kept
        # so that anyone holding the record replays the draw.
        seed = secrets.token_hex(16)
        ranked = scoring.break_ties(ranked, seed=seed)
        draw = {
            "seed": seed,
            "groups": [[rows[k]["supplier"] for k in g] for g in groups],
            "bids": groups,
            "drawn_at": timezone.localtime(at).isoformat(),
        }
    for item in ranked:
        row = rows[item.key]
        row["valid"] = item.valid
        if not item.valid:
            row["reasons"].append(
                _("Price above the maximum price or budget of %(max)s yuan (O87 Art 63).")
                % {"max": money(params["max_price"])}
            )
            continue
        offer = by_key[item.key]
        # Which preference applied to this bid, with its rate: the report says so by name.
        taken = scoring.preferences_of(
            offer,
            small_micro_deduction=params["small_micro_deduction"],
            consortium_deduction=params["consortium_deduction"],
            domestic_preference=params["domestic_preference"],
            reserved=params["reserved"],
        )
        row.update(
            evaluated_price=money(item.evaluated_price),
            deduction=str(item.deduction),
            preferences=[{"name": name, "rate": str(rate)} for name, rate in taken.items()],
            price_points=money(item.price_points),
            total=money(item.total),
            rank=item.rank,
        )
    ordered = sorted(
        rows.values(),
        key=lambda r: (r["rank"] is None, r["rank"] or 0, r["supplier"]),
    )
    report = {
        "lot": {
            "id": lot.pk,
            "number": lot.number,
            "name": lot.name,
            "project_code": lot.project.code,
            "project_name": lot.project.name,
            "method": lot.project.method,
            "budget": money(lot.budget),
        },
        "parameters": {k: str(v) if isinstance(v, Decimal) else v for k, v in params.items()},
        "committee": [
            {
                "member": m.pk,
                "name": m.user.full_name or m.user.get_username(),
                "kind": m.kind,
                "leader": m.is_leader,
                "self_selected": is_self_selected(m),
                "sheet": m.pk in sheets,
            }
            for m in members
        ],
        "criteria": [{"id": c.pk, "name": c.name, "points": money(c.points)} for c in criteria],
        "bids": ordered,
        "ranking": [r["bid"] for r in ordered if r["rank"] is not None],
        "draw": draw,
        "reported_at": timezone.localtime(at).isoformat(),
    }
    return report, draw


def valid_count(report: dict) -> int:
    return sum(1 for row in report.get("bids", []) if row.get("rank") is not None)


# --------------------------------------------------------------------------------------------
# Submitting


def missing_sheets(evaluation: Evaluation) -> list[Member]:
    """The seated members whose sheet is not submitted (none owed on a lowest-price lot)."""
    if evaluation.lot.evaluation_method != EvaluationMethod.COMPREHENSIVE:
        return []
    done = set(
        ScoreSheet.objects.filter(evaluation=evaluation, submitted_at__isnull=False).values_list(
            "member_id", flat=True
        )
    )
    return [m for m in seated_members(evaluation.lot) if m.pk not in done]


def can_submit_report(user: User, evaluation: Evaluation) -> bool:
    seat = seat_of(user, evaluation.lot)
    return bool(seat and seat.is_leader and evaluation.state == EvaluationState.SCORING)


def submit_report(*, evaluation: Evaluation, acting_user: User) -> Evaluation:
    """The leader submits the report once every sheet is in; too few valid bids fail the lot."""
    now = timezone.now()
    with transaction.atomic():
        evaluation, lot = _locked(evaluation)
        seat = seat_of(acting_user, lot)
        if seat is None or not seat.is_leader:
            raise PermissionDenied(NOT_LEADER, code="not_leader")
        if evaluation.state != EvaluationState.SCORING:
            raise InvalidTransition(NOT_SCORING, code="state")
        missing = missing_sheets(evaluation)
        if missing:
            raise InvalidTransition(
                SHEETS_MISSING % {"names": "、".join(str(m.user) for m in missing)},
                code="sheets_missing",
            )
        report, draw = compute_report(evaluation, at=now)
        required = BiddingParameters.current().min_bids(lot.project.method)
        if valid_count(report) < required:
            return _fail(evaluation, lot, report, required=required, at=now, by=acting_user)
        evaluation.report = report
        evaluation.tie_draw = draw
        transition(
            evaluation,
            evaluation.submit_report,
            acting_user=acting_user,
            reason=gettext_noop("report submitted"),
            refusal=InvalidTransition(NOT_SCORING, code="state"),
            at=now,
        )
        record_event(
            action="evaluation.report.submitted",
            actor=acting_user,
            organisation=lot.project.agency or lot.project.purchaser,
            subject=evaluation,
            data={
                "lot": lot.pk,
                "sha256": report_sha256(report),
                "ranking": report["ranking"],
                "draw": draw,
            },
        )
        _start_result_clocks(evaluation, lot, at=now)
        _tell_of_report(evaluation, lot)
        from ..tasks import render_report_pdf_task

        render_report_pdf_task.delay_on_commit(evaluation.pk)
    return evaluation


def _start_result_clocks(evaluation: Evaluation, lot: Lot, *, at: dt.datetime) -> None:
    """The city's one working day (RULES.md §17) and the legal limit beside it (O87 Art 68).

    The report reaches the purchaser on the platform the moment it is submitted, so the
    agency's two working days to send it (O87 Art 68) are kept at once and the purchaser's
    five working days run from now.
    """
    purchaser = lot.project.purchaser
    start_clock(
        subject=evaluation,
        kind=RESULT_CLOCK,
        due=end_of_next_working_day(at),
        responsible=purchaser,
        started=at,
    )
    days = legal_parameter("result_decision_max").days
    start_clock(
        subject=evaluation,
        kind=DECISION_CLOCK,
        due=period_end(at, days, working=True),
        responsible=purchaser,
        started=at,
    )


def _tell_of_report(evaluation: Evaluation, lot: Lot) -> None:
    from django.urls import reverse

    url = reverse("evaluation:report", args=[evaluation.pk])
    # O87 Art 68: where an agency runs the procurement, the report goes to the purchaser.
    for organisation in staff_organisations(lot):
        notify_organisation(
            organisation=organisation,
            kind=REPORT_SUBMITTED,
            event=f"{REPORT_SUBMITTED}:{evaluation.pk}",
            context={
                "lot": str(lot),
                "url": url,
                "to_purchaser": organisation.pk == lot.project.purchaser_id,
                "agency": lot.project.agency.name if lot.project.agency else "",
            },
            subject=evaluation,
        )
    notify(
        recipients=[m.user for m in seated_members(lot)],
        kind=REPORT_TO_SIGN,
        context={"lot": str(lot), "url": reverse("evaluation:report_sign", args=[evaluation.pk])},
        subject=evaluation,
    )


def _fail(
    evaluation: Evaluation,
    lot: Lot,
    report: dict,
    *,
    required: int,
    at: dt.datetime,
    by: User | None,
) -> Evaluation:
    """GPL Art 36: fewer valid bids than required — the evaluation and the lot fail."""
    reason = _(TOO_FEW_BIDS) % {"valid": valid_count(report), "required": required}
    evaluation.report = report
    # Evaluation.fail takes a `reason` of its own, so it is called here rather than through
    # `transition` (whose `reason` is the history's).
    if not can_proceed(evaluation.fail):
        raise InvalidTransition(NOT_SCORING, code="state")
    evaluation.fail(reason=reason)
    evaluation._history_user = by
    evaluation._change_reason = gettext_noop("too few valid bids")
    evaluation.save()
    transition(
        lot,
        lot.fail,
        acting_user=by,
        reason=gettext_noop("evaluation failed: too few valid bids"),
        refusal=InvalidTransition(NOT_SCORING, code="state"),
    )
    record_event(
        action="evaluation.evaluation.failed",
        actor=by,
        organisation=lot.project.agency or lot.project.purchaser,
        subject=evaluation,
        data={"lot": lot.pk, "valid": valid_count(report), "required": required},
    )
    announce_failure(evaluation, lot, reason=reason, basis=TOO_FEW_BASIS, at=at)
    return evaluation


def announce_failure(
    evaluation: Evaluation, lot: Lot, *, reason: str, basis: str, at: dt.datetime
) -> None:
    """The failed lot's notice (GPL Art 36) and the word to its staff and bidders, whichever
    step failed it (the qualification or compliance review, or the report)."""
    notice = publish_failure_notice(lot=lot, reason=reason, basis=basis, at=at)
    bidders = {
        b.supplier
        for b in Bid.objects.filter(lot=lot, review__evaluation=evaluation).select_related(
            "supplier"
        )
    }
    recipients = [(o, False) for o in staff_organisations(lot)] + [(o, True) for o in bidders]
    for organisation, to_bidder in recipients:
        notify_organisation(
            organisation=organisation,
            kind=LOT_FAILED,
            event=f"{LOT_FAILED}:{evaluation.pk}",
            context={
                "lot": str(lot),
                "reason": reason,
                "to_bidder": to_bidder,
                "url": notice.get_absolute_url(),
            },
            subject=evaluation,
        )


# --------------------------------------------------------------------------------------------
# Signing


def sign_report(*, evaluation: Evaluation, acting_user: User, dissent: str = "") -> ReportSignature:
    """A member signs the report it read, or records its dissent with reasons (O87 Art 61)."""
    dissent = dissent.strip()
    now = timezone.now()
    with transaction.atomic():
        evaluation, lot = _locked(evaluation)
        seat = seat_of(acting_user, lot)
        if seat is None:
            raise PermissionDenied(NOT_MEMBER, code="not_member")
        if evaluation.state not in (EvaluationState.REPORTED, EvaluationState.DECIDED):
            raise InvalidTransition(NOT_REPORTED, code="state")
        if ReportSignature.objects.filter(evaluation=evaluation, member=seat).exists():
            raise InvalidTransition(ALREADY_SIGNED, code="signed")
        signature = ReportSignature.objects.create(
            evaluation=evaluation,
            member=seat,
            signed_at=now,
            dissent=dissent,
            report_sha256=report_sha256(evaluation.report),
        )
        record_event(
            action="evaluation.report.dissented" if dissent else "evaluation.report.signed",
            actor=acting_user,
            organisation=None,
            subject=evaluation,
            data={"member": seat.pk, "sha256": signature.report_sha256, "dissent": dissent},
        )
        if not unsigned_members(evaluation):
            close_notifications(kinds=[REPORT_TO_SIGN], subject=evaluation, at=now)
    return signature


def unsigned_members(evaluation: Evaluation) -> list[Member]:
    signed = set(
        ReportSignature.objects.filter(evaluation=evaluation).values_list("member_id", flat=True)
    )
    return [m for m in seated_members(evaluation.lot) if m.pk not in signed]


def is_member_of(user: User, organisation: Organisation | None) -> bool:
    return organisation is not None and is_member(user, organisation)


# --------------------------------------------------------------------------------------------
# The report PDF (rendered after commit)


def render_report_pdf(*, evaluation_id: int) -> Evaluation | None:
    """Render the submitted report as a PDF once and keep it; idempotent."""
    from django.conf import settings
    from django.utils import translation

    from documents.pdf import render_pdf
    from documents.services import store_bytes

    from ..selectors import report_context

    evaluation = Evaluation.objects.select_related("lot", "lot__project").get(pk=evaluation_id)
    if evaluation.report_pdf_id or not evaluation.report:
        return evaluation
    with translation.override(settings.LANGUAGE_CODE):
        content = render_pdf(
            template_name="evaluation/pdf/report.html", context=report_context(evaluation)
        )
    stored = store_bytes(
        content=content, name=f"evaluation-report-{evaluation.lot_id}.pdf", use=REPORT_PDF_USE
    )
    with transaction.atomic():
        locked = Evaluation.objects.select_for_update().get(pk=evaluation_id)
        if locked.report_pdf_id:
            return locked
        locked.report_pdf = stored
        locked._change_reason = gettext_noop("report PDF rendered")
        locked.save()
    return locked
