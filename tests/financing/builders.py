"""Banks' products and applications for the financing tests, through the services."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import time_machine

from accounts.models import OrganisationKind
from financing.models import Product
from financing.services import apply_for_financing, save_product
from tests.factories import OrganisationFactory, UserFactory

# After the award notice of tests/contracts/builders (2026-03-26 10:00 Beijing), same day.
APPLY_AT = dt.datetime(2026, 3, 26, 6, 0, tzinfo=dt.UTC)


def product(user, **fields) -> Product:
    from accounts.selectors import organisation_of

    values = {
        "bank": organisation_of(user),
        "name": "政采贷·快贷",
        "lend_share": Decimal("80"),
        "rate_min": Decimal("3.45"),
        "rate_max": Decimal("4.35"),
        "term_months": 12,
        "conditions": "中小企业；无需抵押",
        "collection_bank_name": "中原银行郑州分行",
        "collection_account_name": "中原银行政采贷回款专户",
        "collection_account_number": "41000100200300",
    } | fields
    return save_product(product=Product(**values), acting_user=user)


def second_bank():
    org = OrganisationFactory(kind=OrganisationKind.BANK, name="郑州银行金水支行")
    return UserFactory(username="bank2", full_name="银行小周", organisation=org)


def apply(cast, award, products, *, amount="50000.00", term=6, at=APPLY_AT):
    with time_machine.travel(at, tick=False):
        return apply_for_financing(
            award=award,
            products=list(products),
            amount=Decimal(amount),
            term_months=term,
            acting_user=cast.supplier,
        )
