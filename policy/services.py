"""Writes of the 832 reserve (RULES.md §18.1): the unit's declaration and the import of its orders.

1. A purchaser (budget unit) declares its reserve for a year: the canteen's annual food budget ×
   `farm_832_reserve` (10 %), or, with no canteen, its union funds × `farm_832_union_reserve`
   (20 %, local practice); a new declaration for the same year replaces the amount, with history.
2. It imports its orders from the 832 platform's export (CSV or Excel, the columns in IMPORT_COLUMNS).
   Each row is checked on its own; good rows are saved (a row already imported updates its amount
   and completion), bad ones come back in the rejection report with their row number and reason.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import OrganisationKind
from accounts.selectors import organisation_of
from audit.services import record_event
from common.errors import PermissionDenied, RulesBroken
from procurement.parameters import legal_parameter

from .models import Order, Reserve

CENT = Decimal("0.01")
ONLY_UNITS = gettext_lazy("Only a budget unit (purchaser) declares its 832 reserve.")
# The 832 platform's order export: number, time, shop, amount, state (已完成 when received).
IMPORT_COLUMNS = ("订单编号", "下单时间", "店铺名称", "订单金额", "订单状态")
COMPLETED = "已完成"


def _unit(acting_user):
    unit = organisation_of(acting_user)
    if unit is None or unit.kind != OrganisationKind.PURCHASER:
        raise PermissionDenied(ONLY_UNITS)
    return unit


@transaction.atomic
def declare_reserve(*, year: int, has_canteen: bool, base: Decimal, acting_user) -> Reserve:
    """Rule 1."""
    unit = _unit(acting_user)
    if base <= 0:
        raise RulesBroken([_("Enter the canteen's food budget or the union funds.")])
    key = "farm_832_reserve" if has_canteen else "farm_832_union_reserve"
    ratio = legal_parameter(key, on=dt.date(year, 1, 1)).value
    reserve = Reserve.objects.select_for_update().filter(unit=unit, year=year).first()
    reserve = reserve or Reserve(unit=unit, year=year)
    reserve.has_canteen, reserve.base, reserve.ratio = has_canteen, base, ratio
    reserve.amount = (base * ratio / 100).quantize(CENT)
    reserve.declared_at, reserve.declared_by = timezone.now(), acting_user
    reserve._history_user, reserve._change_reason = acting_user, "declared"
    reserve.save()
    record_event(
        action="policy.reserve.declared",
        actor=acting_user,
        organisation=unit,
        subject=reserve,
        data={"year": year, "base": base, "ratio": ratio, "amount": reserve.amount},
    )
    return reserve


@dataclass
class ImportReport:
    imported: int = 0
    updated: int = 0
    rejected: list[tuple[int, str]] = field(default_factory=list)


def _rows(name: str, data: bytes) -> list[list[str]]:
    if name.lower().endswith(".xlsx"):
        from openpyxl import load_workbook

        sheet = load_workbook(io.BytesIO(data), read_only=True, data_only=True).active
        assert sheet is not None
        return [
            ["" if v is None else str(v).strip() for v in row]
            for row in sheet.iter_rows(values_only=True)
        ]
    text = data.decode("utf-8-sig", errors="replace")
    return [[c.strip() for c in row] for row in csv.reader(io.StringIO(text))]


def _date(value: str) -> dt.date:
    return dt.date.fromisoformat(value.replace("/", "-")[:10])


@transaction.atomic
def import_orders(*, name: str, data: bytes, acting_user) -> ImportReport:
    """Rule 2: every good row saved, every bad one reported."""
    unit = _unit(acting_user)
    rows = _rows(name, data)
    if not rows or tuple(rows[0][: len(IMPORT_COLUMNS)]) != IMPORT_COLUMNS:
        raise RulesBroken(
            [
                _("The file's first row must be the 832 platform's columns: %(columns)s.")
                % {"columns": "、".join(IMPORT_COLUMNS)}
            ]
        )
    report = ImportReport()
    seen: set[str] = set()
    now = timezone.now()
    for n, row in enumerate(rows[1:], start=2):
        if not any(row):
            continue
        number, when, seller, amount_text, state = (row + [""] * 5)[:5]
        try:
            ordered_on = _date(when)
        except ValueError:
            report.rejected.append((n, _("The order time is not a date.")))
            continue
        try:
            amount = Decimal(amount_text.replace(",", "")).quantize(CENT)
        except InvalidOperation:
            amount = Decimal("0")
        if not number:
            report.rejected.append((n, _("The order number is empty.")))
        elif number in seen:
            report.rejected.append((n, _("The order number appears twice in the file.")))
        elif amount <= 0:
            report.rejected.append((n, _("The amount is not a positive number.")))
        else:
            seen.add(number)
            order = Order.objects.filter(number=number).first()
            if order is not None and order.unit_id != unit.pk:
                report.rejected.append((n, _("The order belongs to another unit.")))
                continue
            completed = state == COMPLETED
            if order is None:
                Order.objects.create(
                    unit=unit,
                    number=number,
                    ordered_on=ordered_on,
                    seller=seller,
                    amount=amount,
                    completed=completed,
                    imported_at=now,
                )
                report.imported += 1
            else:
                order.amount, order.completed, order.imported_at = amount, completed, now
                order.save()
                report.updated += 1
    record_event(
        action="policy.orders.imported",
        actor=acting_user,
        organisation=unit,
        data={
            "file": name,
            "imported": report.imported,
            "updated": report.updated,
            "rejected": len(report.rejected),
        },
    )
    return report
