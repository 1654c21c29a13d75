"""Reads about financing, and the access helpers every financing URL goes through.

Who sees an application (issue 15 §2): the supplier that made it, the bank it is addressed to
(never another bank's), the purchaser once the bank approved it (it must pay into the account),
and the bureau. Anyone else gets 404: an id reveals nothing.
"""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Count, F, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from accounts.models import OrganisationKind
from accounts.rules import is_bureau_supervisor
from accounts.selectors import organisation_of
from contracts.payee import FixedPayee
from timers.models import OPEN, Clock

from .models import (
    LOCKING_STATES,
    NOTICE_STATES,
    AccountChange,
    Application,
    ApplicationState,
    Product,
)

# The purchaser's payment clocks (contracts.services.payment: the one-day target and the SME
# legal limit); their kinds are strings, so contracts' services are not imported for them.
PAYMENT_CLOCK_KINDS = ("contracts.payment", "contracts.payment_limit")
HUNDRED = Decimal("100")


def on_time_share(purchaser, *, now=None) -> Decimal | None:
    """The purchaser's on-time payment share (%), as the bureau's dashboard counts it
    (supervision/selectors.py): met on time ÷ (met on time + met late + open past due), over
    its payment clocks, cancelled ones left out; None while nothing has fallen due."""
    now = now or timezone.now()
    found = Clock.objects.filter(
        responsible=purchaser, kind__in=PAYMENT_CLOCK_KINDS, cancelled_at__isnull=True
    ).aggregate(
        on_time=Count("pk", filter=Q(met_at__isnull=False, met_at__lte=F("due"))),
        late=Count("pk", filter=Q(met_at__isnull=False, met_at__gt=F("due"))),
        overdue=Count("pk", filter=OPEN & Q(paused_at__isnull=True, due__lte=now)),
    )
    decided = found["on_time"] + found["late"] + found["overdue"]
    if not decided:
        return None
    return (HUNDRED * found["on_time"] / decided).quantize(Decimal("0.01"))


def published_products() -> QuerySet[Product]:
    return Product.objects.filter(is_published=True, bank__is_active=True).select_related("bank")


def applications_for_user(user) -> QuerySet[Application]:
    """The applications the user may see (the module docstring), newest first."""
    base = Application.objects.select_related(
        "bank", "supplier", "purchaser", "product", "award__lot__project", "contract"
    )
    if is_bureau_supervisor(user):
        return base
    organisation = organisation_of(user)
    if organisation is None:
        return base.none()
    if organisation.kind == OrganisationKind.BANK:
        return base.filter(bank=organisation)
    if organisation.kind == OrganisationKind.SUPPLIER:
        return base.filter(supplier=organisation)
    if organisation.kind == OrganisationKind.PURCHASER:
        return base.filter(purchaser=organisation, state__in=NOTICE_STATES)
    return base.none()


def get_application_for_user(*, user, pk: int) -> Application:
    application = applications_for_user(user).filter(pk=pk).first()
    if application is None:
        raise Http404
    return application


def get_product_for_bank(*, user, pk: int) -> Product:
    """A product its own bank edits; any other user gets 404."""
    organisation = organisation_of(user)
    product = Product.objects.filter(pk=pk, bank=organisation).first() if organisation else None
    if product is None:
        raise Http404
    return product


def get_account_change_for_user(*, user, pk: int) -> AccountChange:
    """A published supplement is public; before that only the parties, the bank, the bureau."""
    change = (
        AccountChange.objects.select_related(
            "application__bank", "contract__purchaser", "contract__supplier"
        )
        .filter(pk=pk)
        .first()
    )
    if change is None:
        raise Http404
    if change.is_published or is_bureau_supervisor(user):
        return change
    organisation = organisation_of(user)
    if organisation is None or organisation.pk not in (
        change.contract.purchaser_id,
        change.contract.supplier_id,
        change.application.bank_id,
    ):
        raise Http404
    return change


def locking_application(award) -> Application | None:
    """The application whose bank's account the award's contract is paid into, if any."""
    return (
        Application.objects.filter(award=award, state__in=LOCKING_STATES)
        .select_related("bank", "account_change")
        .first()
    )


def payee_for_award(award) -> FixedPayee | None:
    """contracts.payee lookup: the collection account in force for the award's contract.

    In force once the bank approved, unless the contract was signed before: then only from the
    publication of the account-change supplement, which the parties sign (RULES.md §8.2 step 3).
    """
    application = locking_application(award)
    if application is None:
        return None
    change = getattr(application, "account_change", None)
    if change is not None and not change.is_published:
        return None
    return FixedPayee(
        bank_name=application.collection_bank_name,
        account_name=application.collection_account_name,
        account_number=application.collection_account_number,
        fixed_by=f"{application.bank.name} · {application.number}",
    )


def open_applications_to(bank) -> QuerySet[Application]:
    return Application.objects.filter(bank=bank, state=ApplicationState.APPLIED)
