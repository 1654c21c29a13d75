"""What the procurement clocks are about, for the dashboards (timers.subjects): the single source
notice whose objections the purchaser reviews (O74 Art 40) — its review page for the purchaser,
the plan it was published from for everyone else who may read it."""

from __future__ import annotations

from collections.abc import Sequence

from django.urls import reverse

from accounts.selectors import is_member
from timers.subjects import ClockSubject

from .models import SingleSourceNotice


def single_source_notice_subjects(ids: Sequence[int], user) -> dict[int, ClockSubject]:
    found: dict[int, ClockSubject] = {}
    for notice in SingleSourceNotice.objects.filter(pk__in=ids).select_related(
        "plan", "announcement"
    ):
        if is_member(user, notice.plan.purchaser_id):
            url = reverse("procurement:notice_review", args=[notice.pk])
        else:
            url = reverse("procurement:plan_detail", args=[notice.plan_id])
        found[notice.pk] = ClockSubject(str(notice), url)
    return found
