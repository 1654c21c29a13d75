"""Thin views of complaints: access helper → form → service → message → redirect.

The case page serves every party (the bureau's review and decision, the complainant's
correction and withdrawal, the respondent's answer); the status page serves anyone holding the
case number and its access code, without signing in.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from accounts.http import AuthenticatedHttpRequest
from accounts.selectors import role_of
from common.errors import DomainError
from common.links import link
from documents.services import store_file
from documents.views import file_response

from . import ratelimit
from . import services_complaint as services
from .forms_complaint import (
    ComplaintCreateForm,
    CorrectionForm,
    CorrectionRequestForm,
    DecisionForm,
    ReferralAnswerForm,
    ReferralForm,
    RefusalForm,
    RespondentAnswerForm,
    StatusLookupForm,
    SuspensionForm,
)
from .models import Complaint, ComplaintState, QuestionState
from .selectors import get_question_for_user
from .selectors_complaint import (
    complaints_for,
    get_complaint_by_pk,
    get_complaint_for_user,
    groundless_counts,
    timeline,
)

SESSION_KEY = "complaints.status_cases"
CODE_SESSION_KEY = "complaints.new_access_code"


def _content(data) -> services.ComplaintContent:
    fields = services.ComplaintContent.__dataclass_fields__
    return services.ComplaintContent(**{k: v for k, v in data.items() if k in fields})


def _initial_from(complaint: Complaint) -> dict:
    fields = services.ComplaintContent.__dataclass_fields__
    return {k: getattr(complaint, k) for k in fields if hasattr(complaint, k)}


# --- filing -----------------------------------------------------------------------------------


@login_required
def complaint_create(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The questioner's complaint on the reply to its question (O94 Arts 17-20)."""
    question = get_question_for_user(user=request.user, pk=pk)
    if role_of(request.user) != "supplier" or not request.user.has_perm(
        "complaints.view_question", question
    ):
        raise PermissionDenied
    if not services.is_questioner(request.user, question):
        raise PermissionDenied
    initial = {
        "address": question.address,
        "postcode": question.postcode,
        "contact": question.contact,
        "phone": question.phone,
        "items": question.items,
        "signatory": question.signatory,
    }
    form = ComplaintCreateForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            evidence = None
            if data["evidence"]:
                evidence = store_file(
                    upload=data["evidence"], use=services.EVIDENCE_USE, acting_user=request.user
                )
            complaint, code = services.file_complaint(
                question=question,
                content=_content(data),
                acting_user=request.user,
                evidence=evidence,
            )
        except ValidationError as error:
            form.add_error("evidence", error)
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            # Shown once, on the next page; only its hash is kept.
            request.session[CODE_SESSION_KEY] = {"pk": complaint.pk, "code": code}
            messages.success(request, _("Your complaint has been received."))
            return redirect("complaints:complaint_detail", pk=complaint.pk)
    return render(
        request,
        "complaints/complaint_form.html",
        {
            "question": question,
            "form": form,
            "closes": question.complaint_closes,
            "opens": services.complaint_opens(question),
            "replied": question.state == QuestionState.REPLIED,
        },
    )


# --- the case page ----------------------------------------------------------------------------


def _actions(request, complaint: Complaint) -> dict:
    role = role_of(request.user)
    bureau = role == "bureau"
    complainant = services.is_complainant(request.user, complaint)
    respondent = services.is_respondent(request.user, complaint)
    state = complaint.state
    handling = state in (ComplaintState.ACCEPTED, ComplaintState.SUSPENDED)
    return {
        "can_review": bureau and state == ComplaintState.SUBMITTED,
        "can_request_correction": bureau
        and state == ComplaintState.SUBMITTED
        and complaint.correction_requested_at is None,
        "can_refuse_uncorrected": bureau and state == ComplaintState.CORRECTION_REQUESTED,
        "can_send": bureau and handling and not complaint.notice_sent_at,
        "can_decide": bureau and state in (ComplaintState.ACCEPTED, ComplaintState.SUSPENDED),
        "can_suspend": bureau and state == ComplaintState.ACCEPTED,
        "can_refer": bureau and handling,
        "can_resume": bureau and state == ComplaintState.SUSPENDED,
        "can_publish": bureau and state == ComplaintState.DECIDED,
        "can_correct": complainant and state == ComplaintState.CORRECTION_REQUESTED,
        "can_withdraw": complainant
        and state
        in (
            ComplaintState.SUBMITTED,
            ComplaintState.CORRECTION_REQUESTED,
            ComplaintState.ACCEPTED,
            ComplaintState.SUSPENDED,
        ),
        "can_answer": respondent
        and handling
        and complaint.notice_sent_at is not None
        and complaint.answered_at is None,
    }


def _documents(complaint: Complaint, *, public: bool) -> list[dict]:
    name = "complaints:status_document" if public else "complaints:complaint_document"
    rows = []
    if complaint.receipt_pdf_id:
        rows.append({"label": _("Acceptance receipt"), "name": name, "which": "receipt"})
    if complaint.decision_pdf_id:
        rows.append({"label": _("Decision letter"), "name": name, "which": "decision"})
    return rows


def _announcement_url(complaint: Complaint) -> str:
    return (
        link("public_announcement", complaint.announcement_id) if complaint.announcement_id else ""
    )


@login_required
def complaint_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    complaint = get_complaint_for_user(user=request.user, pk=pk)
    new_code = request.session.get(CODE_SESSION_KEY)
    code = None
    if new_code and new_code.get("pk") == complaint.pk:
        code = new_code["code"]
        del request.session[CODE_SESSION_KEY]
    return render(
        request,
        "complaints/complaint_detail.html",
        {
            "complaint": complaint,
            "steps": timeline(complaint),
            "now": timezone.now(),
            "documents": _documents(complaint, public=False),
            "access_code": code,
            "announcement_url": _announcement_url(complaint),
            "correction_form": CorrectionRequestForm(),
            "refusal_form": RefusalForm(),
            "answer_form": RespondentAnswerForm(),
            "decision_form": DecisionForm(),
            "referral_form": ReferralForm(),
            "referral_answer_form": ReferralAnswerForm(),
            "referrals": list(complaint.referrals.all()),
            **_actions(request, complaint),
        },
    )


def _run(request, complaint: Complaint, action, success: str) -> HttpResponse:
    try:
        action()
    except DomainError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, success)
    return redirect("complaints:complaint_detail", pk=complaint.pk)


def _run_form(request, complaint: Complaint, form_class, action, success: str) -> HttpResponse:
    """`_run` of `action(cleaned_data)` once the posted form is valid; its errors otherwise."""
    form = form_class(request.POST)
    if not form.is_valid():
        messages.error(request, _form_errors(form))
        return redirect("complaints:complaint_detail", pk=complaint.pk)
    return _run(request, complaint, lambda: action(form.cleaned_data), success)


def _bureau_only(request) -> None:
    if role_of(request.user) != "bureau":
        raise PermissionDenied


def _form_errors(form) -> str:
    return " ".join(str(e) for errors in form.errors.values() for e in errors)


@login_required
@require_POST
def complaint_review(request: AuthenticatedHttpRequest, pk: int, action: str) -> HttpResponse:
    """The bureau's review: accept, ask for a correction, or refuse (O94 Art 21)."""
    complaint = get_complaint_for_user(user=request.user, pk=pk)
    _bureau_only(request)
    user = request.user
    if action == "accept":
        return _run(
            request,
            complaint,
            lambda: services.accept_complaint(complaint=complaint, acting_user=user),
            _("The complaint is accepted; the receipt has been issued."),
        )
    if action == "correction":
        form = CorrectionRequestForm(request.POST)
        if not form.is_valid():
            messages.error(request, _form_errors(form))
            return redirect("complaints:complaint_detail", pk=complaint.pk)
        return _run(
            request,
            complaint,
            lambda: services.request_correction(
                complaint=complaint,
                items=form.cleaned_data["items"],
                due_on=form.cleaned_data["due_on"],
                acting_user=user,
            ),
            _("The correction has been requested."),
        )
    if action == "refuse":
        form = RefusalForm(request.POST)
        if not form.is_valid():
            messages.error(request, _form_errors(form))
            return redirect("complaints:complaint_detail", pk=complaint.pk)
        return _run(
            request,
            complaint,
            lambda: services.refuse_complaint(
                complaint=complaint,
                kind=form.cleaned_data["kind"],
                reasons=form.cleaned_data["reasons"],
                authority=form.cleaned_data["authority"],
                acting_user=user,
            ),
            _("The complainant has been told the complaint is not accepted."),
        )
    if action == "send":
        return _run(
            request,
            complaint,
            lambda: services.send_to_respondent(complaint=complaint, acting_user=user),
            _("The complaint has been sent to the respondent."),
        )
    if action == "resume":
        return _run(
            request,
            complaint,
            lambda: services.resume_procurement(complaint=complaint, acting_user=user),
            _("The procurement resumes."),
        )
    if action == "publish":
        return _run(
            request,
            complaint,
            lambda: services.publish_decision(complaint=complaint, acting_user=user),
            _("The decision has been published."),
        )
    raise Http404


@login_required
@require_POST
def complaint_suspend(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    complaint = get_complaint_for_user(user=request.user, pk=pk)
    _bureau_only(request)
    return _run_form(
        request,
        complaint,
        SuspensionForm,
        lambda data: services.suspend_procurement(
            complaint=complaint, days=data["days"], acting_user=request.user
        ),
        _("The procurement is suspended and the notice published."),
    )


@login_required
@require_POST
def complaint_refer(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    complaint = get_complaint_for_user(user=request.user, pk=pk)
    _bureau_only(request)
    return _run_form(
        request,
        complaint,
        ReferralForm,
        lambda data: services.refer_for_examination(
            complaint=complaint, acting_user=request.user, **data
        ),
        _("Sent out; the decision period stops until the answer is recorded."),
    )


@login_required
@require_POST
def referral_answer(request: AuthenticatedHttpRequest, pk: int, referral: int) -> HttpResponse:
    complaint = get_complaint_for_user(user=request.user, pk=pk)
    _bureau_only(request)
    sent = get_object_or_404(complaint.referrals, pk=referral)
    return _run_form(
        request,
        complaint,
        ReferralAnswerForm,
        lambda data: services.record_referral_answer(
            referral=sent, finding=data["finding"], acting_user=request.user
        ),
        _("The answer is recorded and the decision period runs again."),
    )


@login_required
def complaint_decide(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    complaint = get_complaint_for_user(user=request.user, pk=pk)
    _bureau_only(request)
    form = DecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.decide_complaint(
                complaint=complaint,
                content=services.DecisionContent(**data),
                acting_user=request.user,
            )
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The decision letter has been served on the parties."))
            return redirect("complaints:complaint_detail", pk=complaint.pk)
    return render(
        request, "complaints/complaint_decide.html", {"complaint": complaint, "form": form}
    )


@login_required
def complaint_correct(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    complaint = get_complaint_for_user(user=request.user, pk=pk)
    if not services.is_complainant(request.user, complaint):
        raise PermissionDenied
    form = CorrectionForm(request.POST or None, initial=_initial_from(complaint))
    if request.method == "POST" and form.is_valid():
        try:
            services.submit_correction(
                complaint=complaint, content=_content(form.cleaned_data), acting_user=request.user
            )
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Your correction has been received."))
            return redirect("complaints:complaint_detail", pk=complaint.pk)
    return render(
        request, "complaints/complaint_correct.html", {"complaint": complaint, "form": form}
    )


@login_required
@require_POST
def complaint_answer(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    complaint = get_complaint_for_user(user=request.user, pk=pk)
    if not services.is_respondent(request.user, complaint):
        raise PermissionDenied
    form = RespondentAnswerForm(request.POST)
    if not form.is_valid():
        messages.error(request, _form_errors(form))
        return redirect("complaints:complaint_detail", pk=complaint.pk)
    return _run(
        request,
        complaint,
        lambda: services.answer_complaint(
            complaint=complaint, answer=form.cleaned_data["answer"], acting_user=request.user
        ),
        _("Your answer has been sent to the bureau."),
    )


@login_required
@require_POST
def complaint_withdraw(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    complaint = get_complaint_for_user(user=request.user, pk=pk)
    if not services.is_complainant(request.user, complaint):
        raise PermissionDenied
    return _run(
        request,
        complaint,
        lambda: services.withdraw_complaint(complaint=complaint, acting_user=request.user),
        _("The complaint is withdrawn."),
    )


def _document(complaint: Complaint, which: str):
    stored = {"receipt": complaint.receipt_pdf, "decision": complaint.decision_pdf}.get(which)
    if stored is None:
        raise Http404
    return file_response(stored, as_attachment=False)


@require_safe
@login_required
def complaint_document(request: AuthenticatedHttpRequest, pk: int, which: str):
    complaint = get_complaint_for_user(user=request.user, pk=pk)
    return _document(complaint, which)


@login_required
def complaint_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    return render(
        request,
        "complaints/complaint_list.html",
        {
            "complaints": list(complaints_for(request.user)[:200]),
            "is_bureau": role_of(request.user) == "bureau",
        },
    )


@login_required
def repeat_complainants(request: AuthenticatedHttpRequest) -> HttpResponse:
    """O94 Art 37: complainants with three or more groundless complaints in twelve months."""
    _bureau_only(request)
    return render(
        request,
        "complaints/repeat_complainants.html",
        {"rows": groundless_counts(now=timezone.now()), "limit": services.GROUNDLESS_LIMIT},
    )


# --- the status page (issue 13 §5) -------------------------------------------------------------


def _may_see_status(request: HttpRequest, complaint: Complaint) -> bool:
    if complaint.pk in request.session.get(SESSION_KEY, []):
        return True
    user = request.user
    return bool(user.is_authenticated and user.has_perm("complaints.view_complaint", complaint))


def status_lookup(request: HttpRequest) -> HttpResponse:
    """Case number and access code, without signing in. A wrong pair, or a number that does
    not exist, gets the same answer; too many from one address for one number are refused."""
    form = StatusLookupForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        number = form.cleaned_data["number"]
        if ratelimit.is_locked(request, number):
            form.add_error(None, _("Too many wrong attempts. Wait a quarter of an hour."))
            status = 429
        else:
            complaint = services.find_case_by_code(number=number, code=form.cleaned_data["code"])
            if complaint is None:
                ratelimit.count_failure(request, number)
                form.add_error(None, _("The case number and access code do not match a case."))
            else:
                ratelimit.clear(request, number)
                allowed = [*request.session.get(SESSION_KEY, []), complaint.pk][-20:]
                request.session[SESSION_KEY] = allowed
                return redirect("complaints:status_page", pk=complaint.pk)
    return render(request, "complaints/status_lookup.html", {"form": form}, status=status)


@require_safe
def status_page(request: HttpRequest, pk: int) -> HttpResponse:
    complaint = get_complaint_by_pk(pk)
    if not _may_see_status(request, complaint):
        raise Http404
    return render(
        request,
        "complaints/status_page.html",
        {
            "complaint": complaint,
            "steps": timeline(complaint),
            "now": timezone.now(),
            "documents": _documents(complaint, public=True),
            "announcement_url": _announcement_url(complaint),
        },
    )


@require_safe
def status_document(request: HttpRequest, pk: int, which: str):
    complaint = get_complaint_by_pk(pk)
    if not _may_see_status(request, complaint):
        raise Http404
    return _document(complaint, which)
