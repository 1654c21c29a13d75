"""The purchaser's dashboard (issue 12 §7): every open clock it answers for — overdue, due
today, later — with the stage, the matter, the due moment, how late and a link; nobody else's."""

from __future__ import annotations

import datetime as dt

import time_machine
from django.urls import reverse

from accounts.selectors import organisation_of
from contracts.services.clocks import SIGNING, SIGNING_LIMIT
from evaluation.services.report import RESULT_CLOCK
from procurement.services.announcements import BID_DEADLINE_CLOCK
from tests.factories import OrganisationFactory
from tests.timers.conftest import at
from timers.models import Clock
from timers.services import cancel_clock, meet_clock, start_clock, sweep

from .builders import NOTICE, drafted_contract, make_award

URL = reverse("contracts:dashboard")
NOW = at(2026, 3, 18, 9)


def add(responsible, kind=RESULT_CLOCK, *, due) -> tuple:
    subject = OrganisationFactory()
    clock = start_clock(
        subject=subject, kind=kind, due=due, responsible=responsible, started=at(2026, 3, 16, 9)
    )
    return subject, clock


def board(client, now=NOW):
    with time_machine.travel(now, tick=False):
        response = client.get(URL)
    assert response.status_code == 200
    return response.context["board"]


def ids(rows) -> list[int]:
    return [row.clock.pk for row in rows]


def test_it_lists_the_purchasers_open_clocks_overdue_due_today_and_later(client, cast):
    mine, other = organisation_of(cast.purchaser), organisation_of(cast.purchaser2)
    _s, overdue = add(mine, due=at(2026, 3, 17))
    _s, today = add(mine, due=at(2026, 3, 19))  # 24:00 tonight
    _s, later = add(mine, SIGNING, due=at(2026, 3, 20))
    met_subject, _met = add(mine, due=at(2026, 3, 19))
    meet_clock(subject=met_subject, kind=RESULT_CLOCK, at=at(2026, 3, 17))
    cancelled_subject, _c = add(mine, due=at(2026, 3, 19))
    cancel_clock(subject=cancelled_subject, kind=RESULT_CLOCK)
    add(other, due=at(2026, 3, 17))  # another purchaser's
    add(mine, BID_DEADLINE_CLOCK, due=at(2026, 3, 19))  # the server closes bidding itself
    sweep(NOW)
    client.force_login(cast.purchaser)
    found = board(client)
    assert ids(found.overdue) == [overdue.pk]
    assert ids(found.due_today) == [today.pk]
    assert ids(found.later) == [later.pk]
    assert found.overdue[0].late_by == "1 天 9 小时"
    assert found.due_today[0].late_by == ""
    with time_machine.travel(NOW, tick=False):
        html = client.get(URL).content.decode()
    assert html.count('data-testid="overdue-row"') == 1
    assert "2026-03-18 24:00" in html  # due tonight, in Beijing time


def test_the_signing_clock_of_an_award_links_to_the_drafting_then_to_the_contract(client, cast):
    award = make_award(cast)  # notice issued Thursday 2026-03-26 10:00: due Friday 24:00
    friday = NOTICE + dt.timedelta(days=1)
    client.force_login(cast.purchaser)
    found = board(client, friday)
    assert [row.clock.kind for row in found.due_today] == [SIGNING]
    assert [row.clock.kind for row in found.later] == [SIGNING_LIMIT]
    row = found.due_today[0]
    assert row.subject.url == reverse("contracts:draft", args=[award.pk])
    assert row.subject.label == str(award.lot)
    # The bureau reads the same clock on its dashboard, linked to the award notice.
    client.force_login(cast.bureau)
    with time_machine.travel(friday + dt.timedelta(days=1), tick=False):
        overview = client.get(reverse("supervision:dashboard")).context["overview"]
    assert [r.subject.url for r in overview.overdue] == [
        reverse("evaluation:award_notice", args=[award.pk])
    ]
    contract = drafted_contract(cast, award)
    client.force_login(cast.purchaser)
    row = board(client, friday).due_today[0]
    assert row.subject.url == reverse("contracts:detail", args=[contract.pk])
    assert client.get(row.subject.url).status_code == 200


def test_every_other_role_is_refused(client, cast):
    for name, user in cast.everyone().items():
        if name in {"purchaser", "purchaser2"}:
            continue
        client.force_login(user)
        assert client.get(URL).status_code == 403, name
    client.logout()
    assert client.get(URL).status_code == 302


def test_the_purchaser_reaches_it_from_its_home(client, cast):
    mine = organisation_of(cast.purchaser)
    add(mine, due=at(2026, 3, 17))
    add(mine, due=at(2026, 3, 19))
    add(mine, due=at(2026, 3, 19))
    client.force_login(cast.purchaser)
    with time_machine.travel(NOW, tick=False):
        html = client.get(reverse("accounts:home")).content.decode()
    assert 'data-testid="open-purchaser-dashboard"' in html and URL in html
    assert "超期未办 1 项，今日到期 2 项。" in html


def test_the_page_runs_a_fixed_number_of_queries(client, cast, django_assert_max_num_queries):
    mine = organisation_of(cast.purchaser)
    add(mine, due=at(2026, 3, 17))
    add(mine, SIGNING, due=at(2026, 3, 19))
    client.force_login(cast.purchaser)
    board(client)  # warm the content-type cache
    with django_assert_max_num_queries(20) as captured:
        board(client)
    few = len(captured)
    for n in range(15):
        add(mine, SIGNING if n % 2 else RESULT_CLOCK, due=at(2026, 3, 17 + n % 4))
    with django_assert_max_num_queries(few):
        found = board(client)
    assert found.total == Clock.objects.filter(responsible=mine).count()
