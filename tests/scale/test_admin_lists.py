"""The bureau's long admin lists at any volume (issue 17 §2): a fixed number of queries, a count
that stops at its cap, filters that never read the distinct values of the table, searches that
ask one indexed condition."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import Organisation
from audit.models import Event
from audit.services import record_event
from common.admin import CappedCountPaginator
from notifications.models import Notification
from timers.models import Clock

pytestmark = pytest.mark.django_db


def add_events(cast, n: int) -> None:
    org = cast.purchaser.memberships.get().organisation
    for i in range(n):
        record_event(
            action="procurement.lot.announced",
            actor=cast.purchaser,
            organisation=org,
            subject=org,
            data={"n": i},
        )


def add_notifications(cast, n: int) -> None:
    Notification.objects.bulk_create(
        Notification(recipient=cast.supplier, kind="timers.reminder", title=f"提醒 {i}")
        for i in range(n)
    )


def add_clocks(cast, n: int) -> None:
    org = cast.purchaser.memberships.get().organisation
    kind = ContentType.objects.get_for_model(Organisation)
    now = timezone.now()
    Clock.objects.bulk_create(
        Clock(
            subject_type=kind,
            subject_id=org.pk,
            kind="contracts.signing",
            started=now,
            due=now + timedelta(hours=i + 1),
            met_at=now,
            responsible=org,
        )
        for i in range(n)
    )


LISTS = {
    "admin:audit_event_changelist": (
        add_events,
        [
            {},
            {"p": "2"},
            {"action_prefix": "procurement.lot"},
            {"organisation__id__exact": "1"},
            {"created__gte": "2000-01-01"},
            {"q": "procurement.lot"},
            {"q": "42"},
            {"q": "采购单位"},
        ],
    ),
    "admin:notifications_notification_changelist": (
        add_notifications,
        [{}, {"p": "2"}, {"read": "no"}, {"kind": "timers.reminder"}, {"q": "提醒"}],
    ),
    "admin:timers_clock_changelist": (
        add_clocks,
        [{}, {"p": "2"}, {"state": "met"}, {"kind": "contracts.signing"}, {"q": "采购"}],
    ),
    "admin:bidding_bid_changelist": (None, [{}, {"state": "valid"}, {"q": "供应商"}]),
}


def queries(client, url: str, params: dict) -> list[str]:
    client.get(url, params)  # warm the per-process caches (content types, session)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url, params).status_code == 200
    return [q["sql"] for q in ctx.captured_queries]


@pytest.mark.parametrize("name", list(LISTS))
def test_each_long_list_runs_the_same_queries_at_any_volume(client, cast, name):
    add, variants = LISTS[name]
    client.force_login(cast.bureau)
    url = reverse(name)
    if add is not None:
        add(cast, 60)  # more than a page
    before = {str(params): len(queries(client, url, params)) for params in variants}
    if add is not None:
        add(cast, 120)
    after = {str(params): len(queries(client, url, params)) for params in variants}
    assert before == after


@pytest.mark.parametrize("name", list(LISTS))
def test_no_list_counts_or_reads_distinct_values_over_the_whole_table(client, cast, name):
    add, variants = LISTS[name]
    client.force_login(cast.bureau)
    if add is not None:
        add(cast, 5)
    table = {
        "admin:audit_event_changelist": "audit_event",
        "admin:notifications_notification_changelist": "notifications_notification",
        "admin:timers_clock_changelist": "timers_clock",
        "admin:bidding_bid_changelist": "bidding_bid",
    }[name]
    for params in variants:
        for sql in queries(client, reverse(name), params):
            if f'FROM "{table}"' not in sql:
                continue
            assert "DISTINCT" not in sql.upper(), sql
            if sql.upper().startswith("SELECT COUNT("):
                # A count over the list's own rows is always bounded by a LIMIT (the cap).
                assert "LIMIT" in sql.upper(), sql


def test_the_count_stops_at_its_cap_and_the_page_says_so(client, cast, monkeypatch):
    monkeypatch.setattr(CappedCountPaginator, "cap", 20)
    add_events(cast, 30)
    client.force_login(cast.bureau)
    response = client.get(reverse("admin:audit_event_changelist"), {"q": "procurement.lot"})
    body = response.content.decode()
    assert response.context["cl"].paginator.count == 21
    assert "超过 20" in body
    # Below the cap the count is exact.
    response = client.get(reverse("admin:audit_event_changelist"), {"q": "999999"})
    assert response.context["cl"].paginator.count == 0
    assert not response.context["cl"].paginator.capped


def test_the_event_search_reads_numbers_codes_usccs_and_names(client, cast):
    add_events(cast, 3)
    record_event(action="timers.clock.breached", actor=None)
    org = cast.purchaser.memberships.get().organisation
    client.force_login(cast.bureau)
    url = reverse("admin:audit_event_changelist")

    def seqs(q: str) -> set[int]:
        return {e.seq for e in client.get(url, {"q": q}).context["cl"].result_list}

    assert seqs("2") >= {2}  # the sequence number (and any subject whose id is 2)
    assert seqs("timers.clock") == {4}
    assert seqs(org.uscc) == {1, 2, 3}
    assert seqs(org.name[:4]) == {1, 2, 3}
    assert seqs("procurement.lot.announced") == {1, 2, 3}
    assert Event.objects.count() == 4


def test_other_roles_get_no_long_list(client, cast):
    for user in (cast.purchaser, cast.supplier, cast.agency, cast.expert):
        client.force_login(user)
        for name in LISTS:
            response = client.get(reverse(name))
            assert response.status_code in (302, 403), (user, name)
            assert not re.search(r"result_list", response.content.decode())
