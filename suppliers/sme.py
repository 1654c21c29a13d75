"""The SME declaration letter (中小企业声明函) in the form prescribed by 财库〔2020〕46号 (D46).

The letter is kept as structured data (one entry per item of the lot) and its text is always
rendered from that data, so the text never disagrees with what the evaluation reads.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

from django.utils.translation import gettext as _

from .models import SizeClass

ITEM_FIELDS = (
    "item",
    "manufacturer",
    "size_class",
    "industry",
    "employees",
    "revenue",
    "total_assets",
)


@dataclass(frozen=True)
class SmeItem:
    """One line of the declaration (D46 annex): the item and the firm that makes or serves it."""

    item: str
    manufacturer: str
    size_class: str
    industry: str
    employees: int
    revenue: str  # 万元, as declared
    total_assets: str  # 万元, as declared

    def as_dict(self) -> dict:
        return asdict(self)


def items_from_data(data: list[dict]) -> list[SmeItem]:
    return [SmeItem(**{k: entry[k] for k in ITEM_FIELDS}) for entry in data]


def declaration_text(
    *,
    supplier_name: str,
    purchaser_name: str,
    project_name: str,
    items: list[SmeItem],
    date_text: str,
) -> str:
    """The letter's text in the D46 wording, rendered from the items."""
    sizes = dict(SizeClass.choices)
    lines = [
        _("SME declaration letter"),
        "",
        _(
            "Our company solemnly declares that, under the Measures for Government Procurement "
            "Promoting the Development of Small and Medium-sized Enterprises (Cai Ku [2020] "
            "No. 46), in %(purchaser)s's procurement %(project)s the goods are made or the "
            "services provided by small and medium-sized enterprises, as follows:"
        )
        % {"purchaser": purchaser_name, "project": project_name},
    ]
    for number, item in enumerate(items, start=1):
        lines.append(
            _(
                "%(n)s. %(item)s, made or provided by %(manufacturer)s, industry %(industry)s; "
                "employees %(employees)s, operating revenue %(revenue)s ten thousand yuan, total "
                "assets %(assets)s ten thousand yuan: a %(size)s."
            )
            % {
                "n": number,
                "item": item.item,
                "manufacturer": item.manufacturer,
                "industry": item.industry,
                "employees": item.employees,
                "revenue": item.revenue,
                "assets": item.total_assets,
                "size": sizes.get(item.size_class, item.size_class),
            }
        )
    lines += [
        "",
        _(
            "The above enterprises are not affiliated with large enterprises. Our company is "
            "responsible for the truthfulness of this declaration; if it is false, we bear the "
            "corresponding liability."
        ),
        "",
        _("Company (seal): %(name)s") % {"name": supplier_name},
        _("Date: %(date)s") % {"date": date_text},
    ]
    return "\n".join(lines)


def is_sme(items: list[SmeItem]) -> bool:
    """Every item is made or served by a medium, small or micro enterprise (D46 Art 4)."""
    return bool(items) and all(
        i.size_class in (SizeClass.MEDIUM, SizeClass.SMALL, SizeClass.MICRO) for i in items
    )
