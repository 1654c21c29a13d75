"""The random draw: who is a candidate, who is excluded and why, the size rules, the timing rule,
and the replay of a draw from its record."""

from __future__ import annotations

import datetime as dt
import io
import json
from decimal import Decimal

import pytest
import time_machine
from django.core.management import call_command

from audit.models import Event
from common.errors import DomainError, PermissionDenied, RulesBroken
from experts.models import DeclaredRelation, Draw, Member, MemberKind, MemberState, Unavailability
from experts.services import export, minimum_size, replay, size_problems
from experts.services.draw import pick
from notifications.models import Delivery, Notification
from timers.models import Clock

from .helpers import (
    DRAW_AT,
    EVALUATION,
    category_lot,
    experts,
    formed,
    make_expert,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def lot(cast):
    return category_lot(cast)


def test_it_draws_five_experts_and_invites_each_by_sms_and_inbox(cast, lot):
    pool = experts(8)
    committee = formed(lot, cast.purchaser)
    members = list(committee.members.all())
    assert len(members) == 5
    assert {m.state for m in members} == {MemberState.INVITED}
    assert {m.kind for m in members} == {MemberKind.EXPERT}
    draw = Draw.objects.get(committee=committee)
    assert draw.number == 1 and draw.seats == 5 and len(draw.seed) == 64  # secrets.token_hex(32)
    assert draw.record["candidates"] == [e.pk for e in pool]
    assert sorted(draw.record["drawn"]) == sorted(m.user.expert_profile.pk for m in members)
    told = Notification.objects.filter(kind="experts.invited")
    assert told.count() == 5
    assert Delivery.objects.filter(notification__in=told, channel="sms").count() == 5
    assert Clock.objects.filter(kind="experts.invitation", met_at=None).count() == 5
    assert members[0].respond_by == DRAW_AT + dt.timedelta(minutes=120)
    assert Event.objects.filter(action="experts.member.invited").count() == 5
    assert Event.objects.get(action="experts.draw.made").data["seed"] == draw.seed


def test_candidates_specialise_in_the_category_or_a_broader_one(cast, lot):
    exact = make_expert("exact", codes=["A02010104"])
    parent = make_expert("parent", codes=["A020101"])
    root = make_expert("root", codes=["A"])
    make_expert("sibling", codes=["A02010105"])
    make_expert("services", codes=["C16"])
    make_expert("suspended", codes=["A02010104"], status="suspended")
    away = make_expert("away", codes=["A02010104"])
    Unavailability.objects.create(expert=away, start=dt.date(2026, 3, 25), end=dt.date(2026, 3, 27))
    others = experts(2, prefix="x", codes=["A0201"])
    formed(lot, cast.purchaser)
    record = Draw.objects.get().record
    assert record["candidates"] == sorted([exact.pk, parent.pk, root.pk] + [e.pk for e in others])
    assert record["unavailable"] == [away.pk]
    assert record["category_codes"] == ["A02010104", "A020101", "A0201", "A02", "A"]


def test_conflicts_are_excluded_and_listed_with_their_reason(cast, lot):
    purchaser_org = lot.project.purchaser
    staff = make_expert("staff", works_for=purchaser_org)
    declared = make_expert("declared")
    DeclaredRelation.objects.create(expert=declared, name=purchaser_org.name, kind="family")
    old = make_expert("old")
    DeclaredRelation.objects.create(
        expert=old, organisation=purchaser_org, kind="employment", until=dt.date(2020, 1, 1)
    )
    pool = experts(5)
    formed(lot, cast.purchaser)
    record = Draw.objects.get().record
    excluded = {row["expert"]: row["reasons"] for row in record["excluded"]}
    assert set(excluded) == {staff.pk, declared.pk}
    assert excluded[staff.pk][0]["code"] == "employer_purchaser"
    assert "市教育局" in excluded[staff.pk][0]["text"]
    assert excluded[declared.pk][0]["code"] == "declared_relation"
    # An employment ended more than three years before is no conflict (IR Art 9(1)).
    assert old.pk in record["eligible"]
    assert set(record["drawn"]) <= {old.pk, *(e.pk for e in pool)}


def test_the_size_is_odd_at_least_five_and_seven_for_large_or_complex_lots(cast, lot):
    assert minimum_size(lot=lot, complex_or_high_impact=False) == 5
    assert minimum_size(lot=lot, complex_or_high_impact=True) == 7
    assert (
        size_problems(lot=lot, size=5, complex_or_high_impact=False, with_representative=True) == []
    )
    assert (
        len(size_problems(lot=lot, size=4, complex_or_high_impact=False, with_representative=False))
        == 1
    )
    assert (
        len(size_problems(lot=lot, size=5, complex_or_high_impact=True, with_representative=False))
        == 1
    )
    assert (
        size_problems(lot=lot, size=7, complex_or_high_impact=True, with_representative=True) == []
    )
    # One representative leaves the experts at least two thirds of any lawful size (4 of 5).
    lot.budget = Decimal("10000000.00")
    assert minimum_size(lot=lot, complex_or_high_impact=False) == 7
    lot.budget = Decimal("9999999.99")
    assert minimum_size(lot=lot, complex_or_high_impact=False) == 5


def test_the_representative_takes_a_seat_and_the_experts_the_rest(cast, lot):
    experts(6)
    committee = formed(lot, cast.purchaser, representative=cast.purchaser)
    assert committee.size == 5 and committee.expert_seats == 4
    rep = committee.members.get(kind=MemberKind.PURCHASER_REP)
    assert rep.user == cast.purchaser and rep.state == MemberState.ACCEPTED
    assert committee.members.filter(kind=MemberKind.EXPERT).count() == 4


def test_a_representative_from_elsewhere_is_refused(cast, lot):
    experts(6)
    with pytest.raises(RulesBroken, match="采购人|purchaser"):
        formed(lot, cast.purchaser, representative=cast.agency)


def test_the_draw_waits_until_two_working_days_before_the_evaluation(cast, lot):
    experts(6)
    friday = dt.datetime(2026, 3, 20, 2, 0, tzinfo=dt.UTC)
    with pytest.raises(RulesBroken) as refused:
        formed(lot, cast.purchaser, at=friday)
    assert "2026-03-23" in str(refused.value)
    assert "第十四条" in str(refused.value)
    # Remote evaluation is not bound by it (D198 Art 14).
    committee = formed(lot, cast.purchaser, at=friday, remote_evaluation=True)
    assert committee.remote_evaluation


def test_an_evaluation_before_the_opening_is_refused(cast, lot):
    experts(6)
    with pytest.raises(RulesBroken, match="开标|opening"):
        formed(lot, cast.purchaser, evaluation_at=dt.datetime(2026, 3, 24, 0, 0, tzinfo=dt.UTC))


def test_too_few_experts_refuses_the_draw_citing_self_selection(cast, lot):
    experts(4)
    with pytest.raises(DomainError, match="第四十八条"):
        formed(lot, cast.purchaser)
    assert not Draw.objects.exists()


@pytest.mark.parametrize("role", ["supplier", "expert", "bureau", "outsider", "purchaser2", "bank"])
def test_only_the_purchaser_or_agency_of_the_lot_draws(cast, lot, role):
    experts(6)
    with pytest.raises(PermissionDenied):
        formed(lot, getattr(cast, role))
    assert not Member.objects.exists()


def test_a_replay_gives_the_same_experts_and_another_seed_others(cast, lot):
    experts(20)
    committee = formed(lot, cast.purchaser, seed="a")
    draw = committee.draws.get()
    again = replay(draw)
    assert again.matches and again.replayed == draw.record["drawn"]
    assert replay(export(draw)).matches
    other = replay({"seed": "b", "record": draw.record})
    assert not other.matches and other.replayed != draw.record["drawn"]
    assert pick(draw.record["eligible"], 5, "b") == other.replayed


def test_a_tampered_record_does_not_replay(cast, lot):
    pool = experts(8)
    draw = formed(lot, cast.purchaser).draws.get()
    record = dict(draw.record)
    record["eligible"] = [pk for pk in record["eligible"] if pk != pool[0].pk]
    result = replay({"seed": draw.seed, "record": record})
    assert not result.matches and result.problems


def test_the_command_replays_a_draw_by_id_and_from_a_file(cast, lot, tmp_path):
    experts(8)
    draw = formed(lot, cast.purchaser).draws.get()
    out = io.StringIO()
    call_command("replay_draw", str(draw.pk), stdout=out)
    assert "MATCHES" in out.getvalue()
    path = tmp_path / "draw.json"
    document = export(draw)
    path.write_text(json.dumps(document), encoding="utf-8")
    out = io.StringIO()
    call_command("replay_draw", "--file", str(path), stdout=out)
    assert "MATCHES" in out.getvalue()
    document["seed"] = "forged"
    path.write_text(json.dumps(document), encoding="utf-8")
    with pytest.raises(SystemExit) as failed:
        call_command("replay_draw", "--file", str(path), stdout=io.StringIO())
    assert failed.value.code == 1


def test_the_evaluation_day_is_read_in_beijing(cast, lot):
    experts(6)
    away = make_expert("away")
    # 25 March 01:00 UTC is 25 March in Beijing: an absence on the 25th excludes.
    Unavailability.objects.create(expert=away, start=dt.date(2026, 3, 25), end=dt.date(2026, 3, 25))
    with time_machine.travel(DRAW_AT, tick=False):
        formed(lot, cast.purchaser, evaluation_at=EVALUATION)
    assert away.pk not in Draw.objects.get().record["candidates"]
