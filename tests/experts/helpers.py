"""Builders for expert tests: experts with specialties, a lot with a catalogue category announced
through the services, a committee formed through the service at a lawful moment."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import time_machine

from accounts.models import Organisation, OrganisationKind
from experts.models import Expert, ExpertTitle
from experts.services import CommitteeValues, form_committee
from procurement.models import CatalogueCategory, Lot
from tests.bidding.helpers import announced_lot
from tests.factories import OrganisationFactory, UserFactory

# Tuesday 24 March 2026, 09:30 in Beijing: the bid deadline and the opening.
DEADLINE = dt.datetime(2026, 3, 24, 1, 30, tzinfo=dt.UTC)
# Wednesday 25 March 2026, 09:00 in Beijing: the evaluation.
EVALUATION = dt.datetime(2026, 3, 25, 1, 0, tzinfo=dt.UTC)
# Monday 23 March, 10:00 in Beijing: two working days before the evaluation day, the earliest.
DRAW_AT = dt.datetime(2026, 3, 23, 2, 0, tzinfo=dt.UTC)


def category(code: str) -> CatalogueCategory:
    return CatalogueCategory.objects.get(code=code)


def employer(name: str, *, legal_representative: str | None = None) -> Organisation:
    return OrganisationFactory(
        kind=OrganisationKind.SUPPLIER,
        name=name,
        legal_representative=legal_representative or f"{name}法人",
    )


def make_expert(
    username: str,
    *,
    codes: Iterable[str] = ("A020101",),
    works_for: Organisation | None = None,
    status: str = "active",
) -> Expert:
    user = UserFactory(
        username=username,
        full_name=f"专家{username}",
        is_expert=True,
        phone="13800000000",
        employer=works_for or employer(f"{username}的单位"),
    )
    expert = Expert.objects.create(
        user=user, region_code="410100", title=ExpertTitle.SENIOR, status=status
    )
    expert.specialties.set([category(c) for c in codes])
    return expert


def experts(n: int, prefix: str = "e", **kwargs) -> list[Expert]:
    return [make_expert(f"{prefix}{i}", **kwargs) for i in range(1, n + 1)]


def category_lot(cast, code: str = "A02010104", **plan_fields) -> Lot:
    """A lot of `code` announced 19 days before the bid deadline through the services."""
    with time_machine.travel(DEADLINE - dt.timedelta(days=20), tick=False):
        return announced_lot(
            cast, deadline=DEADLINE, lot_settings={"category": category(code)}, **plan_fields
        )


def formed(lot: Lot, user, *, at: dt.datetime = DRAW_AT, seed: str | None = None, **values):
    values.setdefault("evaluation_at", EVALUATION)
    values.setdefault("size", 5)
    with time_machine.travel(at, tick=False):
        return form_committee(
            lot=lot, values=CommitteeValues(**values), acting_user=user, seed=seed
        )
