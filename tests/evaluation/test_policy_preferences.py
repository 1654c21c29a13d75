"""The shares a bid declares under its seal change its evaluated price (issue 11; D46 Art 9 ¶2;
国办发〔2025〕34号): a consortium or subcontract giving small or micro firms 30 % of the contract
takes the consortium deduction, 80 % domestic product cost the domestic preference; a lot
reserved for SMEs gives no consortium deduction. Everything goes through the services: the bid
is sealed, decrypted at the opening, reviewed, scored and reported."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse
from django.utils import translation

from bidding.declaration import PolicyDeclaration
from bidding.models import Arrangement
from evaluation.selectors import report_context
from evaluation.services import submit_report
from procurement.models import LegalParameter, LegalParameterUnit, ProcurementKind
from procurement.services.plans import PlanLotValues

from .award_builders import scoring_evaluation

pytestmark = pytest.mark.django_db

REPORTED_AT = dt.datetime(2026, 4, 3, 2, 0, tzinfo=dt.UTC)


def reported(scene):
    with time_machine.travel(REPORTED_AT, tick=False):
        return submit_report(evaluation=scene.evaluation, acting_user=scene.leader.user)


def row(evaluation, bid):
    return next(r for r in evaluation.report["bids"] if r["bid"] == str(bid.uuid))


def consortium(share: str) -> PolicyDeclaration:
    return PolicyDeclaration(arrangement=Arrangement.CONSORTIUM, small_micro_share=Decimal(share))


def domestic(share: str) -> PolicyDeclaration:
    return PolicyDeclaration(domestic_share=Decimal(share))


RESERVED_LOT = {
    "sme_mode": "whole",
    "sme_share": None,
    "sme_reasons": "",
    "lots": [
        PlanLotValues(
            name="教学一体机",
            kind=ProcurementKind.GOODS,
            budget=Decimal("1500000.00"),
            sme_reserved=True,
        )
    ],
}


@pytest.mark.parametrize(
    ("share", "evaluated", "preferences"),
    [
        # 100,000 less the 4 % consortium deduction (the bureau's default, 财库〔2022〕19号).
        ("30.00", "96000.00", [{"name": "consortium", "rate": "0.04"}]),
        ("29.99", "100000.00", []),
        ("29.00", "100000.00", []),
    ],
)
def test_it_deducts_for_a_consortium_from_thirty_percent_not_below(
    cast, share, evaluated, preferences
):
    scene = scoring_evaluation(cast, policies={"medium": consortium(share)})
    medium = scene.bids["medium"]
    # Read at the decryption from the sealed manifest.
    assert (medium.arrangement, medium.small_micro_share) == ("consortium", Decimal(share))
    evaluation = reported(scene)
    result = row(evaluation, medium)
    assert result["evaluated_price"] == evaluated
    assert result["preferences"] == preferences
    assert result["small_micro_share"] == share and result["arrangement"] == "consortium"
    # Its letter names a small partner, yet a large or medium lead takes no small-micro deduction.
    assert result["small_micro"] is False
    assert result["price"] == "100000.00"  # the contract price stays the quoted price
    assert evaluation.report["parameters"]["consortium_deduction"] == "0.04"


def test_a_consortium_at_thirty_percent_overtakes_a_small_firm_with_the_bureaus_rate(cast):
    """The bureau sets 6 %: 100,000 → 94,000, below the small firm's 105,000 − 10 % = 94,500."""
    LegalParameter.objects.create(
        key="consortium_deduction",
        value=Decimal("6"),
        unit=LegalParameterUnit.PERCENT,
        label="联合体/分包价格扣除",
        source="《关于进一步加大政府采购支持中小企业力度的通知》（财库〔2022〕19号）",
        effective_from=dt.date(2022, 7, 1),
    )
    scene = scoring_evaluation(cast, policies={"medium": consortium("30")})
    evaluation = reported(scene)
    medium, small = row(evaluation, scene.bids["medium"]), row(evaluation, scene.bids["small"])
    assert medium["evaluated_price"] == "94000.00" and small["evaluated_price"] == "94500.00"
    assert (medium["rank"], small["rank"]) == (1, 2)
    with translation.override("en"):
        bids = report_context(evaluation)["bids"]
    labels = {b["supplier"]: b["preference_labels"] for b in bids}
    assert labels[medium["supplier"]] == ["consortium/subcontract deduction 6 %"]
    assert labels[small["supplier"]] == ["small and micro deduction 10 %"]


def test_a_subcontract_is_deducted_as_a_consortium(cast):
    policy = PolicyDeclaration(
        arrangement=Arrangement.SUBCONTRACT, small_micro_share=Decimal("45.50")
    )
    evaluation = reported(scoring_evaluation(cast, policies={"third": policy}))
    assert evaluation.report["bids"]
    third = next(r for r in evaluation.report["bids"] if r["arrangement"] == "subcontract")
    assert third["evaluated_price"] == "115200.00"  # 120,000 less 4 %


@pytest.mark.parametrize(
    ("share", "evaluated", "preferences"),
    [
        # 120,000 less the 20 % domestic preference (国办发〔2025〕34号, in force since 2026).
        ("80.00", "96000.00", [{"name": "domestic", "rate": "0.2"}]),
        ("79.00", "120000.00", []),
    ],
)
def test_it_prefers_a_bid_of_eighty_percent_domestic_product_cost_not_less(
    cast, share, evaluated, preferences
):
    scene = scoring_evaluation(cast, policies={"third": domestic(share)})
    evaluation = reported(scene)
    third = row(evaluation, scene.bids["third"])
    assert third["domestic_share"] == share
    assert third["evaluated_price"] == evaluated
    assert third["preferences"] == preferences


def test_a_small_firm_with_domestic_products_takes_both_on_the_quoted_price(cast):
    """RULES.md §6.4: each deduction on the original price: 105,000 × (1 − 0.10 − 0.20)."""
    scene = scoring_evaluation(cast, policies={"small": domestic("100")})
    evaluation = reported(scene)
    small = row(evaluation, scene.bids["small"])
    assert small["evaluated_price"] == "73500.00"
    assert [p["name"] for p in small["preferences"]] == ["small_micro", "domestic"]


def test_a_lot_reserved_for_smes_gives_no_consortium_deduction(cast):
    scene = scoring_evaluation(
        cast, policies={"medium": consortium("60"), "third": domestic("90")}, **RESERVED_LOT
    )
    evaluation = reported(scene)
    medium = row(evaluation, scene.bids["medium"])
    assert medium["evaluated_price"] == "100000.00" and medium["preferences"] == []
    assert evaluation.report["parameters"]["consortium_deduction"] == "0"
    # The domestic preference is no SME measure: a reserved lot keeps it.
    assert row(evaluation, scene.bids["third"])["evaluated_price"] == "96000.00"


def test_the_overview_and_the_report_show_the_shares_beside_the_price(client, cast):
    scene = scoring_evaluation(cast, policies={"medium": consortium("35"), "third": domestic("85")})
    client.force_login(cast.purchaser)
    page = client.get(reverse("evaluation:overview", args=[scene.lot.pk])).content.decode()
    assert "35.00" in page and "85.00" in page
    evaluation = reported(scene)
    page = client.get(reverse("evaluation:report", args=[evaluation.pk])).content.decode()
    assert 'data-testid="report-preferences"' in page
    assert "4 %" in page and "20 %" in page
