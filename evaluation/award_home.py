"""The bureau's home section of evaluation clocks (issue 11 §7; merged into home.py)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.home import HomeSection
from timers.models import Clock, ClockState

from .models import Evaluation
from .services.report import DECISION_CLOCK, RESULT_CLOCK

LIMIT = 10
KINDS = [RESULT_CLOCK, DECISION_CLOCK]


def bureau_clocks_section(request, role):
    """The result clocks running and breached, the breached first, soonest due first."""
    if role != "bureau":
        return None
    clocks = Clock.objects.open().filter(kind__in=KINDS).select_related("responsible")
    breached = list(clocks.in_state(ClockState.BREACHED).order_by("due", "pk")[:LIMIT])
    running = list(clocks.in_state(ClockState.RUNNING).order_by("due", "pk")[:LIMIT])
    evaluations = Evaluation.objects.select_related("lot", "lot__project").in_bulk(
        [c.subject_id for c in breached + running]
    )
    for clock in breached + running:
        evaluation = evaluations.get(clock.subject_id)
        clock.lot_label = str(evaluation.lot) if evaluation else ""  # type: ignore[attr-defined]
        clock.url = (  # type: ignore[attr-defined]
            reverse("evaluation:report", args=[evaluation.pk]) if evaluation else ""
        )
    return HomeSection(
        title=_("Evaluation results: clocks"),
        template="evaluation/home/bureau_clocks.html",
        context={"breached": breached, "running": running},
        order=40,
    )
