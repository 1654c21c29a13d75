"""The financing part of each role's home page: the bank's queue, the supplier's awards it may
finance, the purchaser's financed contracts and where to pay (a fixed number of queries)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from accounts.home import HomeSection
from accounts.models import OrganisationKind
from accounts.selectors import organisation_of

from .models import Application, ApplicationState

HOME_ROWS = 10


def section(request, role):
    organisation = organisation_of(request.user)
    if organisation is None:
        return None
    if role == OrganisationKind.BANK:
        mine = Application.objects.filter(bank=organisation)
        return HomeSection(
            title=_("Contract financing (政采贷)"),
            template="financing/home/bank.html",
            context={
                "to_decide": mine.filter(state=ApplicationState.APPLIED).count(),
                "to_disburse": mine.filter(state=ApplicationState.APPROVED).count(),
            },
            order=15,
        )
    if role == OrganisationKind.SUPPLIER:
        from evaluation.models import Award

        awards = list(
            Award.objects.filter(bid__supplier=organisation, notice_issued_at__isnull=False)
            .select_related("lot__project")
            .order_by("-notice_issued_at")[:HOME_ROWS]
        )
        return HomeSection(
            title=_("Finance your contracts (政采贷)"),
            template="financing/home/supplier.html",
            context={"awards": awards},
            order=60,
        )
    if role == OrganisationKind.PURCHASER:
        financed = list(
            Application.objects.locking()
            .filter(purchaser=organisation)
            .select_related("bank", "supplier", "contract")
            .order_by("-decided_at")[:HOME_ROWS]
        )
        if not financed:
            return None
        return HomeSection(
            title=_("Financed contracts: pay into the collection account"),
            template="financing/home/purchaser.html",
            context={"financed": financed},
            order=55,
        )
    return None
