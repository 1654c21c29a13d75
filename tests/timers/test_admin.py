"""The bureau's clock admin: read-only, with breached / due-today filters, for the bureau only."""

from __future__ import annotations

import re

import pytest
import time_machine
from django.urls import reverse

from tests.factories import OrganisationFactory
from timers.registry import ONE_WORKING_DAY
from timers.services import meet_clock, pause_clocks, start_clock, sweep

from .conftest import at

NOW = at(2026, 3, 18, 9)
CHANGELIST = reverse("admin:timers_clock_changelist")


@pytest.fixture
def clocks(scene):
    """Due today 24:00 (open), due tomorrow (open), breached yesterday, met, paused."""
    subjects = OrganisationFactory.create_batch(5)
    kw = {"kind": ONE_WORKING_DAY, "responsible": scene.responsible, "started": at(2026, 3, 16, 9)}
    made = {
        "today": start_clock(subject=subjects[0], due=at(2026, 3, 19), **kw),
        "tomorrow": start_clock(subject=subjects[1], due=at(2026, 3, 20), **kw),
        "breached": start_clock(subject=subjects[2], due=at(2026, 3, 18), **kw),
        "met": start_clock(subject=subjects[3], due=at(2026, 3, 18, 17), **kw),
        "paused": start_clock(subject=subjects[4], due=at(2026, 3, 19), **kw),
    }
    with time_machine.travel(at(2026, 3, 18, 0, 1), tick=False):
        sweep()
    meet_clock(subject=subjects[3], kind=ONE_WORKING_DAY, at=at(2026, 3, 17, 15))
    pause_clocks(subject=subjects[4], at=at(2026, 3, 18, 8))
    return made


def listed(client, query: str = "") -> set[int]:
    with time_machine.travel(NOW, tick=False):
        response = client.get(CHANGELIST + query)
    assert response.status_code == 200
    return {clock.pk for clock in response.context["cl"].result_list}


def test_the_bureau_sees_every_clock_with_local_due_and_remaining(client, cast, clocks):
    client.force_login(cast.bureau)
    with time_machine.travel(NOW, tick=False):
        response = client.get(CHANGELIST)
    assert response.status_code == 200
    html = response.content.decode()
    assert "2026-03-18 24:00" in html  # due in Beijing time, midnight shown as 24:00
    assert "15 小时 0 分钟" in html  # remaining for the clock due tonight
    assert "超期 9 小时 0 分钟" in html  # the breached one, due 2026-03-17 24:00
    # Each row's state (the filters in the sidebar name the same states, so look in the rows).
    states = re.findall(r'<td class="field-state_display">(.*?)</td>', html, re.S)
    assert sorted(states) == sorted(["计时中", "计时中", "已超期", "已按时完成", "已暂停"])


def test_the_breached_filter_lists_only_breached_clocks(client, cast, clocks):
    client.force_login(cast.bureau)
    assert listed(client, "?breached=yes") == {clocks["breached"].pk}
    assert clocks["breached"].pk not in listed(client, "?breached=no")


def test_the_due_today_filter_uses_beijing_days(client, cast, clocks):
    client.force_login(cast.bureau)
    # today (24:00 tonight) and the paused one; the breached one ended at 24:00 yesterday.
    assert listed(client, "?due=today") == {
        clocks["today"].pk,
        clocks["paused"].pk,
        clocks["met"].pk,
    }
    assert listed(client, "?due=tomorrow") == {clocks["tomorrow"].pk}


def test_the_state_and_kind_filters(client, cast, clocks):
    client.force_login(cast.bureau)
    assert listed(client, "?state=met") == {clocks["met"].pk}
    assert listed(client, "?state=paused") == {clocks["paused"].pk}
    assert listed(client, "?state=running") == {clocks["today"].pk, clocks["tomorrow"].pk}
    assert listed(client, f"?kind={ONE_WORKING_DAY}") == {c.pk for c in clocks.values()}


def test_the_list_runs_a_fixed_number_of_queries(
    client, cast, clocks, django_assert_max_num_queries
):
    client.force_login(cast.bureau)
    listed(client)  # warm the content-type cache
    with django_assert_max_num_queries(14) as captured:
        listed(client)
    few = len(captured)
    for subject in OrganisationFactory.create_batch(10):
        start_clock(subject=subject, kind=ONE_WORKING_DAY, due=at(2026, 3, 25), responsible=None)
    with django_assert_max_num_queries(few):
        listed(client)


def test_the_bureau_can_read_a_clock_but_not_change_add_or_delete_it(client, cast, clocks):
    client.force_login(cast.bureau)
    clock = clocks["paused"]
    response = client.get(reverse("admin:timers_clock_change", args=[clock.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="_save"' not in html
    assert "2026-03-18 08:00" in html  # the paused span inline
    assert client.post(reverse("admin:timers_clock_change", args=[clock.pk]), {}).status_code == 403
    assert client.get(reverse("admin:timers_clock_add")).status_code == 403
    assert client.get(reverse("admin:timers_clock_delete", args=[clock.pk])).status_code == 403
    history = client.get(reverse("admin:timers_clock_history", args=[clock.pk]))
    assert history.status_code == 200


@pytest.mark.parametrize("who", ["purchaser", "agency", "supplier", "bank", "expert", "outsider"])
def test_no_one_but_the_bureau_reaches_the_clock_admin(client, cast, clocks, who):
    client.force_login(getattr(cast, who))
    change = reverse("admin:timers_clock_change", args=[clocks["today"].pk])
    for url in (CHANGELIST, change):
        response = client.get(url, follow=True)
        assert response.status_code == 403
        # Nothing of a clock shows: its due, as the bureau's list prints it, is not there.
        assert "2026-03-18 24:00" not in response.content.decode()


def test_staff_of_another_kind_gets_403(client, cast, clocks):
    cast.purchaser.is_staff = True  # the admin asks the rules, not the staff flag
    cast.purchaser.save()
    client.force_login(cast.purchaser)
    assert client.get(CHANGELIST, follow=True).status_code == 403
    change = reverse("admin:timers_clock_change", args=[clocks["today"].pk])
    assert client.get(change, follow=True).status_code == 403
