"""The dashboard as an Excel workbook (openpyxl): the table per purchaser and stage, the totals
per stage, and the overdue list, with Chinese headers whatever the page's language."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from io import BytesIO

from django.utils import timezone, translation
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from timers.models import SHANGHAI

from .selectors import OverdueClock, Overview, Tally

PERCENT = "0.0%"
MOMENT = "yyyy-mm-dd hh:mm"
HOURS = "0.0"


def _local(moment: dt.datetime) -> dt.datetime:
    """Excel has no time zones: Beijing wall-clock time, as the page shows it."""
    return timezone.localtime(moment, SHANGHAI).replace(tzinfo=None)


def _header(sheet: Worksheet, titles: list[str], widths: list[int]) -> None:
    sheet.append(titles)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for n, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(n)].width = width
    sheet.freeze_panes = "A2"


def _tally_cells(tally: Tally) -> list:
    return [tally.running, tally.overdue, tally.on_time, tally.late, tally.share]


def _format_tallies(sheet: Worksheet, share_column: str) -> None:
    for cell in sheet[share_column][1:]:
        cell.number_format = PERCENT


def overview_workbook(
    overview: Overview, *, overdue: list[OverdueClock], absolute: Callable[[str], str]
) -> bytes:
    """The .xlsx bytes: sheets 按单位和环节, 按环节汇总, 超期清单."""
    with translation.override("zh-hans"):
        counted = [_("Running"), _("Overdue"), _("Met on time"), _("Met late"), _("Share on time")]
        book = Workbook()
        table = book.active
        assert table is not None
        table.title = _("By purchaser and stage")
        _header(table, [_("Responsible organisation"), _("Stage"), *counted], [36, 36] + [12] * 5)
        for tally in overview.rows:
            table.append([tally.responsible, tally.stage, *_tally_cells(tally)])
        _format_tallies(table, "G")

        stages = book.create_sheet(_("By stage"))
        _header(stages, [_("Stage"), *counted], [36] + [12] * 5)
        for tally in overview.by_stage:
            stages.append([tally.stage, *_tally_cells(tally)])
        _format_tallies(stages, "F")

        late = book.create_sheet(_("Overdue list"))
        _header(
            late,
            [
                _("Stage"),
                _("Subject"),
                _("Responsible organisation"),
                _("Started"),
                _("Due"),
                _("Overdue by (hours)"),
                _("Link"),
            ],
            [36, 40, 30, 18, 18, 14, 40],
        )
        for row in overdue:
            late.append(
                [
                    row.stage,
                    row.subject.label,
                    row.clock.responsible.name if row.clock.responsible else "",
                    _local(row.clock.started),
                    _local(row.clock.due),
                    round(row.late_by.total_seconds() / 3600, 1),
                    absolute(row.subject.url) if row.subject.url else "",
                ]
            )
        for column, fmt in (("D", MOMENT), ("E", MOMENT), ("F", HOURS)):
            for cell in late[column][1:]:
                cell.number_format = fmt
    out = BytesIO()
    book.save(out)
    return out.getvalue()
