"""The expert database: the import from CSV and Excel with a report of each rejected row, the
admin's filters and its import page, the expert's own unavailability."""

from __future__ import annotations

import datetime as dt
import io

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from accounts.models import User
from audit.models import Event
from common.errors import PermissionDenied
from experts.models import Expert, ExpertTitle, Unavailability
from experts.services.database import id_check_character, import_experts
from tests.factories import PASSWORD, OrganisationFactory

from .helpers import make_expert

pytestmark = pytest.mark.django_db

HEADER = [
    "姓名",
    "身份证号",
    "手机号",
    "电子邮箱",
    "职称",
    "工作单位",
    "工作单位统一社会信用代码",
    "地区代码",
    "地区名称",
    "专业品目代码",
]


def id_number(body17: str) -> str:
    return body17 + id_check_character(body17)


GOOD = id_number("41010219700101123")
GOOD2 = id_number("41010519800202234")


def rows(employer_uscc: str = "") -> list[list[str]]:
    bad_check = GOOD2[:17] + ("0" if GOOD2[17] != "0" else "1")
    return [
        ["李明", GOOD, "13900000001", "liming@example.cn", "高级", "郑州大学", employer_uscc,
         "410100", "郑州市", "A02010104；A020101"],
        ["王刚", bad_check, "13900000002", "", "中级", "某研究院", "", "410100", "郑州市", "A02"],
        ["张华", GOOD2, "13900000003", "", "高级", "某医院", "", "410100", "郑州市", "Z999"],
        ["", id_number("41010519850303345"), "13900000004", "", "高级", "某公司", "", "999999",
         "", "A"],
        ["赵强", GOOD, "13900000005", "", "高级", "某公司", "", "410100", "郑州市", "A"],
        ["孙丽", id_number("41010519900404456"), "13900000006", "", "高级", "某公司", "",
         "410100", "郑州市", "C16"],
    ]  # fmt: skip


def csv_upload(data: list[list[str]], encoding: str = "utf-8-sig") -> SimpleUploadedFile:
    text = "\n".join(",".join(row) for row in [HEADER, *data])
    return SimpleUploadedFile("experts.csv", text.encode(encoding), content_type="text/csv")


def xlsx_upload(data: list[list[str]]) -> SimpleUploadedFile:
    book = Workbook()
    sheet = book.active
    sheet.append(HEADER)
    for row in data:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return SimpleUploadedFile("experts.xlsx", buffer.getvalue())


def reasons(report) -> dict[int, list[tuple[str, str]]]:
    found: dict[int, list[tuple[str, str]]] = {}
    for p in report.rejected:
        found.setdefault(p.row, []).append((p.column, p.reason))
    return found


@pytest.mark.parametrize("make", [csv_upload, xlsx_upload])
def test_it_imports_the_valid_rows_and_reports_each_rejected_one(cast, make):
    employer = OrganisationFactory(name="郑州大学")
    report = import_experts(upload=make(rows(employer.uscc)), acting_user=cast.bureau)
    assert [e.user.full_name for e in report.created] == ["李明", "孙丽"]
    liming = Expert.objects.get(user__full_name="李明")
    assert liming.id_number == GOOD and liming.title == ExpertTitle.SENIOR
    assert liming.user.employer == employer and liming.user.is_expert
    assert liming.user.username == "13900000001" and liming.user.has_usable_password()
    assert sorted(c.code for c in liming.specialties.all()) == ["A020101", "A02010104"]
    found = reasons(report)
    assert set(found) == {3, 4, 5, 6}
    assert found[3] == [("身份证号", found[3][0][1])] and "校验" in found[3][0][1]
    assert found[4][0][0] == "专业品目代码" and "Z999" in found[4][0][1]
    assert {column for column, _ in found[5]} == {"姓名", "地区代码"}
    assert found[6][0][0] == "身份证号" and "第2行" in found[6][0][1]
    assert Event.objects.filter(action="experts.expert.imported").count() == 2


def test_a_second_import_rejects_the_experts_already_there(cast):
    import_experts(upload=csv_upload(rows()[:1]), acting_user=cast.bureau)
    report = import_experts(upload=csv_upload(rows()[:1]), acting_user=cast.bureau)
    assert not report.created
    assert {p.column for p in report.rejected} == {"身份证号", "手机号"}


def test_a_gb18030_csv_is_read(cast):
    report = import_experts(upload=csv_upload(rows()[:1], "gb18030"), acting_user=cast.bureau)
    assert [e.user.full_name for e in report.created] == ["李明"]


@pytest.mark.parametrize("role", ["purchaser", "agency", "supplier", "expert", "outsider"])
def test_only_the_bureau_imports(cast, role):
    with pytest.raises(PermissionDenied):
        import_experts(upload=csv_upload(rows()), acting_user=getattr(cast, role))
    assert not Expert.objects.exists()


def test_the_admin_import_page_reports_the_rejected_rows(client, cast):
    client.force_login(cast.bureau)
    changelist = client.get(reverse("admin:experts_expert_changelist"))
    assert reverse("admin:experts_expert_import") in changelist.content.decode()
    response = client.post(
        reverse("admin:experts_expert_import"), {"file": xlsx_upload(rows())}, follow=True
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert 'data-testid="rejected"' in page and "Z999" in page
    assert Expert.objects.count() == 2
    client.force_login(cast.purchaser)
    assert client.get(reverse("admin:experts_expert_import")).status_code in (302, 403)


def test_the_admin_filters_experts_by_status_specialty_and_region(client, cast):
    make_expert("desk", codes=["A02010104"])
    make_expert("laptop", codes=["A02010105"])
    make_expert("health", codes=["C21"], status="suspended")
    client.force_login(cast.bureau)
    url = reverse("admin:experts_expert_changelist")

    def names(query: str) -> set[str]:
        response = client.get(url + query)
        return {str(e) for e in response.context["cl"].result_list}

    assert names("?status__exact=suspended") == {"专家health"}
    assert names("?specialty=A0201") == {"专家desk", "专家laptop"}
    assert names("?specialty=A02010105") == {"专家laptop"}
    assert names("?region_code=410100") == {"专家desk", "专家laptop", "专家health"}
    expert = Expert.objects.get(user__username="desk")
    history = client.get(reverse("admin:experts_expert_history", args=[expert.pk]))
    assert history.status_code == 200


def test_an_expert_records_its_unavailability_from_its_home(client, cast):
    expert = make_expert("busy")
    client.force_login(expert.user)
    home = client.get(reverse("accounts:home")).content.decode()
    assert reverse("experts:unavailability") in home
    with time_machine.travel(dt.datetime(2026, 3, 1, 2, 0, tzinfo=dt.UTC), tick=False):
        response = client.post(
            reverse("experts:unavailability"),
            {"start": "2026-03-24", "end": "2026-03-26", "reason": "出差"},
        )
        assert response.status_code == 302
        period = Unavailability.objects.get(expert=expert)
        assert (period.start, period.end) == (dt.date(2026, 3, 24), dt.date(2026, 3, 26))
        refused = client.post(
            reverse("experts:unavailability"),
            {"start": "2026-03-26", "end": "2026-03-24", "reason": ""},
        )
        assert refused.status_code == 200 and Unavailability.objects.count() == 1
    assert Event.objects.filter(action="experts.unavailability.added").exists()
    # Nobody else removes it, nor reaches the page without being an expert.
    other = make_expert("other")
    client.force_login(other.user)
    url = reverse("experts:unavailability_delete", args=[period.pk])
    assert client.post(url).status_code == 404
    client.force_login(cast.purchaser)
    assert client.get(reverse("experts:unavailability")).status_code == 404
    client.force_login(expert.user)
    assert client.post(url).status_code == 302
    assert not Unavailability.objects.exists()


def test_an_imported_expert_sets_its_password_by_the_reset(cast):
    import_experts(upload=csv_upload(rows()[:1]), acting_user=cast.bureau)
    user = User.objects.get(username="13900000001")
    assert not user.check_password(PASSWORD)
