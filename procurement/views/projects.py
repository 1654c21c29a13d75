"""Projects and lots for the purchaser and its entrusted agency: prepare, announce, correct."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts.http import AuthenticatedHttpRequest
from common.errors import DomainError

from .. import services
from ..forms import (
    AnswerForm,
    CancelForm,
    CorrectionForm,
    CriterionFormSet,
    DocumentForm,
    LotForm,
    criterion_values,
)
from ..legal import (
    bid_period_parameters,
    deadline_must_move,
    describe,
    describe_all,
    earliest_bid_deadline,
    format_moment,
)
from ..lot_links import with_links
from ..models import Clarification, ClarificationStatus, LotState
from ..parameters import legal_parameter
from ..selectors import (
    announcements_of_project,
    downloads_of_project,
    filed_plans_without_project,
    get_clarification_for_staff,
    get_document_for_user,
    get_lot_for_user,
    get_project_for_user,
    lot_state_counts,
    lots_of,
    projects_of,
)
from ..services._base import RulesBroken
from ..services.announcements import (
    announcement_problems,
    current_documents,
    earliest_deadline_after_change,
    tender_announcement_data,
)
from ..services.clarifications import ALREADY_ANSWERED
from ..status import status_of, with_status
from ._common import add_problems, role_required, upload_response

PROJECTS_PER_PAGE = 50


@role_required("purchaser", "agency", "bureau")
def project_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    page = Paginator(projects_of(request.user), PROJECTS_PER_PAGE).get_page(request.GET.get("page"))
    # Each lot with its status as every page reads it (one query for the failure reasons).
    with_status(
        [lot for project in page.object_list for lot in project.lots.all()], now=timezone.now()
    )
    return render(
        request,
        "procurement/project_list.html",
        {"projects": page, "to_prepare": filed_plans_without_project(request.user)},
    )


LOTS_PER_PAGE = 50


@role_required("purchaser", "agency", "bureau")
def lot_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Lots by state, each with its status and its links to every stage (issue 10 §3)."""
    state = request.GET.get("state") or None
    if state not in (None, *LotState.values):
        state = None
    page = Paginator(lots_of(request.user, state=state), LOTS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    lots = with_status(page.object_list, now=timezone.now())
    with_links(lots, request.user)
    counts = lot_state_counts(request.user)
    tabs = [
        {"value": "", "label": _("All"), "count": sum(counts.values()), "active": state is None}
    ] + [
        {"value": value, "label": label, "count": counts[value], "active": state == value}
        for value, label in LotState.choices
        if counts.get(value)
    ]
    return render(
        request,
        "procurement/lot_list.html",
        {"page": page, "lots": lots, "tabs": tabs, "state": state or ""},
    )


@require_POST
def project_create(request: HttpRequest, plan_pk: int) -> HttpResponse:
    """Prepare the tender from a filed plan (the purchaser, or the agency it entrusted)."""
    plan = filed_plans_without_project(request.user).filter(pk=plan_pk).first()
    if plan is None:
        raise Http404
    try:
        project = services.create_project(plan=plan, acting_user=request.user)
    except DomainError as error:
        messages.error(request, str(error))
        return redirect("procurement:projects")
    messages.success(request, _("The project has been created; set up each lot."))
    return redirect("procurement:project_detail", pk=project.pk)


def project_detail(request: HttpRequest, pk: int) -> HttpResponse:
    project = get_project_for_user(user=request.user, pk=pk)
    now = timezone.now()
    lots = with_status(project.lots.prefetch_related("criteria").order_by("number"), now=now)
    with_links(lots, request.user)
    can_change = request.user.has_perm("procurement.change_project", project)
    announce_from = services.projects.earliest_announcement(project, now=now)

    return render(
        request,
        "procurement/project_detail.html",
        {
            "project": project,
            "lots": lots,
            "can_change": can_change,
            "documents": current_documents(project),
            "document_form": DocumentForm(project=project) if can_change else None,
            "announcements": announcements_of_project(project),
            "downloads": downloads_of_project(project),
            "questions": Clarification.objects.filter(lot__project=project)
            .select_related("lot", "supplier", "asked_by")
            .order_by("status", "-created"),
            "has_draft": any(status_of(lot).editable for lot in lots),
            # While the intention's 30 days run, the page says when the announcement may go out.
            "announce_from": format_moment(announce_from) if announce_from > now else "",
            "announce_lead": legal_parameter("intention_min_lead").days,
            "has_open": any(status_of(lot).correctable for lot in lots),
            "can_cancel": any(lot.is_cancellable for lot in lots),
        },
    )


@require_http_methods(["GET", "POST"])
def lot_edit(request: HttpRequest, pk: int) -> HttpResponse:
    lot = get_lot_for_user(user=request.user, pk=pk, for_write=True)
    project = lot.project
    if lot.state != LotState.DRAFT:
        messages.error(
            request, _("The lot has been announced; change it through a correction announcement.")
        )
        return redirect("procurement:project_detail", pk=project.pk)
    values = services.projects.lot_values_of(lot)
    initial = {name: getattr(values, name) for name in services.projects.LOT_FIELDS}
    if initial["decryption_window_minutes"] is None:
        initial["decryption_window_minutes"] = int(
            legal_parameter("decryption_window_default").value
        )
    criteria = [
        {"name": c.name, "points": c.points, "description": c.description} for c in values.criteria
    ]
    data = request.POST if request.method == "POST" else None
    form = LotForm(data, initial=initial)
    formset = CriterionFormSet(data, prefix="criteria", initial=criteria)
    if request.method == "POST":
        # Both are checked and the rules run on whatever parsed, so that one answer names every
        # problem: a field's own error beside it, the rules' above the form.
        form_ok, formset_ok = form.is_valid(), formset.is_valid()
        values = form.values(criterion_values(formset) if formset_ok else [])
        if form_ok and formset_ok:
            try:
                services.update_lot(lot=lot, values=values, acting_user=request.user)
            except DomainError as error:
                add_problems(form, error)
            else:
                messages.success(request, _("The lot's tender settings have been saved."))
                return redirect("procurement:project_detail", pk=project.pk)
        else:
            unchecked = form.refused() | (set() if formset_ok else {"criteria"})
            for problem in services.projects.lot_settings_problems(
                lot, values, now=timezone.now(), unchecked=unchecked
            ):
                form.add_error(None, problem)
    return render(
        request,
        "procurement/lot_form.html",
        {
            "lot": lot,
            "project": project,
            "form": form,
            "formset": formset,
            "earliest_deadline": earliest_deadline_hint(project),
        },
    )


def earliest_deadline_hint(project) -> str:
    """The earliest bid deadline the lot form may take, and why: the bid period runs from the
    announcement, which waits until the intention has been public for 30 days."""
    now = timezone.now()
    announce_from = services.projects.earliest_announcement(project, now=now)
    earliest = earliest_bid_deadline(method=project.method, issued_at=announce_from)
    periods = bid_period_parameters(project.method)
    published = services.projects.intention_published_at(project)
    if announce_from <= now or published is None:
        if earliest is None:
            return ""
        return _(
            "If the announcement were published now, the earliest allowed bid deadline would "
            "be %(deadline)s."
        ) % {"deadline": format_moment(earliest)}
    waiting = _(
        "The announcement can be published from %(from)s at the earliest: the procurement "
        "intention was published on %(published)s and must be public for %(lead)s first."
    ) % {
        "from": format_moment(announce_from),
        "published": format_moment(published),
        "lead": describe(legal_parameter("intention_min_lead")),
    }
    if earliest is None or not periods:
        return waiting
    return " ".join(
        [
            waiting,
            _(
                "With the minimum bid period of %(period)s from then, the earliest allowed bid "
                "deadline is %(deadline)s."
            )
            % {"period": describe_all(periods), "deadline": format_moment(earliest)},
        ]
    )


@require_POST
def document_upload(request: HttpRequest, pk: int) -> HttpResponse:
    project = get_project_for_user(user=request.user, pk=pk, for_write=True)
    return upload_response(
        request,
        DocumentForm(request.POST, request.FILES, project=project),
        lambda data: services.add_tender_document(
            project=project,
            upload=data["file"],
            title=data["title"],
            lot=data["lot"],
            acting_user=request.user,
        ),
        success=_("The document has been uploaded."),
        page_url=reverse("procurement:project_detail", args=[project.pk]),
        partial="procurement/partials/document_upload_form.html",
        context={"project": project},
    )


@login_required
@require_POST
def document_remove(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    document = get_document_for_user(user=request.user, pk=pk, for_write=True)
    try:
        services.remove_tender_document(document=document, acting_user=request.user)
    except DomainError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The document has been withdrawn."))
    return redirect("procurement:project_detail", pk=document.project_id)


@require_http_methods(["GET", "POST"])
def project_announce(request: HttpRequest, pk: int) -> HttpResponse:
    """A preview of the tender announcement with every refusal, then the publication."""
    project = get_project_for_user(user=request.user, pk=pk, for_write=True)
    lots = list(project.lots.filter(state=LotState.DRAFT).prefetch_related("criteria"))
    if request.method == "POST":
        try:
            announcement = services.publish_tender_announcement(
                project=project, acting_user=request.user
            )
        except RulesBroken:
            pass  # the page below lists every broken rule
        except DomainError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("The announcement is published; bidding is open."))
            return redirect("procurement:project_detail", pk=announcement.project_id)
    now = timezone.now()
    return render(
        request,
        "procurement/project_announce.html",
        {
            "project": project,
            "lots": lots,
            "problems": announcement_problems(project, lots, at=now) if lots else [],
            "data": tender_announcement_data(project, lots, at=now),
            "kind": "tender",
        },
    )


@require_http_methods(["GET", "POST"])
def project_correct(request: HttpRequest, pk: int) -> HttpResponse:
    project = get_project_for_user(user=request.user, pk=pk, for_write=True)
    form = CorrectionForm(request.POST or None, request.FILES or None, project=project)
    if request.method == "POST" and form.is_valid():
        try:
            services.publish_correction(
                project=project, values=form.values(), acting_user=request.user
            )
        except ValidationError as error:
            for message in error.messages:
                form.add_error("new_document", message)
        except DomainError as error:
            add_problems(form, error)
        else:
            messages.success(request, _("The correction announcement is published."))
            return redirect("procurement:project_detail", pk=project.pk)
    earliest = earliest_deadline_after_change(project, at=timezone.now())
    return render(
        request,
        "procurement/project_correct.html",
        {
            "project": project,
            "form": form,
            "lots": project.lots.filter(state=LotState.ANNOUNCED),
            "earliest": format_moment(earliest) if earliest else "",
        },
    )


@require_http_methods(["GET", "POST"])
def project_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    project = get_project_for_user(user=request.user, pk=pk, for_write=True)
    form = CancelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.cancel_procurement(
                project=project, reason=form.cleaned_data["reason"], acting_user=request.user
            )
        except DomainError as error:
            add_problems(form, error)
        else:
            messages.success(request, _("The procurement has been cancelled."))
            return redirect("procurement:project_detail", pk=project.pk)
    return render(request, "procurement/project_cancel.html", {"project": project, "form": form})


@require_http_methods(["GET", "POST"])
def clarification_answer(request: HttpRequest, pk: int) -> HttpResponse:
    clarification = get_clarification_for_staff(user=request.user, pk=pk)
    project = get_project_for_user(
        user=request.user, pk=clarification.lot.project_id, for_write=True
    )
    lot = clarification.lot
    if clarification.status != ClarificationStatus.OPEN:
        # Answered already: the page shows the answer; a late POST (another tab) is told once.
        if request.method == "POST":
            messages.error(request, str(ALREADY_ANSWERED))
            return redirect("procurement:clarification_answer", pk=clarification.pk)
        return render(
            request,
            "procurement/clarification_answer.html",
            {"clarification": clarification, "project": project, "lot": lot, "form": None},
        )
    form = AnswerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.answer_question(
                clarification=clarification,
                answer=form.cleaned_data["answer"],
                new_deadline=form.cleaned_data["new_deadline"],
                acting_user=request.user,
            )
        except DomainError as error:
            add_problems(form, error)
        else:
            messages.success(request, _("The answer is published as a clarification announcement."))
            return redirect("procurement:project_detail", pk=project.pk)
    earliest = (
        deadline_must_move(method=project.method, deadline=lot.bid_deadline, at=timezone.now())
        if lot.bid_deadline
        else None
    )
    return render(
        request,
        "procurement/clarification_answer.html",
        {
            "clarification": clarification,
            "project": project,
            "lot": lot,
            "form": form,
            "earliest": format_moment(earliest) if earliest else "",
        },
    )
