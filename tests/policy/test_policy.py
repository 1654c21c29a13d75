"""The 832 reserve (RULES.md §18.1) and the policy statistics (issue 15 §4–§5): the reserve from
the budget and the ratio, the order import with its rejection report, and every figure equal to
the sum of the rows its link lists."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.utils import translation
from openpyxl import Workbook, load_workbook

from accounts.models import OrganisationKind
from common.errors import PermissionDenied, RulesBroken
from contracts.models import Contract
from policy.models import Order, Reserve
from policy.selectors import figure_rows, progress_by_unit, statistics
from policy.services import IMPORT_COLUMNS, declare_reserve, import_orders
from suppliers.models import SupplierProfile
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db

HEADER = ",".join(IMPORT_COLUMNS)


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def csv_file(*lines: str) -> bytes:
    return ("\n".join([HEADER, *lines]) + "\n").encode("utf-8")


def test_it_reserves_the_canteen_budget_times_the_ratio_or_the_union_funds(cast):
    reserve = declare_reserve(
        year=2023, has_canteen=True, base=Decimal("592130.00"), acting_user=cast.purchaser
    )
    assert (reserve.ratio, reserve.amount) == (Decimal("10"), Decimal("59213.00"))
    reserve = declare_reserve(
        year=2023, has_canteen=False, base=Decimal("100000"), acting_user=cast.purchaser
    )
    assert (reserve.ratio, reserve.amount) == (Decimal("20"), Decimal("20000.00"))
    assert Reserve.objects.count() == 1 and reserve.history.count() == 2
    for user in (cast.supplier, cast.bank, cast.agency):
        with pytest.raises(PermissionDenied):
            declare_reserve(year=2023, has_canteen=True, base=Decimal("1"), acting_user=user)


def test_it_imports_good_rows_and_reports_the_rejected_ones(cast):
    data = csv_file(
        "832-001,2023-03-02 10:15:00,河南扶贫特产馆,1200.50,已完成",
        "832-002,2023/04/09,兰考农品店,800.00,待收货",
        ",2023-04-10,兰考农品店,10,已完成",
        "832-003,not a date,兰考农品店,10,已完成",
        "832-004,2023-05-01,兰考农品店,-5,已完成",
        "832-001,2023-05-01,兰考农品店,5,已完成",
    )
    report = import_orders(name="orders.csv", data=data, acting_user=cast.purchaser)
    assert (report.imported, report.updated) == (2, 0)
    assert [n for n, _reason in report.rejected] == [4, 5, 6, 7]
    assert Order.objects.get(number="832-001").completed
    assert not Order.objects.get(number="832-002").completed
    # A later export updates the completion; another unit cannot claim the order.
    again = import_orders(
        name="orders.csv",
        data=csv_file("832-002,2023-04-09,兰考农品店,800.00,已完成"),
        acting_user=cast.purchaser,
    )
    assert again.updated == 1 and Order.objects.get(number="832-002").completed
    other = import_orders(
        name="orders.csv",
        data=csv_file("832-002,2023-04-09,兰考农品店,800.00,已完成"),
        acting_user=cast.purchaser2,
    )
    assert other.rejected == [(2, "The order belongs to another unit.")]


def test_it_reads_the_platforms_excel_export_and_refuses_other_columns(cast):
    book = Workbook()
    sheet = book.active
    sheet.append(list(IMPORT_COLUMNS))
    sheet.append(["832-100", dt.datetime(2023, 6, 1, 9, 0), "信阳茶叶店", 300, "已完成"])
    buffer = io.BytesIO()
    book.save(buffer)
    report = import_orders(name="订单.xlsx", data=buffer.getvalue(), acting_user=cast.purchaser)
    assert report.imported == 1 and Order.objects.get().amount == Decimal("300.00")
    with pytest.raises(RulesBroken):
        import_orders(name="x.csv", data=b"a,b,c\n1,2,3\n", acting_user=cast.purchaser)


def test_the_statistics_equal_the_sums_over_their_rows(cast, client):
    from tests.contracts.payment_builders import signed_contract

    contract = signed_contract(cast)  # the supplier declared itself an SME
    SupplierProfile.objects.create(organisation=contract.supplier, size_class="small")
    declare_reserve(
        year=2023, has_canteen=True, base=Decimal("59213000"), acting_user=cast.purchaser
    )
    import_orders(
        name="o.csv",
        data=csv_file("A1,2023-03-02,店,9440000,待收货", "A2,2023-05-02,店,8920000,已完成"),
        acting_user=cast.purchaser,
    )
    stats = statistics()
    assert stats.contracts == sum(c.amount for c in figure_rows("contracts"))
    assert stats.sme == sum(c.amount for c in figure_rows("sme")) == contract.amount
    assert stats.small_micro == sum(c.amount for c in figure_rows("small_micro"))
    assert stats.sme_share == Decimal("100.0")
    [year] = stats.reserve_years
    assert year["reserved"] == sum(r.amount for r in figure_rows("reserved", 2023))
    assert year["ordered"] == sum(o.amount for o in figure_rows("ordered", 2023))
    assert year["completed"] == sum(o.amount for o in figure_rows("completed", 2023))
    assert (year["reserved"], year["ordered"], year["completed"]) == (
        Decimal("5921300.00"),
        Decimal("18360000.00"),
        Decimal("8920000.00"),
    )
    assert progress_by_unit(2023)[0]["completed"] == Decimal("8920000.00")
    # The page links each figure to its rows; the export has the same numbers.
    page = client.get("/policy/statistics/").content.decode()
    assert (
        "/policy/statistics/rows/sme/" in page
        and "/policy/statistics/rows/completed/?year=2023" in page
    )
    rows = client.get("/policy/statistics/rows/completed/?year=2023").content.decode()
    assert 'data-amount="8920000.00"' in rows
    book = load_workbook(io.BytesIO(client.get("/policy/statistics/export.xlsx").content))
    assert [r for r in book.worksheets[1].iter_rows(values_only=True)][1][1:] == (
        5921300,
        18360000,
        8920000,
    )
    assert Contract.objects.count() == 1


def test_the_pages_answer_only_their_roles(cast, client, django_assert_num_queries):
    client.force_login(cast.supplier)
    assert client.get("/policy/832/").status_code == 403
    assert client.get("/policy/832/progress/").status_code == 403
    client.force_login(cast.bureau)
    assert client.get("/policy/832/progress/").status_code == 200
    client.logout()
    # Three aggregates and the 832 orders grouped by year, whatever the number of rows.
    with django_assert_num_queries(4):
        assert client.get("/policy/statistics/").status_code == 200
    assert client.get("/policy/statistics/rows/nothing/").status_code == 404
    assert OrganisationFactory(kind=OrganisationKind.BANK)
