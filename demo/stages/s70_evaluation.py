"""Evaluation and award demo (issue 11 §8): one lot scoring, one lot awarded.

Every state is reached through the services, in the order the people would act, at the moment
the demo is seeded (as the experts stage draws its committees):

1. Scoring in progress — 市第五中学多媒体教学设备采购项目 (多媒体教学设备, 通用设备 A02): a new
   one-lot tender, bid on and opened as the bidding stage opens its lots. expert6 adds 通用设备 to
   its specialties (as the bureau records in the admin), so that five experts can be drawn:
   expert5 works for a bidder (华信, supplier) and is excluded with its reason, and the committee
   of five is expert1…expert4 and expert6 — expert1 sits on it. Every expert accepts.
   The purchaser (it procures by itself) starts the evaluation and passes every bidder's
   qualification with its credit check, every member declares no conflict, the leader records
   every bid compliant and opens the scoring. Every member but expert1 has submitted its sheet:
   expert1 finds "score the bids" on its home and to-do list, and the leader sees who has not
   finished.
2. Awarded — 市图书馆自助借还设备采购项目 (自助借还设备), the lot the bidding stage opened and the
   experts stage gave a complete committee: evaluated the same way (the collusion flags of the
   opening shown beside the bids, the committee finding every bid compliant), every member
   scores and submits, the leader submits the report, every member signs it, and the purchaser
   confirms the first-ranked candidate within the one-day result clock. The result
   announcement is published with its one-working-day period and the award notice PDF is
   issued to the winner, which starts the contracts app's one-day signing clock.

   THE AWARDED LOT WITHOUT A CONTRACT, for the contracts stage to draft and sign:
   the lot of `AWARDED_PROJECT` (市图书馆自助借还设备采购项目, lot 自助借还设备); its Award has
   `notice_issued_at` set and no Contract.

The committees' planned evaluation moment (the next working day, as drawn) stays as drawn: the
demo evaluates at seeding time, which no service forbids (a lot may be evaluated before the
moment its committee was called for, as when every member is ready early).

Idempotent: the scoring scenario is keyed by its intention's project name, and a lot whose
evaluation exists is skipped.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from bidding.models import Bid
from bidding.services import decrypt_bid
from evaluation.models import Award, BidReview, Evaluation
from evaluation.services import (
    QualificationValues,
    confirm_result,
    finish_compliance,
    finish_qualification,
    record_compliance,
    record_qualification,
    render_award_notice_pdf,
    render_report_pdf,
    save_scores,
    sign_declaration,
    sign_report,
    start_evaluation,
    submit_report,
    submit_sheet,
)
from experts.models import Expert, Member, MemberState
from experts.selectors import seated_members
from experts.services import CommitteeValues, accept_invitation, form_committee
from procurement.models import CatalogueCategory, Lot
from procurement.services.announcements import render_announcement_pdf

from . import DemoContext
from .s60_bidding import PASSPHRASES, _bid_and_close, _lot
from .s65_experts import OPENED_PROJECT, _next_working_day_at

SCORING_PROJECT = "市第五中学多媒体教学设备采购项目"
SCORING_LOT = "多媒体教学设备"
AWARDED_PROJECT = OPENED_PROJECT  # 市图书馆自助借还设备采购项目: awarded, no contract yet
SCORING_PRICES = {"supplier": "356000.00", "supplier2": "348500.00", "supplier3": "362000.00"}
# Each member's points on 技术方案 (/50) and 售后服务 (/20) for each bidder: members differ a
# little, as real committees do.
POINTS = {
    "supplier": [("44", "17"), ("42", "18"), ("45", "16"), ("43", "17"), ("44", "18")],
    "supplier2": [("40", "15"), ("41", "16"), ("39", "15"), ("40", "14"), ("42", "15")],
    "supplier3": [("38", "16"), ("37", "15"), ("40", "16"), ("38", "17"), ("39", "15")],
}
# The expert who has not finished its sheet on the scoring lot: the demo's expert has work.
LATE_SCORER = "expert1"
# The experts who can sit on the demo's committees (expert5 works for 华信, a bidder).
COMMITTEE_EXPERTS = ["expert1", "expert2", "expert3", "expert4", "expert6"]


def _supplier_key(ctx: DemoContext, bid: Bid) -> str:
    for key in PASSPHRASES:
        if ctx.users[key].memberships.filter(organisation_id=bid.supplier_id).exists():
            return key
    raise LookupError(bid.supplier_id)


def opened_lot(
    ctx: DemoContext,
    name: str,
    lot_name: str,
    budget: str,
    prices: dict[str, str],
    *,
    category: str = "A02",
    kind: str = "goods",
) -> Lot | None:
    """A new one-lot tender of `category`, opened (every bidder decrypts), with its committee of
    five drawn and accepted; None when it exists already. The experts who specialise in 通用设备
    sit on it (expert5 works for a bidder and is excluded); other categories are added to their
    specialties first, as the bureau records in the admin."""
    lot = _lot(ctx, name, lot_name, budget, window=30, kind=kind)
    if lot is None:
        return None
    # Announced without a category, as the bidding stage's lots; written directly as there.
    category_row = CatalogueCategory.objects.get(code=category)
    lot.category = category_row
    lot.save(update_fields=["category"])
    for expert in Expert.objects.filter(user__username__in=COMMITTEE_EXPERTS):
        if category == "A02" and expert.user.username != "expert6":
            continue  # expert1…expert5 specialise in 通用设备 from the experts stage
        expert.specialties.add(category_row)
    bids = _bid_and_close(ctx, lot, prices)
    for key, bid in zip(prices, bids, strict=True):
        decrypt_bid(bid=bid, passphrase=PASSPHRASES[key], acting_user=ctx.users[key])
    for announcement in lot.project.announcements.filter(pdf__isnull=True):
        render_announcement_pdf(announcement_id=announcement.pk)
    committee = form_committee(
        lot=lot,
        values=CommitteeValues(evaluation_at=_next_working_day_at(10), size=5),
        acting_user=ctx.users["purchaser"],
    )
    for member in committee.members.filter(state=MemberState.INVITED).select_related("user"):
        accept_invitation(member=member, acting_user=member.user)
    return Lot.objects.get(pk=lot.pk)


def _evaluate_to_scoring(ctx: DemoContext, lot: Lot) -> tuple[Evaluation, list[Member]]:
    """Start, declarations, the qualification and compliance reviews: scoring opens."""
    purchaser = ctx.users["purchaser"]
    evaluation = start_evaluation(lot=lot, acting_user=purchaser)
    members = seated_members(lot)
    for member in members:
        sign_declaration(evaluation=evaluation, no_conflict=True, acting_user=member.user)
    checked = timezone.now() - dt.timedelta(minutes=20)
    for review in BidReview.objects.filter(evaluation=evaluation).order_by("pk"):
        record_qualification(
            review=review,
            values=QualificationValues(
                qualified=True, reason="", credit_checked_at=checked, credit_listed=False
            ),
            acting_user=purchaser,
        )
    finish_qualification(evaluation=evaluation, acting_user=purchaser)
    leader = next(m for m in members if m.is_leader)
    for review in BidReview.objects.filter(evaluation=evaluation).order_by("pk"):
        record_compliance(
            review=review,
            compliant=True,
            reason="满足招标文件实质性要求。",
            acting_user=leader.user,
        )
    finish_compliance(evaluation=evaluation, acting_user=leader.user)
    evaluation.refresh_from_db()
    return evaluation, members


def _score(ctx: DemoContext, evaluation: Evaluation, members: list[Member], *, skip: str = ""):
    """Each member (but `skip`) scores every criterion of every bid and submits its sheet."""
    criteria = list(evaluation.lot.criteria.order_by("position", "pk"))
    bids = list(Bid.objects.filter(review__evaluation=evaluation).order_by("pk"))
    for n, member in enumerate(members):
        if member.user.get_username() == skip:
            continue
        scores = {}
        for bid in bids:
            row = POINTS[_supplier_key(ctx, bid)][n % 5]
            for criterion, value in zip(criteria, row, strict=True):
                scores[(bid.pk, criterion.pk)] = Decimal(value)
        save_scores(evaluation=evaluation, scores=scores, acting_user=member.user)
        submit_sheet(evaluation=evaluation, acting_user=member.user)


def evaluate_and_award(ctx: DemoContext, lot: Lot) -> Award:
    """An opened lot with its complete committee, evaluated and awarded to the first-ranked
    bidder; the award notice (which starts the contracts app's signing clock) is issued."""
    evaluation, members = _evaluate_to_scoring(ctx, lot)
    _score(ctx, evaluation, members)
    leader = next(m for m in members if m.is_leader)
    evaluation = submit_report(evaluation=evaluation, acting_user=leader.user)
    render_report_pdf(evaluation_id=evaluation.pk)
    for member in members:
        sign_report(evaluation=evaluation, acting_user=member.user)
    award = confirm_result(evaluation=evaluation, acting_user=ctx.users["purchaser"])
    render_award_notice_pdf(award_id=award.pk)
    assert award.announcement is not None  # published by confirm_result
    render_announcement_pdf(announcement_id=award.announcement.pk)
    return award


def _award(ctx: DemoContext) -> Lot | None:
    """The opened lot with its complete committee, evaluated and awarded."""
    lot = Lot.objects.filter(project__name=AWARDED_PROJECT).select_related("project").first()
    if lot is None or Evaluation.objects.filter(lot=lot).exists():
        return None
    evaluate_and_award(ctx, lot)
    return lot


def run(ctx: DemoContext) -> None:
    scoring = opened_lot(ctx, SCORING_PROJECT, SCORING_LOT, "380000.00", SCORING_PRICES)
    if scoring is not None:
        evaluation, members = _evaluate_to_scoring(ctx, scoring)
        _score(ctx, evaluation, members, skip=LATE_SCORER)
        ctx.say(
            f"evaluation: lot {scoring.pk} scoring in progress; {LATE_SCORER} has its score "
            "sheet to fill in and submit"
        )
    awarded = _award(ctx)
    if awarded is not None:
        ctx.say(
            f"evaluation: lot {awarded.pk} awarded, result announced and award notice issued "
            "(no contract yet)"
        )
