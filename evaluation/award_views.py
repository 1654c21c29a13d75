"""The report and result pages (issue 11 §5–§6; merged into views.py): thin views."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from common.errors import DomainError
from documents.views import file_response

from .award_access import (
    get_award_for_user,
    get_evaluation_for_report,
    get_evaluation_to_confirm,
    get_own_bid_result,
)
from .award_forms import ConfirmForm, SignForm
from .models import EvaluationState, ReportSignature
from .selectors import own_outcome, report_context
from .services import confirm_result, render_award_notice_pdf, render_report_pdf, sign_report
from .services import submit_report as submit_report_service
from .services.award import award_notice_context, candidates, is_purchaser_staff
from .services.report import can_submit_report, missing_sheets, seat_of


@login_required
def report(request, pk: int):
    evaluation = get_evaluation_for_report(user=request.user, pk=pk)
    context = report_context(evaluation)
    seat = seat_of(request.user, evaluation.lot)
    context.update(
        can_submit=can_submit_report(request.user, evaluation),
        missing=missing_sheets(evaluation) if evaluation.state == EvaluationState.SCORING else [],
        seat=seat,
        own_signature=ReportSignature.objects.filter(evaluation=evaluation, member=seat).first()
        if seat
        else None,
        can_confirm=evaluation.state == EvaluationState.REPORTED
        and is_purchaser_staff(request.user, evaluation.lot),
        award=getattr(evaluation, "award", None)
        if evaluation.state == EvaluationState.DECIDED
        else None,
    )
    return render(request, "evaluation/report.html", context)


@login_required
def submit(request, pk: int):
    evaluation = get_evaluation_for_report(user=request.user, pk=pk)
    if not can_submit_report(request.user, evaluation):
        raise PermissionDenied
    if request.method == "POST":
        try:
            submit_report_service(evaluation=evaluation, acting_user=request.user)
        except DomainError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("The evaluation report is submitted."))
            return redirect("evaluation:report", pk=pk)
    context = {
        "evaluation": evaluation,
        "lot": evaluation.lot,
        "missing": missing_sheets(evaluation),
    }
    return render(request, "evaluation/report_submit.html", context)


@login_required
def sign(request, pk: int):
    evaluation = get_evaluation_for_report(user=request.user, pk=pk)
    if seat_of(request.user, evaluation.lot) is None:
        raise PermissionDenied
    form = SignForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            sign_report(
                evaluation=evaluation,
                dissent=form.cleaned_data["dissent"],
                acting_user=request.user,
            )
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Your signature is recorded."))
            return redirect("evaluation:report", pk=pk)
    context = {**report_context(evaluation), "form": form}
    return render(request, "evaluation/report_sign.html", context)


@login_required
def report_pdf(request, pk: int):
    evaluation = get_evaluation_for_report(user=request.user, pk=pk)
    if not evaluation.report:
        raise Http404
    if evaluation.report_pdf is None:
        evaluation = render_report_pdf(evaluation_id=evaluation.pk) or evaluation
    if evaluation.report_pdf is None:
        raise Http404
    return file_response(evaluation.report_pdf, as_attachment=False)


@login_required
def confirm(request, pk: int):
    evaluation = get_evaluation_to_confirm(user=request.user, pk=pk)
    ranked = candidates(evaluation)
    form = ConfirmForm(request.POST or None, candidates=ranked)
    if request.method == "POST" and form.is_valid():
        try:
            award = confirm_result(
                evaluation=evaluation, passed_over=form.passed_over(), acting_user=request.user
            )
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                _("The result is confirmed: %(name)s. The result announcement is published.")
                % {"name": award.bid.supplier.name},
            )
            return redirect("evaluation:award_notice", pk=award.pk)
    context = {
        "evaluation": evaluation,
        "lot": evaluation.lot,
        "candidates": ranked,
        "form": form,
        "reason_fields": [form[f"reason_{row['bid']}"] for row in ranked[:-1]],
    }
    return render(request, "evaluation/confirm.html", context)


@login_required
def award_notice(request, pk: int):
    award = get_award_for_user(user=request.user, pk=pk)
    return render(request, "evaluation/award.html", award_notice_context(award))


@login_required
def award_notice_pdf(request, pk: int):
    award = get_award_for_user(user=request.user, pk=pk)
    if award.notice_pdf is None:
        award = render_award_notice_pdf(award_id=award.pk) or award
    if award.notice_pdf is None:
        raise Http404
    return file_response(award.notice_pdf, as_attachment=False)


@login_required
def my_result(request, bid_uuid):
    bid, evaluation = get_own_bid_result(user=request.user, bid_uuid=bid_uuid)
    return render(request, "evaluation/result.html", own_outcome(bid, evaluation))
