"""The bureau's calendar admin: the provisional-year warning, Chinese form errors, who may enter."""

from __future__ import annotations

from datetime import date, datetime

import pytest
import time_machine
from django.urls import reverse

from workdays.calendar import SHANGHAI
from workdays.models import CalendarOverride, CalendarYear, OverrideKind
from workdays.services import confirm_year, record_override

pytestmark = pytest.mark.django_db

WARNING = "2027年的放假安排尚未录入"
ADD_URL = reverse("admin:workdays_calendaroverride_add")
LIST_URL = reverse("admin:workdays_calendaroverride_changelist")


@pytest.fixture
def late_2026():
    with time_machine.travel(datetime(2026, 11, 27, 9, 0, tzinfo=SHANGHAI), tick=False):
        yield


def _page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_it_warns_the_bureau_about_2027_on_the_admin_index_until_the_year_is_confirmed(
    client, cast, late_2026
):
    client.force_login(cast.bureau)
    page = _page(client, reverse("admin:index"))
    assert WARNING in page
    assert "所有落在2027年的期限均为暂定" in page
    assert f"{reverse('admin:workdays_calendaryear_add')}?year=2027" in page

    # An unconfirmed row is not enough; the link now opens it.
    year = CalendarYear.objects.create(year=2027, confirmed=False)
    page = _page(client, reverse("admin:index"))
    assert WARNING in page
    assert reverse("admin:workdays_calendaryear_change", args=[year.pk]) in page

    confirm_year(year=2027, notice="国办发明电〔2026〕号（测试）", acting_user=cast.bureau)
    assert WARNING not in _page(client, reverse("admin:index"))


def test_it_warns_on_the_override_list_too(client, cast, late_2026):
    client.force_login(cast.bureau)
    assert WARNING in _page(client, LIST_URL)
    confirm_year(year=2027, notice="国办发明电〔2026〕号（测试）", acting_user=cast.bureau)
    assert WARNING not in _page(client, LIST_URL)


def test_it_does_not_warn_about_a_year_the_library_covers(client, cast):
    # In March 2025 this year and next (2025, 2026) are both in the library.
    with time_machine.travel(datetime(2025, 3, 1, 9, 0, tzinfo=SHANGHAI), tick=False):
        client.force_login(cast.bureau)
        assert "放假安排尚未录入" not in _page(client, reverse("admin:index"))


def test_it_warns_about_next_year_from_january(client, cast):
    with time_machine.travel(datetime(2027, 1, 5, 9, 0, tzinfo=SHANGHAI), tick=False):
        client.force_login(cast.bureau)
        page = _page(client, reverse("admin:index"))
        assert WARNING in page
        assert "2028年的放假安排尚未录入" in page


def _refused(response) -> bool:
    """403, or sent to a sign-in page (the plain admin site sends non-staff there)."""
    if response.status_code == 403:
        return True
    return bool(response.redirect_chain) and "login" in response.redirect_chain[-1][0]


@pytest.mark.parametrize("who", ["purchaser", "agency", "supplier", "expert", "bank", "outsider"])
def test_it_keeps_everyone_but_the_bureau_out_of_the_calendar_admin(client, cast, who):
    client.force_login(getattr(cast, who))
    for url in (LIST_URL, ADD_URL, reverse("admin:workdays_calendaryear_changelist")):
        assert _refused(client.get(url, follow=True)), url
    response = client.post(
        ADD_URL,
        {"date": "2026-03-06", "kind": "holiday", "name": "x", "notice": "x"},
        follow=True,
    )
    assert _refused(response)
    assert not CalendarOverride.objects.exists()


def test_it_keeps_a_staff_user_of_another_organisation_out(client, cast):
    cast.purchaser.is_staff = True
    cast.purchaser.save()
    client.force_login(cast.purchaser)
    assert client.get(LIST_URL, follow=True).status_code == 403
    assert WARNING not in client.get(reverse("admin:index"), follow=True).content.decode()


def test_it_shows_a_chinese_error_and_saves_nothing_for_a_contradictory_override(client, cast):
    client.force_login(cast.bureau)
    response = client.post(
        ADD_URL,
        {
            "date": "2026-03-03",
            "kind": OverrideKind.MAKEUP_WORKDAY,
            "name": "春节",
            "notice": "通知",
        },
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "2026年3月3日（星期二）是工作日，本来就要上班；调休上班日只能是周六或周日。" in page
    assert not CalendarOverride.objects.exists()


def test_it_shows_a_chinese_error_for_a_date_entered_twice(client, cast):
    record_override(
        day=date(2026, 3, 6), kind="holiday", name="调整", notice="通知", acting_user=cast.bureau
    )
    client.force_login(cast.bureau)
    response = client.post(
        ADD_URL, {"date": "2026-03-06", "kind": "holiday", "name": "调整", "notice": "通知"}
    )
    assert response.status_code == 200
    assert "该日期已有一条日历调整" in response.content.decode()
    assert CalendarOverride.objects.count() == 1


def test_it_saves_an_override_with_its_author_and_history(client, cast):
    client.force_login(cast.bureau)
    response = client.post(
        ADD_URL,
        {"date": "2027-02-13", "kind": "makeup_workday", "name": "春节", "notice": "国办发明电"},
    )
    assert response.status_code == 302
    override = CalendarOverride.objects.get()
    assert override.created_by == cast.bureau
    assert override.history.get().history_user == cast.bureau


def test_it_warns_after_saving_an_override_that_changes_nothing(client, cast):
    client.force_login(cast.bureau)
    response = client.post(
        ADD_URL,
        {"date": "2026-02-16", "kind": "holiday", "name": "春节", "notice": "国办发明电"},
        follow=True,
    )
    assert "本来就是休息日" in response.content.decode()
    assert CalendarOverride.objects.count() == 1


def test_it_lists_overrides_by_year_and_kind(client, cast, django_assert_max_num_queries):
    for day, kind in [
        (date(2026, 3, 6), "holiday"),
        (date(2027, 2, 13), "makeup_workday"),
        (date(2027, 2, 9), "holiday"),
    ]:
        record_override(day=day, kind=kind, name="春节", notice="通知", acting_user=cast.bureau)
    client.force_login(cast.bureau)
    page = _page(client, f"{LIST_URL}?year=2027&kind=holiday")
    assert "2027年2月9日" in page
    assert "2027年2月13日" not in page
    assert "2026年3月6日" not in page
    assert "工作日（法定规则）" in page  # 9 February 2027 before the override
    with django_assert_max_num_queries(20):
        client.get(LIST_URL)


def test_it_lists_calendar_years_with_their_source_and_override_count(client, cast):
    record_override(
        day=date(2027, 2, 9), kind="holiday", name="春节", notice="通知", acting_user=cast.bureau
    )
    confirm_year(year=2027, notice="国办发明电〔2026〕号（测试）", acting_user=cast.bureau)
    confirm_year(year=2026, notice="国办发明电〔2025〕7号（测试）", acting_user=cast.bureau)
    CalendarYear.objects.create(year=2028)
    client.force_login(cast.bureau)
    page = _page(client, reverse("admin:workdays_calendaryear_changelist"))
    assert "法定规则（确认前为暂定）" in page
    assert "日历库（官方安排）" in page
    assert "法定规则及已录入的调整（已确认）" in page
    year = CalendarYear.objects.get(year=2027)
    page = _page(client, reverse("admin:workdays_calendaryear_change", args=[year.pk]))
    assert "2027年2月5日 星期五 春节" in page
    assert "2027年2月9日 星期二 春节 放假（休息日）" in page
    assert "法定规则及已录入的调整（已确认）" in page
