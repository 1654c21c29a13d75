from __future__ import annotations

import datetime as dt
import hashlib
import json
import uuid
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.contenttypes.models import ContentType
from django.db import transaction

from accounts.models import Organisation
from audit.models import (
    GENESIS_HASH,
    AppendOnlyError,
    Event,
    canonical_content,
    sha256_hex,
)
from audit.services import record_event
from tests.factories import OrganisationFactory

from .conftest import make_chain

pytestmark = pytest.mark.django_db


def test_it_chains_each_event_to_the_one_before(cast):
    events = make_chain(cast, 4)
    assert [e.seq for e in events] == [1, 2, 3, 4]
    assert events[0].prev_hash == GENESIS_HASH
    for before, after in zip(events, events[1:], strict=False):
        assert after.prev_hash == before.hash
    assert len({e.hash for e in events}) == 4
    for event in Event.objects.all():
        assert event.hash == event.compute_hash()


def test_it_records_actor_organisation_subject_and_data(cast):
    org = OrganisationFactory(name="郑州某某有限公司")
    event = record_event(
        action="accounts.organisation.created",
        actor=cast.bureau,
        organisation=org,
        subject=org,
        data={"uscc": org.uscc},
    )
    event.refresh_from_db()
    assert event.action == "accounts.organisation.created"
    assert event.actor == cast.bureau
    assert event.organisation == org
    assert event.subject == org
    assert event.subject_content_type == ContentType.objects.get_for_model(Organisation)
    assert event.subject_object_id == str(org.pk)
    assert event.subject_repr == "郑州某某有限公司"
    assert event.data == {"uscc": org.uscc}
    assert event.created.tzinfo is not None
    assert list(Event.objects.for_subject(org)) == [event]


def test_it_keeps_the_subject_text_as_it_was_when_recorded(cast):
    org = OrganisationFactory(name="旧名称")
    event = record_event(action="accounts.organisation.created", actor=None, subject=org)
    org.name = "新名称"
    org.save()
    event.refresh_from_db()
    assert event.subject_repr == "旧名称"
    assert event.hash == event.compute_hash()


def test_it_treats_an_anonymous_visitor_as_no_actor():
    event = record_event(action="portal.search.performed", actor=AnonymousUser())
    assert event.actor is None


def test_it_pins_the_canonical_content_an_outside_verifier_recomputes():
    created = dt.datetime(2026, 1, 2, 3, 4, 5, 123456, tzinfo=ZoneInfo("Asia/Shanghai"))
    content = canonical_content(
        seq=1,
        action="accounts.organisation.created",
        actor_id=7,
        organisation_id=3,
        subject_type="accounts.organisation",
        subject_id="3",
        subject_repr="市教育局",
        data={"b": "1.50", "a": [1, "x", None, True]},
        created=created,
        prev_hash=GENESIS_HASH,
    )
    expected = (
        '{"action":"accounts.organisation.created","actor":"7",'
        '"created":"2026-01-01T19:04:05.123456+00:00","data":{"a":[1,"x",null,true],"b":"1.50"},'
        f'"organisation":"3","prev_hash":"{"0" * 64}","seq":"1","subject_id":"3",'
        '"subject_repr":"市教育局","subject_type":"accounts.organisation","v":"1"}'
    )
    assert content == expected.encode("utf-8")
    assert sha256_hex(content) == hashlib.sha256(expected.encode("utf-8")).hexdigest()


def test_it_stores_data_so_that_the_hash_survives_the_database_round_trip(cast):
    moment = dt.datetime(2026, 10, 1, 8, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
    identifier = uuid.UUID("12345678-1234-5678-1234-567812345678")
    event = record_event(
        action="procurement.lot.announced",
        actor=cast.purchaser,
        data={
            "budget": Decimal("1234567.50"),
            "round": Decimal("1E+2"),
            "deadline": moment,
            "day": dt.date(2026, 10, 8),
            "period": dt.timedelta(days=20),
            "id": identifier,
            "score": 85.5,
            "huge": 1e100,
            "nested": {"名称": ["甲", {"z": 1, "a": None}]},
            7: "integer key",
        },
    )
    stored = Event.objects.get(pk=event.pk)
    assert stored.data == {
        "budget": "1234567.50",
        "round": "100",
        "deadline": "2026-10-01T00:00:00.000000+00:00",
        "day": "2026-10-08",
        "period": "P20DT00H00M00S",
        "id": "12345678-1234-5678-1234-567812345678",
        "score": "85.5",
        "huge": "1e+100",
        "nested": {"名称": ["甲", {"z": 1, "a": None}]},
        "7": "integer key",
    }
    assert stored.data == event.data
    assert stored.compute_hash() == stored.hash == event.hash


@pytest.mark.parametrize(
    "data",
    [
        {"when": dt.datetime(2026, 1, 1, 8, 0)},  # naive
        {"money": Decimal("NaN")},
        {"x": float("nan")},
        {"obj": object()},
        ["not", "a", "dict"],
    ],
)
def test_it_refuses_data_it_cannot_store_faithfully(cast, data):
    with pytest.raises((TypeError, ValueError)):
        record_event(action="procurement.lot.announced", actor=None, data=data)
    assert not Event.objects.exists()


def test_it_refuses_a_model_instance_in_data(cast):
    with pytest.raises(TypeError, match="pk"):
        record_event(action="procurement.lot.announced", actor=None, data={"user": cast.bureau})


@pytest.mark.parametrize(
    "action",
    [
        "",
        "created",
        "accounts.created",  # needs <app>.<object>.<verb>
        "Accounts.Organisation.Created",
        "accounts..created",
        "accounts.organisation.created.",
        "nosuchapp.thing.done",  # not an installed app
        "accounts.organisation created",
        "accounts." + "x" * 100 + ".done",
    ],
)
def test_it_refuses_a_malformed_action(action):
    with pytest.raises(ValueError, match="action"):
        record_event(action=action, actor=None)
    assert not Event.objects.exists()


def test_it_refuses_an_unsaved_subject():
    with pytest.raises(ValueError, match="saved"):
        record_event(
            action="accounts.organisation.created", actor=None, subject=Organisation(name="x")
        )


def test_it_joins_the_callers_transaction_and_rolls_back_with_it(cast):
    with pytest.raises(RuntimeError), transaction.atomic():
        record_event(action="procurement.lot.announced", actor=None)
        raise RuntimeError("the write the event describes failed")
    assert not Event.objects.exists()
    event = record_event(action="procurement.lot.announced", actor=None)
    assert event.seq == 1
    assert event.prev_hash == GENESIS_HASH


def test_it_refuses_to_change_a_saved_event(chain):
    event = Event.objects.get(seq=2)
    event.action = "procurement.lot.cancelled"
    with pytest.raises(AppendOnlyError):
        event.save()
    assert Event.objects.get(seq=2).action == "procurement.lot.announced"


def test_it_refuses_to_delete_an_event(chain):
    with pytest.raises(AppendOnlyError):
        Event.objects.get(seq=2).delete()
    assert Event.objects.count() == 5


@pytest.mark.parametrize(
    "operation",
    [
        lambda qs: qs.update(action="procurement.lot.cancelled"),
        lambda qs: qs.delete(),
        lambda qs: qs.bulk_update(list(qs), ["action"]),
        lambda qs: qs.bulk_create([Event(seq=99)]),
        lambda qs: Event._base_manager.filter(seq=1).delete(),
        lambda qs: Event._base_manager.update(subject_repr=""),
    ],
)
def test_it_refuses_bulk_writes_on_the_log(chain, operation):
    with pytest.raises(AppendOnlyError):
        operation(Event.objects.filter(seq__gte=2))
    assert Event.objects.count() == 5
    assert set(Event.objects.values_list("action", flat=True)) == {"procurement.lot.announced"}


def test_it_refuses_an_event_saved_without_record_event(cast):
    event = Event(seq=1, action="procurement.lot.announced", prev_hash=GENESIS_HASH, hash="0" * 64)
    with pytest.raises(AppendOnlyError, match="record_event"):
        event.save()
    assert not Event.objects.exists()


def test_it_keeps_events_when_someone_tries_to_delete_their_organisation(cast):
    from django.db.models import ProtectedError

    org = OrganisationFactory()
    record_event(action="accounts.organisation.created", actor=None, organisation=org)
    with pytest.raises(ProtectedError):
        org.delete()
    assert Event.objects.count() == 1


def test_data_written_by_json_is_plain_json(cast):
    event = record_event(
        action="procurement.lot.announced", actor=None, data={"amount": Decimal("5.00")}
    )
    assert json.loads(json.dumps(event.data)) == {"amount": "5.00"}
