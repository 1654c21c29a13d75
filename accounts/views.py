"""The signed-in home per role, and sign-in / registration by electronic business licence.

Licence flow (accounts/licence.py holds the provider interface):
1. licence_start: a one-time state in the session, then the provider's scan step.
2. licence_callback: the provider's signed answer is verified and tied to that state; the claims
   wait in the session for at most CLAIMS_MAX_AGE.
3. A code nobody registered: licence_register asks for the rest of the supplier's record and its
   administrator, creates them and signs the new user in.
4. A registered code: the licence opens the organisation's administrator account. The licence
   proves the enterprise, not a person, so it signs in as the account that acts for the whole
   organisation: with one active administrator at once, with several the holder chooses among
   them (licence_choose), with none the page says to ask the finance bureau. Staff accounts
   (Membership role staff) are never opened by the licence.
"""

from __future__ import annotations

import secrets

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from . import services
from .forms import LicenceAccountForm, SimulatedScanForm, SupplierRegistrationForm
from .home import home_sections
from .licence import (
    DevelopmentLicenceProvider,
    LicenceClaims,
    LicenceError,
    accept_claims,
    forget_claims,
    get_provider,
    new_state,
    pending_state,
    session_claims,
)
from .models import Organisation, OrganisationKind, Role, User
from .selectors import (
    known_region_name,
    licence_accounts,
    organisation_by_uscc,
    organisation_of,
    role_of,
)
from .todo import todo_items
from .uscc import ALPHABET, USCC_ALREADY_REGISTERED, check_character

MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """The signed-in home: what this role has to do, from every app that registered a section."""
    role = role_of(request.user)
    context = {
        "role": role,
        "role_label": Role(role).label if role else "",
        "organisation": organisation_of(request.user),
        "sections": home_sections(request, role),
        # The home opens with what the organisation owes (issue 10 §1).
        "todo": todo_items(request.user),
        "now": timezone.now(),
    }
    return render(request, "accounts/home.html", context)


@login_required
def todo(request: HttpRequest) -> HttpResponse:
    """Every step the user's organisation owes, soonest due first, each linked to its page."""
    return render(
        request, "accounts/todo.html", {"todo": todo_items(request.user), "now": timezone.now()}
    )


@login_required
def todo_count(request: HttpRequest) -> HttpResponse:
    """The top bar's count, fetched after the page (htmx), so no page pays for it."""
    return render(
        request, "accounts/partials/todo_count.html", {"count": len(todo_items(request.user))}
    )


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """Setting a new password through the e-mailed link also lifts a sign-in lockout."""

    success_url = reverse_lazy("accounts:password_reset_complete")

    def form_valid(self, form):
        response = super().form_valid(form)
        services.clear_failed_sign_ins(user=form.user)
        return response


@require_GET
def licence_start(request: HttpRequest) -> HttpResponse:
    return get_provider().start(request, state=new_state(request.session))


def licence_dev_scan(request: HttpRequest) -> HttpResponse:
    """The development provider's simulated scan: pick or type the enterprise on the licence."""
    provider = get_provider()
    if not isinstance(provider, DevelopmentLicenceProvider):
        raise Http404
    state = pending_state(request.session)
    if not state:
        return redirect("accounts:licence_start")
    form = SimulatedScanForm(request.POST or None, initial={"uscc": _unused_uscc()})
    if form.is_valid():
        claims = LicenceClaims(**form.cleaned_data, issued_at=timezone.now(), state=state)
        return redirect(provider.callback_url(claims))
    samples = Organisation.objects.filter(kind=OrganisationKind.SUPPLIER, is_active=True).exclude(
        legal_representative=""
    )[:6]
    return render(
        request,
        "accounts/licence_scan.html",
        {
            "form": form,
            "samples": samples,
            "provider": provider,
            "qr_cells": provider.scan_picture(state),
        },
    )


@require_GET
def licence_callback(request: HttpRequest) -> HttpResponse:
    try:
        claims = get_provider().verify(request.GET)
        accept_claims(request.session, claims)
    except LicenceError as error:
        return _licence_error(request, str(error), status=400)
    return _continue_with_licence(request, claims)


def licence_register(request: HttpRequest) -> HttpResponse:
    """A new supplier: the licence's code and name, plus the administrator's account."""
    claims = session_claims(request.session)
    if claims is None:
        messages.info(request, _("Please scan the electronic business licence first."))
        return redirect("accounts:licence_start")
    initial = {"region_name": known_region_name(claims.uscc[2:8])}
    form = SupplierRegistrationForm(request.POST or None, claims=claims, initial=initial)
    if form.is_valid():
        data = form.cleaned_data
        try:
            user = services.register_supplier(
                claims=claims,
                region_code=data["region_code"],
                region_name=data["region_name"],
                address=data["address"],
                username=data["username"],
                full_name=data["full_name"],
                phone=data["phone"],
                email=data["email"],
                password=data["password1"],
                details=form.extension_data(),
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            forget_claims(request.session)
            login(request, user, backend=MODEL_BACKEND)
            messages.success(
                request,
                _("Welcome! %(name)s is registered and you are signed in as its administrator.")
                % {"name": claims.name},
            )
            return redirect("accounts:home")
    return render(
        request,
        "accounts/licence_register.html",
        {
            "form": form,
            "claims": claims,
            "already_registered": USCC_ALREADY_REGISTERED
            if organisation_by_uscc(claims.uscc)
            else "",
        },
    )


def licence_choose(request: HttpRequest) -> HttpResponse:
    """Several administrators: the licence holder chooses which account to sign in as."""
    claims = session_claims(request.session)
    if claims is None:
        return redirect("accounts:licence_start")
    organisation = organisation_by_uscc(claims.uscc)
    accounts = licence_accounts(organisation) if organisation else []
    if organisation is None or len(accounts) < 2:
        return _continue_with_licence(request, claims)
    form = LicenceAccountForm(request.POST or None, accounts=accounts)
    if form.is_valid():
        return _sign_in(request, form.cleaned_data["account"], organisation, claims)
    return render(
        request, "accounts/licence_choose.html", {"form": form, "organisation": organisation}
    )


def _continue_with_licence(request: HttpRequest, claims: LicenceClaims) -> HttpResponse:
    organisation = organisation_by_uscc(claims.uscc)
    if organisation is None:
        return redirect("accounts:licence_register")
    accounts = licence_accounts(organisation)
    if len(accounts) == 1:
        return _sign_in(request, accounts[0], organisation, claims)
    if len(accounts) > 1:
        return redirect("accounts:licence_choose")
    forget_claims(request.session)
    return _licence_error(
        request,
        _(
            "%(name)s is registered, but it has no active administrator account the licence "
            "could open. Please contact the finance bureau."
        )
        % {"name": organisation.name},
        status=403,
    )


def _sign_in(
    request: HttpRequest, user: User, organisation: Organisation, claims: LicenceClaims
) -> HttpResponse:
    forget_claims(request.session)
    with transaction.atomic():
        login(request, user, backend=MODEL_BACKEND)  # updates last_login
        services.record_licence_sign_in(user=user, organisation=organisation, claims=claims)
    messages.success(request, _("Signed in with the electronic business licence."))
    return redirect("accounts:home")


def _licence_error(request: HttpRequest, message: str, *, status: int) -> HttpResponse:
    return render(request, "accounts/licence_error.html", {"message": message}, status=status)


# The organisation's contact phone is the administrator's mobile on the registration form.
REGISTRATION_FIELDS = {"contact_phone": "phone"}


def _add_errors(form: SupplierRegistrationForm, error: ValidationError) -> None:
    """Put a service's errors on the form's fields, or above the form for fields it lacks."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, errors in error.error_dict.items():
        field = REGISTRATION_FIELDS.get(field, field)
        form.add_error(field if field in form.fields else None, errors)


def _unused_uscc() -> str:
    """A valid code no organisation has, to prefill the simulated scan of a new enterprise."""
    while True:
        body = "91410400" + "".join(secrets.choice(ALPHABET[:10]) for _i in range(9))
        code = body + check_character(body)
        if organisation_by_uscc(code) is None:
            return code
