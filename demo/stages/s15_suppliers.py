"""The four demo suppliers' enterprise sizes: one medium, two small, one micro (issue 2 §9)."""

from __future__ import annotations

from suppliers.models import SizeClass
from suppliers.services import set_size_class

from . import DemoContext

SIZES = {
    "supplier1": SizeClass.MEDIUM,
    "supplier2": SizeClass.SMALL,
    "supplier3": SizeClass.SMALL,
    "supplier4": SizeClass.MICRO,
}


def run(ctx: DemoContext) -> None:
    for key, size_class in SIZES.items():
        set_size_class(organisation=ctx.orgs[key], size_class=size_class, acting_user=None)
    ctx.say("Supplier sizes: supplier 中型, supplier2 小型, supplier3 小型, supplier4 微型")
