"""The demo stage makes a running, a breached and a met clock, once."""

from __future__ import annotations

from demo.stages import DemoContext, s10_accounts, s40_timers
from notifications.models import Notification
from timers.models import Clock, ClockState


def test_the_demo_stage_makes_three_clocks_and_is_idempotent(db):
    for _ in range(2):
        ctx = DemoContext()
        s10_accounts.run(ctx)
        s40_timers.run(ctx)
    states = {clock.responsible.name: clock.state for clock in Clock.objects.all()}
    assert states == {
        "平顶山市教育局": ClockState.RUNNING,
        "平顶山市卫生健康委员会": ClockState.BREACHED,
        "平顶山学院": ClockState.MET,
    }
    assert Notification.objects.filter(kind="timers.breach").count() == 1  # the bureau's one user
