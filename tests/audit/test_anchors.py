"""Issue 16 §4: the head of the chain is published every day and at every opening, on the
portal and in feeds; verify_audit checks the chain against the published heads (and copies kept
outside the database) and finds the newest rows deleted or a whole tail rewritten."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import translation

from audit.models import Anchor, AnchorReason
from audit.services import join_unsealed_events, record_event
from audit.tasks import verify_audit_chain
from audit.verify import ProblemKind, verify_chain

from .conftest import raw_delete, raw_delete_anchors, raw_rewrite_tail

pytestmark = pytest.mark.django_db


def run_command(*args: str) -> tuple[int, str]:
    out = StringIO()
    try:
        call_command("verify_audit", *args, stdout=out)
    except CommandError as exc:
        return exc.returncode, out.getvalue() + str(exc)
    return 0, out.getvalue()


def test_the_daily_job_publishes_the_verified_head(chain):
    assert settings.CELERY_BEAT_SCHEDULE["audit-verify-daily"]["task"] == verify_audit_chain.name
    verify_audit_chain.delay()
    anchor = Anchor.objects.get()
    assert (anchor.seq, anchor.hash, anchor.reason) == (5, chain[4].hash, AnchorReason.DAILY)


def test_a_broken_chain_gets_no_published_head(chain):
    from .conftest import raw_update

    raw_update(3, data={"n": 3, "budget": "1.00"})
    verify_audit_chain.delay()
    assert not Anchor.objects.exists()


def test_an_opening_publishes_the_head_after_its_events(chain, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        record_event(action="procurement.lot.closed", actor=None, sealed=True)
        join_unsealed_events()
    anchor = Anchor.objects.get()
    assert anchor.reason == AnchorReason.OPENING and anchor.seq == 6


def test_the_portal_publishes_the_heads_in_a_page_and_two_feeds(client, chain):
    verify_audit_chain.delay()
    line = f"5:{chain[4].hash}"
    page = client.get(reverse("portal:audit_anchors"))
    assert page.status_code == 200 and line in page.content.decode()
    atom = client.get(reverse("portal:audit_anchors_feed"))
    assert atom["Content-Type"].startswith("application/atom+xml") and line in atom.content.decode()
    feed = client.get(reverse("portal:audit_anchors_json")).json()
    assert feed["version"] == "https://jsonfeed.org/version/1.1"
    assert [item["content_text"] for item in feed["items"]] == [line]
    # Linked from every page's footer.
    assert reverse("portal:audit_anchors") in client.get(reverse("portal:home")).content.decode()


def test_the_heads_page_runs_one_query_whatever_their_number(
    client, chain, django_assert_num_queries
):
    for _ in range(3):
        verify_audit_chain.delay()
    with django_assert_num_queries(1):
        client.get(reverse("portal:audit_anchors"))


def test_deleting_the_newest_rows_is_found_as_truncation(chain):
    verify_audit_chain.delay()  # publishes 5
    raw_delete(5)
    raw_delete(4)
    report = verify_chain()
    assert [(p.kind, p.seq) for p in report.problems] == [(ProblemKind.TRUNCATED, 5)]
    assert "#3" in report.problems[0].message
    code, out = run_command()
    assert code == 1 and "[truncated]" in out


def test_a_rewritten_tail_is_found_against_the_published_head(chain):
    verify_audit_chain.delay()  # publishes 5
    raw_rewrite_tail(3, data={"n": 3, "budget": "1.00"})
    assert verify_chain(use_published=False).ok  # the chain alone looks intact
    report = verify_chain(use_published=True)
    assert [(p.kind, p.seq) for p in report.problems] == [(ProblemKind.ANCHOR, 5)]
    with translation.override("en"):
        assert "rewritten" in report.problems[0].message
    code, out = run_command("--full")
    assert code == 1 and "[anchor]" in out


def test_a_kept_copy_of_the_feed_finds_both_when_the_database_copy_is_gone_too(
    client, chain, tmp_path
):
    verify_audit_chain.delay()
    kept = tmp_path / "anchors.json"
    kept.write_text(json.dumps(client.get(reverse("portal:audit_anchors_json")).json()))
    atom = tmp_path / "anchors.atom"
    atom.write_bytes(client.get(reverse("portal:audit_anchors_feed")).content)

    raw_rewrite_tail(4, data={"n": 4, "budget": "1.00"})
    raw_delete_anchors()  # the forger also removed the database's copy of the heads
    assert verify_chain().ok
    for path in (kept, atom):
        code, out = run_command("--full", "--anchors-file", str(path))
        assert code == 1 and "[anchor]" in out, out

    raw_delete(5)
    code, out = run_command("--full", "--anchors-file", str(kept))
    assert code == 1 and "[truncated]" in out
