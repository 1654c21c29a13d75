"""The contracts app's models (DESIGN.md layer 5), split by domain (STYLE.md habit 14)."""

from __future__ import annotations

from .agreement import (
    IN_FORCE_STATES,
    SME_CLAUSE,
    UNSIGNED_STATES,
    AcceptancePlan,
    AcceptanceStage,
    Contract,
    ContractItem,
    ContractQuerySet,
    ContractState,
    ContractTemplate,
    DraftComment,
    InstalmentKind,
    Party,
    PaymentCondition,
    PaymentInstalment,
)
from .payments import PaymentDispute
from .performance import (
    Acceptance,
    AcceptanceCheck,
    AcceptanceParticipant,
    AcceptanceResult,
    Delivery,
    ParticipantKind,
    Payment,
)
from .signing import Signature, SupplementaryContract, SupplementaryItem, SupplementaryState

__all__ = [
    "IN_FORCE_STATES",
    "SME_CLAUSE",
    "UNSIGNED_STATES",
    "Acceptance",
    "AcceptanceCheck",
    "AcceptanceParticipant",
    "AcceptancePlan",
    "AcceptanceResult",
    "AcceptanceStage",
    "Contract",
    "ContractItem",
    "ContractQuerySet",
    "ContractState",
    "ContractTemplate",
    "Delivery",
    "DraftComment",
    "InstalmentKind",
    "ParticipantKind",
    "Party",
    "Payment",
    "PaymentCondition",
    "PaymentDispute",
    "PaymentInstalment",
    "Signature",
    "SupplementaryContract",
    "SupplementaryItem",
    "SupplementaryState",
]
