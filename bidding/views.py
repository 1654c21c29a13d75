"""Thin views: access helper → form → service → message → redirect."""

from __future__ import annotations

import secrets

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.selectors import organisation_of, role_of
from common.errors import DomainError
from documents.views import file_response
from procurement.selectors import open_tenders
from suppliers.forms import sme_line_formset
from suppliers.selectors import expired_qualifications, supplier_profile
from suppliers.sme import enterprise_label, items_from_data, letter_context
from suppliers.sme import prefill as sme_prefill

from . import crypto, services
from .forms import BidForm, DecryptForm, OpeningRulesForm, RemedyForm, ResponseForm
from .models import LIVE, BidState, Opening, OpeningRules, sealed_part_label
from .selectors import (
    bid_at_opening_of,
    bids_of_supplier,
    flags_for,
    get_bid_for_user,
    get_biddable_lot,
    get_failed_bid_for_staff,
    get_lot_for_opening_rules,
    get_opening_for_user,
    live_bid_of,
    lot_status,
    opening_bids,
    opening_record_context,
    responses_of,
)

DEVICE_COOKIE = "yg_device"
TEN_YEARS = 10 * 365 * 24 * 3600


def _supplier_only(request) -> None:
    if role_of(request.user) != "supplier":
        raise PermissionDenied


def _evidence(request) -> services.Evidence:
    return services.Evidence(
        ip_address=request.META.get("REMOTE_ADDR"),
        device_id=request.COOKIES.get(DEVICE_COOKIE, ""),
        user_agent=request.META.get("HTTP_USER_AGENT", ""),
    )


def _with_device_cookie(request, response):
    if not request.COOKIES.get(DEVICE_COOKIE):
        response.set_cookie(
            DEVICE_COOKIE,
            secrets.token_hex(16),
            max_age=TEN_YEARS,
            httponly=True,
            samesite="Lax",
            secure=request.is_secure(),
        )
    return response


@login_required
def my_bids(request):
    _supplier_only(request)
    now = timezone.now()
    bids = [
        (bid, lot_status(bid.lot, now=now))
        for bid in bids_of_supplier(request.user).select_related("lot__opening")[:100]
    ]
    return render(
        request,
        "bidding/my_bids.html",
        {
            "lots": open_tenders().filter(bid_deadline__gt=now)[:50],
            "bids": bids,
            "expired": expired_qualifications(organisation_of(request.user)),
        },
    )


def _closed_page(request, *, lot, reason: DomainError, current):
    """What the bid, replace and withdraw pages show once the lot takes no bids: no form."""
    opening = Opening.objects.filter(lot=lot).only("failed_reason").first()
    return render(
        request,
        "bidding/closed.html",
        {
            "lot": lot,
            "project": lot.project,
            "reason": str(reason),
            "deadline_passed": reason.code == "deadline_passed",
            "failed_reason": opening.failed_reason if opening else "",
            "state_label": services.lot_state_label(lot, timezone.now()),
            "current": current,
            "opening_link": opening is not None and not opening.failed_reason,
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
def submit(request, lot_id: int):
    _supplier_only(request)
    lot = get_biddable_lot(lot_id=lot_id)
    current = live_bid_of(lot=lot, user=request.user)
    if (closed := services.bidding_closed(lot, timezone.now())) is not None:
        return _closed_page(request, lot=lot, reason=closed, current=current)
    organisation = organisation_of(request.user)
    if organisation is None:  # a supplier always has one (_supplier_only)
        raise PermissionDenied
    form = BidForm(request.POST or None, request.FILES or None)
    # A client that submits no letter may leave the lines' management form out.
    posted_lines = request.method == "POST" and "sme-TOTAL_FORMS" in request.POST
    line = sme_prefill(
        organisation=organisation, profile=supplier_profile(organisation), item=lot.name
    )
    sme = sme_line_formset(
        data=request.POST if posted_lines else None,
        initial=[line] if line else None,
        kind=lot.kind,
    )
    # Both are checked on every submission, so that every error is shown at once.
    form_ok = request.method == "POST" and form.is_valid()
    letter_ok = request.method == "POST" and form.sme_valid(sme)
    # The declaration's partners are read from the letter, so it is checked once both are.
    policy = form.policy(sme) if form_ok and letter_ok else None
    if policy is not None:
        try:
            bid = services.submit_bid(
                lot=lot,
                price=form.cleaned_data["price"],
                files=form.cleaned_data["files"],
                sme_items=form.sme_items(sme),
                policy=policy,
                passphrase=form.cleaned_data.get("passphrase") or None,
                key_file=form.key_file_bytes(),
                evidence=_evidence(request),
                acting_user=request.user,
            )
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Your bid is sealed and received."))
            return redirect("bidding:receipt", bid_uuid=bid.uuid)
    context = {
        "lot": lot,
        "project": lot.project,
        "form": form,
        "sme": sme,
        "rules": OpeningRules.of(lot),
        "current": current,
        "expired": expired_qualifications(organisation),
        "now": timezone.now(),
    }
    status = 400 if request.method == "POST" else 200
    return _with_device_cookie(
        request, render(request, "bidding/submit.html", context, status=status)
    )


@login_required
def key_file(request):
    """A fresh key file, downloaded once: the server keeps no copy."""
    _supplier_only(request)
    text, _key = crypto.new_key_file()
    response = HttpResponse(text, content_type="text/plain; charset=ascii")
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    response["Content-Disposition"] = (
        f'attachment; filename="bid-key-{stamp}{crypto.KEY_FILE_SUFFIX}"'
    )
    response["Cache-Control"] = "no-store"
    return response


@login_required
def receipt(request, bid_uuid):
    bid = get_bid_for_user(user=request.user, bid_uuid=bid_uuid, for_write=True)
    lines = items_from_data(bid.sme_items)  # empty while sealed (format 2)
    letter = letter_context(
        supplier_name=bid.supplier.name,
        purchaser_name=bid.lot.project.purchaser.name,
        project_name=bid.lot.project.name,
        lines=lines,
        signed_on=bid.received_at,
        kind=bid.lot.kind,
    )
    return render(
        request,
        "bidding/receipt.html",
        {
            "bid": bid,
            "takes_bids": services.bidding_closed(bid.lot, timezone.now()) is None,
            "lot_status": lot_status(bid.lot, now=timezone.now()),
            "files": bid.files.all(),
            "letters": [letter] if lines else [],
            "enterprise_label": enterprise_label(bid.lot.kind),
        },
    )


@login_required
def receipt_pdf(request, bid_uuid):
    """The receipt stored at submission (rendered now if its task has not run yet)."""
    bid = get_bid_for_user(user=request.user, bid_uuid=bid_uuid, for_write=True)
    stored = bid.receipt_pdf
    if stored is None:
        rendered = services.render_bid_receipt(bid_id=bid.pk)
        stored = rendered.receipt_pdf if rendered is not None else None
    if stored is None:  # a bid without a receipt time: never submitted
        raise Http404
    return file_response(stored)


@login_required
def withdraw(request, bid_uuid):
    bid = get_bid_for_user(user=request.user, bid_uuid=bid_uuid, for_write=True)
    if (closed := services.bidding_closed(bid.lot, timezone.now())) is not None:
        current = bid if bid.state in LIVE else None
        return _closed_page(request, lot=bid.lot, reason=closed, current=current)
    if request.method == "POST":
        try:
            services.withdraw_bid(bid=bid, acting_user=request.user)
        except DomainError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Your bid is withdrawn."))
        return redirect("bidding:mine")
    return render(request, "bidding/withdraw.html", {"bid": bid})


def _opening_context(request, opening):
    bids = opening_bids(opening)
    own = bid_at_opening_of(lot=opening.lot, user=request.user)
    now = timezone.now()
    staff = request.user.has_perm("bidding.rule_on_failure", opening)
    context = {
        "opening": opening,
        "lot": opening.lot,
        "project": opening.lot.project,
        "bids": bids,
        "own": own,
        "decrypt_form": DecryptForm(),
        "remedy_form": RemedyForm(),
        "remedy_open": bool(own and own.remedy_open(now)),
        "rules": OpeningRules.of(opening.lot),
        "failures": [b for b in bids if b.integrity_failed_at] if staff else [],
        "can_rule": staff,
        "now": now,
        "decrypted": sum(1 for b in bids if b.state == BidState.DECRYPTED),
    }
    if opening.is_finished:
        context.update(opening_record_context(opening))
        context["responses"] = responses_of(opening)
        context["flags"] = flags_for(opening) if role_of(request.user) != "supplier" else []
        context["own_response"] = next(
            (r for r in context["responses"] if own and r.supplier_id == own.supplier_id), None
        )
    return context


@login_required
def opening(request, lot_id: int):
    opening = get_opening_for_user(user=request.user, lot_id=lot_id)
    return render(request, "bidding/opening.html", _opening_context(request, opening))


@login_required
def opening_status(request, lot_id: int):
    """The live part of the opening page, polled by htmx."""
    opening = get_opening_for_user(user=request.user, lot_id=lot_id)
    response = render(
        request, "bidding/partials/opening_status.html", _opening_context(request, opening)
    )
    if opening.is_finished and request.headers.get("HX-Request"):
        # The whole page changes at the end (record, confirmation form): reload it.
        response["HX-Refresh"] = "true"
    return response


@login_required
@require_POST
def decrypt(request, bid_uuid):
    bid = get_bid_for_user(user=request.user, bid_uuid=bid_uuid, for_write=True)
    form = DecryptForm(request.POST, request.FILES)
    form.is_valid()
    try:
        services.decrypt_bid(
            bid=bid,
            passphrase=form.cleaned_data.get("passphrase") or None,
            key_file=form.key_file_bytes(),
            acting_user=request.user,
        )
    except DomainError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Your bid is decrypted."))
    return redirect("bidding:opening", lot_id=bid.lot_id)


@login_required
def record_pdf(request, lot_id: int):
    opening = get_opening_for_user(user=request.user, lot_id=lot_id)
    if not opening.is_finished:
        raise Http404
    if opening.record_pdf is None:
        services.render_opening_record_pdf(opening_id=opening.pk)
        opening.refresh_from_db()
    if opening.record_pdf is None:
        raise Http404
    return file_response(opening.record_pdf, as_attachment=False)


@login_required
@require_POST
def respond(request, lot_id: int):
    opening = get_opening_for_user(user=request.user, lot_id=lot_id)
    form = ResponseForm(request.POST)
    if form.is_valid():
        try:
            services.respond_to_record(
                opening=opening,
                kind=form.cleaned_data["kind"],
                text=form.cleaned_data["text"],
                acting_user=request.user,
            )
        except DomainError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Your response is recorded."))
    return redirect("bidding:opening", lot_id=lot_id)


@login_required
@require_POST
def reupload(request, bid_uuid):
    """The bidder restores what the platform lost of its sealed bid (RULES.md C-5)."""
    bid = get_bid_for_user(user=request.user, bid_uuid=bid_uuid, for_write=True)
    form = RemedyForm(request.POST, request.FILES)
    form.is_valid()
    try:
        services.remedy_bid(
            bid=bid,
            passphrase=form.cleaned_data.get("passphrase") or None,
            key_file=form.key_file_bytes(),
            files=form.cleaned_data.get("files") or [],
            price=form.cleaned_data.get("price") or None,
            acting_user=request.user,
        )
    except DomainError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Your bid is restored and decrypted."))
    return redirect("bidding:opening", lot_id=bid.lot_id)


@login_required
def platform_failure(request, lot_id: int, bid_uuid):
    """The purchaser or agency records a failed decryption as the platform's (EBID Art 31)."""
    opening, bid = get_failed_bid_for_staff(user=request.user, lot_id=lot_id, bid_uuid=bid_uuid)
    if request.method == "POST":
        try:
            services.record_platform_failure(bid=bid, acting_user=request.user)
        except DomainError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("The failure is recorded as the platform's."))
        return redirect("bidding:opening", lot_id=lot_id)
    evidence = [
        {**entry, "label": sealed_part_label(entry["part"])}
        for entry in bid.integrity_failure.get("evidence", [])
    ]
    return render(
        request,
        "bidding/platform_failure.html",
        {
            "opening": opening,
            "lot": opening.lot,
            "bid": bid,
            "evidence": evidence,
            "rules": OpeningRules.of(bid.lot),
        },
    )


@login_required
def opening_rules(request, lot_id: int):
    """The lot's opening rules: the remedy for a failed decryption (RULES.md C-5)."""
    lot = get_lot_for_opening_rules(
        user=request.user, lot_id=lot_id, for_write=request.method == "POST"
    )
    rules = OpeningRules.of(lot)
    form = OpeningRulesForm(
        request.POST or None,
        initial={
            "reupload": rules.reupload_on_platform_failure,
            "window_minutes": rules.reupload_window_minutes,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.set_opening_rules(
                lot=lot,
                reupload=form.cleaned_data["reupload"],
                window_minutes=form.cleaned_data["window_minutes"],
                acting_user=request.user,
            )
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The opening rules are saved."))
            return redirect("bidding:opening_rules", lot_id=lot.pk)
    return render(
        request,
        "bidding/opening_rules.html",
        {
            "lot": lot,
            "project": lot.project,
            "rules": rules,
            "form": form,
            "can_change": request.user.has_perm("bidding.change_openingrules", lot),
        },
        status=400 if request.method == "POST" else 200,
    )
