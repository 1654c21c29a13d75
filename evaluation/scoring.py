"""Evaluated prices, price points, totals and ranks: computed, never typed (issue 11 §4).

Pure functions over Decimals — no database, no settings — so that the rules can be checked from
outside against worked examples. The rules (RULES.md §6.3–§6.4; the texts in ../shared/law/):

1. Validity. A bid whose quoted price exceeds the maximum price (or the budget, which callers
   pass as `max_price` when it is lower) is invalid and stays out of the benchmark
   (《政府采购货物和服务招标投标管理办法》（财政部令第87号）第六十三条第（四）项). A price of 0 or
   less is no price and is invalid too.
2. Policy deductions, before the benchmark, each taken on the quoted price and added up
   (RULES.md §6.4, "each computed on the original price"):
   - small and micro enterprises: `small_micro_deduction` (10 %–20 % for goods and services,
     《关于进一步加大政府采购支持中小企业力度的通知》（财库〔2022〕19号）; 3 %–5 % for works,
     财库〔2020〕46号 Art 9). Small and micro firms are treated alike; a medium or large firm
     gets none (D46 Art 9);
   - a consortium with, or a subcontract to, small or micro firms holding 30 % or more of the
     contract ("30%以上" includes 30 %, O87 Art 86): `consortium_deduction` (4 %–6 %; works
     1 %–2 %) on the consortium's or the large or medium firm's price (D46 Art 9). A bidder
     that is itself small or micro takes the small-and-micro deduction instead;
   - neither on a lot reserved for SMEs (every bidder there is one, D46 Art 9: "未预留份额");
   - domestic products (本国产品, 国办发〔2025〕34号, from 2026-01-01): `domestic_preference`
     (20 %) on the whole offer when domestic products make up at least
     `domestic_package_threshold` (80 %, RULES.md §6.4 [S]) of its product cost.
   evaluated price = quoted price × (1 − deductions). The contract price stays the quoted price.
3. Lowest evaluated price (最低评标价法, O87 Arts 54 and 56): ranked by evaluated price, lowest
   first; equal prices share a rank (并列). No points are given.
4. Comprehensive scoring (综合评分法, O87 Arts 55 and 57), low-price priority: the benchmark is
   the lowest evaluated price among the valid bids ("以调整后的价格计算评标基准价和投标报价");
   price points = benchmark / evaluated price × `price_weight` (the price's full marks, e.g. 30);
   the highest and lowest prices are never discarded. total = price points + quality points (the
   committee's mean of the other factors). Points are rounded half up to two decimals, the price
   points before the sum. Ranked by total, highest first; equal totals by evaluated price, lowest
   first; equal total and price share a rank (并列).
5. Ranks are competition ranks: 1, 1, 3. A tie that remains is broken by a recorded random draw
   (`break_ties`, O87 Art 68: "招标文件未规定的，采取随机抽取的方式确定").
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from decimal import ROUND_HALF_UP, Decimal

LOWEST_PRICE = "lowest_price"
COMPREHENSIVE = "comprehensive"
METHODS = (LOWEST_PRICE, COMPREHENSIVE)

CONSORTIUM_SHARE_MIN = Decimal("0.30")  # D46 Art 9: "30%以上" (inclusive)
DOMESTIC_PACKAGE_THRESHOLD = Decimal("0.80")  # RULES.md §6.4 [S]: the evaluation passes its own
CENT = Decimal("0.01")
ZERO = Decimal("0")
ONE = Decimal("1")


@dataclass(frozen=True)
class Offer:
    key: str
    price: Decimal  # the quoted price, yuan
    small_micro: bool = False  # the bidder is a small or micro enterprise (D46 Arts 2, 4)
    small_micro_share: Decimal = ZERO  # share of the contract for small/micro partners, 0–1
    domestic_share: Decimal = ZERO  # share of the product cost from domestic products, 0–1
    quality_points: Decimal = ZERO  # the committee's mean of the other factors


@dataclass(frozen=True)
class Ranked:
    key: str
    valid: bool
    evaluated_price: Decimal | None  # None: invalid
    price_points: Decimal | None  # None: invalid, or the lowest price method
    total: Decimal | None  # None: invalid, or the lowest price method
    rank: int | None  # None: invalid; equal ranks are ties (并列)
    deduction: Decimal = ZERO  # the policy deductions applied, as a rate


def points(value: Decimal) -> Decimal:
    """Two decimals, half up (the way a score sheet rounds)."""
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def _rate(name: str, value: Decimal) -> Decimal:
    value = Decimal(value)
    if not ZERO <= value <= ONE:
        raise ValueError(f"{name} is a rate between 0 and 1, not {value}")
    return value


SMALL_MICRO = "small_micro"
CONSORTIUM = "consortium"
DOMESTIC = "domestic"


def preferences_of(
    offer: Offer,
    *,
    small_micro_deduction: Decimal,
    consortium_deduction: Decimal,
    domestic_preference: Decimal,
    reserved: bool,
    domestic_package_threshold: Decimal = DOMESTIC_PACKAGE_THRESHOLD,
) -> dict[str, Decimal]:
    """Each policy deduction the offer takes (rule 2), by name, with its rate.

    A rate of 0 (the lot gives none) is no preference and is left out.
    """
    taken: dict[str, Decimal] = {}
    if not reserved:
        if offer.small_micro:
            taken[SMALL_MICRO] = small_micro_deduction
        elif _rate("small_micro_share", offer.small_micro_share) >= CONSORTIUM_SHARE_MIN:
            taken[CONSORTIUM] = consortium_deduction
    if _rate("domestic_share", offer.domestic_share) >= domestic_package_threshold:
        taken[DOMESTIC] = domestic_preference
    return {name: rate for name, rate in taken.items() if rate > ZERO}


def deduction_of(
    offer: Offer,
    *,
    small_micro_deduction: Decimal,
    consortium_deduction: Decimal,
    domestic_preference: Decimal,
    reserved: bool,
    domestic_package_threshold: Decimal = DOMESTIC_PACKAGE_THRESHOLD,
) -> Decimal:
    """The offer's total policy deduction, as a rate of its quoted price (rule 2)."""
    taken = preferences_of(
        offer,
        small_micro_deduction=small_micro_deduction,
        consortium_deduction=consortium_deduction,
        domestic_preference=domestic_preference,
        reserved=reserved,
        domestic_package_threshold=domestic_package_threshold,
    )
    return sum(taken.values(), ZERO)


def rank(
    offers: Iterable[Offer],
    *,
    method: str,
    price_weight: Decimal,
    small_micro_deduction: Decimal = ZERO,
    consortium_deduction: Decimal = ZERO,
    domestic_preference: Decimal = ZERO,
    reserved: bool = False,
    max_price: Decimal | None = None,
    domestic_package_threshold: Decimal = DOMESTIC_PACKAGE_THRESHOLD,
) -> list[Ranked]:
    """Every offer with its evaluated price, points and rank, best first, invalid ones last.

    Rates and shares are Decimals between 0 and 1; `price_weight` is the price's full marks.
    """
    if method not in METHODS:
        raise ValueError(f"method is one of {METHODS}, not {method!r}")
    rates = {
        "small_micro_deduction": _rate("small_micro_deduction", small_micro_deduction),
        "consortium_deduction": _rate("consortium_deduction", consortium_deduction),
        "domestic_preference": _rate("domestic_preference", domestic_preference),
    }
    offers = list(offers)
    if len({o.key for o in offers}) != len(offers):
        raise ValueError("each offer needs its own key")
    valid: list[tuple[Offer, Decimal, Decimal]] = []
    invalid: list[Ranked] = []
    for offer in offers:
        price = Decimal(offer.price)
        if price <= 0 or (max_price is not None and price > max_price):
            invalid.append(Ranked(offer.key, False, None, None, None, None))
            continue
        deduction = deduction_of(
            offer,
            reserved=reserved,
            domestic_package_threshold=domestic_package_threshold,
            **rates,
        )
        if deduction >= ONE:
            raise ValueError(f"deductions of {deduction} leave no price to evaluate")
        valid.append((offer, price * (ONE - deduction), deduction))

    ranked: list[Ranked] = []
    if method == LOWEST_PRICE:
        for offer, evaluated, deduction in valid:
            ranked.append(Ranked(offer.key, True, evaluated, None, None, None, deduction))
        order = sorted(ranked, key=lambda r: (r.evaluated_price, r.key))
        ranked = _competition_ranks(order, key=lambda r: (r.evaluated_price,))
    else:
        benchmark = min((evaluated for _o, evaluated, _d in valid), default=None)
        for offer, evaluated, deduction in valid:
            assert benchmark is not None
            price_points = points(benchmark / evaluated * Decimal(price_weight))
            total = price_points + points(Decimal(offer.quality_points))
            ranked.append(Ranked(offer.key, True, evaluated, price_points, total, None, deduction))
        order = sorted(ranked, key=lambda r: (-(r.total or ZERO), r.evaluated_price, r.key))
        ranked = _competition_ranks(order, key=lambda r: (r.total, r.evaluated_price))
    return ranked + sorted(invalid, key=lambda r: r.key)


def _competition_ranks(order: Sequence[Ranked], *, key) -> list[Ranked]:
    """1, 1, 3: an offer equal to the one before it (by `key`) shares its rank."""
    result: list[Ranked] = []
    for position, item in enumerate(order, start=1):
        if result and key(item) == key(result[-1]):
            result.append(replace(item, rank=result[-1].rank))
        else:
            result.append(replace(item, rank=position))
    return result


def tied_groups(ranked: Sequence[Ranked]) -> list[list[str]]:
    """The keys of each group of valid offers that share a rank, best rank first."""
    groups: dict[int, list[str]] = {}
    for item in ranked:
        if item.rank is not None:
            groups.setdefault(item.rank, []).append(item.key)
    return [sorted(keys) for _rank, keys in sorted(groups.items()) if len(keys) > 1]


def break_ties(ranked: Sequence[Ranked], *, seed: str) -> list[Ranked]:
    """Ranks made distinct by a random draw among each tied group (O87 Art 68).

    The draw is reproducible: the same `seed` (recorded with the result) and the same offers
    give the same order, whatever order the offers came in. Untied offers keep their rank.
    """
    result = list(ranked)
    for group in tied_groups(ranked):
        drawn = sorted(group)
        random.Random(f"{seed}:{','.join(drawn)}").shuffle(drawn)  # a recorded draw
        first = min(r.rank for r in result if r.key in group and r.rank is not None)
        positions = {key: first + i for i, key in enumerate(drawn)}
        result = [replace(r, rank=positions[r.key]) if r.key in positions else r for r in result]
    return sorted(result, key=lambda r: (r.rank is None, r.rank or 0, r.key))
