"""The verifier against a DBA who edits, deletes and inserts rows with raw SQL."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from audit.models import GENESIS_HASH, Event
from audit.services import record_event
from audit.verify import ProblemKind, verify_chain

from .conftest import forged_copy, raw_delete, raw_insert, raw_update

pytestmark = pytest.mark.django_db


def run_command(*args: str) -> tuple[int, str]:
    from io import StringIO

    out = StringIO()
    try:
        call_command("verify_audit", *args, stdout=out)
    except CommandError as exc:
        return exc.returncode, out.getvalue() + str(exc)
    return 0, out.getvalue()


def only_problem(report):
    assert not report.ok
    assert len(report.problems) == 1, [p.message for p in report.problems]
    return report.problems[0]


def test_it_reports_an_intact_chain(chain):
    report = verify_chain()
    assert report.ok
    assert report.count == 5
    assert report.head_seq == 5
    assert report.head_hash == Event.objects.get(seq=5).hash
    code, out = run_command()
    assert code == 0
    assert "audit chain intact: 5 events" in out
    assert f"head: 5:{report.head_hash}" in out


def test_it_reports_an_empty_log_as_intact(db):
    code, out = run_command()
    assert code == 0
    assert "audit chain intact: 0 events" in out


def test_it_streams_the_chain_in_small_chunks(chain):
    assert verify_chain(chunk_size=2).ok


def test_it_finds_a_row_whose_data_was_edited(chain):
    raw_update(3, data={"n": 3, "budget": "9999999.00"})
    problem = only_problem(verify_chain())
    assert problem.kind == ProblemKind.EDITED
    assert problem.seq == 3
    assert problem.event_id == chain[2].pk
    assert problem.expected == chain[2].hash
    code, out = run_command()
    assert code == 1
    assert "audit chain BROKEN" in out
    assert "first at event #3" in out
    assert "event #3 was edited" in out


@pytest.mark.parametrize(
    "change",
    [
        {"action": "procurement.lot.cancelled"},
        {"actor": None},
        {"organisation": None},
        {"subject_repr": "另一个单位"},
        {"subject_object_id": "999"},
        {"created": dt.datetime(2020, 1, 1, tzinfo=dt.UTC)},
        {"hash": "f" * 64},
    ],
)
def test_it_finds_any_edited_column(chain, change):
    raw_update(2, **change)
    problem = verify_chain().first_problem
    assert problem.kind == ProblemKind.EDITED
    assert problem.seq == 2


def test_it_finds_a_row_rewritten_with_a_recomputed_hash_at_the_next_row(chain):
    # A careful forger recomputes row 3's own hash; row 4 still points at the old one.
    forged = forged_copy(chain[2], data={"n": 3, "budget": "1.00"})
    raw_update(3, data=forged.data, hash=forged.hash)
    problem = only_problem(verify_chain())
    assert problem.kind == ProblemKind.UNLINKED
    assert problem.seq == 4
    assert problem.found == chain[2].hash
    assert problem.expected == forged.hash


def test_it_finds_a_deleted_row_as_a_gap(chain):
    raw_delete(3)
    problem = only_problem(verify_chain())
    assert problem.kind == ProblemKind.GAP
    assert problem.seq == 3
    assert problem.next_seq == 4
    code, out = run_command()
    assert code == 1
    assert "event #3 is missing (deleted)" in out


def test_it_finds_several_deleted_rows(chain):
    raw_delete(2)
    raw_delete(3)
    problem = only_problem(verify_chain())
    assert (problem.kind, problem.seq, problem.next_seq) == (ProblemKind.GAP, 2, 4)
    with translation.override("en"):
        assert "events #2 to #3 are missing" in problem.message


def test_it_finds_the_first_row_deleted(chain):
    raw_delete(1)
    problem = only_problem(verify_chain())
    assert (problem.kind, problem.seq, problem.next_seq) == (ProblemKind.GAP, 1, 2)


def test_it_finds_a_row_inserted_at_the_end_that_does_not_link(chain):
    # A forged row with a correct hash of its own, chained to row 3 instead of the head (5).
    raw_insert(forged_copy(chain[4], seq=6, prev_hash=chain[2].hash, subject_repr="伪造"))
    problem = only_problem(verify_chain())
    assert problem.kind == ProblemKind.UNLINKED
    assert problem.seq == 6
    assert problem.expected == chain[4].hash
    assert problem.found == chain[2].hash


def test_it_finds_a_row_deleted_and_replaced_by_a_forgery(chain):
    # Row 3 is deleted and a forged row 3 inserted in its place, hashed and linked to row 2.
    raw_delete(3)
    raw_insert(forged_copy(chain[2], data={"n": 3, "budget": "1.00"}))
    problem = only_problem(verify_chain())
    assert problem.kind == ProblemKind.INSERTED
    assert problem.seq == 3
    assert problem.next_seq == 4
    assert problem.event_id == Event.objects.get(seq=3).pk != chain[2].pk
    code, out = run_command()
    assert code == 1
    assert "event #3 was inserted out of order" in out


def test_it_finds_a_row_with_a_seq_before_the_first(chain):
    raw_insert(forged_copy(chain[0], seq=0, prev_hash=GENESIS_HASH))
    report = verify_chain()
    assert report.first_problem.kind == ProblemKind.INSERTED
    assert report.first_problem.seq == 0


def test_it_reports_later_independent_problems_after_the_first(chain):
    raw_update(2, action="procurement.lot.cancelled")
    raw_delete(4)
    report = verify_chain()
    assert [(p.kind, p.seq) for p in report.problems] == [
        (ProblemKind.EDITED, 2),
        (ProblemKind.GAP, 4),
    ]


def test_it_keeps_verifying_events_appended_after_tampering(chain):
    raw_update(2, action="procurement.lot.cancelled")
    record_event(action="procurement.lot.closed", actor=None)
    report = verify_chain()
    assert [(p.kind, p.seq) for p in report.problems] == [(ProblemKind.EDITED, 2)]
    assert report.count == 6


def test_it_detects_removal_of_the_newest_rows_against_an_anchor(chain):
    anchor = f"5:{chain[4].hash}"
    assert run_command("--anchor", anchor)[0] == 0
    raw_delete(5)
    assert verify_chain().ok  # the chain alone cannot tell
    code, out = run_command("--anchor", anchor)
    assert code == 1
    assert "[anchor]" in out
    report = verify_chain(anchors={5: chain[4].hash})
    assert report.first_problem.kind == ProblemKind.ANCHOR


def test_it_refuses_a_malformed_anchor(chain):
    with pytest.raises(CommandError):
        call_command("verify_audit", "--anchor", "5:nothex")


def test_it_explains_problems_in_chinese_for_the_bureau(chain):
    raw_delete(3)
    with translation.override("zh-hans"):
        message = verify_chain().first_problem.message
    assert "缺失" in message
    assert "#3" in message
