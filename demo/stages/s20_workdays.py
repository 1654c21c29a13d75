"""The working-day calendar (issue 3 §1): the bureau has entered the 2026 arrangement.

2026 is in the calendar library already; the row records the bureau's confirmation with the
notice it came from. The notice number below is the demo's own, not a citation. Nothing is
entered for 2027: its notice is not out, so the admin shows the bureau the provisional-year
warning, as it would in production.
"""

from __future__ import annotations

from workdays.models import CalendarYear
from workdays.services import confirm_year

from . import DemoContext

DEMO_NOTICE_2026 = "国办发明电〔2025〕7号（演示数据）"


def run(ctx: DemoContext) -> None:
    if not CalendarYear.objects.filter(year=2026, confirmed=True).exists():
        confirm_year(year=2026, notice=DEMO_NOTICE_2026, acting_user=ctx.users.get("bureau"))
    ctx.say("Calendar: 2026 confirmed (demo notice); 2027 left provisional, warned in the admin")
