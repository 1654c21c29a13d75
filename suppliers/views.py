"""The supplier's own profile: size, bank account, qualification documents."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.models import OrganisationKind
from accounts.selectors import organisation_of
from common.errors import DomainError

from . import services
from .forms import ProfileForm, QualificationForm
from .models import Qualification
from .selectors import supplier_profile
from .sizes import check_profile, mismatch_message


def _own_supplier(request, *, for_write: bool = False):
    organisation = organisation_of(request.user)
    if organisation is None or organisation.kind != OrganisationKind.SUPPLIER:
        raise Http404
    profile = supplier_profile(organisation)
    if (
        for_write
        and profile is not None
        and not request.user.has_perm("suppliers.change_supplierprofile", profile)
    ):
        raise PermissionDenied
    return organisation, profile


# The message of a save: the page that follows shows it instead of the standing size check.
SAVED = "profile-saved"


@login_required
def profile(request):
    """Save the profile with one outcome: refused (the form's errors, nothing saved), saved with
    a warning (one message: saved, and the size to check), or saved."""
    organisation, profile = _own_supplier(request, for_write=request.method == "POST")
    form = ProfileForm(request.POST or None, initial=_initial(profile))
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.update_profile(
                organisation=organisation, **form.cleaned_data, acting_user=request.user
            )
        except DomainError as error:
            for message in getattr(error, "messages", None) or [str(error)]:
                form.add_error(None, message)
        else:
            check = check_profile(saved)
            if check is not None and not check.matches:
                messages.warning(
                    request,
                    _("Your profile is saved, but check the enterprise size: %(warning)s")
                    % {"warning": _size_warning(check, saved.industry)},
                    extra_tags=SAVED,
                )
            else:
                messages.success(request, _("Your profile is saved."), extra_tags=SAVED)
            return redirect("suppliers:profile")
    return _profile_page(request, organisation, profile, form=form)


def _initial(profile) -> dict:
    if profile is None:
        return {}
    names = (
        "size_class",
        "bank_name",
        "bank_account_name",
        "bank_account_number",
        "industry",
        "employees",
        "revenue",
        "total_assets",
        "figures_year",
    )
    return {name: getattr(profile, name) for name in names}


def _profile_page(request, organisation, profile, *, form=None, qualification_form=None):
    """The profile page; a refused form comes back bound, with its errors.

    The standing size check (the saved size against the saved figures) is left out while a
    refused profile form is shown, and on the page right after a save, whose one message has
    said it: a page tells one outcome.
    """
    just_saved = any(SAVED in m.tags.split() for m in messages.get_messages(request))
    profile_form = form or ProfileForm(initial=_initial(profile))
    check = None if just_saved or profile_form.is_bound else check_profile(profile)
    return render(
        request,
        "suppliers/profile.html",
        {
            "organisation": organisation,
            "form": profile_form,
            "qualification_form": qualification_form or QualificationForm(),
            "qualifications": organisation.qualifications.select_related("file"),
            "today": timezone.localdate(),
            "size_check": check,
            "size_warning": _size_warning(check, profile.industry)
            if check is not None and profile is not None and not check.matches
            else "",
        },
    )


def _size_warning(check, industry: str) -> str:
    """What the supplier is told when its declared size is not the one its figures give."""
    text = mismatch_message(industry=industry, declared=check.declared, computed=check.computed)
    if check.smaller:
        return text + _(
            " A smaller size than the figures allow must not be declared: an SME declaration "
            "letter stating it is refused when you bid, and a false declaration bears legal "
            "liability."
        )
    return text + _(
        " The SME declaration letter states the size the figures give; declare a larger "
        "size only if the enterprise is not an SME for another reason (for example a large "
        "enterprise controls it)."
    )


@login_required
@require_POST
def add_qualification(request):
    """Add a qualification; refused, the page comes back with the form's errors beside its
    fields and the notice that the scan must be chosen again."""
    organisation, profile = _own_supplier(request, for_write=True)
    form = QualificationForm(request.POST, request.FILES)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.add_qualification(
                organisation=organisation,
                name=data["name"],
                number=data["number"],
                issued_by=data["issued_by"],
                expires_on=data["expires_on"],
                upload=data["file"],
                acting_user=request.user,
            )
        except ValidationError as error:  # the scan, refused by documents
            for text in error.messages:
                form.add_error("file", text)
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The qualification is added."))
            return redirect("suppliers:profile")
    return _profile_page(request, organisation, profile, qualification_form=form)


@login_required
@require_POST
def remove_qualification(request, pk: int):
    organisation, _profile = _own_supplier(request, for_write=True)
    qualification = Qualification.objects.filter(pk=pk, organisation=organisation).first()
    if qualification is None:
        raise Http404
    services.remove_qualification(qualification=qualification, acting_user=request.user)
    messages.success(request, _("The qualification is removed."))
    return redirect("suppliers:profile")
