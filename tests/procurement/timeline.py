"""Fixed moments in Beijing time, so holiday rolls in the legal periods are deterministic."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

BEIJING = ZoneInfo("Asia/Shanghai")


def at(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=BEIJING)


# Monday 2 March 2026, 10:00: a tender issued now has its 20th day on Sunday 22 March, which
# rolls to Monday 23 March; the bid deadline may fall on that day (GPL Art 35; RULES.md R-T6).
NOW = at(2026, 3, 2, 10, 0)
EARLIEST_DEADLINE = at(2026, 3, 23, 0, 0)
DEADLINE = at(2026, 3, 24, 9, 30)
