"""Pages: a lot's committee (draw, replacements, the draws' records), an expert's invitation
(accept or decline), an expert's periods of unavailability, a draw's record as JSON."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from common.errors import DomainError

from . import services
from .forms import CommitteeForm, DeclineForm, UnavailabilityForm
from .models import Committee, Draw, Unavailability
from .presenters import committee_page
from .selectors import expert_of, get_invitation_for_user, get_lot_for_committee
from .services.database import add_unavailability, remove_unavailability


def _add_problems(form, error: DomainError) -> None:
    for message in getattr(error, "messages", None) or [str(error)]:
        form.add_error(None, message)


@login_required
def committee(request: HttpRequest, lot_id: int) -> HttpResponse:
    """The lot's committee for its purchaser, agency and bureau; the draw form until drawn."""
    lot = get_lot_for_committee(user=request.user, pk=lot_id)
    existing = Committee.objects.filter(lot=lot).first()
    form = None
    may_draw = request.user.has_perm("experts.draw_committee", lot)
    if existing is None and may_draw:
        initial = {"size": services.minimum_size(lot=lot, complex_or_high_impact=False)}
        form = CommitteeForm(
            request.POST if request.method == "POST" else None,
            purchaser=lot.project.purchaser,
            initial=initial,
        )
        if request.method == "POST":
            lot = get_lot_for_committee(user=request.user, pk=lot_id, for_write=True)
            if form.is_valid():
                try:
                    services.form_committee(lot=lot, values=form.values(), acting_user=request.user)
                except DomainError as error:
                    _add_problems(form, error)
                else:
                    messages.success(request, _("The experts have been drawn and invited."))
                    return redirect("experts:committee", lot_id=lot.pk)
    elif request.method == "POST":
        raise Http404
    context = committee_page(lot=lot, committee=existing, user=request.user, now=timezone.now())
    return render(request, "experts/committee.html", {**context, "form": form})


@login_required
@require_POST
def replace(request: HttpRequest, lot_id: int) -> HttpResponse:
    """Draw the missing seats again (after a shortfall)."""
    lot = get_lot_for_committee(user=request.user, pk=lot_id, for_write=True)
    existing = get_object_or_404(Committee, lot=lot)
    try:
        draw = services.replace_missing(committee=existing, acting_user=request.user)
    except DomainError as error:
        messages.error(request, str(error))
    else:
        if draw is None:
            messages.info(request, _("No seat is missing."))
        else:
            messages.success(request, _("The missing experts have been drawn and invited."))
    return redirect("experts:committee", lot_id=lot.pk)


@login_required
def draw_record(request: HttpRequest, lot_id: int, number: int) -> HttpResponse:
    """A draw's record and seed as JSON, for `manage.py replay_draw --file`."""
    lot = get_lot_for_committee(user=request.user, pk=lot_id)
    draw = get_object_or_404(Draw, committee__lot=lot, number=number)
    response = JsonResponse(services.export(draw), json_dumps_params={"ensure_ascii": False})
    response["Content-Disposition"] = f'attachment; filename="draw-{lot.pk}-{number}.json"'
    return response


@login_required
def invitation(request: HttpRequest, pk: int) -> HttpResponse:
    """The drawn expert reads its invitation and accepts or declines it."""
    member = get_invitation_for_user(user=request.user, pk=pk)
    form = DeclineForm(request.POST if request.POST.get("answer") == "decline" else None)
    if request.method == "POST":
        try:
            if request.POST.get("answer") == "accept":
                services.accept_invitation(member=member, acting_user=request.user)
                messages.success(request, _("You have accepted. Thank you."))
                return redirect("experts:invitation", pk=member.pk)
            if form.is_valid():
                services.decline_invitation(
                    member=member, reason=form.cleaned_data["reason"], acting_user=request.user
                )
                messages.success(request, _("You have declined; another expert is drawn."))
                return redirect("experts:invitation", pk=member.pk)
        except DomainError as error:
            messages.error(request, str(error))
            return redirect("experts:invitation", pk=member.pk)
    member.refresh_from_db()
    return render(
        request,
        "experts/invitation.html",
        {
            "member": member,
            "lot": member.committee.lot,
            "committee": member.committee,
            "answerable": member.state == "invited"
            and (member.respond_by is None or timezone.now() < member.respond_by),
            "form": form,
        },
    )


@login_required
def unavailability(request: HttpRequest) -> HttpResponse:
    """The expert's own periods of unavailability: it is not drawn on those days."""
    expert = expert_of(request.user)
    if expert is None:
        raise Http404
    form = UnavailabilityForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            add_unavailability(
                start=form.cleaned_data["start"],
                end=form.cleaned_data["end"],
                reason=form.cleaned_data["reason"],
                acting_user=request.user,
            )
        except DomainError as error:
            _add_problems(form, error)
        else:
            messages.success(request, _("The period has been recorded."))
            return redirect("experts:unavailability")
    periods = expert.unavailable.filter(end__gte=timezone.localdate()).order_by("start")
    return render(request, "experts/unavailability.html", {"form": form, "periods": periods})


@login_required
@require_POST
def unavailability_delete(request: HttpRequest, pk: int) -> HttpResponse:
    expert = expert_of(request.user)
    period = get_object_or_404(Unavailability, pk=pk, expert=expert) if expert else None
    if period is None:
        raise Http404
    remove_unavailability(period=period, acting_user=request.user)
    messages.success(request, _("The period has been removed."))
    return redirect("experts:unavailability")
