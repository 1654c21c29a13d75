"""Drafting (issue 12 §1): the purchaser drafts from the award on the bureau's model text; the
supplier comments on the draft or accepts it.

Rules, each checked by `draft_problems` and reported all at once:
1. The amount is the winning price (GPL Art 46 "按照采购文件确定的事项"; O87 Art 71: the contract
   must not change the award substantively): the items add up to it, and so does the schedule.
2. The advance payment is the project's share, within the bureau's floor and ceiling (RULES.md
   §8.1, parameters "advance_payment_min" / "advance_payment_max"); its default is the bureau's
   "advance_payment_default".
3. The payment term is at most 60 days (保障中小企业款项支付条例 Art 9, RULES.md H-1).
4. A contract won through an SME measure says "本合同为中小企业预留合同" (D46 Art 14).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.selectors import is_member, organisation_of
from audit.services import record_event
from common.errors import InvalidTransition, PermissionDenied, RulesBroken
from procurement.models import SmeMode
from procurement.parameters import legal_parameter

from ..models import (
    AcceptancePlan,
    AcceptanceStage,
    Contract,
    ContractItem,
    ContractState,
    ContractTemplate,
    DraftComment,
    InstalmentKind,
    PaymentCondition,
    PaymentInstalment,
)
from ._base import NOT_A_DRAFT

CENT = Decimal("0.01")
NO_TEMPLATE = gettext_lazy(
    "The bureau keeps no model contract text in use for this kind of procurement."
)
ALREADY_DRAFTED = gettext_lazy("A contract has already been drafted from this award.")
NOTICE_NOT_ISSUED = gettext_lazy("The award notice has not been issued yet.")
ONLY_PURCHASER = gettext_lazy("Only the purchaser drafts the contract.")
ONLY_SUPPLIER = gettext_lazy("Only the supplier accepts the draft.")
ONLY_PARTIES = gettext_lazy("Only the two parties comment on the draft.")


@dataclass
class ItemValues:
    name: str
    quantity: Decimal
    unit: str
    unit_price: Decimal
    spec: str = ""


@dataclass
class StageValues:
    name: str
    checks: str


@dataclass
class DraftValues:
    """What the purchaser fills in; `initial_values` proposes it from the award."""

    title: str
    delivery_place: str
    delivery_days: int
    delivery_terms: str
    acceptance_method: str
    acceptance_days: int
    advance_share: Decimal
    supplier_bank_name: str
    supplier_account_name: str
    supplier_account_number: str
    items: list[ItemValues]
    stages: list[StageValues] = field(default_factory=list)
    acceptance_condition: bool = True
    term_days: int | None = None
    with_experts: bool = False
    with_recipients: bool = False
    with_other_bidders: bool = False
    with_testing_body: bool = False
    testing_body: str = ""
    public_service: bool = False
    special_terms: str = ""
    secret_parts: str = ""


def won_through_sme_measure(award) -> bool:
    """D46 Art 14: a reserved project or lot (预留采购项目、预留专门采购包)."""
    return bool(award.lot.sme_reserved or award.lot.project.sme_mode == SmeMode.WHOLE)


def advance_default() -> Decimal:
    return legal_parameter("advance_payment_default").value


def initial_values(award) -> DraftValues:
    """The draft the award proposes: one line at the winning price, the bureau's advance share,
    one acceptance stage."""
    lot = award.lot
    return DraftValues(
        title=f"{lot.project.name} {lot.name} 采购合同",
        delivery_place=lot.project.purchaser.address or lot.project.purchaser.name,
        delivery_days=30,
        delivery_terms="",
        acceptance_method=_(
            "Acceptance against the technical, service and safety standards of "
            "the tender documents and the bid (IR Art 45)."
        ),
        acceptance_days=5,
        advance_share=advance_default(),
        supplier_bank_name="",
        supplier_account_name=award.bid.supplier.name,
        supplier_account_number="",
        items=[ItemValues(name=lot.name, quantity=Decimal("1"), unit="批", unit_price=award.price)],
        stages=[StageValues(name=_("Final acceptance"), checks=_("Every item of the contract"))],
    )


def schedule(amount: Decimal, advance_share: Decimal) -> list[tuple[str, Decimal, Decimal, str]]:
    """The payment schedule: the advance on signing (if any), the rest on acceptance."""
    advance = (amount * advance_share / 100).quantize(CENT, rounding=ROUND_HALF_UP)
    rows: list[tuple[str, Decimal, Decimal, str]] = []
    if advance > 0:
        rows.append((InstalmentKind.ADVANCE, advance_share, advance, PaymentCondition.SIGNING))
    if amount - advance > 0:
        rows.append(
            (InstalmentKind.FINAL, 100 - advance_share, amount - advance, PaymentCondition.ACCEPTED)
        )
    return rows


def draft_problems(award, values: DraftValues) -> list[str]:
    problems: list[str] = []
    total = sum(((i.quantity * i.unit_price).quantize(CENT) for i in values.items), Decimal("0"))
    if not values.items:
        problems.append(_("List at least one item of the contract."))
    elif total != award.price:
        problems.append(
            _(
                "The items add up to %(total)s yuan; the contract amount is the winning price, "
                "%(price)s yuan (《中华人民共和国政府采购法》第四十六条)."
            )
            % {"total": f"{total:,.2f}", "price": f"{award.price:,.2f}"}
        )
    low = legal_parameter("advance_payment_min")
    high = legal_parameter("advance_payment_max")
    if not low.value <= values.advance_share <= high.value:
        problems.append(
            _("The advance payment must be between %(low)s %% and %(high)s %% (%(source)s).")
            % {"low": f"{low.value:g}", "high": f"{high.value:g}", "source": low.source}
        )
    if values.term_days is not None and not 1 <= values.term_days <= 60:
        problems.append(
            _("A payment term is at most 60 days (《保障中小企业款项支付条例》第九条).")
        )
    if values.with_testing_body and not values.testing_body.strip():
        problems.append(_("Name the quality testing body that takes part in the acceptance."))
    return problems


def _template_for(kind: str) -> ContractTemplate:
    template = (
        ContractTemplate.objects.filter(
            kind=kind, is_active=True, effective_from__lte=timezone.localdate()
        )
        .order_by("-version")
        .first()
    )
    if template is None:
        raise RulesBroken([NO_TEMPLATE])
    return template


def _write_terms(contract: Contract, values: DraftValues) -> None:
    """Items, acceptance plan and stages, payment schedule: replaced wholesale by each save."""
    contract.items.all().delete()
    ContractItem.objects.bulk_create(
        ContractItem(
            contract=contract,
            position=n,
            name=i.name,
            spec=i.spec,
            quantity=i.quantity,
            unit=i.unit,
            unit_price=i.unit_price,
        )
        for n, i in enumerate(values.items, start=1)
    )
    contract.instalments.all().delete()
    AcceptancePlan.objects.filter(contract=contract).delete()
    plan = AcceptancePlan.objects.create(
        contract=contract,
        method=values.acceptance_method,
        with_experts=values.with_experts,
        with_recipients=values.with_recipients,
        with_other_bidders=values.with_other_bidders,
        with_testing_body=values.with_testing_body,
        testing_body=values.testing_body,
        public_service=values.public_service,
    )
    stages = values.stages or [StageValues(name=_("Final acceptance"), checks=_("Every item"))]
    AcceptanceStage.objects.bulk_create(
        AcceptanceStage(plan=plan, number=n, name=s.name, checks=s.checks)
        for n, s in enumerate(stages, start=1)
    )
    PaymentInstalment.objects.bulk_create(
        PaymentInstalment(
            contract=contract, position=n, kind=kind, share=share, amount=amount, condition=cond
        )
        for n, (kind, share, amount, cond) in enumerate(
            schedule(contract.amount, values.advance_share), start=1
        )
    )


def _apply(contract: Contract, values: DraftValues) -> None:
    contract.title = values.title
    contract.delivery_place = values.delivery_place
    contract.delivery_days = values.delivery_days
    contract.delivery_terms = values.delivery_terms
    contract.acceptance_condition = values.acceptance_condition
    contract.acceptance_days = values.acceptance_days
    contract.term_days = values.term_days
    contract.advance_share = values.advance_share
    contract.supplier_bank_name = values.supplier_bank_name
    contract.supplier_account_name = values.supplier_account_name
    contract.supplier_account_number = values.supplier_account_number
    contract.special_terms = values.special_terms
    contract.secret_parts = values.secret_parts


@transaction.atomic
def draft_contract(*, award, values: DraftValues, acting_user) -> Contract:
    """The purchaser's draft from `award` on the bureau's current model text for its kind."""
    from evaluation.models import Award

    award = (
        Award.objects.select_for_update(of=("self",))
        .select_related("lot", "lot__project", "lot__project__purchaser", "bid", "bid__supplier")
        .get(pk=award.pk)
    )
    purchaser = award.lot.project.purchaser
    if not is_member(acting_user, purchaser):
        raise PermissionDenied(ONLY_PURCHASER)
    if Contract.objects.filter(award=award).exists():
        raise InvalidTransition(ALREADY_DRAFTED, code="already_drafted")
    if award.notice_issued_at is None:
        raise InvalidTransition(NOTICE_NOT_ISSUED, code="no_notice")
    if problems := draft_problems(award, values):
        raise RulesBroken(problems)
    now = timezone.now()
    lot = award.lot
    contract = Contract(
        award=award,
        lot=lot,
        number=f"{lot.project.code}-{lot.number:02d}-HT",
        purchaser=purchaser,
        supplier=award.bid.supplier,
        template=_template_for(lot.kind),
        amount=award.price,
        sme_clause=won_through_sme_measure(award),
        supplier_is_sme=bool(award.bid.sme_items),
        drafted_at=now,
        drafted_by=acting_user,
    )
    _apply(contract, values)
    contract._history_user = acting_user
    contract._change_reason = "drafted"
    contract.save()
    _write_terms(contract, values)
    record_event(
        action="contracts.contract.drafted",
        actor=acting_user,
        organisation=purchaser,
        subject=contract,
        data={
            "number": contract.number,
            "amount": contract.amount,
            "template": contract.template_id,
        },
    )
    from .notices import tell_supplier_of_draft

    tell_supplier_of_draft(contract)
    return contract


def _lock_draft(contract: Contract) -> Contract:
    locked = Contract.objects.select_for_update().get(pk=contract.pk)
    if locked.state != ContractState.DRAFTED:
        raise InvalidTransition(NOT_A_DRAFT, code="not_a_draft")
    return locked


@transaction.atomic
def update_draft(*, contract: Contract, values: DraftValues, acting_user) -> Contract:
    """The purchaser changes the draft (after a comment, say): the supplier's acceptance lapses."""
    if not is_member(acting_user, contract.purchaser_id):
        raise PermissionDenied(ONLY_PURCHASER)
    contract = _lock_draft(contract)
    if problems := draft_problems(contract.award, values):
        raise RulesBroken(problems)
    _apply(contract, values)
    contract.supplier_accepted_at = None
    contract._history_user = acting_user
    contract._change_reason = "draft changed"
    contract.save()
    _write_terms(contract, values)
    record_event(
        action="contracts.contract.draft_changed",
        actor=acting_user,
        organisation=contract.purchaser,
        subject=contract,
        data={"number": contract.number},
    )
    return contract


@transaction.atomic
def comment_on_draft(*, contract: Contract, text: str, acting_user) -> DraftComment:
    organisation = organisation_of(acting_user)
    if organisation is None or contract.party_of(organisation.pk) is None:
        raise PermissionDenied(ONLY_PARTIES)
    contract = _lock_draft(contract)
    if not text.strip():
        raise RulesBroken([_("Write the comment.")])
    comment = DraftComment.objects.create(
        contract=contract,
        author=acting_user,
        organisation=organisation,
        text=text.strip(),
        created=timezone.now(),
    )
    record_event(
        action="contracts.contract.commented",
        actor=acting_user,
        organisation=organisation,
        subject=contract,
        data={"comment": comment.pk},
    )
    return comment


@transaction.atomic
def accept_draft(*, contract: Contract, acting_user) -> Contract:
    """The supplier agrees to the draft as it stands."""
    if not is_member(acting_user, contract.supplier_id):
        raise PermissionDenied(ONLY_SUPPLIER)
    contract = _lock_draft(contract)
    contract.supplier_accepted_at = timezone.now()
    contract._history_user = acting_user
    contract._change_reason = "draft accepted"
    contract.save()
    record_event(
        action="contracts.contract.draft_accepted",
        actor=acting_user,
        organisation=contract.supplier,
        subject=contract,
        data={"number": contract.number},
    )
    return contract
