"""The dashboard's Excel export: the same filters, Chinese headers, percentages as numbers."""

from __future__ import annotations

import datetime as dt
from io import BytesIO

import time_machine
from django.urls import reverse
from openpyxl import load_workbook

from contracts.services.clocks import SIGNING

from .conftest import NOW

URL = reverse("supervision:export")


def workbook(client, query: str = ""):
    with time_machine.travel(NOW, tick=False):
        response = client.get(URL + query)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert 'filename="clocks-20260318-0900.xlsx"' in response["Content-Disposition"]
    return load_workbook(BytesIO(response.content))


def values(sheet) -> list[list]:
    return [[cell.value for cell in row] for row in sheet.iter_rows()]


def test_the_table_sheet_has_chinese_headers_and_percentages(client, cast, clocks):
    client.force_login(cast.bureau)
    book = workbook(client)
    assert book.sheetnames == ["按单位和环节", "按环节汇总", "超期清单"]
    table = book["按单位和环节"]
    assert values(table) == [
        ["责任单位", "环节", "计时中", "已逾期", "按时完成", "超期完成", "按时完成率"],
        ["市卫生健康委员会", "采购结果一日定", 0, 0, 0, 1, 0],
        ["市卫生健康委员会", "合同双方签订（一个工作日）", 1, 1, 0, 0, 0],
        ["市教育局", "采购结果一日定", 1, 1, 2, 1, 0.5],
        ["市教育局", "合同双方签订（一个工作日）", 0, 0, 1, 0, 1],
    ]
    assert table["G2"].number_format == "0.0%"
    assert table["G4"].number_format == "0.0%"
    assert table["C2"].number_format == "General"


def test_the_stage_sheet_totals_every_purchaser(client, cast, clocks):
    client.force_login(cast.bureau)
    stages = workbook(client)["按环节汇总"]
    assert values(stages) == [
        ["环节", "计时中", "已逾期", "按时完成", "超期完成", "按时完成率"],
        ["采购结果一日定", 1, 1, 2, 2, 0.4],
        ["合同双方签订（一个工作日）", 1, 1, 1, 0, 0.5],
    ]
    assert stages["F3"].number_format == "0.0%"


def test_the_overdue_sheet_lists_each_late_step_with_local_times(client, cast, clocks):
    client.force_login(cast.bureau)
    late = workbook(client)["超期清单"]
    rows = values(late)
    assert rows[0] == ["环节", "事项", "责任单位", "开始时间", "截止时间", "已超期（小时）", "链接"]
    assert len(rows) == 3
    first = rows[1]
    assert first[0] == "采购结果一日定"
    assert first[2] == "市教育局"
    assert first[3] == dt.datetime(2026, 3, 16, 9, 0)  # Beijing wall-clock time
    assert first[4] == dt.datetime(2026, 3, 17, 0, 0)
    assert first[5] == 33.0
    assert rows[2][2] == "市卫生健康委员会" and rows[2][5] == 1.0
    assert late["D2"].number_format == "yyyy-mm-dd hh:mm"
    assert late["F2"].number_format == "0.0"


def test_the_export_keeps_the_page_filters(client, cast, clocks):
    client.force_login(cast.bureau)
    book = workbook(client, f"?kind={SIGNING}&responsible={clocks.p1.pk}")
    assert values(book["按单位和环节"])[1:] == [
        ["市教育局", "合同双方签订（一个工作日）", 0, 0, 1, 0, 1]
    ]
    assert len(values(book["超期清单"])) == 1  # the header alone


def test_the_export_is_chinese_whatever_the_page_language(client, cast, clocks, settings):
    client.force_login(cast.bureau)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    book = workbook(client)
    assert book.sheetnames[0] == "按单位和环节"
