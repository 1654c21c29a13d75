"""A signed contract, a delivery declared and an acceptance recorded, through the services."""

from __future__ import annotations

import datetime as dt

import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile

from contracts.models import AcceptanceResult, ParticipantKind
from contracts.services.acceptance import (
    AcceptanceValues,
    CheckValues,
    DeliveryValues,
    ParticipantValues,
    declare_delivery,
    record_acceptance,
)
from tests.documents.samples import pdf
from tests.factories import PASSWORD

from .builders import drafted_contract
from .test_signing import SIGN_AT, sign_both

# Friday 2026-03-27, 10:00 in Beijing: the contract was signed the day before.
DELIVERED_AT = dt.datetime(2026, 3, 27, 2, 0, tzinfo=dt.UTC)
# 24:00 of Monday 2026-03-30 in Beijing: the first working day after the Friday.
DUE = dt.datetime(2026, 3, 30, 16, 0, tzinfo=dt.UTC)
RECORDED_AT = DELIVERED_AT + dt.timedelta(hours=4)


def document(name: str = "送货单.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, pdf(), content_type="application/pdf")


def signed_contract(cast, **overrides):
    return sign_both(cast, drafted_contract(cast, **overrides), at=SIGN_AT)


def deliver(cast, contract, *, at=DELIVERED_AT, delivered_on=None, documents=None):
    with time_machine.travel(at, tick=False):
        return declare_delivery(
            contract=contract,
            values=DeliveryValues(
                delivered_on=delivered_on or (at + dt.timedelta(hours=8)).date(),
                note="交付教学一体机1批，已安装调试",
                documents=[document()] if documents is None else documents,
            ),
            acting_user=cast.supplier,
        )


def checks_for(contract, *, passed: bool = True) -> list[CheckValues]:
    return [
        CheckValues(
            item_id=item.pk,
            what=item.name,
            passed=passed,
            finding="" if passed else "屏幕有坏点",
        )
        for item in contract.items.all()
    ] + [CheckValues(what="安全标准：电气安全", passed=True)]


def team(*extra: ParticipantValues) -> list[ParticipantValues]:
    return [
        ParticipantValues(
            kind=ParticipantKind.PURCHASER, name="王验收", organisation_name="市教育局"
        ),
        *extra,
    ]


def values(contract, *, result=AcceptanceResult.PASSED, passed=True, **overrides):
    found = AcceptanceValues(
        result=result,
        checks=checks_for(contract, passed=passed),
        participants=team(),
        reasons="" if result == AcceptanceResult.PASSED else "屏幕有坏点，需更换",
        overall="履约情况良好" if passed else "",
    )
    for name, value in overrides.items():
        setattr(found, name, value)
    return found


def accept(cast, delivery, *, at=RECORDED_AT, **kwargs):
    with time_machine.travel(at, tick=False):
        return record_acceptance(
            delivery=delivery,
            values=values(delivery.contract, **kwargs),
            password=PASSWORD,
            acting_user=cast.purchaser,
        )
