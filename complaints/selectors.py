"""Reads and the access helpers: every case reached by id goes through one of these."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from accounts.selectors import organisation_of, role_of

from .models import Inquiry, Question

# The documents use of a question's materials (registered in wiring.py).
QUESTION_MATERIALS = "complaints.question_materials"


def _check(user, obj, *, view: str, change: str, for_write: bool):
    if not user.has_perm(view, obj):
        raise Http404  # another role learns nothing, not even that the case exists
    if for_write and not user.has_perm(change, obj):
        raise PermissionDenied
    return obj


def get_question_for_user(*, user, pk: int, for_write: bool = False) -> Question:
    question = (
        Question.objects.select_related(
            "lot", "lot__project", "lot__project__purchaser", "lot__project__agency", "supplier"
        )
        .filter(pk=pk)
        .first()
    )
    if question is None:
        raise Http404
    return _check(
        user,
        question,
        view="complaints.view_question",
        change="complaints.reply_question",
        for_write=for_write,
    )


def get_question_reply_for_user(*, user, pk: int) -> Question:
    """A question for reading its reply only: its parties and the bureau, and, once replied,
    every other supplier the reply was sent to (O94 Art 13); 404 for anyone else."""
    question = (
        Question.objects.select_related("lot", "lot__project", "supplier", "replier")
        .filter(pk=pk)
        .first()
    )
    if question is None or not user.has_perm("complaints.view_question_reply", question):
        raise Http404
    return question


def question_file_access(user, stored_file) -> bool | None:
    """A question's materials are for the parties to it: the questioner, the purchaser and the
    agency (the bureau by the general rule); not for the other suppliers told of the reply."""
    if stored_file.use != QUESTION_MATERIALS:
        return None
    question = Question.objects.select_related("lot__project").filter(attachment=stored_file)
    found = question.first()
    if found is None:
        return None
    return True if user.has_perm("complaints.view_question", found) else None


def get_inquiry_for_user(*, user, pk: int, for_write: bool = False) -> Inquiry:
    inquiry = (
        Inquiry.objects.select_related("lot", "lot__project", "supplier").filter(pk=pk).first()
    )
    if inquiry is None:
        raise Http404
    return _check(
        user,
        inquiry,
        view="complaints.view_inquiry",
        change="complaints.answer_inquiry",
        for_write=for_write,
    )


def _cases_filter(user) -> Q | None:
    """Whose cases the user sees: its own as supplier, its lots' as purchaser or agency, all
    for the bureau; None: none."""
    role = role_of(user)
    organisation = organisation_of(user)
    if role == "bureau":
        return Q()
    if organisation is None:
        return None
    if role == "supplier":
        return Q(supplier=organisation)
    if role in ("purchaser", "agency"):
        return Q(lot__project__purchaser=organisation) | Q(lot__project__agency=organisation)
    return None


def questions_for(user) -> QuerySet[Question]:
    where = _cases_filter(user)
    if where is None:
        return Question.objects.none()
    return (
        Question.objects.filter(where)
        .select_related("lot", "lot__project", "supplier")
        .order_by("-received_at", "-id")
    )


def inquiries_for(user) -> QuerySet[Inquiry]:
    where = _cases_filter(user)
    if where is None:
        return Inquiry.objects.none()
    return (
        Inquiry.objects.filter(where)
        .select_related("lot", "lot__project", "supplier")
        .order_by("-received_at", "-id")
    )
