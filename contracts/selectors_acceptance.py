"""Reads about deliveries and acceptances: the access helpers every such URL goes through, the
contract page's section, and who may download their files.

Only the contract's two parties and the bureau see a delivery or an acceptance (the contract's
rule, contracts.rules); anyone else gets 404, whatever the id.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Prefetch
from django.http import Http404

from accounts.selectors import is_member, organisation_of

from .models import (
    Acceptance,
    AcceptanceResult,
    AcceptanceStage,
    Contract,
    ContractState,
    Delivery,
    Party,
    Signature,
)
from .services.acceptance import (
    DELIVERY_DOCUMENT_USE,
    next_stage,
    waiting_delivery,
)
from .services.signing import CONTRACT_PDF_USE

DELIVERABLE_STATES = (ContractState.SIGNED, ContractState.DELIVERED, ContractState.REJECTED)


def get_delivery_for_user(*, user, pk: int) -> Delivery:
    delivery = (
        Delivery.objects.select_related(
            "contract", "contract__purchaser", "contract__supplier", "stage"
        )
        .filter(pk=pk)
        .first()
    )
    if delivery is None or not user.has_perm("contracts.view_contract", delivery.contract):
        raise Http404
    return delivery


def get_acceptance_for_user(*, user, pk: int) -> Acceptance:
    acceptance = (
        Acceptance.objects.select_related(
            "contract",
            "contract__purchaser",
            "contract__supplier",
            "contract__lot",
            "delivery",
            "stage",
            "report_pdf",
            "announcement",
            "recorded_by",
        )
        .filter(pk=pk)
        .first()
    )
    if acceptance is None or not user.has_perm("contracts.view_contract", acceptance.contract):
        raise Http404
    return acceptance


def deliveries_with_acceptances(contract_ids: list[int]):
    """Deliveries of the contracts, each with its stage, documents, acceptance and signatures,
    in a fixed number of queries."""
    return (
        Delivery.objects.filter(contract_id__in=contract_ids)
        .select_related("stage", "acceptance", "acceptance__report_pdf")
        .prefetch_related(
            "documents",
            Prefetch(
                "acceptance__signatures",
                queryset=Signature.objects.select_related("organisation"),
            ),
        )
        .order_by("declared_at", "id")
    )


@dataclass
class DeliveryRow:
    delivery: Delivery
    acceptance: Acceptance | None
    signed_parties: set[str] = field(default_factory=set)

    @property
    def passed(self) -> bool:
        return self.acceptance is not None and self.acceptance.result == AcceptanceResult.PASSED

    @property
    def signed_by_both(self) -> bool:
        return {Party.PURCHASER, Party.SUPPLIER} <= self.signed_parties


@dataclass
class AcceptanceSection:
    """What the contract page shows of delivery and acceptance, and what the user may do."""

    contract: Contract
    party: str | None
    stages: list[AcceptanceStage]
    rows: list[DeliveryRow]
    next_stage: AcceptanceStage | None
    left_to_deliver: bool
    waiting: Delivery | None

    @property
    def shown(self) -> bool:
        return self.contract.state in (*DELIVERABLE_STATES, *_AFTER_ACCEPTANCE)

    @property
    def may_declare(self) -> bool:
        return (
            self.party == Party.SUPPLIER
            and self.contract.state in DELIVERABLE_STATES
            and self.left_to_deliver
            and self.waiting is None
        )

    @property
    def is_purchaser(self) -> bool:
        return self.party == Party.PURCHASER

    @property
    def may_record(self) -> bool:
        return self.party == Party.PURCHASER and self.waiting is not None

    @property
    def staged(self) -> bool:
        return len(self.stages) > 1


_AFTER_ACCEPTANCE = (ContractState.ACCEPTED, ContractState.PAID, ContractState.CLOSED)


def _acceptance(delivery: Delivery) -> Acceptance | None:
    try:
        return delivery.acceptance
    except Acceptance.DoesNotExist:
        return None


def acceptance_section(contract: Contract, user) -> AcceptanceSection:
    organisation = organisation_of(user)
    party = contract.party_of(organisation.pk if organisation else None)
    plan = getattr(contract, "acceptance_plan", None)
    stages = list(plan.stages.all()) if plan is not None else []
    deliveries = list(deliveries_with_acceptances([contract.pk]))
    rows = []
    for delivery in deliveries:
        acceptance = _acceptance(delivery)
        signed = {s.party for s in acceptance.signatures.all()} if acceptance else set()
        rows.append(DeliveryRow(delivery=delivery, acceptance=acceptance, signed_parties=signed))
    left, stage = next_stage(stages, deliveries)
    return AcceptanceSection(
        contract=contract,
        party=party,
        stages=stages,
        rows=rows,
        next_stage=stage,
        left_to_deliver=left,
        waiting=waiting_delivery(deliveries),
    )


def acceptance_file_access(user, stored_file) -> bool | None:
    """documents.access: the delivery documents and the signed acceptance reports are the two
    parties' (the bureau by the general rule)."""
    contract_ids: list[int] = []
    if stored_file.use == DELIVERY_DOCUMENT_USE:
        contract_ids = list(
            Delivery.objects.filter(documents=stored_file).values_list("contract_id", flat=True)
        )
    elif stored_file.use == CONTRACT_PDF_USE:
        contract_ids = list(
            Signature.objects.filter(signed_pdf=stored_file, acceptance__isnull=False).values_list(
                "acceptance__contract_id", flat=True
            )
        )
    if not contract_ids:
        return None
    contract = Contract.objects.filter(pk=contract_ids[0]).only("purchaser", "supplier").first()
    if contract is None:
        return None
    if is_member(user, contract.purchaser_id) or is_member(user, contract.supplier_id):
        return True
    return None
