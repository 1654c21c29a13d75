"""The SME declaration letter (中小企业声明函) in the form of 财库〔2020〕46号 (D46) Art 11, annex 1.

The letter is kept as structured data, one line per item of the lot: the item, the industry
the purchaser's documents name for it, the enterprise that makes it (goods) or carries out the
service or works, that enterprise's last-year figures (employees, operating revenue and total
assets in 10,000 yuan; a firm founded this year has none) and its size class. Its text is
always rendered from that data, so the text never disagrees with what the evaluation reads.

Lines stored by bids sealed before the letter had its own form (one line, the industry as free
text, employees 0 when left empty) read the same way.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING

from django.utils import formats, timezone
from django.utils.translation import gettext as _

from common.errors import DomainError

from .models import Industry, SizeClass
from .sizes import classify, mismatch_message

if TYPE_CHECKING:
    from accounts.models import Organisation

    from .models import SupplierProfile

ITEM_FIELDS = (
    "item",
    "manufacturer",
    "size_class",
    "industry",
    "employees",
    "revenue",
    "total_assets",
)
# The letter declares small and medium-sized enterprises only: goods made by a large one get
# no SME treatment (D46 Art 4), so a large enterprise has no line in it.
SME_SIZES = (SizeClass.MEDIUM, SizeClass.SMALL, SizeClass.MICRO)
MAX_ITEMS = 50


@dataclass(frozen=True)
class SmeItem:
    """One line of the declaration (D46 annex): the item and the firm that makes or serves it."""

    item: str
    manufacturer: str
    size_class: str
    industry: str
    employees: int | None
    revenue: str  # 万元, as declared; "" when the firm has no last-year figures
    total_assets: str  # 万元, as declared

    def as_dict(self) -> dict:
        return asdict(self)

    @property
    def size_label(self) -> str:
        return str(dict(SizeClass.choices).get(self.size_class, self.size_class))

    @property
    def industry_label(self) -> str:
        return industry_label(self.industry)

    @property
    def has_figures(self) -> bool:
        return self.employees is not None and self.revenue != "" and self.total_assets != ""


def industry_label(value: str) -> str:
    """The industry's name; an old free-text industry ("工业") as it was written."""
    return str(dict(Industry.choices).get(value, value))


def items_from_data(data: list[dict]) -> list[SmeItem]:
    items = []
    for entry in data:
        employees = entry.get("employees")
        items.append(
            SmeItem(
                item=str(entry.get("item", "")),
                manufacturer=str(entry.get("manufacturer", "")),
                size_class=str(entry.get("size_class", "")),
                industry=str(entry.get("industry", "")),
                employees=None if employees is None or employees == "" else int(employees),
                revenue=str(entry.get("revenue") or ""),
                total_assets=str(entry.get("total_assets") or ""),
            )
        )
    return items


def _amount(value, label: str, number: int) -> str:
    if value in (None, ""):
        return ""
    try:
        amount = Decimal(str(value))
    except InvalidOperation:
        amount = Decimal("NaN")
    if not amount.is_finite() or amount < 0 or amount != amount.quantize(Decimal("0.01")):
        raise DomainError(
            _("Line %(n)s of the SME declaration: enter %(what)s as 10,000 yuan, two decimals.")
            % {"n": number, "what": label},
            code="sme_items",
        )
    return f"{amount:.2f}"


def check_items(data: list[dict]) -> list[dict]:
    """The lines of a declaration checked and normalised for sealing; DomainError if wrong.

    The bid form validates the same rules field by field; this guards the service itself.
    """
    if len(data) > MAX_ITEMS:
        raise DomainError(
            _("An SME declaration has at most %(n)s lines.") % {"n": MAX_ITEMS}, code="sme_items"
        )
    lines = []
    for number, entry in enumerate(data, start=1):
        text = {k: str(entry.get(k) or "").strip() for k in ("item", "manufacturer", "industry")}
        if not all(text.values()):
            raise DomainError(
                _("Line %(n)s of the SME declaration needs its item, industry and enterprise.")
                % {"n": number},
                code="sme_items",
            )
        if entry.get("size_class") not in SME_SIZES:
            raise DomainError(
                _(
                    "Line %(n)s of the SME declaration: the enterprise must be medium, small or "
                    "micro; what a large enterprise makes cannot be declared (财库〔2020〕46号 Art 4)."
                )
                % {"n": number},
                code="sme_items",
            )
        given = entry.get("employees")
        employees: int | None = None
        if given is not None and given != "":
            try:
                employees = int(given)
            except (TypeError, ValueError):
                employees = -1
            if employees < 0:
                raise DomainError(
                    _("Line %(n)s of the SME declaration: employees is a whole number.")
                    % {"n": number},
                    code="sme_items",
                )
        revenue = _amount(entry.get("revenue"), _("the operating revenue"), number)
        assets = _amount(entry.get("total_assets"), _("the total assets"), number)
        if len({employees is None, revenue == "", assets == ""}) > 1:
            raise DomainError(
                _(
                    "Line %(n)s of the SME declaration: give all three figures of last year, or "
                    "none for an enterprise founded this year."
                )
                % {"n": number},
                code="sme_items",
            )
        # The size must be the one the figures give (工信部联企业〔2011〕300号 Art 4).
        computed = classify(
            industry=text["industry"], employees=employees, revenue=revenue, total_assets=assets
        )
        if computed and computed != entry["size_class"]:
            raise DomainError(
                _("Line %(n)s of the SME declaration: %(reason)s")
                % {
                    "n": number,
                    "reason": mismatch_message(
                        industry=text["industry"],
                        declared=str(entry["size_class"]),
                        computed=computed,
                    ),
                },
                code="sme_items",
            )
        lines.append(
            SmeItem(
                item=text["item"][:200],
                manufacturer=text["manufacturer"][:200],
                size_class=str(entry["size_class"]),
                industry=text["industry"][:100],
                employees=employees,
                revenue=revenue,
                total_assets=assets,
            ).as_dict()
        )
    return lines


def prefill(*, organisation: Organisation, profile: SupplierProfile | None, item: str) -> dict:
    """The supplier's own line of the letter, from what its profile holds (or {} if nothing)."""
    if profile is None or profile.size_class not in SME_SIZES:
        return {}
    return {
        "item": item,
        "manufacturer": organisation.name,
        "size_class": profile.size_class,
        "industry": profile.industry,
        "employees": profile.employees,
        "revenue": profile.revenue,
        "total_assets": profile.total_assets,
    }


def enterprise_label(kind: str) -> str:
    """What the letter calls the enterprise of a line: maker, service provider or builder."""
    if kind == "services":
        return _("Service provider")
    if kind == "works":
        return _("Builder")
    return _("Manufacturer")


def letter_title(kind: str) -> str:
    """The annex's title: one form for goods, one for works and services (D46 annex 1, 2)."""
    if kind in ("services", "works"):
        return _("SME declaration letter (works, services)")
    return _("SME declaration letter (goods)")


@dataclass(frozen=True)
class Declaration:
    """The letter's parts in the order and wording of the D46 annex, for a page or a PDF."""

    title: str
    intro: str
    lines: list[str]
    statements: list[str]
    signature: list[str]
    note: str

    @property
    def text(self) -> str:
        return "\n".join(
            [self.title, "", self.intro, *self.lines, "", *self.statements, "", *self.signature]
            + ["", self.note]
        )


def declaration(
    *,
    supplier_name: str,
    purchaser_name: str,
    project_name: str,
    items: list[SmeItem],
    date_text: str,
    kind: str = "goods",
) -> Declaration:
    """The letter in the D46 annex wording for goods, services or works."""
    params = {"purchaser": purchaser_name, "project": project_name}
    if kind == "services":
        intro = _(
            "Our company (consortium) solemnly declares that, under the Measures for Government "
            "Procurement Promoting the Development of Small and Medium-sized Enterprises (Cai Ku "
            "[2020] No. 46), in %(purchaser)s's procurement %(project)s all the services are "
            "provided by small and medium-sized enterprises that meet the policy. The "
            "enterprises concerned (including SMEs in a consortium and SMEs with a "
            "subcontracting agreement) are as follows:"
        )
    elif kind == "works":
        intro = _(
            "Our company (consortium) solemnly declares that, under the Measures for Government "
            "Procurement Promoting the Development of Small and Medium-sized Enterprises (Cai Ku "
            "[2020] No. 46), in %(purchaser)s's procurement %(project)s all the builders of the "
            "works are small and medium-sized enterprises that meet the policy. The enterprises "
            "concerned (including SMEs in a consortium and SMEs with a subcontracting agreement) "
            "are as follows:"
        )
    else:
        intro = _(
            "Our company (consortium) solemnly declares that, under the Measures for Government "
            "Procurement Promoting the Development of Small and Medium-sized Enterprises (Cai Ku "
            "[2020] No. 46), in %(purchaser)s's procurement %(project)s all the goods are made "
            "by small and medium-sized enterprises that meet the policy. The enterprises "
            "concerned (including SMEs in a consortium and SMEs with a subcontracting agreement) "
            "are as follows:"
        )
    lines = []
    for number, item in enumerate(items, start=1):
        if item.has_figures:
            figures = _(
                "employees %(employees)s, operating revenue %(revenue)s ten thousand yuan, "
                "total assets %(assets)s ten thousand yuan"
            ) % {"employees": item.employees, "revenue": item.revenue, "assets": item.total_assets}
        else:
            figures = _("no figures of last year (founded this year)")
        lines.append(
            _(
                "%(n)s. %(item)s, in the industry %(industry)s; %(role)s: %(enterprise)s, "
                "%(figures)s, a %(size)s;"
            )
            % {
                "n": number,
                "item": item.item,
                "industry": item.industry_label,
                "role": enterprise_label(kind),
                "enterprise": item.manufacturer,
                "figures": figures,
                "size": item.size_label,
            }
        )
    return Declaration(
        title=letter_title(kind),
        intro=intro % params,
        lines=lines,
        statements=[
            _(
                "The above enterprises are not branches of large enterprises, none has a large "
                "enterprise as its controlling shareholder, and none has the same person in "
                "charge as a large enterprise."
            ),
            _(
                "Our company is responsible for the truthfulness of this declaration; if it is "
                "false, we bear the corresponding liability under the law."
            ),
        ],
        signature=[
            _("Company (seal): %(name)s") % {"name": supplier_name},
            _("Date: %(date)s") % {"date": date_text},
        ],
        note=_(
            "Employees, operating revenue and total assets are last year's figures; an "
            "enterprise founded this year without them may leave them out."
        ),
    )


def declaration_text(
    *,
    supplier_name: str,
    purchaser_name: str,
    project_name: str,
    items: list[SmeItem],
    date_text: str,
    kind: str = "goods",
) -> str:
    """The letter's text in the D46 annex wording for goods, services or works."""
    return declaration(
        supplier_name=supplier_name,
        purchaser_name=purchaser_name,
        project_name=project_name,
        items=items,
        date_text=date_text,
        kind=kind,
    ).text


def is_sme(items: list[SmeItem]) -> bool:
    """Every item is made or served by a medium, small or micro enterprise (D46 Art 4)."""
    return bool(items) and all(i.size_class in SME_SIZES for i in items)


# --- issue 11 (award): the small-and-micro price deduction reads the declaration -------------
SMALL_MICRO_SIZES = (SizeClass.SMALL, SizeClass.MICRO)


def is_small_or_micro(items: list[SmeItem]) -> bool:
    """Every item is made or served by a small or micro enterprise: the price deduction applies
    (D46 Art 9; goods of mixed makers with a medium one get none, D46 Art 4, RULES.md §6.4)."""
    return bool(items) and all(i.size_class in SMALL_MICRO_SIZES for i in items)


# --- end issue 11 (award) ----------------------------------------------------------------------


def letter_context(
    *,
    supplier_name: str,
    purchaser_name: str,
    project_name: str,
    lines: list[SmeItem],
    signed_on: dt.datetime | None,
    kind: str,
) -> dict:
    """One bidder's letter for a page or PDF: its lines (the table) and its text (the form)."""
    date_text = (
        formats.date_format(timezone.localtime(signed_on), "DATE_FORMAT") if signed_on else ""
    )
    return {
        "supplier": supplier_name,
        "sme_lines": lines,
        "sme": is_sme(lines),
        "letter": declaration(
            supplier_name=supplier_name,
            purchaser_name=purchaser_name,
            project_name=project_name,
            items=lines,
            date_text=date_text,
            kind=kind,
        ),
    }
