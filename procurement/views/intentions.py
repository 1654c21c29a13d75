"""Purchaser pages for procurement intentions."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts.http import AuthenticatedHttpRequest
from common.errors import DomainError

from .. import services
from ..forms import IntentionForm
from ..models import IntentionStatus
from ..selectors import get_intention_for_user, intentions_of
from ..services.intentions import intention_problems, intention_warnings
from ._common import add_problems, role_required


@role_required("purchaser")
def intention_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    return render(
        request, "procurement/intention_list.html", {"intentions": intentions_of(request.user)}
    )


@role_required("purchaser")
@require_http_methods(["GET", "POST"])
def intention_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = IntentionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            intention = services.create_intention(acting_user=request.user, **form.values())
        except DomainError as error:
            add_problems(form, error)
        else:
            messages.success(request, _("The draft intention has been saved."))
            for warning in intention_warnings(intention):
                messages.warning(request, warning)
            return redirect("procurement:intention_detail", pk=intention.pk)
    return render(request, "procurement/intention_form.html", {"form": form})


def intention_detail(request: HttpRequest, pk: int) -> HttpResponse:
    intention = get_intention_for_user(user=request.user, pk=pk)
    return render(
        request,
        "procurement/intention_detail.html",
        {
            "intention": intention,
            "can_change": request.user.has_perm("procurement.change_intention", intention),
            "plans": intention.plans.all(),
        },
    )


@require_http_methods(["GET", "POST"])
def intention_edit(request: HttpRequest, pk: int) -> HttpResponse:
    intention = get_intention_for_user(user=request.user, pk=pk, for_write=True)
    form = IntentionForm(request.POST or None, instance=intention)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_intention(
                intention=intention, acting_user=request.user, **form.values()
            )
        except DomainError as error:
            add_problems(form, error)
        else:
            messages.success(request, _("The draft intention has been saved."))
            for warning in intention_warnings(intention):
                messages.warning(request, warning)
            return redirect("procurement:intention_detail", pk=intention.pk)
    return render(
        request, "procurement/intention_form.html", {"form": form, "intention": intention}
    )


@require_http_methods(["GET", "POST"])
def intention_publish(request: HttpRequest, pk: int) -> HttpResponse:
    """A confirmation page, then the publication."""
    intention = get_intention_for_user(user=request.user, pk=pk, for_write=True)
    if request.method == "POST":
        try:
            services.publish_intention(intention=intention, acting_user=request.user)
        except DomainError as error:
            for message in getattr(error, "messages", None) or [str(error)]:
                messages.error(request, message)
        else:
            messages.success(request, _("The intention is published and public from now on."))
        return redirect("procurement:intention_detail", pk=intention.pk)
    return render(
        request,
        "procurement/intention_publish.html",
        {
            "intention": intention,
            "draft": intention.status == IntentionStatus.DRAFT,
            "problems": intention_problems(intention),
            "warnings": intention_warnings(intention),
        },
    )
