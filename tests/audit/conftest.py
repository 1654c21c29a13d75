"""Fixtures for the audit tests: a short chain, and raw SQL that tampers like a DBA would."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection

from audit.models import Event
from audit.services import record_event


def make_chain(cast, n: int = 5) -> list[Event]:
    org = cast.purchaser.memberships.get().organisation
    return [
        record_event(
            action="procurement.lot.announced",
            actor=cast.purchaser,
            organisation=org,
            subject=org,
            data={"n": i, "budget": f"{1000 + i}.00"},
        )
        for i in range(1, n + 1)
    ]


@pytest.fixture
def chain(cast) -> list[Event]:
    return make_chain(cast)


def _table() -> str:
    return connection.ops.quote_name(Event._meta.db_table)


def _column(name: str) -> tuple[str, Any]:
    field = Event._meta.get_field(name)
    return connection.ops.quote_name(field.column), field


def raw_update(seq: int, **values: Any) -> None:
    """UPDATE one row behind Django's back (the model refuses updates)."""
    sets, params = [], []
    for name, value in values.items():
        column, field = _column(name)
        sets.append(f"{column} = %s")
        params.append(field.get_db_prep_save(value, connection))
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {_table()} SET {', '.join(sets)} WHERE seq = %s",  # noqa: S608 - test SQL
            [*params, seq],
        )
        assert cursor.rowcount == 1


def raw_delete(seq: int) -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {_table()} WHERE seq = %s", [seq])  # noqa: S608
        assert cursor.rowcount == 1


def raw_insert(event: Event) -> None:
    """INSERT an (unsaved) Event's fields as a row, as a forger with database access would."""
    names = [f.name for f in Event._meta.concrete_fields if f.name != "id"]
    columns, params = [], []
    for name in names:
        column, field = _column(name)
        columns.append(column)
        params.append(field.get_db_prep_save(getattr(event, field.attname), connection))
    placeholders = ", ".join(["%s"] * len(columns))
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {_table()} ({', '.join(columns)}) VALUES ({placeholders})",  # noqa: S608
            params,
        )


def forged_copy(template: Event, **changes: Any) -> Event:
    """An unsaved event like `template` with `changes`, its hash recomputed (a careful forger)."""
    fields = {
        f.attname: getattr(template, f.attname)
        for f in Event._meta.concrete_fields
        if f.name != "id"
    }
    fields.update(changes)
    event = Event(**fields)
    event.hash = event.compute_hash()
    return event
