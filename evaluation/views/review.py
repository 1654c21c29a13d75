"""The review pages (issue 11 §3): start, overview, declaration, qualification, compliance with
the low-price inquiries, the member's score sheet, and the bidder's explanation page. Each view:
access helper → form → service → message → redirect."""

from __future__ import annotations

from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ObjectDoesNotExist
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from bidding.declaration import describe
from bidding.models import BidFile
from bidding.selectors import flags_for
from common.errors import DomainError, RulesBroken
from common.links import link
from procurement.models import EvaluationCriterion

from .. import selectors, services
from ..models import BidReview, EvaluationState, PriceInquiry
from ..review_forms import (
    AskForm,
    ComplianceForm,
    DecideForm,
    DeclarationForm,
    ExplainForm,
    QualificationForm,
)
from ..rules import seat_of


def _error(request, error: DomainError) -> None:
    for message in error.messages if isinstance(error, RulesBroken) else [str(error)]:
        messages.error(request, message)


def _collusion_flags(lot) -> list:
    try:
        opening = lot.opening
    except ObjectDoesNotExist:
        return []
    return flags_for(opening)


def _bid_rows(evaluation, *, with_inquiries: bool = False) -> list[dict]:
    """Each reviewed bid with its collusion leads and low-price flag, prepared once."""
    flags = _collusion_flags(evaluation.lot)
    low = services.low_price_flags(evaluation)
    inquiries: dict[int, list[PriceInquiry]] = {}
    if with_inquiries:
        for inquiry in PriceInquiry.objects.filter(evaluation=evaluation).prefetch_related(
            "answer_files"
        ):
            inquiries.setdefault(inquiry.bid_id, []).append(inquiry)
    rows = []
    for review in selectors.reviews_of(evaluation):
        name = review.bid.supplier.name
        rows.append(
            {
                "review": review,
                "bid": review.bid,
                "name": name,
                "flags": [f for f in flags if name in f.suppliers],
                "low": low.get(review.bid_id),
                "inquiries": inquiries.get(review.bid_id, []),
                "files": list(review.bid.files.all()),
                # Read out at the opening beside the price; it changes the evaluated price.
                "policy": describe(
                    arrangement=review.bid.arrangement,
                    small_micro_share=review.bid.small_micro_share,
                    domestic_share=review.bid.domestic_share,
                ),
            }
        )
    return rows


# Start and overview ----------------------------------------------------------------------------


@login_required
def start(request, lot_id: int):
    lot = selectors.get_lot_to_start(user=request.user, lot_id=lot_id)
    if request.method == "POST":
        try:
            services.start_evaluation(lot=lot, acting_user=request.user)
        except DomainError as error:
            _error(request, error)
        else:
            messages.success(request, _("The evaluation has started; the members are told."))
            return redirect("evaluation:overview", lot_id=lot.pk)
    return render(
        request,
        "evaluation/start.html",
        {"lot": lot, "shortfall": services.committee_shortfall(lot)},
    )


@login_required
def overview(request, lot_id: int):
    evaluation = selectors.get_evaluation_for_user(user=request.user, lot_id=lot_id)
    seat = seat_of(request.user, evaluation)
    staff = request.user.has_perm("evaluation.review_qualification", evaluation)
    if seat is not None and not staff:
        return redirect(_member_page(evaluation, seat))
    return render(
        request,
        "evaluation/overview.html",
        {
            "evaluation": evaluation,
            "lot": evaluation.lot,
            "staff": staff,
            "qualification_open": evaluation.state == EvaluationState.QUALIFICATION,
            # The committee's names: for the project staff and the bureau only (RULES.md D-2).
            "progress": selectors.sheet_progress(evaluation),
            "shortfall": services.committee_shortfall(evaluation.lot),
            "replacement_url": link("committee", evaluation.lot_id),
            "rows": _bid_rows(evaluation, with_inquiries=True),
        },
    )


def _member_page(evaluation, seat) -> str:
    from django.urls import reverse

    lot_id = evaluation.lot_id
    if not selectors.has_declared(evaluation, seat):
        return reverse("evaluation:declaration", args=[lot_id])
    if evaluation.state == EvaluationState.SCORING:
        return reverse("evaluation:sheet", args=[lot_id])
    return reverse("evaluation:compliance", args=[lot_id])


# Declaration -----------------------------------------------------------------------------------


@login_required
def declaration(request, lot_id: int):
    evaluation, seat = selectors.get_evaluation_for_member(
        user=request.user, lot_id=lot_id, declared=False
    )
    if selectors.has_declared(evaluation, seat):
        return redirect(_member_page(evaluation, seat))
    form = DeclarationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.sign_declaration(
                evaluation=evaluation,
                no_conflict=form.cleaned_data["no_conflict"],
                conflict_detail=form.cleaned_data["conflict_detail"],
                acting_user=request.user,
            )
        except DomainError as error:
            _error(request, error)
        else:
            if form.cleaned_data["no_conflict"]:
                messages.success(request, _("Declaration signed."))
                return redirect(_member_page(evaluation, seat))
            messages.info(request, _("You are recused from this evaluation. Thank you."))
            return redirect("accounts:home")
    return render(
        request,
        "evaluation/declaration.html",
        {
            "evaluation": evaluation,
            "lot": evaluation.lot,
            "statement": services.declaration_statement(evaluation, seat),
            "form": form,
        },
    )


# Qualification (purchaser or agency) -----------------------------------------------------------


@login_required
def qualification(request, lot_id: int):
    evaluation = selectors.get_evaluation_for_staff(user=request.user, lot_id=lot_id)
    if request.method == "POST":
        form = QualificationForm(request.POST)
        if form.is_valid():
            review = get_object_or_404(
                BidReview, pk=form.cleaned_data["review"], evaluation=evaluation
            )
            try:
                services.record_qualification(
                    review=review,
                    values=services.QualificationValues(
                        qualified=form.cleaned_data["qualified"],
                        reason=form.cleaned_data["reason"],
                        credit_checked_at=form.cleaned_data["credit_checked_at"],
                        credit_listed=form.cleaned_data["credit_listed"],
                    ),
                    acting_user=request.user,
                )
            except DomainError as error:
                _error(request, error)
            else:
                messages.success(request, _("Recorded: %(name)s.") % {"name": review.bid.supplier})
        else:
            messages.error(request, _("Choose qualified or fails for the bidder."))
        return redirect("evaluation:qualification", lot_id=lot_id)
    rows = _bid_rows(evaluation)
    for row in rows:
        review = row["review"]
        row["reserved_refused"] = not services.qualifies_for_reserved_lot(
            row["bid"], evaluation.lot
        )
        row["form"] = QualificationForm(
            initial={
                "review": review.pk,
                "qualified": {True: "1", False: "0"}.get(review.qualified),
                "reason": review.qualification_reason,
                "credit_checked_at": review.credit_checked_at,
                "credit_listed": review.credit_listed,
            },
            prefix=f"r{review.pk}",
        )
    return render(
        request,
        "evaluation/qualification.html",
        {
            "evaluation": evaluation,
            "lot": evaluation.lot,
            "rows": rows,
            "open": evaluation.state == EvaluationState.QUALIFICATION,
        },
    )


@login_required
@require_POST
def finish_qualification(request, lot_id: int):
    evaluation = selectors.get_evaluation_for_staff(user=request.user, lot_id=lot_id)
    try:
        evaluation = services.finish_qualification(evaluation=evaluation, acting_user=request.user)
    except DomainError as error:
        _error(request, error)
    else:
        if evaluation.state == EvaluationState.FAILED:
            messages.warning(request, evaluation.failed_reason)
        else:
            messages.success(request, _("Qualification review closed; the committee goes on."))
    return redirect("evaluation:overview", lot_id=lot_id)


# Compliance and low prices (the committee; the leader records) ---------------------------------


@login_required
def compliance(request, lot_id: int):
    evaluation, seat = selectors.get_evaluation_for_member(user=request.user, lot_id=lot_id)
    leader = seat.is_leader and evaluation.state == EvaluationState.COMPLIANCE
    rows = _bid_rows(evaluation, with_inquiries=True)
    for row in rows:
        review = row["review"]
        open_inquiry = any(i.decided_at is None for i in row["inquiries"])
        row["editable"] = (
            review.qualified
            and review.invalid_ground not in services.PLATFORM_GROUNDS
            and not open_inquiry
        )
        row["askable"] = row["editable"] and review.compliant is not False
        row["form"] = ComplianceForm(
            initial={
                "compliant": {True: "1", False: "0"}.get(review.compliant),
                "ground": review.invalid_ground,
                "reason": review.compliance_reason,
            },
            prefix=f"c{review.pk}",
        )
    return render(
        request,
        "evaluation/compliance.html",
        {
            "evaluation": evaluation,
            "lot": evaluation.lot,
            "rows": rows,
            "leader": leader,
            "ask_form": AskForm(),
            "decide_form": DecideForm(),
            "threshold": f"{services.LOW_PRICE_SHARE:.0%}",
        },
    )


def _review_for_leader(request, lot_id: int, review_id: int):
    evaluation, _seat = selectors.get_evaluation_for_member(user=request.user, lot_id=lot_id)
    return get_object_or_404(BidReview, pk=review_id, evaluation=evaluation)


@login_required
@require_POST
def record_compliance(request, lot_id: int, review_id: int):
    review = _review_for_leader(request, lot_id, review_id)
    form = ComplianceForm(request.POST, prefix=f"c{review.pk}")
    if not form.is_valid():
        messages.error(request, _("Choose compliant or invalid."))
        return redirect("evaluation:compliance", lot_id=lot_id)
    try:
        services.record_compliance(
            review=review,
            compliant=form.cleaned_data["compliant"],
            ground=form.cleaned_data["ground"],
            reason=form.cleaned_data["reason"],
            acting_user=request.user,
        )
    except DomainError as error:
        _error(request, error)
    else:
        messages.success(request, _("Recorded: %(name)s.") % {"name": review.bid.supplier})
    return redirect("evaluation:compliance", lot_id=lot_id)


@login_required
@require_POST
def ask(request, lot_id: int, review_id: int):
    review = _review_for_leader(request, lot_id, review_id)
    form = AskForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the question and the time the answer is due."))
        return redirect("evaluation:compliance", lot_id=lot_id)
    try:
        services.ask_price_explanation(
            review=review,
            question=form.cleaned_data["question"],
            due=form.cleaned_data["due"],
            acting_user=request.user,
        )
    except DomainError as error:
        _error(request, error)
    else:
        messages.success(request, _("The bidder is asked to explain its price."))
    return redirect("evaluation:compliance", lot_id=lot_id)


@login_required
@require_POST
def decide(request, lot_id: int, inquiry_id: int):
    evaluation, _seat = selectors.get_evaluation_for_member(user=request.user, lot_id=lot_id)
    inquiry = get_object_or_404(PriceInquiry, pk=inquiry_id, evaluation=evaluation)
    form = DecideForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose the decision and record why."))
        return redirect("evaluation:compliance", lot_id=lot_id)
    try:
        services.decide_price_explanation(
            inquiry=inquiry,
            accepted=form.cleaned_data["accepted"],
            reason=form.cleaned_data["reason"],
            acting_user=request.user,
        )
    except DomainError as error:
        _error(request, error)
    else:
        messages.success(request, _("The committee's decision is recorded."))
    return redirect("evaluation:compliance", lot_id=lot_id)


@login_required
@require_POST
def finish_compliance(request, lot_id: int):
    evaluation, _seat = selectors.get_evaluation_for_member(user=request.user, lot_id=lot_id)
    try:
        evaluation = services.finish_compliance(evaluation=evaluation, acting_user=request.user)
    except DomainError as error:
        _error(request, error)
        return redirect("evaluation:compliance", lot_id=lot_id)
    if evaluation.state == EvaluationState.FAILED:
        messages.warning(request, evaluation.failed_reason)
        return redirect("evaluation:compliance", lot_id=lot_id)
    messages.success(request, _("Compliance review closed; the members score now."))
    return redirect("evaluation:sheet", lot_id=lot_id)


@login_required
def bid_file(request, lot_id: int, file_id: int):
    """An opened bid file, for a member that has declared (after the qualification review)."""
    evaluation, _seat = selectors.get_evaluation_for_member(user=request.user, lot_id=lot_id)
    if evaluation.state == EvaluationState.QUALIFICATION:
        raise Http404
    bid_file = get_object_or_404(
        BidFile, pk=file_id, bid__review__evaluation=evaluation, bid__review__qualified=True
    )
    if not bid_file.plain:
        raise Http404
    response = FileResponse(
        bid_file.plain.open("rb"),
        as_attachment=True,
        filename=bid_file.original_name or bid_file.label,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-cache"
    return response


# The member's score sheet ----------------------------------------------------------------------


def _field(bid_id: int, criterion_id: int) -> str:
    return f"s-{bid_id}-{criterion_id}"


@login_required
def sheet(request, lot_id: int):
    evaluation, seat = selectors.get_evaluation_for_member(user=request.user, lot_id=lot_id)
    if evaluation.state != EvaluationState.SCORING and not seat.score_sheets.exists():
        return redirect(_member_page(evaluation, seat))
    criteria = list(EvaluationCriterion.objects.filter(lot=evaluation.lot))
    bids = list(selectors.compliant_bids(evaluation).select_related("supplier"))
    own = seat.score_sheets.filter(evaluation=evaluation).first()
    if request.method == "POST":
        scores: dict[tuple[int, int], Decimal] = {}
        try:
            for b in bids:
                for c in criteria:
                    value = services.parse_points(request.POST.get(_field(b.pk, c.pk), ""))
                    if value is not None:
                        scores[(b.pk, c.pk)] = value
            if scores:
                services.save_scores(evaluation=evaluation, scores=scores, acting_user=request.user)
            if "submit" in request.POST:
                services.submit_sheet(evaluation=evaluation, acting_user=request.user)
                messages.success(request, _("Your sheet is submitted."))
            else:
                messages.success(request, _("Your scores are saved."))
        except DomainError as error:
            _error(request, error)
        return redirect("evaluation:sheet", lot_id=lot_id)
    given = selectors.own_scores(own) if own else {}
    flags = _collusion_flags(evaluation.lot)
    rows = [
        {
            "bid": b,
            "flags": [f for f in flags if b.supplier.name in f.suppliers],
            "cells": [
                {"criterion": c, "name": _field(b.pk, c.pk), "value": given.get((b.pk, c.pk))}
                for c in criteria
            ],
        }
        for b in bids
    ]
    submitted = own is not None and own.submitted_at is not None
    summary = selectors.summary_for(evaluation, seat) if submitted else None
    return render(
        request,
        "evaluation/sheet.html",
        {
            "evaluation": evaluation,
            "lot": evaluation.lot,
            "criteria": criteria,
            "rows": rows,
            "sheet": own,
            "submitted": submitted,
            "open": evaluation.state == EvaluationState.SCORING and not submitted,
            "summary": [(b, summary.get(b.pk)) for b in bids] if summary is not None else None,
            # The leader sees who has not finished, by seat number (names stay secret).
            "progress": selectors.sheet_progress(evaluation) if seat.is_leader else None,
            "seat": seat,
        },
    )


# The bidder's answer ---------------------------------------------------------------------------


@login_required
def explain(request, inquiry_id: int):
    inquiry = selectors.get_inquiry_for_bidder(user=request.user, inquiry_id=inquiry_id)
    form = ExplainForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.answer_price_explanation(
                inquiry=inquiry,
                answer=form.cleaned_data["answer"],
                files=form.cleaned_data["proof"],
                acting_user=request.user,
            )
        except DomainError as error:
            _error(request, error)
        else:
            messages.success(request, _("Your explanation is sent to the committee."))
            return redirect("evaluation:explain", inquiry_id=inquiry.pk)
    return render(
        request,
        "evaluation/explain.html",
        {"inquiry": inquiry, "lot": inquiry.evaluation.lot, "form": form},
    )
