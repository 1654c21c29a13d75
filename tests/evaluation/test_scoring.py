"""The scoring rules on worked examples and as properties (issue 11 §4, §9; RULES.md §6.3–§6.4)."""

from __future__ import annotations

from decimal import Decimal as D

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from evaluation.scoring import (
    COMPREHENSIVE,
    LOWEST_PRICE,
    Offer,
    Ranked,
    break_ties,
    points,
    rank,
    tied_groups,
)


def by_key(ranked: list[Ranked]) -> dict[str, Ranked]:
    return {r.key: r for r in ranked}


COMPREHENSIVE_RATES = {
    "method": COMPREHENSIVE,
    "price_weight": D("30"),
    "small_micro_deduction": D("0.10"),
    "consortium_deduction": D("0.05"),
    "domestic_preference": D("0.20"),
}


def test_a_small_firm_overtakes_a_cheaper_medium_one():
    # Medium 1,000,000 with 60 quality points; small 1,050,000 with 59.
    # Small evaluated at 945,000 (10 % off): the benchmark, 30 points, total 89.00.
    # Medium: 945,000 / 1,000,000 × 30 = 28.35, total 88.35.
    result = by_key(
        rank(
            [
                Offer("medium", D("1000000"), quality_points=D("60")),
                Offer("small", D("1050000"), small_micro=True, quality_points=D("59")),
            ],
            **COMPREHENSIVE_RATES,
        )
    )
    assert result["small"].evaluated_price == D("945000")
    assert result["small"].price_points == D("30.00") and result["small"].total == D("89.00")
    assert result["medium"].evaluated_price == D("1000000")
    assert result["medium"].price_points == D("28.35") and result["medium"].total == D("88.35")
    assert (result["small"].rank, result["medium"].rank) == (1, 2)


def test_the_same_lot_reserved_gives_no_sme_deduction():
    result = by_key(
        rank(
            [
                Offer("medium", D("1000000"), quality_points=D("60")),
                Offer("small", D("1050000"), small_micro=True, quality_points=D("59")),
            ],
            **COMPREHENSIVE_RATES,
            reserved=True,
        )
    )
    assert result["small"].evaluated_price == D("1050000")
    # 1,000,000 / 1,050,000 × 30 = 28.571… → 28.57
    assert result["small"].price_points == D("28.57") and result["small"].total == D("87.57")
    assert result["medium"].total == D("90.00")
    assert (result["medium"].rank, result["small"].rank) == (1, 2)


@pytest.mark.parametrize(("share", "evaluated"), [("0.30", "950000"), ("0.29", "1000000")])
def test_a_consortium_is_deducted_from_thirty_percent_not_below(share, evaluated):
    [result] = rank(
        [Offer("consortium", D("1000000"), small_micro_share=D(share), quality_points=D("50"))],
        **COMPREHENSIVE_RATES,
    )
    assert result.evaluated_price == D(evaluated)


def test_a_small_firm_in_a_consortium_takes_the_small_micro_deduction_only():
    [result] = rank(
        [Offer("x", D("100"), small_micro=True, small_micro_share=D("1"))],
        **COMPREHENSIVE_RATES,
    )
    assert result.evaluated_price == D("90") and result.deduction == D("0.10")


def test_a_bid_above_the_maximum_price_is_invalid_and_out_of_the_benchmark():
    result = by_key(
        rank(
            [
                Offer("too_high", D("1200001"), quality_points=D("70")),
                Offer("a", D("1000000"), quality_points=D("60")),
                Offer("b", D("1100000"), quality_points=D("60")),
                Offer("at_max", D("1200000"), quality_points=D("60")),
            ],
            **COMPREHENSIVE_RATES,
            max_price=D("1200000"),
        )
    )
    assert result["too_high"] == Ranked("too_high", False, None, None, None, None)
    assert result["a"].price_points == D("30.00")  # the benchmark is the lowest valid price
    assert result["at_max"].valid and result["at_max"].price_points == D("25.00")
    assert [result[k].rank for k in ("a", "b", "at_max")] == [1, 2, 3]


def test_the_domestic_preference_stacks_on_the_quoted_price():
    result = by_key(
        rank(
            [
                Offer("both", D("1000"), small_micro=True, domestic_share=D("0.80")),
                Offer("domestic_mostly", D("1000"), domestic_share=D("0.79")),
            ],
            **COMPREHENSIVE_RATES,
        )
    )
    assert result["both"].evaluated_price == D("700")  # 1000 × (1 − 0.10 − 0.20)
    assert result["domestic_mostly"].evaluated_price == D("1000")


SEED = "2026-03-24T10:00:00+08:00/lot-7"


def test_equal_scores_are_broken_by_price_and_a_full_tie_shares_a_rank_then_is_drawn():
    offers = [
        # a and b: 30.00 + 60 = 90.00 at the same price; c: 27.00 + 63 = 90.00 at a higher price.
        Offer("a", D("900"), quality_points=D("60")),
        Offer("b", D("900"), quality_points=D("60")),
        Offer("c", D("1000"), quality_points=D("63")),
        Offer("d", D("1000"), quality_points=D("50")),
    ]
    ranked = rank(offers, **COMPREHENSIVE_RATES)
    result = by_key(ranked)
    assert [result[k].total for k in "abcd"] == [D("90.00"), D("90.00"), D("90.00"), D("77.00")]
    assert [result[k].rank for k in "abcd"] == [1, 1, 3, 4]
    assert tied_groups(ranked) == [["a", "b"]]
    drawn = break_ties(ranked, seed=SEED)
    assert sorted(r.rank for r in drawn if r.key in "ab") == [1, 2]
    assert by_key(drawn)["c"].rank == 3 and by_key(drawn)["d"].rank == 4
    # The draw replays from its record, whatever order the offers came in.
    again = break_ties(rank(list(reversed(offers)), **COMPREHENSIVE_RATES), seed=SEED)
    assert [(r.key, r.rank) for r in again] == [(r.key, r.rank) for r in drawn]


def test_the_lowest_price_method_ranks_by_evaluated_price_and_gives_no_points():
    result = by_key(
        rank(
            [
                Offer("medium", D("1000000")),
                Offer("small", D("1100000"), small_micro=True),
                Offer("same", D("990000"), small_micro=True),
            ],
            method=LOWEST_PRICE,
            price_weight=D("0"),
            small_micro_deduction=D("0.10"),
        )
    )
    assert result["same"].evaluated_price == D("891000") and result["same"].rank == 1
    assert result["small"].evaluated_price == D("990000") and result["small"].rank == 2
    assert result["medium"].rank == 3
    assert result["medium"].price_points is None and result["medium"].total is None


def test_equal_lowest_prices_share_a_rank():
    result = by_key(
        rank(
            [Offer("a", D("500")), Offer("b", D("500")), Offer("c", D("600"))],
            method=LOWEST_PRICE,
            price_weight=D("0"),
        )
    )
    assert [result[k].rank for k in "abc"] == [1, 1, 3]


def test_rates_outside_zero_and_one_and_unknown_methods_are_refused():
    with pytest.raises(ValueError):
        rank(
            [Offer("a", D("1"))],
            method=COMPREHENSIVE,
            price_weight=D("30"),
            small_micro_deduction=D("10"),
        )
    with pytest.raises(ValueError):
        rank([Offer("a", D("1"))], method="cheapest", price_weight=D("30"))
    with pytest.raises(ValueError):
        rank([Offer("a", D("1")), Offer("a", D("2"))], method=LOWEST_PRICE, price_weight=D("0"))


# --------------------------------------------------------------------------------------------
# Properties

money = st.decimals(min_value=D("0.01"), max_value=D("100000000"), places=2)
share = st.decimals(min_value=D("0"), max_value=D("1"), places=2)
quality = st.decimals(min_value=D("0"), max_value=D("70"), places=2)
offer_fields = st.tuples(money, st.booleans(), share, share, quality)


def offers_from(rows) -> list[Offer]:
    return [
        Offer(
            f"o{i}", price, small_micro=sm, small_micro_share=s, domestic_share=d, quality_points=q
        )
        for i, (price, sm, s, d, q) in enumerate(rows)
    ]


RATES = st.fixed_dictionaries(
    {
        "small_micro_deduction": st.sampled_from([D("0.10"), D("0.15"), D("0.20")]),
        "consortium_deduction": st.sampled_from([D("0.04"), D("0.06")]),
        "domestic_preference": st.sampled_from([D("0"), D("0.20")]),
        "reserved": st.booleans(),
    }
)


@settings(max_examples=100, deadline=None)
@given(rows=st.lists(offer_fields, min_size=1, max_size=8), rates=RATES)
def test_price_points_stay_within_the_price_weight_and_the_benchmark_gets_full_marks(rows, rates):
    ranked = rank(offers_from(rows), method=COMPREHENSIVE, price_weight=D("30"), **rates)
    valid = [r for r in ranked if r.valid]
    assert valid and all(D("0") <= r.price_points <= D("30") for r in valid)
    best_price = min(r.evaluated_price for r in valid)
    assert all(r.price_points == D("30.00") for r in valid if r.evaluated_price == best_price)
    quality = {o.key: points(o.quality_points) for o in offers_from(rows)}
    assert all(r.total == r.price_points + quality[r.key] for r in valid)
    assert min(r.rank for r in valid) == 1


@settings(max_examples=100, deadline=None)
@given(
    rows=st.lists(offer_fields, min_size=1, max_size=8),
    rates=RATES,
    method=st.sampled_from([COMPREHENSIVE, LOWEST_PRICE]),
    seed=st.randoms(use_true_random=False),
)
def test_the_ranking_does_not_depend_on_the_order_of_the_offers(rows, rates, method, seed):
    offers = offers_from(rows)
    shuffled = list(offers)
    seed.shuffle(shuffled)
    first = rank(offers, method=method, price_weight=D("30"), **rates)
    second = rank(shuffled, method=method, price_weight=D("30"), **rates)
    assert by_key(first) == by_key(second)
    assert break_ties(first, seed="s") == break_ties(second, seed="s")


@settings(max_examples=100, deadline=None)
@given(rows=st.lists(offer_fields, min_size=1, max_size=8), rates=RATES)
def test_a_higher_total_never_ranks_below_a_lower_one(rows, rates):
    ranked = [
        r
        for r in rank(offers_from(rows), method=COMPREHENSIVE, price_weight=D("30"), **rates)
        if r.valid
    ]
    for a in ranked:
        for b in ranked:
            if a.total > b.total:
                assert a.rank < b.rank
            if a.total == b.total and a.evaluated_price == b.evaluated_price:
                assert a.rank == b.rank
