"""China's working-day calendar and the legal period rule: the one place that knows either.

Sources, highest first:
1. the bureau's override table (CalendarOverride), entered from the State Council notice;
2. the `chinese_calendar` library (official arrangements, 2004 to 2026 in 1.11.0);
3. the statutory rule (weekends plus the 13 statutory holiday days, workdays/base.py).

A day decided by 3 in a year the bureau has not confirmed (CalendarYear.confirmed) is
*provisional*: RULES.md §2.2 advises failing closed, but issue 3 asks the calendar to keep
answering, mark the result provisional and warn the bureau in the admin. Callers that store a
deadline check `is_provisional()` on its day and show "暂定" beside it.

Two shapes of legal time, both counted the same way (RULES.md §2.1; 《政府采购货物和服务招标投标
管理办法》（财政部令第87号）第八十五条、第八十六条; 《政府采购质疑和投诉办法》（财政部令第94号）
第四十二条; 民法典 Arts 201-203): the start day is not counted; the n-th day after it is the
last day; a calendar-day count whose last day is not a working day ends on the next working day.

1. A period within which someone must act (a reply within 7 working days, an announcement
   period of 5 working days): the last day ends at 24:00 Beijing time (R-T1, R-T4).
   `period_end` returns 24:00 as 00:00 of the following day in Asia/Shanghai, so the period is
   kept by anything that happens strictly before it (`moment < due`) — one exact, comparable
   instant with no 23:59:59.999 rounding.
2. A minimum interval between two acts ("从A之日起至B之日止不得少于N日", "B前至少N日",
   "不得晚于B前N日"): the later act B may fall *on* the last day, at any time of it (R-T6;
   "不少于" includes the number, O87 Art 86). `earliest_after_interval` returns 00:00 of the
   last day: B is allowed from that moment on (`moment >= earliest`). Reading an interval as a
   period would refuse every lawful B on the last day, and after a holiday push B a further
   working day.

The override table and the confirmed years are cached in each process (the calendar is called
in hot paths; no public function queries the database per day). A save or delete in this
process drops the cache at once; when its transaction commits it also renews a version stamp
that other processes read at most every few seconds, without a query: one in the shared Django
cache (Redis: every host) and one in a file under VAR_DIR (the processes of one machine, which
is all the embedded default has, whose LocMem cache is not shared). Nothing else reloads the
tables, so a process never queries the calendar tables at a random moment.
"""

from __future__ import annotations

import logging
import threading
import time
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.utils import timezone

from . import base

__all__ = [
    "SHANGHAI",
    "add_working_days",
    "earliest_after_interval",
    "end_of_next_working_day",
    "is_provisional",
    "is_working_day",
    "interval_last_day",
    "period_end",
    "provisional_years",
]

logger = logging.getLogger(__name__)

SHANGHAI = ZoneInfo("Asia/Shanghai")

HOLIDAY = "holiday"  # OverrideKind.HOLIDAY; the model is imported lazily (app loading).
MAKEUP_WORKDAY = "makeup_workday"

_VERSION_KEY = "workdays:calendar-version"
_VERSION_CHECK_SECONDS = 5.0


@dataclass(frozen=True)
class _Snapshot:
    overrides: Mapping[date, str]
    confirmed_years: frozenset[int]
    version: tuple[str | None, str | None]


_lock = threading.Lock()
_snapshot: _Snapshot | None = None
_checked_at = 0.0
# A write in this process whose transaction has not ended yet: read through, cache nothing.
_pending_write = False
_warned_years: set[int] = set()


# --- the public functions ----------------------------------------------------------------


def is_working_day(day: date) -> bool:
    """Whether `day` is a working day (工作日): overrides, then the library, then the rule."""
    return _is_working_day(_check_date(day), _current())


def add_working_days(day: date, n: int) -> date:
    """The last day of a period of `n` working days that starts after `day` (not counted)."""
    _check_date(day)
    if n < 1:
        raise ValueError("a period of working days has at least one day")
    return _add_working_days(day, n, _current())


def period_end(start: datetime, n: int, *, working: bool) -> datetime:
    """The aware moment (Asia/Shanghai) at which a period of `n` days starting at `start` ends.

    For a period within which someone must act. The last day (see `interval_last_day`) ends at
    24:00, returned as 00:00 of the following day: the period is kept strictly before it.
    """
    return _midnight_after(interval_last_day(start, n, working=working))


def earliest_after_interval(start: datetime, n: int, *, working: bool) -> datetime:
    """The first moment an act may follow an act at `start` with at least `n` days between.

    For a minimum interval ("从A之日起至B之日止不得少于N日", "B前至少N日"; RULES.md R-T6): the
    later act may fall on the interval's last day, so it is allowed from 00:00 of that day on.
    Documents issued on 3月11日 allow a bid deadline at 09:30 on 3月31日 (20 days); a change
    published on 3月2日 is in time for a deadline on 3月17日 (15 days).
    """
    return _start_of(interval_last_day(start, n, working=working))


def interval_last_day(start: datetime, n: int, *, working: bool) -> date:
    """The last day of `n` days counted from `start` (an aware moment).

    1. The day of `start` (in Beijing time) is not counted.
    2. Working days: the last day is the n-th working day after it (make-up days count).
       Calendar days: the last day is n days after it; if that is not a working day, the
       last day moves to the next working day (O87 Art 85; 民法典 Art 203).
    """
    if n < 1:
        raise ValueError("a period has at least one day")
    start_day = _local_day(start)
    snapshot = _current()
    if working:
        return _add_working_days(start_day, n, snapshot)
    last = start_day + timedelta(days=n)
    while not _is_working_day(last, snapshot):
        last += timedelta(days=1)
    return last


def end_of_next_working_day(moment: datetime) -> datetime:
    """When a "one working day" clock started at `moment` is due: 24:00 of the next working day."""
    return _midnight_after(_add_working_days(_local_day(moment), 1, _current()))


def is_provisional(day: date) -> bool:
    """Whether `day` was decided by the statutory rule in a year the bureau has not confirmed.

    For a deadline `due` from period_end(), `is_provisional(due.astimezone(SHANGHAI).date())`
    errs on the safe side: it also flags a period whose last day is 31 December before an
    unconfirmed year.
    """
    _check_date(day)
    if base.library_covers(day.year):
        return False
    return day.year not in _current().confirmed_years


def provisional_years(until: int) -> list[int]:
    """The years from this year (Beijing time) to `until` that are still provisional."""
    this_year = timezone.now().astimezone(SHANGHAI).year
    confirmed = _current().confirmed_years
    return [
        year
        for year in range(this_year, until + 1)
        if not base.library_covers(year) and year not in confirmed
    ]


# --- the computation ---------------------------------------------------------------------


def _check_date(day: date) -> date:
    # A datetime is a date too, but its calendar day depends on the time zone: make callers say.
    if isinstance(day, datetime) or not isinstance(day, date):
        raise TypeError("pass a date; convert a moment with .astimezone(SHANGHAI).date()")
    base.check_year(day.year)
    return day


def _local_day(moment: datetime) -> date:
    if timezone.is_naive(moment):
        raise ValueError("the calendar needs an aware datetime")
    return moment.astimezone(SHANGHAI).date()


def _start_of(day: date) -> datetime:
    return datetime.combine(day, datetime.min.time(), tzinfo=SHANGHAI)


def _midnight_after(day: date) -> datetime:
    return _start_of(day + timedelta(days=1))


def _is_working_day(day: date, snapshot: _Snapshot) -> bool:
    kind = snapshot.overrides.get(day)
    if kind == HOLIDAY:
        return False
    if kind == MAKEUP_WORKDAY:
        return True
    if not base.library_covers(day.year):
        base.check_year(day.year)
        if day.year not in snapshot.confirmed_years and day.year not in _warned_years:
            _warned_years.add(day.year)
            logger.warning(
                "workdays: %s is not in the calendar library and not confirmed by the bureau; "
                "its days are computed by the statutory rule and are provisional",
                day.year,
            )
    return base.base_is_working_day(day)


def _add_working_days(day: date, n: int, snapshot: _Snapshot) -> date:
    current = day
    remaining = n
    while remaining:
        current += timedelta(days=1)
        if _is_working_day(current, snapshot):
            remaining -= 1
    return current


# --- the per-process cache ---------------------------------------------------------------


def _stamp_path() -> Path:
    return Path(settings.VAR_DIR) / "workdays-calendar.version"


def _version() -> tuple[str | None, str | None]:
    """The stamps a committed change renews: (shared cache, machine-local file)."""
    try:
        shared = cache.get(_VERSION_KEY)
    except Exception:  # the cache is down: keep serving what we have, the file still works
        logger.exception("workdays: cannot read the calendar version from the cache")
        shared = None
    try:
        local = _stamp_path().read_text(encoding="ascii")
    except OSError:
        local = None
    return shared, local


def _load() -> _Snapshot:
    from .models import CalendarOverride, CalendarYear

    # Read the version first: a change that lands after this read renews it again.
    version = _version()
    overrides = dict(CalendarOverride.objects.values_list("date", "kind"))
    confirmed = frozenset(
        CalendarYear.objects.filter(confirmed=True).values_list("year", flat=True)
    )
    return _Snapshot(overrides, confirmed, version)


def _current() -> _Snapshot:
    global _snapshot, _checked_at, _pending_write
    if _pending_write:
        if connection.in_atomic_block:
            # Our own uncommitted write: see it, but cache nothing a rollback could falsify.
            return _load()
        _pending_write = False  # the transaction ended (a commit already dropped the cache)
        _snapshot = None
    now = time.monotonic()
    snapshot = _snapshot
    if snapshot is not None and now - _checked_at >= _VERSION_CHECK_SECONDS:
        _checked_at = now
        if _version() != snapshot.version:
            snapshot = None
    if snapshot is None:
        with _lock:
            snapshot = _load()
            _snapshot = snapshot
            _checked_at = now
    return snapshot


def forget() -> None:
    """Drop this process's cached tables; the next call reloads them."""
    global _snapshot, _pending_write
    _snapshot = None
    _pending_write = False


def calendar_changed(**kwargs) -> None:
    """Signal receiver: an override or a calendar year was saved or deleted."""
    global _snapshot, _pending_write
    _snapshot = None
    _pending_write = True
    transaction.on_commit(_committed)


def _committed() -> None:
    global _snapshot, _pending_write
    token = uuid.uuid4().hex
    try:
        cache.set(_VERSION_KEY, token, timeout=None)
    except Exception:
        logger.exception("workdays: cannot publish the calendar version to the cache")
    try:
        path = _stamp_path()
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(token, encoding="ascii")
    except OSError:
        logger.exception("workdays: cannot write the calendar version file")
    _snapshot = None
    _pending_write = False
