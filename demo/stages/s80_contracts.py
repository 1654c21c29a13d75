"""Contracts demo (issue 12 §8): a contract at each step, every one through the services.

All five are between 平顶山市教育局 (`purchaser`) and 平顶山华信科技股份有限公司 (`supplier`, a
medium enterprise whose bids carry the SME declaration, so PAY protects it). Four new one-lot
tenders are announced, bid on, opened, evaluated and awarded as the evaluation stage awards its lot
(`s70_evaluation.opened_lot` and `evaluate_and_award`).

1. Drafted — the lot the evaluation stage awarded (市图书馆自助借还设备采购项目): the purchaser drafts
   the contract now; the supplier has it to review and sign (its to-do), the one-day signing clock
   runs.
2. Signed in PAdES — 市实验小学录播教室设备采购项目: awarded, drafted, accepted by the supplier and
   signed by both now. The PDF carries both PAdES signatures (`contracts.pades.verify`, `pdfsig`),
   the contract announcement is on the portal; the advance payment is owed (the purchaser's to-do).
3. Delivered — 市第二中学计算机教室设备采购项目: signed three working days ago, the advance paid,
   and the supplier declares delivery now: the purchaser's to-do has "record the acceptance", due
   at 24:00 of the next working day.
4. Payment overdue — 市教育局办公设备采购项目: the whole cycle about seven weeks ago; the advance
   paid on time, delivered and accepted (both signed the report), but the final payment never made.
   Its legal date (PAY Art 9, 30 days from acceptance, `contracts.terms.payment_due`) has passed,
   so the contract page and the supplier's /contracts/owed/ page show the days overdue and the
   late interest accrued (Art 17, 0.05 % a day); the one-day payment clock is breached on the
   bureau's dashboard.
5. Closed, with a public acceptance — 市中小学生视力筛查服务项目 (a service to the pupils, 医疗卫生
   服务 C21): about four weeks ago, signed, the advance paid, delivered, accepted with the pupils'
   parents as service recipients (a public service: its acceptance announcement is on the portal,
   IR Art 45), paid in full and every receipt confirmed: closed.

The past is reached with time-machine: each step runs with the clock set to the moment it happened
(as `bench/builders.py` does), so every record, clock, audit event and PDF carries its own time and
the clocks are met or breached as they would have been. The development CA's certificates are
valid from the day before the first signature and are validated at the present moment.

Idempotent: a scenario is skipped when its project exists (the tender helpers return None), and the
evaluation stage's lot when its contract exists.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterator
from contextlib import contextmanager

import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from contracts.models import (
    AcceptanceResult,
    Contract,
    Delivery,
    InstalmentKind,
    ParticipantKind,
)
from contracts.services import accept_draft, draft_contract, initial_values, sign_contract
from contracts.services.acceptance import (
    AcceptanceValues,
    CheckValues,
    DeliveryValues,
    ParticipantValues,
    declare_delivery,
    record_acceptance,
    sign_acceptance_report,
)
from contracts.services.payment import confirm_receipt, record_payment
from evaluation.models import Award
from workdays.calendar import SHANGHAI, add_working_days, is_working_day

from . import DEMO_PASSWORD, DemoContext
from .s70_evaluation import AWARDED_PROJECT, evaluate_and_award, opened_lot

SIGNED_PROJECT = "市实验小学录播教室设备采购项目"
DELIVERED_PROJECT = "市第二中学计算机教室设备采购项目"
OVERDUE_PROJECT = "市教育局办公设备采购项目"
CLOSED_PROJECT = "市中小学生视力筛查服务项目"
# (project, lot, budget, category, kind, prices): 华信 (supplier) scores best and wins each.
TENDERS = {
    SIGNED_PROJECT: ("录播教室设备", "600000.00", "A02", "goods",
                     {"supplier": "568000.00", "supplier2": "575500.00", "supplier3": "579000.00"}),
    DELIVERED_PROJECT: ("计算机教室设备", "900000.00", "A02", "goods",
                        {"supplier": "856000.00", "supplier2": "861000.00", "supplier3": "874500.00"}),
    OVERDUE_PROJECT: ("办公设备", "300000.00", "A02", "goods",
                      {"supplier": "286400.00", "supplier2": "289000.00", "supplier3": "293800.00"}),
    CLOSED_PROJECT: ("中小学生视力筛查服务", "200000.00", "C21", "services",
                     {"supplier": "188000.00", "supplier2": "191500.00", "supplier3": "195000.00"}),
}  # fmt: skip
# How many calendar days ago the scenarios in the past were awarded (moved to a working day).
OVERDUE_AWARDED_DAYS_AGO = 52
CLOSED_AWARDED_DAYS_AGO = 26
DELIVERED_SIGNED_WORKING_DAYS_AGO = 3
BANK = ("中原银行平顶山分行", "410102000120345678")


@contextmanager
def at(moment: dt.datetime | None) -> Iterator[None]:
    """Run the block as at `moment` (time-machine, the clock running on from there), or now."""
    if moment is None:
        yield
        return
    with time_machine.travel(moment, tick=True):
        yield


def _working_day_on_or_after(day: dt.date) -> dt.date:
    while not is_working_day(day):
        day += dt.timedelta(days=1)
    return day


def _moment(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=SHANGHAI)


def _award(ctx: DemoContext, project: str, *, day: dt.date | None = None) -> Award | None:
    """The tender of `project` announced, bid on, opened and awarded to 华信 (on `day` at 09:30,
    or now); None when it exists already."""
    lot_name, budget, category, kind, prices = TENDERS[project]
    with at(None if day is None else _moment(day, 9, 30)):
        lot = opened_lot(ctx, project, lot_name, budget, prices, category=category, kind=kind)
        if lot is None:
            return None
        return evaluate_and_award(ctx, lot)


def _draft(ctx: DemoContext, award: Award, **terms) -> Contract:
    """The purchaser's draft from the award's proposal, with the supplier's bank account."""
    values = initial_values(award)
    values.supplier_bank_name, values.supplier_account_number = BANK
    values.delivery_terms = "送货上门，安装调试完毕后交付使用。"
    for name, value in terms.items():
        setattr(values, name, value)
    return draft_contract(award=award, values=values, acting_user=ctx.users["purchaser"])


def _signed(ctx: DemoContext, award: Award, *, day: dt.date | None = None, **terms) -> Contract:
    """Drafted, the draft accepted by the supplier and signed by both (PAdES), on `day` or now."""
    with at(None if day is None else _moment(day, 11)):
        contract = _draft(ctx, award, **terms)
    with at(None if day is None else _moment(day, 14)):
        accept_draft(contract=contract, acting_user=ctx.users["supplier"])
        sign_contract(contract=contract, password=DEMO_PASSWORD, acting_user=ctx.users["supplier"])
    with at(None if day is None else _moment(day, 16)):
        contract = sign_contract(
            contract=contract, password=DEMO_PASSWORD, acting_user=ctx.users["purchaser"]
        )
    return contract


def _pay(ctx: DemoContext, contract: Contract, kind: str, *, day: dt.date, voucher: str) -> None:
    """The purchaser pays the instalment of `kind` in full on `day`; the supplier confirms."""
    instalment = contract.instalments.get(kind=kind)
    with at(_moment(day, 10)):
        payment = record_payment(
            contract=contract,
            kind=kind,
            voucher_number=voucher,
            paid_on=day,
            amount=instalment.amount,
            instalment=instalment,
            acting_user=ctx.users["purchaser"],
        )
    with at(_moment(day, 16)):
        confirm_receipt(payment=payment, acting_user=ctx.users["supplier"])


def _document(name: str) -> SimpleUploadedFile:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.add_metadata({"/Title": name, "/Creator": "WPS Office"})
    buffer = io.BytesIO()
    writer.write(buffer)
    return SimpleUploadedFile(f"{name}.pdf", buffer.getvalue(), content_type="application/pdf")


def _deliver(ctx: DemoContext, contract: Contract, *, day: dt.date | None, note: str) -> Delivery:
    delivered_on = day or timezone.localdate(timezone=SHANGHAI)
    with at(None if day is None else _moment(day, 9)):
        return declare_delivery(
            contract=contract,
            values=DeliveryValues(
                delivered_on=delivered_on,
                note=note,
                documents=[_document("送货单及装箱清单")],
            ),
            acting_user=ctx.users["supplier"],
        )


def _accept(
    ctx: DemoContext, delivery: Delivery, *, day: dt.date, recipients: list[ParticipantValues]
) -> None:
    """The purchaser records a passed acceptance on `day` (every item checked, its team and the
    participants the plan names) and signs the report; the supplier countersigns it."""
    contract = delivery.contract
    checks = [
        CheckValues(item_id=item.pk, what=item.name, passed=True) for item in contract.items.all()
    ] + [CheckValues(what="技术、服务和安全标准", passed=True)]
    team = [
        ParticipantValues(kind=ParticipantKind.PURCHASER, name="王芳", organisation_name="平顶山市教育局"),
        ParticipantValues(kind=ParticipantKind.PURCHASER, name="赵磊", organisation_name="平顶山市教育局"),
    ]  # fmt: skip
    with at(_moment(day, 10)):
        acceptance = record_acceptance(
            delivery=delivery,
            values=AcceptanceValues(
                result=AcceptanceResult.PASSED,
                checks=checks,
                participants=team + recipients,
                overall="供应商按合同约定履约，质量和服务符合要求，验收合格。",
            ),
            password=DEMO_PASSWORD,
            acting_user=ctx.users["purchaser"],
        )
    with at(_moment(day, 15)):
        sign_acceptance_report(
            acceptance=acceptance, password=DEMO_PASSWORD, acting_user=ctx.users["supplier"]
        )


def _drafted(ctx: DemoContext) -> Contract | None:
    """The evaluation stage's award, drafted now and waiting for the supplier."""
    award = Award.objects.filter(lot__project__name=AWARDED_PROJECT).first()
    if award is None or Contract.objects.filter(award=award).exists():
        return None
    return _draft(ctx, award)


def _overdue(ctx: DemoContext, today: dt.date) -> Contract | None:
    day = _working_day_on_or_after(today - dt.timedelta(days=OVERDUE_AWARDED_DAYS_AGO))
    award = _award(ctx, OVERDUE_PROJECT, day=day)
    if award is None:
        return None
    contract = _signed(ctx, award, day=day)
    _pay(
        ctx, contract, InstalmentKind.ADVANCE, day=add_working_days(day, 1), voucher="JY-2026-0187"
    )
    delivery = _deliver(
        ctx, contract, day=add_working_days(day, 6), note="办公设备一批已送达并安装"
    )
    _accept(ctx, delivery, day=add_working_days(day, 7), recipients=[])
    # The final payment is never recorded: it is overdue, its interest accruing.
    return Contract.objects.get(pk=contract.pk)


def _closed(ctx: DemoContext, today: dt.date) -> Contract | None:
    day = _working_day_on_or_after(today - dt.timedelta(days=CLOSED_AWARDED_DAYS_AGO))
    award = _award(ctx, CLOSED_PROJECT, day=day)
    if award is None:
        return None
    contract = _signed(
        ctx,
        award,
        day=day,
        delivery_place="平顶山市各中小学",
        delivery_terms="在各校完成全体学生视力筛查，提交筛查报告和建档数据。",
        public_service=True,
        with_recipients=True,
    )
    _pay(
        ctx, contract, InstalmentKind.ADVANCE, day=add_working_days(day, 1), voucher="JY-2026-0231"
    )
    delivery = _deliver(
        ctx, contract, day=add_working_days(day, 4), note="完成全市中小学生视力筛查，报告已提交"
    )
    parents = ParticipantValues(
        kind=ParticipantKind.RECIPIENT,
        name="刘敏",
        organisation_name="平顶山市第一中学家长委员会",
        opinion="筛查组织有序，结果及时告知家长，满意。",
    )
    _accept(ctx, delivery, day=add_working_days(day, 5), recipients=[parents])
    contract.refresh_from_db()
    _pay(ctx, contract, InstalmentKind.FINAL, day=add_working_days(day, 6), voucher="JY-2026-0258")
    return Contract.objects.get(pk=contract.pk)


def _delivered(ctx: DemoContext, today: dt.date) -> Contract | None:
    day = today
    for _ in range(DELIVERED_SIGNED_WORKING_DAYS_AGO):
        day -= dt.timedelta(days=1)
        while not is_working_day(day):
            day -= dt.timedelta(days=1)
    award = _award(ctx, DELIVERED_PROJECT, day=day)
    if award is None:
        return None
    contract = _signed(ctx, award, day=day)
    _pay(
        ctx, contract, InstalmentKind.ADVANCE, day=add_working_days(day, 1), voucher="JY-2026-0302"
    )
    _deliver(ctx, contract, day=None, note="计算机教室设备56套已送达，安装调试完毕")
    return Contract.objects.get(pk=contract.pk)


def _signed_now(ctx: DemoContext) -> Contract | None:
    award = _award(ctx, SIGNED_PROJECT)
    return None if award is None else _signed(ctx, award)


def run(ctx: DemoContext) -> None:
    today = timezone.localdate(timezone=SHANGHAI)
    # Oldest first, so that the audit trail and the certificates run in time order.
    made = {
        "payment overdue with late interest": _overdue(ctx, today),
        "closed (paid, receipts confirmed), acceptance announced": _closed(ctx, today),
        "delivered, waiting for the purchaser's acceptance": _delivered(ctx, today),
        "signed by both in PAdES, announced": _signed_now(ctx),
        "drafted, waiting for the supplier": _drafted(ctx),
    }
    for what, contract in made.items():
        if contract is not None:
            ctx.say(f"contracts: {contract.number} {what}")
