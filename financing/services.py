"""Every write of contract financing (RULES.md §8.2; D46 Art 15; issue 15 §1–§2).

Rules, each refused with its own message:
1. A bank's officer keeps its own bank's products; the portal publishes them (workflow step 1).
2. A supplier applies with an award notice issued to it, or its contract, to one or more banks at
   once, with no separate registration (step 2). It asks at most the product's share of the
   contract amount, for at most the product's term; one open application per bank and award; none
   once another bank's money is on the contract.
3. Each application carries the award, the contract, the supplier's credit grade (credit app) and
   the purchaser's on-time payment share (selectors.on_time_share), as they were when it applied.
4. A bank's rule approves by itself, in the same request (within seconds): the amount at most its
   share of the contract, the grade at least its minimum, the purchaser's on-time share at least
   its minimum (no share yet fails a minimum above 0). The rest wait for the bank's officer on a
   clock of `financing_review_days` working days.
5. Approval fixes the collection account (回款账户, step 3): before signing it is written into the
   draft as the only payee account; after signing (or once signing began) the parties sign an
   account-change supplement (合同账户变更补充协议), published when both signed, and only then
   does the account change. The purchaser is sent the financing notice (融资告知函).
6. From then on no one but the bank changes the account (step 4: "未经银行书面同意不得变更"): the
   drafting service refuses another account (contracts.payee), and only the bank's officer
   changes it here. Repaid, the bank's hold ends.
7. The bank records disbursement (within `financing_disburse_days` working days of approval, on a
   clock) and repayment.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.selectors import is_member
from audit.services import record_event
from common.errors import InvalidTransition, PermissionDenied, RulesBroken
from contracts.models import ContractState
from contracts.services import write_fixed_payee
from contracts.services.signing import check_password
from notifications.services import notify_organisation
from procurement.parameters import legal_parameter
from timers.services import meet_clock, start_clock
from workdays.calendar import SHANGHAI, period_end

from .grades import grade_at_least, supplier_grade
from .models import (
    AccountChange,
    Application,
    ApplicationState,
    Product,
)
from .selectors import on_time_share, payee_for_award

REVIEW_CLOCK = "financing.review"
DISBURSE_CLOCK = "financing.disbursement"
APPLIED = "financing.applied"
DECIDED = "financing.decided"
NOTICE = "financing.notice"
SIGN_CHANGE = "financing.sign_change"

CENT = Decimal("0.01")
ONLY_BANK = gettext_lazy("Only the bank the application is addressed to does this.")
ONLY_SUPPLIER = gettext_lazy("Only the winning supplier applies for financing on its award.")
ONLY_OWN_PRODUCTS = gettext_lazy("A bank keeps its own products only.")
ACCOUNT_LOCKED = gettext_lazy(
    "The collection account changes only with the bank's consent: only the bank that financed "
    "the contract changes it (RULES.md §8.2)."
)
WRONG_STATE = gettext_lazy("The application is not at the step this action belongs to.")
ONLY_PARTIES = gettext_lazy("Only the purchaser and the supplier of the contract sign it.")
ALREADY_SIGNED = gettext_lazy("Your side has already signed this supplement.")


@dataclass
class AccountValues:
    bank_name: str
    account_name: str
    account_number: str


def _now() -> dt.datetime:
    return timezone.now()


def _audit(action: str, *, actor, organisation, subject, **data) -> None:
    record_event(action=action, actor=actor, organisation=organisation, subject=subject, data=data)


def _context(application: Application, **more) -> dict:
    return {
        "number": application.number,
        "bank": application.bank.name,
        "supplier": application.supplier.name,
        "amount": f"{application.amount:,.2f}",
        "url": reverse("financing:detail", args=[application.pk]),
        **more,
    }


# Products ------------------------------------------------------------------------------------


def product_problems(product: Product) -> list[str]:
    problems = []
    if product.rate_min > product.rate_max:
        problems.append(_("The lowest rate cannot be above the highest."))
    if product.auto_approve and product.auto_max_share > product.lend_share:
        problems.append(_("The rule cannot approve more than the product lends."))
    return problems


@transaction.atomic
def save_product(*, product: Product, acting_user) -> Product:
    """Rule 1: the bank's officer publishes or changes one of its products."""
    if not is_member(acting_user, product.bank_id):
        raise PermissionDenied(ONLY_OWN_PRODUCTS)
    if problems := product_problems(product):
        raise RulesBroken(problems)
    created = product.pk is None
    product._history_user = acting_user
    product._change_reason = "published" if created else "changed"
    product.save()
    _audit(
        "financing.product.published" if created else "financing.product.changed",
        actor=acting_user,
        organisation=product.bank,
        subject=product,
        name=product.name,
        lend_share=product.lend_share,
        auto_approve=product.auto_approve,
    )
    return product


# Applying ------------------------------------------------------------------------------------


def _next_number(at: dt.datetime) -> str:
    year = timezone.localtime(at, SHANGHAI).year
    prefix = f"ZCD-{year}-"
    last = Application.objects.filter(number__startswith=prefix).aggregate(m=Max("number"))["m"]
    n = int(last.removeprefix(prefix)) + 1 if last else 1
    return f"{prefix}{n:04d}"


def base_amount(award) -> Decimal:
    contract = getattr(award, "contract", None)
    return contract.amount if contract is not None else award.price


def apply_problems(*, award, products: list[Product], amount: Decimal, term_months: int) -> list:
    """Rule 2, every problem at once."""
    problems: list = []
    if award.notice_issued_at is None:
        problems.append(_("The award notice has not been issued yet."))
    contract = getattr(award, "contract", None)
    if contract is not None and contract.state == ContractState.TERMINATED:
        problems.append(_("The contract is terminated."))
    if not products:
        problems.append(_("Choose at least one bank's product."))
    if amount <= 0:
        problems.append(_("The amount must be more than zero."))
    base = base_amount(award)
    banks = [p.bank_id for p in products]
    if len(set(banks)) != len(banks):
        problems.append(_("Choose one product per bank."))
    for product in products:
        ceiling = (base * product.lend_share / 100).quantize(CENT)
        if amount > ceiling:
            problems.append(
                _("%(product)s lends at most %(share)s %% of the contract: %(ceiling)s yuan.")
                % {
                    "product": product,
                    "share": f"{product.lend_share:g}",
                    "ceiling": f"{ceiling:,.2f}",
                }
            )
        if term_months > product.term_months:
            problems.append(
                _("%(product)s lends for at most %(months)s months.")
                % {"product": product, "months": product.term_months}
            )
    open_banks = set(
        Application.objects.filter(
            award=award,
            state__in=(
                ApplicationState.APPLIED,
                ApplicationState.APPROVED,
                ApplicationState.DISBURSED,
            ),
        ).values_list("bank_id", flat=True)
    )
    for product in products:
        if product.bank_id in open_banks:
            problems.append(
                _("You already have an open application to %(bank)s on this award.")
                % {"bank": product.bank.name}
            )
    if Application.objects.locking().filter(award=award).exists():
        problems.append(_("A bank already finances this contract."))
    return problems


def rule_passes(product: Product, application: Application) -> bool:
    """Rule 4: the bank's own automatic rule, all three conditions."""
    if not product.auto_approve:
        return False
    if application.amount > (application.contract_amount * product.auto_max_share / 100):
        return False
    if not grade_at_least(application.supplier_grade or None, product.auto_min_grade):
        return False
    if product.auto_min_on_time == 0:
        return True
    share = application.purchaser_on_time
    return share is not None and share >= product.auto_min_on_time


@transaction.atomic
def apply_for_financing(
    *, award, products: list[Product], amount: Decimal, term_months: int, acting_user
) -> list[Application]:
    """Rules 2–4: one application per chosen bank; each approved by its rule or sent for review."""
    from evaluation.models import Award

    award = (
        Award.objects.select_for_update(of=("self",))
        .select_related("bid__supplier", "lot__project__purchaser")
        .get(pk=award.pk)
    )
    supplier = award.bid.supplier
    if not is_member(acting_user, supplier.pk):
        raise PermissionDenied(ONLY_SUPPLIER)
    if problems := apply_problems(
        award=award, products=products, amount=amount, term_months=term_months
    ):
        raise RulesBroken(problems)
    contract = getattr(award, "contract", None)
    purchaser = award.lot.project.purchaser
    grade = supplier_grade(supplier) or ""
    share = on_time_share(purchaser)
    now = _now()
    made = []
    for product in products:
        application = Application(
            number=_next_number(now),
            product=product,
            bank=product.bank,
            supplier=supplier,
            purchaser=purchaser,
            award=award,
            contract=contract,
            amount=amount,
            term_months=term_months,
            contract_amount=base_amount(award),
            supplier_grade=grade,
            purchaser_on_time=share,
            applied_at=now,
            applied_by=acting_user,
        )
        application._history_user = acting_user
        application._change_reason = "applied"
        application.save()
        _audit(
            "financing.application.applied",
            actor=acting_user,
            organisation=supplier,
            subject=application,
            bank=product.bank.name,
            amount=amount,
            grade=grade,
            on_time=share,
        )
        if rule_passes(product, application) and not (
            Application.objects.locking().filter(award=award).exists()
        ):
            _approve(
                application,
                acting_user=None,
                by_rule=True,
                amount=amount,
                rate=product.rate_min,
                account=AccountValues(
                    product.collection_bank_name,
                    product.collection_account_name,
                    product.collection_account_number,
                ),
                note=_("Approved by the bank's rule."),
                at=now,
            )
        else:
            days = legal_parameter("financing_review_days").days
            start_clock(
                subject=application,
                kind=REVIEW_CLOCK,
                due=period_end(now, days, working=True),
                responsible=product.bank,
                started=now,
            )
            notify_organisation(
                organisation=product.bank,
                kind=APPLIED,
                context=_context(application),
                subject=application,
                event=f"financing.applied:{application.pk}",
            )
        made.append(application)
    return made


# Deciding ------------------------------------------------------------------------------------


def _lock(application: Application) -> Application:
    return (
        Application.objects.select_for_update(of=("self",))
        .select_related("bank", "supplier", "purchaser", "product", "award", "contract")
        .get(pk=application.pk)
    )


def _check_bank(application: Application, acting_user) -> None:
    if not is_member(acting_user, application.bank_id):
        raise PermissionDenied(ONLY_BANK)


def _account_problems(account: AccountValues) -> list[str]:
    if not (account.bank_name.strip() and account.account_name.strip()):
        return [_("Name the collection account's bank and account name.")]
    if not account.account_number.strip().isdigit():
        return [_("The collection account number is digits only.")]
    return []


def _fix_account(application: Application, *, acting_user, at: dt.datetime) -> None:
    """Rule 5: into the draft now, or by the supplement the parties sign."""
    contract = application.contract
    if contract is None:
        contract = getattr(application.award, "contract", None)
        if contract is not None:
            application.contract = contract
            application._history_user = acting_user
            application._change_reason = "contract drafted since it applied"
            application.save()
    if contract is None:
        return  # contracts' drafting takes it from payee_for_award when the draft is made
    payee = payee_for_award(application.award)
    if contract.state == ContractState.DRAFTED and payee is not None:
        write_fixed_payee(
            contract=contract,
            payee=payee,
            acting_user=acting_user,
            reason=f"collection account of financing {application.number}",
        )
        return
    change = AccountChange(
        application=application,
        contract=contract,
        old_bank_name=contract.supplier_bank_name,
        old_account_name=contract.supplier_account_name,
        old_account_number=contract.supplier_account_number,
        drafted_at=at,
    )
    change._history_user = acting_user
    change._change_reason = "drafted"
    change.save()
    _audit(
        "financing.account_change.drafted",
        actor=acting_user,
        organisation=application.bank,
        subject=change,
        contract=contract.number,
        account=application.collection_account_number,
    )
    for organisation in (contract.purchaser, contract.supplier):
        notify_organisation(
            organisation=organisation,
            kind=SIGN_CHANGE,
            context=_context(
                application,
                contract=contract.number,
                url=reverse("financing:account_change", args=[change.pk]),
            ),
            subject=change,
            event=f"financing.account_change:{change.pk}",
        )


def _approve(
    application: Application,
    *,
    acting_user,
    by_rule: bool,
    amount: Decimal,
    rate: Decimal,
    account: AccountValues,
    note: str,
    at: dt.datetime,
) -> None:
    if Application.objects.locking().filter(award=application.award).exists():
        raise InvalidTransition(_("A bank already finances this contract."), code="financed")
    application.approve()
    application.decided_at = at
    application.decided_by = acting_user
    application.by_rule = by_rule
    application.decision_note = note
    application.approved_amount = amount
    application.rate = rate
    application.collection_bank_name = account.bank_name.strip()
    application.collection_account_name = account.account_name.strip()
    application.collection_account_number = account.account_number.strip()
    application._history_user = acting_user
    application._change_reason = "approved by rule" if by_rule else "approved"
    application.save()
    _audit(
        "financing.application.approved",
        actor=acting_user,
        organisation=application.bank,
        subject=application,
        by_rule=by_rule,
        amount=amount,
        rate=rate,
        account=application.collection_account_number,
    )
    meet_clock(subject=application, kind=REVIEW_CLOCK, at=at)
    start_clock(
        subject=application,
        kind=DISBURSE_CLOCK,
        due=period_end(at, legal_parameter("financing_disburse_days").days, working=True),
        responsible=application.bank,
        started=at,
    )
    _fix_account(application, acting_user=acting_user, at=at)
    notify_organisation(
        organisation=application.supplier,
        kind=DECIDED,
        context=_context(application, approved=True),
        subject=application,
        event=f"financing.decided:{application.pk}",
    )
    # The financing notice (融资告知函) tells the purchaser where it pays (rule 5).
    notify_organisation(
        organisation=application.purchaser,
        kind=NOTICE,
        context=_context(application, url=reverse("financing:notice_pdf", args=[application.pk])),
        subject=application,
        event=f"financing.notice:{application.pk}",
    )


@transaction.atomic
def approve_application(
    *,
    application: Application,
    amount: Decimal,
    rate: Decimal,
    account: AccountValues,
    note: str,
    acting_user,
) -> Application:
    """The bank's officer approves (rule 5)."""
    _check_bank(application, acting_user)
    application = _lock(application)
    if not application.may_decide:
        raise InvalidTransition(WRONG_STATE, code="wrong_state")
    problems = _account_problems(account)
    ceiling = (application.contract_amount * application.product.lend_share / 100).quantize(CENT)
    if not Decimal("0") < amount <= min(application.amount, ceiling):
        problems.append(
            _("Approve more than zero and at most %(max)s yuan.")
            % {"max": f"{min(application.amount, ceiling):,.2f}"}
        )
    if problems:
        raise RulesBroken(problems)
    _approve(
        application,
        acting_user=acting_user,
        by_rule=False,
        amount=amount,
        rate=rate,
        account=account,
        note=note.strip(),
        at=_now(),
    )
    return application


@transaction.atomic
def decline_application(*, application: Application, note: str, acting_user) -> Application:
    _check_bank(application, acting_user)
    application = _lock(application)
    if not application.may_decide:
        raise InvalidTransition(WRONG_STATE, code="wrong_state")
    if not note.strip():
        raise RulesBroken([_("Give the reason the application is declined.")])
    now = _now()
    application.decline()
    application.decided_at = now
    application.decided_by = acting_user
    application.decision_note = note.strip()
    application._history_user = acting_user
    application._change_reason = "declined"
    application.save()
    _audit(
        "financing.application.declined",
        actor=acting_user,
        organisation=application.bank,
        subject=application,
        reason=note.strip(),
    )
    meet_clock(subject=application, kind=REVIEW_CLOCK, at=now)
    notify_organisation(
        organisation=application.supplier,
        kind=DECIDED,
        context=_context(application, approved=False, reason=note.strip()),
        subject=application,
        event=f"financing.decided:{application.pk}",
    )
    return application


# The account-change supplement ----------------------------------------------------------------


@transaction.atomic
def sign_account_change(*, change: AccountChange, password: str, acting_user) -> AccountChange:
    """Rule 5: each party signs; both signed, it is published and the account changes."""
    check_password(acting_user, password)
    change = (
        AccountChange.objects.select_for_update(of=("self",))
        .select_related("contract__purchaser", "contract__supplier", "application__bank")
        .get(pk=change.pk)
    )
    contract = change.contract
    now = _now()
    if is_member(acting_user, contract.purchaser_id):
        if change.purchaser_signed_at:
            raise InvalidTransition(ALREADY_SIGNED, code="already_signed")
        change.purchaser_signed_at, change.purchaser_signed_by = now, acting_user
        organisation = contract.purchaser
    elif is_member(acting_user, contract.supplier_id):
        if change.supplier_signed_at:
            raise InvalidTransition(ALREADY_SIGNED, code="already_signed")
        change.supplier_signed_at, change.supplier_signed_by = now, acting_user
        organisation = contract.supplier
    else:
        raise PermissionDenied(ONLY_PARTIES)
    if change.purchaser_signed_at and change.supplier_signed_at:
        change.published_at = now
    change._history_user = acting_user
    change._change_reason = "published" if change.published_at else "signed by one party"
    change.save()
    _audit(
        "financing.account_change.published"
        if change.published_at
        else "financing.account_change.signed_by_party",
        actor=acting_user,
        organisation=organisation,
        subject=change,
        contract=contract.number,
    )
    if change.published_at:
        payee = payee_for_award(change.application.award)
        if payee is not None:
            write_fixed_payee(
                contract=contract,
                payee=payee,
                acting_user=acting_user,
                reason=f"account-change supplement of financing {change.application.number}",
            )
    return change


@transaction.atomic
def change_collection_account(
    *, application: Application, account: AccountValues, acting_user
) -> Application:
    """Rule 6: only the financing bank moves its collection account (its written consent)."""
    if not is_member(acting_user, application.bank_id):
        raise PermissionDenied(ACCOUNT_LOCKED)
    application = _lock(application)
    if not application.is_locking:
        raise InvalidTransition(WRONG_STATE, code="wrong_state")
    if problems := _account_problems(account):
        raise RulesBroken(problems)
    application.collection_bank_name = account.bank_name.strip()
    application.collection_account_name = account.account_name.strip()
    application.collection_account_number = account.account_number.strip()
    application._history_user = acting_user
    application._change_reason = "collection account changed by the bank"
    application.save()
    _audit(
        "financing.application.account_changed",
        actor=acting_user,
        organisation=application.bank,
        subject=application,
        account=application.collection_account_number,
    )
    payee = payee_for_award(application.award)
    contract = application.contract
    if payee is not None and contract is not None:
        write_fixed_payee(
            contract=contract,
            payee=payee,
            acting_user=acting_user,
            reason=f"collection account changed by the bank ({application.number})",
        )
    return application


# Money ---------------------------------------------------------------------------------------


def _money_problems(amount: Decimal, on: dt.date, *, ceiling: Decimal, after: dt.date) -> list:
    problems = []
    if not Decimal("0") < amount <= ceiling:
        problems.append(
            _("The amount must be more than zero and at most %(max)s yuan.")
            % {"max": f"{ceiling:,.2f}"}
        )
    if on > timezone.localdate(timezone=SHANGHAI):
        problems.append(_("The date cannot be after today."))
    if on < after:
        problems.append(_("The date cannot be before the step it follows."))
    return problems


@transaction.atomic
def record_disbursement(
    *, application: Application, amount: Decimal, disbursed_on: dt.date, acting_user
) -> Application:
    """Rule 7: the bank lent the money."""
    _check_bank(application, acting_user)
    application = _lock(application)
    if not application.may_disburse:
        raise InvalidTransition(WRONG_STATE, code="wrong_state")
    assert application.approved_amount is not None and application.decided_at is not None
    if problems := _money_problems(
        amount,
        disbursed_on,
        ceiling=application.approved_amount,
        after=timezone.localtime(application.decided_at, SHANGHAI).date(),
    ):
        raise RulesBroken(problems)
    now = _now()
    application.disburse()
    application.disbursed_on = disbursed_on
    application.disbursed_amount = amount
    application._history_user = acting_user
    application._change_reason = "disbursed"
    application.save()
    _audit(
        "financing.application.disbursed",
        actor=acting_user,
        organisation=application.bank,
        subject=application,
        amount=amount,
        on=disbursed_on.isoformat(),
    )
    meet_clock(subject=application, kind=DISBURSE_CLOCK, at=now)
    return application


@transaction.atomic
def record_repayment(
    *, application: Application, amount: Decimal, repaid_on: dt.date, acting_user
) -> Application:
    """Rule 7: the loan is repaid (from the collection account); the bank's hold ends."""
    _check_bank(application, acting_user)
    application = _lock(application)
    if not application.may_repay:
        raise InvalidTransition(WRONG_STATE, code="wrong_state")
    assert application.disbursed_on is not None and application.disbursed_amount is not None
    if problems := _money_problems(
        amount,
        repaid_on,
        ceiling=application.disbursed_amount * 2,
        after=application.disbursed_on,
    ):
        raise RulesBroken(problems)
    application.repay()
    application.repaid_on = repaid_on
    application.repaid_amount = amount
    application._history_user = acting_user
    application._change_reason = "repaid"
    application.save()
    _audit(
        "financing.application.repaid",
        actor=acting_user,
        organisation=application.bank,
        subject=application,
        amount=amount,
        on=repaid_on.isoformat(),
    )
    return application


__all__ = [
    "DISBURSE_CLOCK",
    "REVIEW_CLOCK",
    "AccountValues",
    "apply_for_financing",
    "approve_application",
    "change_collection_account",
    "decline_application",
    "record_disbursement",
    "record_repayment",
    "save_product",
    "sign_account_change",
]
