"""timers.subjects: each app names its clocks' subjects in bulk; a list costs one call per
kind or model, never one per clock."""

from __future__ import annotations

import pytest

from tests.factories import OrganisationFactory
from timers.registry import ONE_WORKING_DAY, register_clock_kind, unregister_clock_kind
from timers.services import start_clock
from timers.subjects import (
    ClockSubject,
    describe_subjects,
    register_clock_subjects,
    unregister_clock_subjects,
)

from .conftest import at

KIND = "tests.subjects"


@pytest.fixture
def kind():
    register_clock_kind(KIND, label="test kind")
    yield KIND
    unregister_clock_kind(KIND)
    unregister_clock_subjects(kinds=[KIND], models=["accounts.organisation"])


def start(kind: str):
    subject = OrganisationFactory()
    return subject, start_clock(subject=subject, kind=kind, due=at(2026, 3, 20), responsible=None)


def test_it_calls_a_kind_resolver_once_for_all_its_clocks(kind, cast):
    calls = []

    def resolve(ids, user):
        calls.append((list(ids), user))
        return {pk: ClockSubject(f"org {pk}", f"/orgs/{pk}/") for pk in ids}

    register_clock_subjects(resolve, kinds=[KIND])
    made = [start(KIND) for _ in range(3)]
    described = describe_subjects([clock for _s, clock in made], user=cast.bureau)
    assert len(calls) == 1 and calls[0][1] == cast.bureau
    assert sorted(calls[0][0]) == sorted(s.pk for s, _c in made)
    subject, clock = made[0]
    assert described[clock.pk] == ClockSubject(f"org {subject.pk}", f"/orgs/{subject.pk}/")


def test_a_kind_resolver_wins_over_the_model_resolver(kind, cast):
    register_clock_subjects(
        lambda ids, user: {pk: ClockSubject("by model") for pk in ids},
        models=["accounts.Organisation"],
    )
    _s, generic = start(ONE_WORKING_DAY)
    assert describe_subjects([generic], user=None)[generic.pk].label == "by model"
    register_clock_subjects(
        lambda ids, user: {pk: ClockSubject("by kind") for pk in ids}, kinds=[KIND]
    )
    _s, specific = start(KIND)
    described = describe_subjects([generic, specific], user=None)
    assert described[specific.pk].label == "by kind"
    assert described[generic.pk].label == "by model"


def test_without_a_resolver_the_subject_is_named_by_itself_without_a_link(
    kind, cast, django_assert_num_queries
):
    made = [start(KIND) for _ in range(4)]
    clocks = [clock for _s, clock in made]
    describe_subjects(clocks, user=None)  # warm the content-type cache
    with django_assert_num_queries(1):
        described = describe_subjects(clocks, user=None)
    subject, clock = made[0]
    assert described[clock.pk] == ClockSubject(subject.name, "")


def test_a_subject_the_resolver_does_not_know_is_named_by_type_and_id(kind, cast):
    register_clock_subjects(lambda ids, user: {}, kinds=[KIND])
    subject, clock = start(KIND)
    assert describe_subjects([clock], user=None)[clock.pk].label.endswith(f"#{subject.pk}")
