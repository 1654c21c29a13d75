"""Enterprise size by industry and figures: the classification standard for SMEs.

Source: 《中小企业划型标准规定》, 工信部联企业〔2011〕300号 (MIIT, NBS, NDRC and MOF, 18 June
2011), Art 4, items (一) to (十六); the standard the SME declaration letter refers to (财库〔2020〕
46号 Art 12, RULES.md D-26). Employees in persons, operating revenue and total assets in 10,000
yuan, last year's figures. The table is law, not a setting: a new standard replaces it in code,
with its own source.

Each industry names one or two indicators. Under Art 4, an enterprise is small or medium-sized
(中小微型企业) when ANY indicator is below the industry's ceiling ("……以下或……以下"); among
those, it is medium when EVERY indicator reaches the medium floor ("……及以上，且……及以上"),
small when every indicator reaches the small floor, and micro otherwise ("……以下或……以下").
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from .models import Industry, SizeClass

EMPLOYEES = "employees"
REVENUE = "revenue"
TOTAL_ASSETS = "total_assets"
RULE = "工信部联企业〔2011〕300号"


@dataclass(frozen=True)
class Thresholds:
    """One industry's row of Art 4: its indicators and, for each, ceiling and floors."""

    item: str  # the item of Art 4, for messages: "（十二）"
    indicators: tuple[str, ...]
    ceiling: tuple[int, ...]  # below any of these: small or medium-sized at most
    medium: tuple[int, ...]  # every indicator at or above: medium
    small: tuple[int, ...]  # every indicator at or above: small (else micro)


E, R, A = EMPLOYEES, REVENUE, TOTAL_ASSETS
# 工信部联企业〔2011〕300号 Art 4, in the order of its items.
TABLE: dict[str, Thresholds] = {
    Industry.AGRICULTURE: Thresholds("（一）", (R,), (20000,), (500,), (50,)),
    Industry.INDUSTRY: Thresholds("（二）", (E, R), (1000, 40000), (300, 2000), (20, 300)),
    Industry.CONSTRUCTION: Thresholds("（三）", (R, A), (80000, 80000), (6000, 5000), (300, 300)),
    Industry.WHOLESALE: Thresholds("（四）", (E, R), (200, 40000), (20, 5000), (5, 1000)),
    Industry.RETAIL: Thresholds("（五）", (E, R), (300, 20000), (50, 500), (10, 100)),
    Industry.TRANSPORT: Thresholds("（六）", (E, R), (1000, 30000), (300, 3000), (20, 200)),
    Industry.WAREHOUSING: Thresholds("（七）", (E, R), (200, 30000), (100, 1000), (20, 100)),
    Industry.POSTAL: Thresholds("（八）", (E, R), (1000, 30000), (300, 2000), (20, 100)),
    Industry.ACCOMMODATION: Thresholds("（九）", (E, R), (300, 10000), (100, 2000), (10, 100)),
    Industry.CATERING: Thresholds("（十）", (E, R), (300, 10000), (100, 2000), (10, 100)),
    Industry.INFORMATION: Thresholds("（十一）", (E, R), (2000, 100000), (100, 1000), (10, 100)),
    Industry.SOFTWARE: Thresholds("（十二）", (E, R), (300, 10000), (100, 1000), (10, 50)),
    Industry.REAL_ESTATE: Thresholds(
        "（十三）", (R, A), (200000, 10000), (1000, 5000), (100, 2000)
    ),
    Industry.PROPERTY: Thresholds("（十四）", (E, R), (1000, 5000), (300, 1000), (100, 500)),
    Industry.LEASING: Thresholds("（十五）", (E, A), (300, 120000), (100, 8000), (10, 100)),
    Industry.OTHER: Thresholds("（十六）", (E,), (300,), (100,), (10,)),
}
del E, R, A

# Smallest first: a declared class "smaller" than the figures claims more than they allow.
ORDER = [SizeClass.MICRO, SizeClass.SMALL, SizeClass.MEDIUM, SizeClass.LARGE]


def classify(
    *,
    industry: str,
    employees: int | None,
    revenue: Decimal | str | None,
    total_assets: Decimal | str | None,
) -> str | None:
    """The size class the figures give in the industry, or None when it cannot be told.

    None for an industry outside the table (an old free-text line) or a missing indicator (a
    firm founded this year has no last-year figures).
    """
    thresholds = TABLE.get(industry)
    if thresholds is None:
        return None
    given = {EMPLOYEES: employees, REVENUE: revenue, TOTAL_ASSETS: total_assets}
    values = []
    for name in thresholds.indicators:
        value = given[name]
        if value is None or value == "":
            return None
        values.append(Decimal(str(value)))
    pairs = list(zip(values, thresholds.ceiling, strict=True))
    if not any(value < ceiling for value, ceiling in pairs):
        return SizeClass.LARGE
    if all(v >= f for v, f in zip(values, thresholds.medium, strict=True)):
        return SizeClass.MEDIUM
    if all(v >= f for v, f in zip(values, thresholds.small, strict=True)):
        return SizeClass.SMALL
    return SizeClass.MICRO


def size_label(size_class: str) -> str:
    return str(dict(SizeClass.choices).get(size_class, size_class))


def is_smaller(declared: str, computed: str) -> bool:
    """The declared class claims a smaller enterprise than the figures give."""
    return ORDER.index(SizeClass(declared)) < ORDER.index(SizeClass(computed))


def mismatch_message(*, industry: str, declared: str, computed: str) -> str:
    """Why the declared class contradicts the figures, naming the rule and its item."""
    return _(
        "By %(rule)s Art 4 %(item)s, an enterprise in %(industry)s with these figures is a "
        "%(computed)s, not a %(declared)s."
    ) % {
        "rule": RULE,
        "item": TABLE[industry].item,
        "industry": str(dict(Industry.choices).get(industry, industry)),
        "computed": size_label(computed),
        "declared": size_label(declared),
    }


@dataclass(frozen=True)
class SizeCheck:
    """The declared class against the class the figures give."""

    declared: str
    computed: str

    @property
    def matches(self) -> bool:
        return self.declared == self.computed

    @property
    def smaller(self) -> bool:
        return is_smaller(self.declared, self.computed)

    @property
    def computed_label(self) -> str:
        return size_label(self.computed)


def check_profile(profile) -> SizeCheck | None:
    """The profile's declared class against its industry and figures (None if not told)."""
    if profile is None or not profile.size_class:
        return None
    computed = classify(
        industry=profile.industry,
        employees=profile.employees,
        revenue=profile.revenue,
        total_assets=profile.total_assets,
    )
    return SizeCheck(declared=profile.size_class, computed=computed) if computed else None
