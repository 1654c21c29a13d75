"""Every write of the contracts app (STYLE.md: one named service per write)."""

from __future__ import annotations

from .clocks import SIGNING, SIGNING_LIMIT, start_signing_clocks
from .drafting import (
    DraftValues,
    ItemValues,
    StageValues,
    accept_draft,
    comment_on_draft,
    draft_contract,
    initial_values,
    update_draft,
)
from .signing import CONTRACT_PDF_USE, sign_contract
from .supplementary import SupplementaryValues, draft_supplementary, sign_supplementary

__all__ = [
    "CONTRACT_PDF_USE",
    "SIGNING",
    "SIGNING_LIMIT",
    "DraftValues",
    "ItemValues",
    "StageValues",
    "SupplementaryValues",
    "accept_draft",
    "comment_on_draft",
    "draft_contract",
    "draft_supplementary",
    "initial_values",
    "sign_contract",
    "sign_supplementary",
    "start_signing_clocks",
    "update_draft",
]
