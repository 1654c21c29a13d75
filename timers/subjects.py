"""What a clock is about, and the page to open it: registered by the app that owns the page.

A dashboard lists clocks of every kind; their subjects are rows of higher apps (an evaluation,
an award, a contract) that timers never imports (DESIGN.md "Apps and layers"). The app that
owns the page registers, in its AppConfig.ready(), a resolver for its kinds or its models::

    register_clock_subjects(resolve_awards, kinds=["contracts.signing"])
    register_clock_subjects(resolve_contracts, models=["contracts.contract"])

A resolver takes the subject ids of one kind (or one model) and the viewing user, and returns
{id: ClockSubject} in a fixed number of queries, so a list of clocks costs one call per kind,
never one per row. A kind's resolver wins over its model's; without either the subject is named
by its own str() (one query per model) and has no link.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.contrib.contenttypes.models import ContentType

from .models import Clock


@dataclass(frozen=True)
class ClockSubject:
    label: str  # the matter, as its owner names it: "ZC-2026-001 / 1. 教学设备"
    url: str = ""  # the page where the step is done or read; "" when there is none


SubjectResolver = Callable[[Sequence[int], Any], Mapping[int, ClockSubject]]

_by_kind: dict[str, SubjectResolver] = {}
_by_model: dict[str, SubjectResolver] = {}


def register_clock_subjects(
    resolver: SubjectResolver, *, kinds: Iterable[str] = (), models: Iterable[str] = ()
) -> SubjectResolver:
    """Resolve the subjects of these kinds, or of these models ("app_label.model"), by
    `resolver(ids, user)`; registering again replaces."""
    for kind in kinds:
        _by_kind[kind] = resolver
    for model in models:
        _by_model[model.lower()] = resolver
    return resolver


def unregister_clock_subjects(*, kinds: Iterable[str] = (), models: Iterable[str] = ()) -> None:
    """Forget resolvers (tests register throwaway ones)."""
    for kind in kinds:
        _by_kind.pop(kind, None)
    for model in models:
        _by_model.pop(model.lower(), None)


def _by_str(content_type: ContentType) -> SubjectResolver:
    def resolve(ids: Sequence[int], user: Any) -> dict[int, ClockSubject]:
        model = content_type.model_class()
        if model is None:  # the app that owned the subject was removed
            return {}
        return {
            pk: ClockSubject(str(obj)) for pk, obj in model._default_manager.in_bulk(ids).items()
        }

    return resolve


def describe_subjects(clocks: Iterable[Clock], *, user: Any) -> dict[int, ClockSubject]:
    """{clock id: ClockSubject} for these clocks: one resolver call per kind or model."""
    groups: dict[tuple[SubjectResolver | None, int], list[Clock]] = defaultdict(list)
    for clock in clocks:
        content_type = ContentType.objects.get_for_id(clock.subject_type_id)
        resolver = _by_kind.get(clock.kind) or _by_model.get(
            f"{content_type.app_label}.{content_type.model}"
        )
        groups[(resolver, clock.subject_type_id)].append(clock)
    described: dict[int, ClockSubject] = {}
    for (resolver, type_id), members in groups.items():
        content_type = ContentType.objects.get_for_id(type_id)
        resolve = resolver or _by_str(content_type)
        found = resolve(sorted({c.subject_id for c in members}), user)
        for clock in members:
            described[clock.pk] = found.get(clock.subject_id) or ClockSubject(
                f"{content_type.name} #{clock.subject_id}"
            )
    return described
