"""Issue 17 §3: the chain is checked incrementally from the last intact check (the whole chain
stays an option, timed), and the admin's chain-check page never verifies inside a request: it
shows the last result and starts a check as a task, showing its progress."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from audit.models import ChainCheck, CheckMode, CheckStatus
from audit.services import record_event, request_check, run_check
from audit.verify import ProblemKind

from .conftest import make_chain, raw_delete, raw_update

pytestmark = pytest.mark.django_db


def run_command(*args: str) -> tuple[int, str]:
    out = StringIO()
    try:
        call_command("verify_audit", *args, stdout=out)
    except CommandError as exc:
        return exc.returncode, out.getvalue() + str(exc)
    return 0, out.getvalue()


def check(mode=CheckMode.INCREMENTAL) -> ChainCheck:
    done = ChainCheck.objects.create(mode=mode, requested=timezone.now())
    run_check(done)
    return done


def test_an_incremental_check_walks_only_the_events_after_the_last_intact_one(cast, chain):
    first = check()
    assert (first.status, first.from_seq, first.checked, first.head_seq) == ("intact", 0, 5, 5)
    make_chain(cast, 3)
    second = check()
    assert (second.status, second.from_seq, second.checked, second.head_seq) == ("intact", 5, 3, 8)
    nothing_new = check()
    assert (nothing_new.checked, nothing_new.head_seq) == (0, 8)


def test_it_finds_new_events_that_do_not_link_to_the_checkpoint(cast, chain):
    check()
    make_chain(cast, 2)
    raw_update(6, prev_hash="f" * 64)
    broken = check()
    assert broken.status == CheckStatus.BROKEN
    assert [(p["kind"], p["seq"]) for p in broken.problems] == [("edited", 6), ("unlinked", 6)]


def test_the_checkpoint_itself_must_still_be_there_unchanged(chain):
    check()
    raw_delete(5)
    broken = check()
    assert broken.status == CheckStatus.BROKEN
    assert [p["kind"] for p in broken.problems] == [ProblemKind.TRUNCATED]


def test_an_edit_before_the_checkpoint_takes_the_full_check(chain):
    check()
    raw_update(2, data={"n": 2, "budget": "1.00"})
    assert check().status == CheckStatus.INTACT  # the incremental check starts after #5
    full = check(CheckMode.FULL)
    assert full.status == CheckStatus.BROKEN
    assert full.problems[0]["seq"] == 2
    # A broken check is no checkpoint: the next incremental one starts from the last intact.
    assert check().from_seq == 5


def test_the_command_checks_incrementally_and_the_whole_chain_on_request_with_its_time(cast, chain):
    code, out = run_command()
    assert code == 0 and "incremental check, 5 events" in out and " s" in out
    make_chain(cast, 2)
    code, out = run_command()
    assert code == 0 and "2 events after checkpoint #5" in out
    code, out = run_command("--full")
    assert code == 0 and "full check, 7 events" in out
    assert ChainCheck.objects.filter(status="intact").count() == 3


def test_the_admin_page_never_verifies_inside_a_request(client, cast):
    client.force_login(cast.bureau)
    url = reverse("admin:audit_event_verify")

    def queries(events: int) -> int:
        make_chain(cast, events)
        client.get(url)
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url)
        assert response.status_code == 200
        return len(ctx.captured_queries)

    assert queries(2) == queries(30)  # nothing is walked: the same queries at any length
    assert not ChainCheck.objects.exists()
    assert "尚未检查" in client.get(url).content.decode()


def test_the_admin_starts_a_check_as_a_task_and_shows_its_result(
    client, cast, chain, django_capture_on_commit_callbacks
):
    client.force_login(cast.bureau)
    url = reverse("admin:audit_event_verify")
    with django_capture_on_commit_callbacks(execute=True):  # the task starts after the commit
        client.post(url, {"mode": "incremental"})
    body = client.get(url).content.decode()
    assert ChainCheck.objects.get().status == "intact"
    assert "审计链完整：共检查 5 条事件。" in body
    assert f"5:{chain[4].hash}" in body
    raw_update(3, data={"n": 3, "budget": "1.00"})
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"mode": "full"})
    body = client.get(url).content.decode()
    assert "#3" in body
    assert reverse("admin:audit_event_change", args=[chain[2].pk]) in body


def test_a_running_check_shows_its_progress_and_no_second_one_starts(client, cast, chain):
    running, started = request_check(mode=CheckMode.FULL, user=cast.bureau)  # on_commit: queued
    assert started
    ChainCheck.objects.filter(pk=running.pk).update(
        status=CheckStatus.RUNNING, from_seq=0, to_seq=200, checked=50
    )
    client.force_login(cast.bureau)
    url = reverse("admin:audit_event_verify")
    body = client.get(url).content.decode()
    assert 'http-equiv="refresh"' in body
    assert 'value="25"' in body  # the progress bar: 50 of 200
    client.post(url, {"mode": "full"})
    assert ChainCheck.objects.count() == 1
    assert request_check(mode=CheckMode.FULL)[1] is False


@pytest.mark.parametrize("role", ["purchaser", "supplier", "agency", "expert"])
def test_other_roles_can_neither_see_nor_start_a_check(client, cast, chain, role):
    client.force_login(getattr(cast, role))
    url = reverse("admin:audit_event_verify")
    assert client.get(url).status_code in (302, 403)
    assert client.post(url, {"mode": "full"}).status_code in (302, 403)
    assert not ChainCheck.objects.exists()


def test_a_new_event_after_the_check_is_not_lost(cast, chain):
    check()
    record_event(action="procurement.lot.closed", actor=None)
    assert check().head_seq == 6
