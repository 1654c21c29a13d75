"""Open tenders for suppliers: read the lot, download the documents, ask a question."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.http import AuthenticatedHttpRequest
from accounts.selectors import role_of
from common.errors import DomainError
from common.links import link
from documents.views import file_response

from .. import services
from ..forms import QuestionForm
from ..models import AnnouncementKind, Lot
from ..selectors import (
    get_document_for_user,
    get_public_lot,
    is_document_reader,
    notices_of_lot,
    open_tenders,
    published_clarifications_of_lot,
    questions_of_supplier,
)
from ..services.announcements import current_documents
from ..status import lot_status
from ._common import error_texts, role_required


def _bid_url(lot: Lot, *, is_supplier: bool, now) -> str:
    """The bid form (bidding's page), for a signed-in supplier while the lot takes bids."""
    if not is_supplier or not lot.accepts_bids(now):
        return ""
    return link("bid_form", lot.pk)


def tender_list(request: HttpRequest) -> HttpResponse:
    """Lots open for bidding, soonest deadline first (public)."""
    is_supplier = role_of(request.user) == "supplier"
    now = timezone.now()
    lots = list(open_tenders()[:200])
    for lot in lots:
        lot.bid_url = _bid_url(lot, is_supplier=is_supplier, now=now)  # type: ignore[attr-defined]
    return render(request, "procurement/tender_list.html", {"lots": lots})


def tender_lot(request: HttpRequest, pk: int) -> HttpResponse:
    """An announced lot: its notices, periods, documents (after signing in) and answers."""
    lot = get_public_lot(pk=pk)
    project = lot.project
    is_supplier = role_of(request.user) == "supplier"
    documents = [d for d in current_documents(project) if d.lot_id in (None, lot.pk)]
    now = timezone.now()
    notices = list(notices_of_lot(lot))
    tender_notice = next((n for n in notices if n.kind == AnnouncementKind.TENDER), None)
    return render(
        request,
        "procurement/tender_lot.html",
        {
            "lot": lot,
            "project": project,
            "documents": documents,
            "announcements": notices,
            # The announcement period (O87 Art 16) as the tender notice states it.
            "notice_period": tender_notice.data.get("notice_period") if tender_notice else None,
            "notice_published_at": tender_notice.published_at if tender_notice else None,
            "provision_minimum": (
                tender_notice.data.get("provision_minimum") if tender_notice else None
            ),
            "documents_provided": lot.documents_provided(now),
            "clarifications": published_clarifications_of_lot(lot),
            "is_supplier": is_supplier,
            "status": lot_status(lot, now=now),
            "is_open": lot.accepts_bids(now),
            "bid_url": _bid_url(lot, is_supplier=is_supplier, now=now),
            # Inquiries and questions (询问, 质疑): the page of the app that holds them, if any.
            "challenge_url": link("lot_challenges", lot.pk) if is_supplier else "",
            "question_form": QuestionForm() if is_supplier else None,
        },
    )


@login_required
def document_download(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse | FileResponse:
    """The file: for the project's staff and the bureau at any time, not recorded (they are not
    bidders); for a signed-in supplier while the lot is open, recorded (potential bidders)."""
    document = get_document_for_user(user=request.user, pk=pk)
    if is_document_reader(request.user, document):
        return file_response(document.file, as_attachment=True)
    try:
        services.record_download(document=document, acting_user=request.user)
    except DomainError as error:
        messages.error(request, str(error))
        lot = document.lot or document.project.lots.first()
        if lot is None:  # a project is made with its plan's lots, and a plan has at least one
            raise ValueError(f"Project {document.project_id} has no lot.") from error
        return redirect("procurement:tender_lot", pk=lot.pk)
    return file_response(document.file, as_attachment=True)


@login_required
@require_POST
def question_ask(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    lot = get_public_lot(pk=pk)
    if role_of(request.user) != "supplier":
        raise PermissionDenied
    form = QuestionForm(request.POST)
    if form.is_valid():
        try:
            services.ask_question(
                lot=lot, question=form.cleaned_data["question"], acting_user=request.user
            )
        except DomainError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request,
                _("Your question has been sent. The answer will be published for all suppliers."),
            )
            return redirect("procurement:my_questions")
    else:
        for message in error_texts(form):
            messages.error(request, message)
    return redirect("procurement:tender_lot", pk=lot.pk)


@role_required("supplier")
def my_questions(request: AuthenticatedHttpRequest) -> HttpResponse:
    return render(
        request,
        "procurement/my_questions.html",
        {"questions": questions_of_supplier(request.user)},
    )
