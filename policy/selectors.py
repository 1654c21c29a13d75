"""The policy statistics (issue 15 §5), each figure a sum over rows that its page lists.

1. SME share of contract value: contracts in force whose supplier declared itself an SME at
   signing (contracts.Contract.supplier_is_sme) ÷ all contracts in force.
2. Small/micro share: of those, the suppliers whose profile says small or micro (their size now).
3. Financing granted: disbursed amounts of financing applications, and the firms that got them.
4. The 832 reserve per year: declared reserves, orders (ordered in the year), completed orders.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import ExtractYear

from contracts.models import Contract
from financing.models import Application

from .models import Order, Reserve

ZERO = Decimal("0")
SMALL_MICRO = ("small", "micro")


def contracts_in_force() -> QuerySet[Contract]:
    return Contract.objects.in_force()


def figure_rows(key: str, year: int = 0) -> QuerySet:
    """The rows a figure counts (the page behind each figure's link); `year` for the 832 ones."""
    if key == "contracts":
        return contracts_in_force().select_related("supplier").order_by("-signed_at")
    if key == "sme":
        return figure_rows("contracts").filter(supplier_is_sme=True)
    if key == "small_micro":
        return figure_rows("sme").filter(supplier__supplier_profile__size_class__in=SMALL_MICRO)
    if key == "financing":
        return (
            Application.objects.granted()
            .select_related("bank", "supplier")
            .order_by("-disbursed_on")
        )
    if key == "reserved":
        return Reserve.objects.filter(year=year).select_related("unit")
    if key in ("ordered", "completed"):
        orders = Order.objects.filter(ordered_on__year=year).select_related("unit")
        return orders.filter(completed=True) if key == "completed" else orders
    raise KeyError(key)


@dataclass
class Statistics:
    contracts: Decimal
    sme: Decimal
    small_micro: Decimal
    financing: Decimal
    financed_firms: int
    reserve_years: list[dict]

    @staticmethod
    def share(part: Decimal, whole: Decimal) -> Decimal | None:
        return (part * 100 / whole).quantize(Decimal("0.1")) if whole else None

    @property
    def sme_share(self) -> Decimal | None:
        return self.share(self.sme, self.contracts)

    @property
    def small_micro_share(self) -> Decimal | None:
        return self.share(self.small_micro, self.contracts)


def statistics() -> Statistics:
    """Every figure in a fixed number of queries (three aggregates and two grouped ones)."""
    money = contracts_in_force().aggregate(
        total=Sum("amount"),
        sme=Sum("amount", filter=Q(supplier_is_sme=True)),
        small_micro=Sum(
            "amount",
            filter=Q(supplier_is_sme=True, supplier__supplier_profile__size_class__in=SMALL_MICRO),
        ),
    )
    financing = Application.objects.granted().aggregate(
        amount=Sum("disbursed_amount"), firms=Count("supplier", distinct=True)
    )
    years: dict[int, dict] = {}
    for row in Reserve.objects.values("year").annotate(reserved=Sum("amount")):
        years.setdefault(row["year"], {"year": row["year"]})["reserved"] = row["reserved"]
    orders = (
        Order.objects.annotate(year=ExtractYear("ordered_on"))
        .values("year")
        .annotate(ordered=Sum("amount"), completed=Sum("amount", filter=Q(completed=True)))
    )
    for row in orders:
        entry = years.setdefault(row["year"], {"year": row["year"]})
        entry["ordered"], entry["completed"] = row["ordered"], row["completed"]
    reserve_years = [
        {
            "year": y,
            "reserved": years[y].get("reserved") or ZERO,
            "ordered": years[y].get("ordered") or ZERO,
            "completed": years[y].get("completed") or ZERO,
        }
        for y in sorted(years, reverse=True)
    ]
    return Statistics(
        contracts=money["total"] or ZERO,
        sme=money["sme"] or ZERO,
        small_micro=money["small_micro"] or ZERO,
        financing=financing["amount"] or ZERO,
        financed_firms=financing["firms"],
        reserve_years=reserve_years,
    )


def progress_by_unit(year: int) -> list[dict]:
    """The bureau's 832 table for a year: each unit's reserve, orders and completed orders."""
    units: dict[int, dict] = {}
    for reserve in Reserve.objects.filter(year=year).select_related("unit"):
        units[reserve.unit_id] = {
            "unit": reserve.unit.name,
            "reserved": reserve.amount,
            "ordered": ZERO,
            "completed": ZERO,
        }
    orders = (
        Order.objects.filter(ordered_on__year=year)
        .values("unit_id", "unit__name")
        .annotate(ordered=Sum("amount"), completed=Sum("amount", filter=Q(completed=True)))
    )
    for row in orders:
        entry = units.setdefault(row["unit_id"], {"unit": row["unit__name"], "reserved": ZERO})
        entry["ordered"], entry["completed"] = row["ordered"], row["completed"] or ZERO
    return sorted(units.values(), key=lambda e: e["unit"])
