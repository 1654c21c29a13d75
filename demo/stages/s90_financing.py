"""Contract financing demo (issue 15 §6), every step through the financing services.

Two banks publish products: 中原银行平顶山分行 (`bank`) approves by rule (amount at most 60 % of
the contract, the purchaser's on-time payment share at least 50 %), 平顶山银行 (`bank2`) sends
every application to its officer. 华信 (`supplier`) applies against the contracts of the
contracts stage:

1. 市教育局办公设备采购项目 (the final payment overdue) to 平顶山银行: declined by its officer.
2. 市第二中学计算机教室设备采购项目 (delivered) to 平顶山银行: approved by its officer and
   disbursed; the contract was signed before, so an account-change supplement waits for the two
   parties' signatures (their to-do).
3. 市第三中学食堂厨房设备采购项目 (a new tender awarded now) to 中原银行, on its award notice:
   approved by the bank's rule within the same request; the draft carries the bank's collection
   account as the only payee account, both sign, and the purchaser pays the advance into it.
4. 市图书馆自助借还设备采购项目 (drafted) to 平顶山银行: waiting for its officer, on the clock.

Idempotent: skipped when the banks' products exist.
"""

from __future__ import annotations

from decimal import Decimal

from django.utils import timezone

from accounts.models import Membership, MembershipRole, Organisation, OrganisationKind
from contracts.models import Contract, InstalmentKind
from contracts.services import accept_draft, draft_contract, initial_values, sign_contract
from contracts.services.payment import record_payment
from financing.models import Product
from financing.services import (
    AccountValues,
    apply_for_financing,
    approve_application,
    decline_application,
    record_disbursement,
    save_product,
)
from workdays.calendar import SHANGHAI

from . import DEMO_PASSWORD, DemoContext
from .s10_accounts import _user, uscc
from .s70_evaluation import AWARDED_PROJECT, evaluate_and_award, opened_lot
from .s80_contracts import DELIVERED_PROJECT, OVERDUE_PROJECT

FINANCED_PROJECT = "市第三中学食堂厨房设备采购项目"
FINANCED_PRICES = {"supplier": "376000.00", "supplier2": "381500.00", "supplier3": "389000.00"}


def _bank2(ctx: DemoContext):
    org, _ = Organisation.objects.get_or_create(
        uscc=uscc("91", "410402", 11),
        defaults={
            "kind": OrganisationKind.BANK,
            "name": "平顶山银行营业部",
            "region_code": "410402",
            "region_name": "平顶山市新华区",
            "legal_representative": "郭晓东",
            "address": "平顶山市新华区光明路 21 号",
            "contact_phone": "0375-2828000",
        },
    )
    user = _user("bank2", "平顶山银行客户经理 马丽")
    Membership.objects.get_or_create(
        user=user, organisation=org, defaults={"role": MembershipRole.ADMIN}
    )
    ctx.orgs["bank2"], ctx.users["bank2"] = org, user
    return org, user


def _products(ctx: DemoContext) -> tuple[Product, Product]:
    fast = save_product(
        product=Product(
            bank=ctx.orgs["bank"],
            name="政采贷·秒批",
            lend_share=Decimal("80"),
            rate_min=Decimal("3.45"),
            rate_max=Decimal("4.20"),
            term_months=12,
            conditions="中小企业凭中标通知书或政府采购合同申请，免抵押免担保，线上审批。",
            collection_bank_name="中原银行平顶山分行",
            collection_account_name="中原银行平顶山分行政采贷回款专户",
            collection_account_number="410402000188880001",
            auto_approve=True,
            auto_max_share=Decimal("60"),
            auto_min_on_time=Decimal("50"),
        ),
        acting_user=ctx.users["bank"],
    )
    officer = save_product(
        product=Product(
            bank=ctx.orgs["bank2"],
            name="政府采购合同融资贷",
            lend_share=Decimal("70"),
            rate_min=Decimal("3.80"),
            rate_max=Decimal("4.90"),
            term_months=12,
            conditions="信用贷款，按合同回款还款；客户经理人工审批。",
            collection_bank_name="平顶山银行营业部",
            collection_account_name="平顶山银行政采贷回款专户",
            collection_account_number="621000300077770002",
        ),
        acting_user=ctx.users["bank2"],
    )
    return fast, officer


def _contract(project: str) -> Contract | None:
    return Contract.objects.filter(lot__project__name=project).select_related("award").first()


def _apply(ctx: DemoContext, contract: Contract | None, product: Product, share: str):
    """The supplier applies for `share` % of the contract amount."""
    if contract is None:
        return None
    [application] = apply_for_financing(
        award=contract.award,
        products=[product],
        amount=(contract.amount * Decimal(share) / 100).quantize(Decimal("0.01")),
        term_months=6,
        acting_user=ctx.users["supplier"],
    )
    return application


def _financed_before_signing(ctx: DemoContext, fast: Product) -> Contract | None:
    """Scenario 3: a new tender awarded to 华信, financed by rule on its award notice, drafted
    with the collection account as the only payee account, signed, the advance paid into it."""
    lot = opened_lot(ctx, FINANCED_PROJECT, "食堂厨房设备", "400000.00", FINANCED_PRICES)
    if lot is None:
        return None
    award = evaluate_and_award(ctx, lot)
    [application] = apply_for_financing(
        award=award,
        products=[fast],
        amount=(award.price / 2).quantize(Decimal("0.01")),
        term_months=6,
        acting_user=ctx.users["supplier"],
    )
    application.refresh_from_db()
    ctx.say(
        f"financing: {application.number} {application.get_state_display()} "
        f"(by the bank's rule: {application.by_rule})"
    )
    values = initial_values(award)  # carries the collection account (contracts.payee)
    values.delivery_terms = "送货上门，安装调试完毕后交付使用。"
    contract = draft_contract(award=award, values=values, acting_user=ctx.users["purchaser"])
    accept_draft(contract=contract, acting_user=ctx.users["supplier"])
    sign_contract(contract=contract, password=DEMO_PASSWORD, acting_user=ctx.users["supplier"])
    contract = sign_contract(
        contract=contract, password=DEMO_PASSWORD, acting_user=ctx.users["purchaser"]
    )
    advance = contract.instalments.get(kind=InstalmentKind.ADVANCE)
    record_payment(
        contract=contract,
        kind=InstalmentKind.ADVANCE,
        voucher_number="JY-2026-0415",
        paid_on=timezone.localdate(timezone=SHANGHAI),
        amount=advance.amount,
        instalment=advance,
        acting_user=ctx.users["purchaser"],
    )
    return contract


def run(ctx: DemoContext) -> None:
    _bank2(ctx)
    if Product.objects.exists():
        return
    fast, officer = _products(ctx)
    officer_user = ctx.users["bank2"]
    today = timezone.localdate(timezone=SHANGHAI)
    declined = _apply(ctx, _contract(OVERDUE_PROJECT), officer, "50")
    if declined is not None:
        decline_application(
            application=declined,
            note="采购人该合同尾款已逾期未付，回款风险较高，暂不受理。",
            acting_user=officer_user,
        )
        ctx.say(f"financing: {declined.number} declined by 平顶山银行's officer")
    approved = _apply(ctx, _contract(DELIVERED_PROJECT), officer, "60")
    if approved is not None:
        approve_application(
            application=approved,
            amount=approved.amount,
            rate=Decimal("3.95"),
            account=AccountValues(
                officer.collection_bank_name,
                officer.collection_account_name,
                officer.collection_account_number,
            ),
            note="采购人履约记录良好，同意放款。",
            acting_user=officer_user,
        )
        record_disbursement(
            application=approved,
            amount=approved.amount,
            disbursed_on=today,
            acting_user=officer_user,
        )
        ctx.say(
            f"financing: {approved.number} approved by an officer, disbursed; supplement to sign"
        )
    financed = _financed_before_signing(ctx, fast)
    if financed is not None:
        ctx.say(
            f"financing: {financed.number} advance paid into the collection account "
            f"{financed.supplier_account_number}"
        )
    waiting = _apply(ctx, _contract(AWARDED_PROJECT), officer, "40")
    if waiting is not None:
        ctx.say(f"financing: {waiting.number} waiting for 平顶山银行's officer (sign in as bank2)")
