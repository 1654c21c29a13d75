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


@login_required
def profile(request):
    organisation, profile = _own_supplier(request, for_write=request.method == "POST")
    initial = {}
    if profile:
        initial = {
            "size_class": profile.size_class,
            "bank_name": profile.bank_name,
            "bank_account_name": profile.bank_account_name,
            "bank_account_number": profile.bank_account_number,
            "industry": profile.industry,
            "employees": profile.employees,
            "revenue": profile.revenue,
            "total_assets": profile.total_assets,
            "figures_year": profile.figures_year,
        }
    form = ProfileForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        services.set_size_class(
            organisation=organisation, size_class=data["size_class"], acting_user=request.user
        )
        services.update_bank_account(
            organisation=organisation,
            bank_name=data["bank_name"],
            account_name=data["bank_account_name"],
            account_number=data["bank_account_number"],
            acting_user=request.user,
        )
        services.update_size_figures(
            organisation=organisation,
            industry=data["industry"],
            employees=data["employees"],
            revenue=data["revenue"],
            total_assets=data["total_assets"],
            figures_year=data["figures_year"],
            acting_user=request.user,
        )
        messages.success(request, _("Your profile is saved."))
        check = check_profile(supplier_profile(organisation))
        if check is not None and check.smaller:
            messages.warning(request, _size_warning(check, data["industry"]))
        return redirect("suppliers:profile")
    check = check_profile(profile)
    return render(
        request,
        "suppliers/profile.html",
        {
            "organisation": organisation,
            "form": form,
            "qualification_form": QualificationForm(),
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
        except (ValidationError, DomainError) as error:
            messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
        else:
            messages.success(request, _("The qualification is added."))
    else:
        messages.error(request, _("Check the qualification: a name is required."))
    return redirect("suppliers:profile")


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
