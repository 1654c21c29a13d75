"""Single source notices: the purchaser publishes and reviews, anyone objects (O74 Arts 38–40).

The notice itself is an announcement, read on the portal's notice page; the objection form
there is this module's fragment (objection_panel) and posts here. The receipt page is reached
by its secret link only, so an objector who was not signed in reads the conclusion there.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from accounts.http import AuthenticatedHttpRequest
from common.errors import DomainError
from documents.views import file_response
from timers.models import format_deadline

from .. import services
from ..forms import (
    ObjectionForm,
    ProfessionalFormSet,
    ReviewForm,
    SingleSourceNoticeForm,
    professional_values,
)
from ..legal import single_source_notice_end
from ..models import ImplementationPlan, MethodApproval, SingleSourceNotice
from ..parameters import legal_parameter
from ..selectors import (
    get_objection_by_receipt,
    get_objection_for_user,
    get_plan_for_user,
    get_public_notice,
    get_single_source_notice_for_user,
    notice_of_announcement,
    single_source_notices_of_plan,
)
from ..services.plans import notice_problems, plan_needs_single_source_notice
from ..services.single_source import approval_blockers, publish_problems
from ._common import add_problems


@require_http_methods(["GET", "POST"])
def notice_publish(request: HttpRequest, pk: int) -> HttpResponse:
    """The purchaser publishes the plan's single source notice (O74 Art 38)."""
    plan = get_plan_for_user(user=request.user, pk=pk, for_write=True)
    data = request.POST if request.method == "POST" else None
    form = SingleSourceNoticeForm(data, plan=plan, initial=SingleSourceNoticeForm.initial_for(plan))
    formset = ProfessionalFormSet(data, prefix="professionals")
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        try:
            notice = services.publish_single_source_notice(
                plan=plan,
                values=form.values(professional_values(formset)),
                acting_user=request.user,
            )
        except DomainError as error:
            add_problems(form, error)
        else:
            messages.success(
                request,
                _("The single source notice is published; objections are taken until %(end)s.")
                % {"end": format_deadline(notice.period_end)},
            )
            return redirect("procurement:plan_detail", pk=plan.pk)
    period = legal_parameter("single_source_notice_min")
    return render(
        request,
        "procurement/single_source/notice_form.html",
        {
            "plan": plan,
            "form": form,
            "formset": formset,
            "blocked": publish_problems(plan),
            # What the period would be if published now (the service computes it again).
            "period_days": period.days,
            "period_source": period.source,
            "period_end": format_deadline(single_source_notice_end(timezone.now())),
        },
    )


def _objection_context(request: HttpRequest, notice: SingleSourceNotice, form=None) -> dict:
    now = timezone.now()
    is_open = notice.is_open(now)
    return {
        "notice": notice,
        "is_open": is_open,
        "period_end": format_deadline(notice.period_end),
        "form": (form or ObjectionForm(initial=ObjectionForm.initial_for(request.user)))
        if is_open
        else None,
    }


def objection_panel(request: HttpRequest, *, announcement_id: int) -> str:
    """The objection form (or its closing) under a single source notice on the portal.

    Rendered per request, outside the cached notice: it depends on the moment, and its CSRF
    token makes the page the visitor's own (portal.caching keeps no copy of it).
    """
    notice = notice_of_announcement(announcement_id)
    if notice is None:
        return ""
    return render_to_string(
        "procurement/single_source/_objection_panel.html",
        _objection_context(request, notice),
        request=request,
    )


@require_http_methods(["GET", "POST"])
def objection_file(request: HttpRequest, pk: int) -> HttpResponse:
    """Anyone files an objection in the notice period, signed in or not (O74 Art 39)."""
    notice = get_public_notice(pk=pk)
    form = ObjectionForm(request.POST, request.FILES) if request.method == "POST" else None
    if form is not None and form.is_valid():
        try:
            objection = services.file_objection(
                notice=notice,
                values=form.values(),
                attachment=form.cleaned_data["attachment"],
                acting_user=request.user,
            )
        except ValidationError as error:  # the attachment, refused by documents
            for text in error.messages:
                form.add_error("attachment", text)
        except DomainError as error:
            add_problems(form, error)
        else:
            return redirect("procurement:objection_receipt", token=objection.token)
    return render(
        request,
        "procurement/single_source/objection_form.html",
        _objection_context(request, notice, form),
    )


@require_safe
def objection_receipt(request: HttpRequest, token: str) -> HttpResponse:
    """The objector's receipt: reference, server time and, once reviewed, the conclusion."""
    objection = get_objection_by_receipt(token=token)
    notice = objection.notice
    response = render(
        request,
        "procurement/single_source/objection_receipt.html",
        {
            "objection": objection,
            "notice": notice,
            "period_end": format_deadline(notice.period_end),
            "review_due": format_deadline(notice.review_due),
        },
    )
    # The address is the key to the receipt: not kept by shared caches, not sent onwards.
    response["Cache-Control"] = "private, no-store"
    response["Referrer-Policy"] = "no-referrer"
    return response


@require_http_methods(["GET", "POST"])
def notice_review(request: HttpRequest, pk: int) -> HttpResponse:
    """The purchaser records the conclusion of its supplementary review (O74 Art 40)."""
    notice = get_single_source_notice_for_user(user=request.user, pk=pk, for_write=True)
    form = ReviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.record_notice_review(
                notice=notice,
                upheld=form.upheld,
                opinion=form.cleaned_data["opinion"],
                acting_user=request.user,
            )
        except DomainError as error:
            add_problems(form, error)
        else:
            messages.success(
                request,
                _("The review is recorded; the objectors and the finance bureau have been told."),
            )
            return redirect("procurement:plan_detail", pk=notice.plan_id)
    return render(
        request,
        "procurement/single_source/review_form.html",
        {
            "notice": notice,
            "plan": notice.plan,
            "objections": list(notice.objections.select_related("attachment")),
            "form": form,
            "period_end": format_deadline(notice.period_end),
            "review_due": format_deadline(notice.review_due),
        },
    )


@login_required
@require_safe
def objection_attachment(request: AuthenticatedHttpRequest, pk: int) -> FileResponse:
    objection = get_objection_for_user(user=request.user, pk=pk)
    if objection.attachment is None:
        raise Http404
    return file_response(objection.attachment, as_attachment=True)


# --------------------------------------------------------------------------------------------
# On the plan's page


@dataclass
class PlanNotice:
    """What the plan's page shows of its single source notice, decided here once."""

    needed: bool
    notices: list[SingleSourceNotice] = field(default_factory=list)
    current: SingleSourceNotice | None = None
    is_open: bool = False
    period_end: str = ""
    review_due: str = ""
    can_publish: bool = False
    can_review: bool = False
    sees_objections: bool = False
    submit_blocked: list[str] = field(default_factory=list)

    @property
    def shown(self) -> bool:
        return self.needed or bool(self.notices)


def plan_notice(request: HttpRequest, plan: ImplementationPlan, *, can_change: bool) -> PlanNotice:
    user = request.user
    now = timezone.now()
    notices = single_source_notices_of_plan(plan)
    current = notices[0] if notices else None
    shown = PlanNotice(needed=plan_needs_single_source_notice(plan), notices=notices)
    if current is not None:
        objections = current.objections.all()
        shown.current = current
        shown.is_open = current.is_open(now)
        shown.period_end = format_deadline(current.period_end)
        shown.review_due = format_deadline(current.review_due)
        shown.sees_objections = user.has_perm("procurement.view_single_source_notice", current)
        shown.can_review = (
            bool(objections)
            and not current.is_reviewed
            and not shown.is_open
            and user.has_perm("procurement.review_single_source_notice", current)
        )
    if can_change:
        shown.can_publish = shown.needed and not publish_problems(plan)
        shown.submit_blocked = notice_problems(plan)
    return shown


def approve_blockers(approval: MethodApproval | None, shown: PlanNotice) -> list[str]:
    """Why the bureau's approve button is disabled now (the service refuses the same)."""
    if approval is None:
        return []
    current = shown.current
    count = (
        len(current.objections.all())
        if current is not None and approval.single_source_notice_id == current.pk
        else None
    )
    return approval_blockers(approval, at=timezone.now(), objection_count=count)
