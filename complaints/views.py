"""Thin views: access helper → form → service → message → redirect."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.http import AuthenticatedHttpRequest
from accounts.selectors import organisation_of, role_of
from common.errors import DomainError
from documents.services import store_file
from procurement.selectors import get_public_lot

from . import services
from .forms import AnswerForm, InquiryForm, QuestionForm, ReplyForm
from .models import InquiryState, QuestionState, QuestionTarget
from .selectors import (
    QUESTION_MATERIALS,
    get_inquiry_for_user,
    get_question_for_user,
    get_question_reply_for_user,
    inquiries_for,
    questions_for,
)

ATTACHMENT_USE = QUESTION_MATERIALS


def complaint_possible(user, question) -> bool:
    """The questioner's link to the complaint form, while its window is open (O94 Art 17)."""
    from .services_complaint import complaint_opens, is_questioner

    now = timezone.now()
    return (
        question.state != QuestionState.WITHDRAWN
        and is_questioner(user, question)
        and complaint_opens(question) <= now < question.complaint_closes
    )


def _supplier_only(request) -> None:
    if role_of(request.user) != "supplier":
        raise PermissionDenied


def _windows(lot, supplier) -> list[dict[str, object]]:
    """Each target with its window, or why the supplier may not question it."""
    rows: list[dict[str, object]] = []
    for target in (QuestionTarget.DOCUMENTS, QuestionTarget.RESULT):
        try:
            window = services.question_window(lot=lot, supplier=supplier, target=target)
        except DomainError as error:
            rows.append({"label": target.label, "refusal": str(error)})
        else:
            rows.append({"label": target.label, "window": window})
    return rows


@login_required
def lot_cases(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """A supplier's page for a lot: inquire, question (with its windows), its cases there."""
    _supplier_only(request)
    lot = get_public_lot(pk=pk)
    supplier = organisation_of(request.user)
    return render(
        request,
        "complaints/lot_cases.html",
        {
            "lot": lot,
            "windows": _windows(lot, supplier),
            "now": timezone.now(),
            "inquiry_form": InquiryForm(),
            "questions": questions_for(request.user).filter(lot=lot),
            "inquiries": inquiries_for(request.user).filter(lot=lot),
        },
    )


@login_required
@require_POST
def inquiry_create(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    _supplier_only(request)
    lot = get_public_lot(pk=pk)
    form = InquiryForm(request.POST)
    if form.is_valid():
        try:
            services.ask_inquiry(lot=lot, text=form.cleaned_data["text"], acting_user=request.user)
        except DomainError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Your inquiry has been sent."))
    else:
        messages.error(request, _("Write the inquiry."))
    return redirect("complaints:lot_cases", pk=lot.pk)


@login_required
def question_create(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    _supplier_only(request)
    lot = get_public_lot(pk=pk)
    form = QuestionForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            attachment = None
            if data["attachment"]:
                attachment = store_file(
                    upload=data["attachment"], use=ATTACHMENT_USE, acting_user=request.user
                )
            content = services.QuestionContent(
                **{k: v for k, v in data.items() if k != "attachment"}
            )
            question = services.file_question(
                lot=lot, content=content, acting_user=request.user, attachment=attachment
            )
        except ValidationError as error:
            form.add_error("attachment", error)
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Your question has been received."))
            return redirect("complaints:question_detail", pk=question.pk)
    return render(request, "complaints/question_form.html", {"lot": lot, "form": form})


@login_required
def question_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    question = get_question_for_user(user=request.user, pk=pk)
    can_reply = request.user.has_perm("complaints.reply_question", question)
    return render(
        request,
        "complaints/question_detail.html",
        {
            "question": question,
            "can_reply": can_reply and question.state == QuestionState.SUBMITTED,
            "can_complain": complaint_possible(request.user, question),
        },
    )


@login_required
def question_reply_notice(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The reply as sent to the other suppliers concerned (O94 Arts 13, 15): the questioner's
    name, the receipt date, the project, the items and the reply; not the materials."""
    question = get_question_reply_for_user(user=request.user, pk=pk)
    if question.state != QuestionState.REPLIED:
        raise Http404
    return render(request, "complaints/question_reply_notice.html", {"question": question})


@login_required
def question_reply(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    question = get_question_for_user(user=request.user, pk=pk, for_write=True)
    form = ReplyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.reply_to_question(
                question=question, acting_user=request.user, **form.cleaned_data
            )
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The reply has been sent to the suppliers."))
            return redirect("complaints:question_detail", pk=question.pk)
    return render(request, "complaints/question_reply.html", {"question": question, "form": form})


@login_required
def inquiry_answer(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    inquiry = get_inquiry_for_user(user=request.user, pk=pk, for_write=True)
    form = AnswerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.answer_inquiry(
                inquiry=inquiry, answer=form.cleaned_data["answer"], acting_user=request.user
            )
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The answer has been sent."))
            return redirect("complaints:mine")
    return render(
        request,
        "complaints/inquiry_answer.html",
        {"inquiry": inquiry, "form": form, "is_open": inquiry.state == InquiryState.OPEN},
    )


@login_required
def mine(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The inquiries and questions the user's organisation filed or must answer."""
    return render(
        request,
        "complaints/mine.html",
        {
            "questions": list(questions_for(request.user)[:200]),
            "inquiries": list(inquiries_for(request.user)[:200]),
        },
    )
