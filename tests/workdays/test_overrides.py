"""The bureau's override table: it wins over the library, refuses contradictions, and is cached."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError

from audit.models import Event
from workdays import calendar
from workdays.calendar import add_working_days, is_provisional, is_working_day, period_end
from workdays.models import CalendarOverride, CalendarYear, OverrideKind
from workdays.services import confirm_year, record_override, remove_override

from .conftest import at

pytestmark = pytest.mark.django_db

NOTICE = "国办发明电〔2026〕1号（测试）"


def _record(day: date, kind: str, user, name: str = "春节") -> CalendarOverride:
    return record_override(day=day, kind=kind, name=name, notice=NOTICE, acting_user=user)


def _refusal(day: date, kind: str, user, **fields) -> str:
    with pytest.raises(ValidationError) as caught:
        record_override(
            day=day,
            kind=kind,
            name=fields.get("name", "春节"),
            notice=fields.get("notice", NOTICE),
            acting_user=user,
        )
    return " ".join(caught.value.messages)


# --- an override changes results, and the cache follows at once ------------------------------


def test_it_lets_a_holiday_override_move_a_deadline(cast):
    assert add_working_days(date(2026, 3, 5), 1) == date(2026, 3, 6)  # warms the cache
    _record(date(2026, 3, 6), OverrideKind.HOLIDAY, cast.bureau, name="临时调整")
    assert not is_working_day(date(2026, 3, 6))
    assert add_working_days(date(2026, 3, 5), 1) == date(2026, 3, 9)
    assert period_end(at("2026-03-05 10:00"), 1, working=True) == at("2026-03-10 00:00")


def test_it_forgets_a_removed_override(cast):
    override = _record(date(2026, 3, 6), OverrideKind.HOLIDAY, cast.bureau)
    assert add_working_days(date(2026, 3, 5), 1) == date(2026, 3, 9)
    remove_override(override=override, acting_user=cast.bureau)
    assert add_working_days(date(2026, 3, 5), 1) == date(2026, 3, 6)


def test_it_lets_a_makeup_workday_override_win_over_the_rule_in_2027(cast):
    # The 2027 notice is not out; suppose it makes Saturday 13 February a make-up working day.
    assert not is_working_day(date(2027, 2, 13))
    _record(date(2027, 2, 13), OverrideKind.MAKEUP_WORKDAY, cast.bureau)
    assert is_working_day(date(2027, 2, 13))
    assert add_working_days(date(2027, 2, 12), 1) == date(2027, 2, 13)


def test_it_lets_a_holiday_override_correct_the_library(cast):
    override = _record(date(2026, 2, 28), OverrideKind.HOLIDAY, cast.bureau)
    assert not is_working_day(date(2026, 2, 28))
    assert "调休上班日" in " ".join(override.effect_warnings())


def test_it_records_who_entered_an_override_in_its_history_and_the_audit_log(cast):
    override = _record(date(2026, 3, 6), OverrideKind.HOLIDAY, cast.bureau)
    assert override.created_by == cast.bureau
    assert override.history.get().history_user == cast.bureau
    event = Event.objects.for_subject(override).get()
    assert event.action == "workdays.override.recorded"
    assert event.actor == cast.bureau
    assert event.organisation.kind == "bureau"
    assert event.data == {"date": "2026-03-06", "kind": "holiday", "name": "春节", "notice": NOTICE}


def test_it_audits_the_removal_of_an_override(cast):
    override = _record(date(2026, 3, 6), OverrideKind.HOLIDAY, cast.bureau)
    pk = override.pk
    remove_override(override=override, acting_user=cast.bureau)
    assert not CalendarOverride.objects.filter(pk=pk).exists()
    actions = list(
        Event.objects.with_action_prefix("workdays.override")
        .order_by("seq")
        .values_list("action", flat=True)
    )
    assert actions == ["workdays.override.recorded", "workdays.override.removed"]
    assert (
        CalendarOverride.history.filter(id=pk, history_type="-").get().history_user == cast.bureau
    )


def test_it_answers_from_memory_without_a_query_per_day(cast, django_assert_num_queries):
    _record(date(2027, 2, 13), OverrideKind.MAKEUP_WORKDAY, cast.bureau)
    calendar.forget()
    with django_assert_num_queries(2):  # the overrides and the confirmed years, once
        add_working_days(date(2026, 1, 1), 250)
    with django_assert_num_queries(0):
        add_working_days(date(2026, 1, 1), 250)
        period_end(at("2026-12-24 11:00"), 60, working=False)
        is_provisional(date(2027, 5, 1))


def test_it_caches_again_once_the_write_commits(
    cast, tmp_path, settings, django_assert_num_queries, django_capture_on_commit_callbacks
):
    settings.VAR_DIR = tmp_path  # the commit writes the version file
    with django_capture_on_commit_callbacks(execute=True):
        _record(date(2026, 3, 6), OverrideKind.HOLIDAY, cast.bureau)
    assert not is_working_day(date(2026, 3, 6))
    with django_assert_num_queries(0):
        assert not is_working_day(date(2026, 3, 6))


@pytest.fixture
def stamp(tmp_path, settings, monkeypatch):
    """Check the version at every call, with this test's own stamp file."""
    monkeypatch.setattr(calendar, "_VERSION_CHECK_SECONDS", 0.0)
    settings.VAR_DIR = tmp_path
    return tmp_path / "workdays-calendar.version"


def _saved_by_another_process() -> None:
    # Another process's rows land; its commit then renews the stamps (not yet, below).
    CalendarOverride.objects.bulk_create(
        [CalendarOverride(date=date(2026, 3, 6), kind="holiday", name="x", notice=NOTICE)]
    )


def test_it_reloads_when_another_host_renews_the_shared_stamp(cast, stamp):
    assert is_working_day(date(2026, 3, 6))
    _saved_by_another_process()
    assert is_working_day(date(2026, 3, 6)), "served from this process's cache"
    cache.set(calendar._VERSION_KEY, "another-host-committed")
    assert not is_working_day(date(2026, 3, 6))


def test_it_reloads_when_another_process_on_this_machine_renews_the_file_stamp(cast, stamp):
    assert is_working_day(date(2026, 3, 6))
    _saved_by_another_process()
    assert is_working_day(date(2026, 3, 6)), "served from this process's cache"
    stamp.write_text("another-process-committed", encoding="ascii")
    assert not is_working_day(date(2026, 3, 6))


def test_it_renews_both_stamps_when_a_change_commits(
    cast, stamp, django_capture_on_commit_callbacks
):
    before = calendar._version()
    with django_capture_on_commit_callbacks(execute=True):
        _record(date(2026, 3, 6), OverrideKind.HOLIDAY, cast.bureau)
    shared, local = calendar._version()
    assert shared == local
    assert shared is not None and shared != before[0]


def test_it_never_reloads_unless_a_stamp_changes(cast, stamp, django_assert_num_queries):
    is_working_day(date(2026, 3, 6))
    with django_assert_num_queries(0):
        for _ in range(3):
            is_working_day(date(2026, 3, 6))


# --- contradictions are refused with a clear message, and change nothing ---------------------


def _nothing_changed() -> None:
    assert not CalendarOverride.objects.exists()
    assert not CalendarOverride.history.exists()
    assert not Event.objects.with_action_prefix("workdays").exists()


def test_it_refuses_a_makeup_workday_on_a_weekday(cast):
    message = _refusal(date(2026, 3, 3), OverrideKind.MAKEUP_WORKDAY, cast.bureau)
    assert "2026年3月3日（星期二）是工作日，本来就要上班" in message
    assert "周六或周日" in message
    _nothing_changed()


def test_it_refuses_a_makeup_workday_on_a_statutory_holiday(cast):
    message = _refusal(date(2027, 10, 2), OverrideKind.MAKEUP_WORKDAY, cast.bureau)
    assert "2027年10月2日（星期六）是法定节假日（国庆节），不能调休上班" in message
    _nothing_changed()


def test_it_refuses_the_same_date_twice(cast):
    _record(date(2026, 3, 6), OverrideKind.HOLIDAY, cast.bureau)
    message = _refusal(date(2026, 3, 6), OverrideKind.HOLIDAY, cast.bureau)
    assert "该日期已有一条日历调整" in message
    assert CalendarOverride.objects.count() == 1
    assert CalendarOverride.history.count() == 1


def test_it_refuses_a_year_the_calendar_cannot_answer_for(cast):
    message = _refusal(date(2051, 1, 2), OverrideKind.HOLIDAY, cast.bureau)
    assert "2004年至2050年" in message
    _nothing_changed()


def test_it_refuses_an_override_without_its_notice_or_name(cast):
    message = _refusal(date(2026, 3, 6), OverrideKind.HOLIDAY, cast.bureau, notice="  ")
    assert message == "此字段不能为空。"
    message = _refusal(date(2026, 3, 6), OverrideKind.HOLIDAY, cast.bureau, name="")
    assert message == "此字段不能为空。"
    _nothing_changed()


def test_it_refuses_an_unknown_kind(cast):
    _refusal(date(2026, 3, 6), "half_day", cast.bureau)
    _nothing_changed()


def test_it_keeps_the_calendar_unchanged_after_a_refusal(cast):
    _refusal(date(2026, 3, 3), OverrideKind.MAKEUP_WORKDAY, cast.bureau)
    assert is_working_day(date(2026, 3, 3))
    assert add_working_days(date(2026, 3, 2), 1) == date(2026, 3, 3)


# --- allowed, with a warning -----------------------------------------------------------------


def test_it_allows_but_warns_about_a_holiday_that_is_already_a_day_off(cast):
    override = _record(date(2026, 2, 16), OverrideKind.HOLIDAY, cast.bureau)
    assert "本来就是休息日" in " ".join(override.effect_warnings())


def test_it_allows_but_warns_about_a_makeup_day_the_library_already_has(cast):
    override = _record(date(2026, 2, 14), OverrideKind.MAKEUP_WORKDAY, cast.bureau)
    assert "本来就是调休上班日" in " ".join(override.effect_warnings())


def test_it_says_nothing_about_an_override_that_changes_a_day(cast):
    override = _record(date(2027, 2, 9), OverrideKind.HOLIDAY, cast.bureau)
    assert override.effect_warnings() == []


# --- calendar years ----------------------------------------------------------------------------


def test_it_refuses_to_confirm_a_year_without_its_notice(cast):
    with pytest.raises(ValidationError) as caught:
        confirm_year(year=2027, notice=" ", acting_user=cast.bureau)
    assert "请填写" in " ".join(caught.value.messages)
    assert not CalendarYear.objects.exists()


def test_it_confirms_a_year_once_and_updates_it_after(cast):
    confirm_year(year=2027, notice="甲", acting_user=cast.bureau)
    confirm_year(year=2027, notice="乙", acting_user=cast.bureau)
    year = CalendarYear.objects.get()
    assert (year.year, year.confirmed, year.notice) == (2027, True, "乙")
    assert year.history.count() == 2
    assert Event.objects.for_subject(year).count() == 2
