"""What financing asks of each role (accounts.todo): the bank decides each application and
disburses each approved one, due when its clock is due; the contract's parties sign an
account-change supplement. Each item goes when the step is done."""

from __future__ import annotations

from collections.abc import Iterator

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.models import OrganisationKind
from accounts.todo import Owed, TodoItem
from timers.models import Clock

from .models import AccountChange, Application, ApplicationState
from .services import DISBURSE_CLOCK, REVIEW_CLOCK


def _subject(application: Application) -> str:
    return _("%(number)s · %(supplier)s · %(amount)s yuan") % {
        "number": application.number,
        "supplier": application.supplier.name,
        "amount": f"{application.amount:,.2f}",
    }


def bank_items(owed: Owed) -> Iterator[TodoItem]:
    if owed.role != OrganisationKind.BANK:
        return
    applications = list(
        Application.objects.filter(
            bank=owed.organisation,
            state__in=(ApplicationState.APPLIED, ApplicationState.APPROVED),
        )
        .select_related("supplier")
        .order_by("applied_at", "pk")
    )
    clocks = Clock.objects.open().filter(
        kind__in=(REVIEW_CLOCK, DISBURSE_CLOCK),
        subject_type=ContentType.objects.get_for_model(Application),
        subject_id__in=[a.pk for a in applications],
    )
    dues = {(c.subject_id, c.kind): c.due for c in clocks}
    for application in applications:
        deciding = application.state == ApplicationState.APPLIED
        yield TodoItem(
            kind="financing.to_decide" if deciding else "financing.to_disburse",
            title=_("Decide the financing application")
            if deciding
            else _("Disburse the approved financing"),
            subject=_subject(application),
            url=reverse("financing:detail", args=[application.pk]),
            due=dues.get((application.pk, REVIEW_CLOCK if deciding else DISBURSE_CLOCK)),
        )


def party_items(owed: Owed) -> Iterator[TodoItem]:
    if owed.role == OrganisationKind.PURCHASER:
        mine = Q(contract__purchaser=owed.organisation, purchaser_signed_at__isnull=True)
    elif owed.role == OrganisationKind.SUPPLIER:
        mine = Q(contract__supplier=owed.organisation, supplier_signed_at__isnull=True)
    else:
        return
    for change in AccountChange.objects.filter(mine, published_at__isnull=True).select_related(
        "contract", "application__bank"
    ):
        yield TodoItem(
            kind="financing.to_sign_account_change",
            title=_("Sign the account-change supplement"),
            subject=_("Contract %(number)s · %(bank)s")
            % {"number": change.contract.number, "bank": change.application.bank.name},
            url=reverse("financing:account_change", args=[change.pk]),
        )


PROVIDERS = [bank_items, party_items]
