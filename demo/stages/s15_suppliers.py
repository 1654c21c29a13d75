"""The four demo suppliers' enterprise sizes: one medium, two small, one micro (issue 2 §9), with
last year's figures, which prefill their line of the SME declaration letter when they bid."""

from __future__ import annotations

from decimal import Decimal

from django.utils import timezone

from suppliers.models import Industry, SizeClass
from suppliers.services import set_size_class, update_size_figures

from . import DemoContext

SIZES = {
    "supplier1": SizeClass.MEDIUM,
    "supplier2": SizeClass.SMALL,
    "supplier3": SizeClass.SMALL,
    "supplier4": SizeClass.MICRO,
}
# (industry, employees, operating revenue and total assets in 10,000 yuan), each consistent
# with its size under 工信部联企业〔2011〕300号.
FIGURES = {
    "supplier1": (Industry.SOFTWARE, 180, "6800.00", "5200.00"),
    "supplier2": (Industry.WHOLESALE, 18, "2600.00", "900.00"),
    "supplier3": (Industry.SOFTWARE, 35, "620.00", "300.00"),
    "supplier4": (Industry.INDUSTRY, 8, "160.00", "90.00"),
}


def run(ctx: DemoContext) -> None:
    year = timezone.localdate().year - 1
    for key, size_class in SIZES.items():
        set_size_class(organisation=ctx.orgs[key], size_class=size_class, acting_user=None)
        industry, employees, revenue, assets = FIGURES[key]
        update_size_figures(
            organisation=ctx.orgs[key],
            industry=industry,
            employees=employees,
            revenue=Decimal(revenue),
            total_assets=Decimal(assets),
            figures_year=year,
            acting_user=None,
        )
    ctx.say(
        "Supplier sizes: supplier 中型, supplier2 小型, supplier3 小型, supplier4 微型, with "
        f"{year} figures for the SME declaration letter"
    )
