"""The statistics as an Excel workbook (openpyxl): the figures, then the rows of each."""

from __future__ import annotations

from io import BytesIO

from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from .selectors import Statistics


def statistics_workbook(stats: Statistics) -> bytes:
    with translation.override("zh-hans"):
        book = Workbook()
        sheet = book.active
        assert sheet is not None
        sheet.title = _("Figures")
        sheet.append([_("Figure"), _("Value")])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        rows = [
            (_("Contracts in force (yuan)"), stats.contracts),
            (_("Contracts with SMEs (yuan)"), stats.sme),
            (_("SME share of contract value (%)"), stats.sme_share),
            (_("Contracts with small and micro firms (yuan)"), stats.small_micro),
            (_("Small/micro share of contract value (%)"), stats.small_micro_share),
            (_("Financing granted (yuan)"), stats.financing),
            (_("Firms financed"), stats.financed_firms),
        ]
        for label, value in rows:
            sheet.append([label, value])
        reserve = book.create_sheet(_("832 reserve"))
        reserve.append(
            [_("Year"), _("Reserved (yuan)"), _("Ordered (yuan)"), _("Completed (yuan)")]
        )
        for year in stats.reserve_years:
            reserve.append([year["year"], year["reserved"], year["ordered"], year["completed"]])
        sheet.column_dimensions["A"].width = 44
        buffer = BytesIO()
        book.save(buffer)
        return buffer.getvalue()
