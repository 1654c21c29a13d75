"""The order of the stages on the bureau's dashboard: the one place that knows it.

The city's "four one-day" targets (DESIGN.md; RULES.md §17) come first, in the order of the
cycle — result decided, contract signed, acceptance done, money paid — then every other kind a
party answers, by its label. Labels come from timers.registry, where each app registers its
kinds; a kind listed here that no app registers is simply absent.
"""

from __future__ import annotations

from contracts.services.acceptance import ACCEPTANCE
from contracts.services.clocks import SIGNING
from contracts.services.payment import PAYMENT
from evaluation.services.report import RESULT_CLOCK
from timers import registry

FOUR_ONE_DAY = (RESULT_CLOCK, SIGNING, ACCEPTANCE, PAYMENT)


def measured_stages() -> list[registry.ClockKind]:
    """The kinds the dashboard measures, the four one-day targets first."""
    kinds = registry.kinds_owed()
    first = {kind: n for n, kind in enumerate(FOUR_ONE_DAY)}
    return sorted(
        kinds, key=lambda spec: (first.get(spec.kind, len(first)), str(spec.label), spec.kind)
    )


def stage_label(kind: str) -> str:
    return str(registry.get_clock_kind(kind).label)
