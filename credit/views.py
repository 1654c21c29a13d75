"""Thin views: access helper → form → service → message → redirect.

The party's pages (its tasks, the evaluations it gave and received, an appeal), the bureau's
decision on an appeal, and the public credit pages (grades only, never an evaluation).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.http import AuthenticatedHttpRequest
from common.errors import DomainError

from . import services
from .forms import AppealForm, DecisionForm, GradeFilterForm, PointsForm
from .models import (
    CreditParameters,
    EvaluationState,
    GradeChange,
    PartyGrade,
    PartyKind,
    expert_code,
)
from .presenters import public_name
from .selectors import (
    evaluations_given,
    evaluations_received,
    get_appeal_for_bureau,
    get_evaluation_for_user,
    get_task_for_user,
    is_rated,
    tasks_owed,
)
from .services.appeals import appeal_due, may_appeal
from .services.evaluations import manual_indicators

LIMIT = 100


@login_required
def mine(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The evaluations the user's party owes, gave and received."""
    return render(
        request,
        "credit/mine.html",
        {
            "owed": list(tasks_owed(request.user)[:LIMIT]),
            "given": list(
                evaluations_given(request.user).exclude(state=EvaluationState.OPEN)[:LIMIT]
            ),
            "received": list(evaluations_received(request.user)[:LIMIT]),
        },
    )


@login_required
def give(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    evaluation = get_task_for_user(user=request.user, pk=pk)
    if evaluation.state != EvaluationState.OPEN:
        return redirect("credit:evaluation", pk=evaluation.pk)
    form = PointsForm(request.POST or None, indicators=manual_indicators(evaluation))
    if request.method == "POST" and form.is_valid():
        try:
            services.submit_evaluation(
                evaluation=evaluation, values=form.values(), acting_user=request.user
            )
        except DomainError as error:
            for message in getattr(error, "messages", [str(error)]):
                form.add_error(None, message)
        else:
            messages.success(request, _("Your evaluation has been given."))
            return redirect("credit:mine")
    return render(request, "credit/give.html", {"evaluation": evaluation, "form": form})


@login_required
def evaluation_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    evaluation = get_evaluation_for_user(user=request.user, pk=pk)
    appeal = getattr(evaluation, "appeal", None)
    rated = is_rated(request.user, evaluation)
    return render(
        request,
        "credit/evaluation.html",
        {
            "evaluation": evaluation,
            "items": list(evaluation.items.select_related("indicator")),
            "appeal": appeal,
            "is_rated": rated,
            # Back to back (背靠背): the rated party sees the kind of rater, not who it was.
            "show_rater": not rated,
            "appeal_form": AppealForm() if rated and may_appeal(evaluation) else None,
            "appeal_due": appeal_due(evaluation) if evaluation.submitted_at else None,
        },
    )


@login_required
@require_POST
def appeal(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    evaluation = get_evaluation_for_user(user=request.user, pk=pk)
    form = AppealForm(request.POST)
    if form.is_valid():
        try:
            services.file_appeal(
                evaluation=evaluation,
                reasons=form.cleaned_data["reasons"],
                acting_user=request.user,
            )
        except DomainError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Your appeal has been sent to the finance bureau."))
    else:
        messages.error(request, _("Give the reasons of the appeal."))
    return redirect("credit:evaluation", pk=evaluation.pk)


@login_required
def appeal_decide(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    appeal = get_appeal_for_bureau(user=request.user, pk=pk)
    evaluation = appeal.evaluation
    items = list(evaluation.items.select_related("indicator"))
    form = DecisionForm(
        request.POST or None,
        indicators=[item.indicator for item in items],
        initial_points={item.indicator_id: item.points for item in items},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.decide_appeal(
                appeal=appeal,
                decision=form.cleaned_data["decision"],
                amendments=form.values(),
                acting_user=request.user,
            )
        except DomainError as error:
            for message in getattr(error, "messages", [str(error)]):
                form.add_error(None, message)
        else:
            messages.success(request, _("The appeal has been decided."))
            return redirect("credit:evaluation", pk=evaluation.pk)
    return render(
        request,
        "credit/appeal_decide.html",
        {"appeal": appeal, "evaluation": evaluation, "items": items, "form": form},
    )


# Public -----------------------------------------------------------------------------------


def grades(request: HttpRequest) -> HttpResponse:
    """The public credit list: grades of agencies, suppliers, purchasers and experts (by code).

    A grade is never a qualification condition or a scoring factor (RULES.md §13.4)."""
    form = GradeFilterForm(request.GET or None)
    rows = PartyGrade.objects.select_related("organisation", "expert").order_by(
        "kind", "-score", "pk"
    )
    params = CreditParameters.current()
    if form.is_valid():
        data = form.cleaned_data
        if data["kind"]:
            rows = rows.filter(kind=data["kind"])
        if data["grade"]:
            rows = rows.filter(grade=data["grade"])
        if data["q"]:
            query = data["q"].strip()
            match = Q(organisation__name__icontains=query)
            if query.upper().startswith("ZJ") and query[2:].isdigit():
                match |= Q(expert_id=int(query[2:]))
            if params.publish_expert_names:
                match |= Q(expert__full_name__icontains=query)
            rows = rows.filter(match)
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "credit/grades.html",
        {
            "form": form,
            "page": page,
            "rows": [(grade, public_name(grade, params)) for grade in page.object_list],
        },
    )


def party(request: HttpRequest, pk: int) -> HttpResponse:
    grade = get_object_or_404(PartyGrade.objects.select_related("organisation", "expert"), pk=pk)
    if grade.kind not in PartyKind.values:
        raise Http404
    params = CreditParameters.current()
    changes = list(GradeChange.objects.filter(party=grade).order_by("at", "pk"))
    chart = {
        "dates": [f"{c.at:%Y-%m-%d}" for c in changes],
        "scores": [float(c.score) for c in changes],
        "grades": [c.grade for c in changes],
        "bands": [float(params.band_a), float(params.band_b), float(params.band_c)],
        "title": _("Score over time"),
    }
    return render(
        request,
        "credit/party.html",
        {
            "grade": grade,
            "name": public_name(grade, params),
            "code": expert_code(grade.expert_id) if grade.expert_id else "",
            "changes": [(c, _(c.reason)) for c in reversed(changes)],
            "chart": chart,
        },
    )
