"""What the evaluation clocks are about, for the dashboards (timers.subjects): the lot whose
report waits for the purchaser's decision, linked to the report."""

from __future__ import annotations

from collections.abc import Sequence

from django.urls import reverse

from timers.subjects import ClockSubject

from .models import Evaluation


def evaluation_subjects(ids: Sequence[int], user) -> dict[int, ClockSubject]:
    evaluations = Evaluation.objects.filter(pk__in=ids).select_related("lot", "lot__project")
    return {
        e.pk: ClockSubject(str(e.lot), reverse("evaluation:report", args=[e.pk]))
        for e in evaluations
    }
