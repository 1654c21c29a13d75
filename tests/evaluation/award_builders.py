"""An evaluation in state scoring, for the report and award tests (issue 11 §5–§6).

The lot is announced, bid on, closed and opened through the services (bench.builders and the
bidding services, each at its moment under time-machine). The committee is seated with the ORM
and the Member transitions (a self-selected expert and the purchaser's representative, which a
draw does not make); every step after it — the start, the declarations, the qualification and
compliance reviews and the score sheets — goes through evaluation.services.review.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

import time_machine
from django.utils import timezone

from bidding.declaration import PolicyDeclaration
from bidding.models import Bid
from bidding.services import decrypt_bid
from evaluation.models import BidReview, Evaluation, EvaluationState, InvalidGround
from evaluation.services import (
    QualificationValues,
    finish_compliance,
    finish_qualification,
    record_compliance,
    record_qualification,
    save_scores,
    sign_declaration,
    start_evaluation,
    submit_sheet,
)
from experts.models import Committee, Draw, Member, MemberKind
from procurement.models import Lot
from tests.bidding.helpers import PASSPHRASE, announced_lot, bid, third_supplier
from tests.factories import UserFactory
from timers.services import sweep

# A Tuesday: the bids are opened at 09:30 Beijing time.
DEADLINE = dt.datetime(2026, 3, 24, 1, 30, tzinfo=dt.UTC)
EVALUATED_AT = dt.datetime(2026, 3, 25, 1, 0, tzinfo=dt.UTC)


def sme_line(size: str, maker: str) -> list[dict]:
    """A declaration of one line, the enterprise of `size` (no figures: founded this year)."""
    return [
        {
            "item": "教学一体机",
            "manufacturer": maker,
            "size_class": size,
            "industry": "industry",
            "employees": None,
            "revenue": "",
            "total_assets": "",
        }
    ]


@dataclass
class Scene:
    lot: Lot
    evaluation: Evaluation
    bids: dict[str, Bid]  # by name: "small", "medium", "third"
    leader: Member
    members: list[Member]
    rep: Member
    third_user: object = None
    extra: dict = field(default_factory=dict)

    def member_users(self):
        return [m.user for m in self.members]


# The small partner a bid names in its letter when it declares a consortium or subcontract.
PARTNER = "洛阳小微伙伴科技有限公司"


def opened_lot(
    cast,
    prices: dict[str, str],
    *,
    policies: dict[str, PolicyDeclaration] | None = None,
    **plan_fields,
) -> tuple[Lot, dict[str, Bid], object]:
    """A lot with three bids opened: a small firm (cast.supplier), a medium one
    (cast.supplier2) and another medium one (a third supplier), at the given prices.

    `policies`: a bid's sealed policy declaration by name; one that declares a consortium or
    subcontract also names its small partner in its SME letter (D46 Art 11)."""
    policies = policies or {}
    with time_machine.travel(DEADLINE - dt.timedelta(days=20), tick=False):
        lot = announced_lot(cast, deadline=DEADLINE, **plan_fields)
    third = third_supplier()
    bidders = {
        "small": (cast.supplier, sme_line("small", "郑州甲科技有限公司")),
        "medium": (cast.supplier2, sme_line("medium", "郑州乙商贸有限公司")),
        "third": (third, sme_line("medium", "郑州丙工程有限公司")),
    }
    bids: dict[str, Bid] = {}
    with time_machine.travel(DEADLINE - dt.timedelta(days=1), tick=False):
        for i, (name, (user, sme)) in enumerate(bidders.items()):
            policy = policies.get(name)
            if policy is not None and policy.arrangement:
                sme = [*sme, *sme_line("small", PARTNER)]
            bids[name] = bid(
                lot,
                user,
                prices[name],
                sme=sme,
                policy=policy,
                ip=f"10.0.0.{i + 1}",
                device=f"dev-{i}",
            )
    with time_machine.travel(DEADLINE, tick=False):
        sweep()  # closes the lot at its deadline; the opening starts
    with time_machine.travel(DEADLINE + dt.timedelta(minutes=5), tick=False):
        for name, (user, _sme) in bidders.items():
            bids[name] = decrypt_bid(bid=bids[name], passphrase=PASSPHRASE, acting_user=user)
    lot.refresh_from_db()
    for b in bids.values():
        b.refresh_from_db()
    return lot, bids, third


def seat_committee(cast, lot: Lot) -> tuple[Member, list[Member], Member]:
    """Five seats: cast.expert leads, two more drawn, one self-selected, the purchaser's rep."""
    now = timezone.now()
    committee = Committee.objects.create(
        lot=lot, size=5, expert_seats=4, evaluation_at=now, created_by=cast.purchaser
    )
    draw = Draw.objects.create(
        committee=committee, number=1, at=now, by=cast.purchaser, seats=3, seed="0" * 32
    )
    purchaser_org = lot.project.purchaser
    people = [
        (cast.expert, MemberKind.EXPERT, draw, True),
        (UserFactory(username="expert2", full_name="专家李工", is_expert=True), "expert", draw, 0),
        (UserFactory(username="expert3", full_name="专家周工", is_expert=True), "expert", draw, 0),
        # Self-selected (D198 Arts 12–13): seated without a draw.
        (UserFactory(username="expert4", full_name="专家吴工", is_expert=True), "expert", None, 0),
        (
            UserFactory(
                username="purchaser_rep", full_name="采购人代表", organisation=purchaser_org
            ),
            MemberKind.PURCHASER_REP,
            None,
            False,
        ),
    ]
    members = []
    for user, kind, from_draw, leader in people:
        member = Member(
            committee=committee, user=user, kind=kind, draw=from_draw, is_leader=bool(leader)
        )
        member.accept(at=now)
        member.save()
        members.append(member)
    return members[0], members, members[-1]


def scoring_evaluation(
    cast,
    *,
    prices: dict[str, str] | None = None,
    quality: dict[str, list[str]] | None = None,
    unqualified: dict[str, str] | None = None,
    invalid: dict[str, str] | None = None,
    submitted: bool = True,
    policies: dict[str, PolicyDeclaration] | None = None,
    **plan_fields,
) -> Scene:
    """An evaluation in state scoring with every review recorded and every sheet submitted,
    each step through its review service (evaluation.services.review), so the real rules apply.

    `quality`: each bid's points per criterion (技术方案 /50, 售后服务 /20), given alike by every
    member; `unqualified` / `invalid`: bids failed at qualification / compliance, with reasons.
    Fewer qualified or compliant bids than the method needs fail the evaluation there (lower
    BiddingParameters' minimum first to go on with two).
    """
    prices = prices or {"small": "105000.00", "medium": "100000.00", "third": "120000.00"}
    quality = quality or {"small": ["40", "15"], "medium": ["40", "15"], "third": ["35", "15"]}
    unqualified = unqualified or {}
    invalid = invalid or {}
    lot, bids, third = opened_lot(cast, prices, policies=policies, **plan_fields)
    with time_machine.travel(EVALUATED_AT, tick=False):
        leader, members, rep = seat_committee(cast, lot)
        evaluation = start_evaluation(lot=lot, acting_user=cast.purchaser)
        for member in members:
            sign_declaration(evaluation=evaluation, no_conflict=True, acting_user=member.user)
        reviews = {r.bid_id: r for r in BidReview.objects.filter(evaluation=evaluation)}
        for name, b in bids.items():
            record_qualification(
                review=reviews[b.pk],
                values=QualificationValues(
                    qualified=name not in unqualified,
                    reason=unqualified.get(name, ""),
                    credit_checked_at=timezone.now(),
                    credit_listed=False,
                ),
                acting_user=cast.purchaser,
            )
        evaluation = finish_qualification(evaluation=evaluation, acting_user=cast.purchaser)
        for name, b in bids.items():
            if evaluation.state != EvaluationState.COMPLIANCE:
                break  # too few qualified: failed (O87 Art 44)
            if name in unqualified or reviews[b.pk].invalid_ground:
                continue
            record_compliance(
                review=reviews[b.pk],
                compliant=name not in invalid,
                ground=InvalidGround.NONCOMPLIANT if name in invalid else "",
                reason=invalid.get(name, ""),
                acting_user=leader.user,
            )
        if evaluation.state == EvaluationState.COMPLIANCE:
            evaluation = finish_compliance(evaluation=evaluation, acting_user=leader.user)
        if evaluation.state == EvaluationState.SCORING:
            criteria = list(lot.criteria.order_by("position", "pk"))
            scored = [b for name, b in bids.items() if name not in unqualified | invalid]
            points = {b.pk: quality[name] for name, b in bids.items()}
            for member in members:
                save_scores(
                    evaluation=evaluation,
                    scores={
                        (b.pk, criterion.pk): Decimal(p)
                        for b in scored
                        for criterion, p in zip(criteria, points[b.pk], strict=True)
                    },
                    acting_user=member.user,
                )
                if submitted:
                    submit_sheet(evaluation=evaluation, acting_user=member.user)
        evaluation.refresh_from_db()
    lot.refresh_from_db()
    return Scene(
        lot=lot,
        evaluation=evaluation,
        bids=bids,
        leader=leader,
        members=members,
        rep=rep,
        third_user=third,
    )
