"""Object permissions for contracts (issue 12 §9).

A contract is the two parties' and the bureau's: only the purchaser and the supplier see it (a
draft above all), the bureau sees every one; any other role — the agency, another supplier, a
bank, an expert — is refused on every contract URL. The public reads the contract announcement,
never the contract page. The purchaser drafts, records acceptance and payment; the supplier
accepts the draft, declares delivery and confirms receipt; both comment and sign.
"""

from __future__ import annotations

import rules

from accounts.rules import grant_bureau_permissions, is_bureau_supervisor
from accounts.selectors import is_member


def _contract_of(obj):
    """The contract an object belongs to (the contract itself, or a row that names one)."""
    if obj is None:
        return None
    return obj if hasattr(obj, "purchaser_id") else getattr(obj, "contract", None)


@rules.predicate
def is_contract_purchaser(user, obj) -> bool:
    contract = _contract_of(obj)
    return contract is not None and is_member(user, contract.purchaser_id)


@rules.predicate
def is_contract_supplier(user, obj) -> bool:
    contract = _contract_of(obj)
    return contract is not None and is_member(user, contract.supplier_id)


is_contract_party = is_contract_purchaser | is_contract_supplier

rules.add_perm("contracts.view_contract", is_contract_party | is_bureau_supervisor)
rules.add_perm("contracts.draft_contract", is_contract_purchaser)
rules.add_perm("contracts.comment_contract", is_contract_party)
rules.add_perm("contracts.accept_draft", is_contract_supplier)
rules.add_perm("contracts.sign_contract", is_contract_party)
rules.add_perm("contracts.declare_delivery", is_contract_supplier)
rules.add_perm("contracts.record_acceptance", is_contract_purchaser)
rules.add_perm("contracts.record_payment", is_contract_purchaser)
rules.add_perm("contracts.confirm_receipt", is_contract_supplier)

# The bureau keeps the model contract texts in the admin and reads the rest there.
grant_bureau_permissions("contracts", ["contracttemplate"], view_only=False)
grant_bureau_permissions(
    "contracts",
    [
        "contract",
        "contractitem",
        "acceptanceplan",
        "acceptancestage",
        "paymentinstalment",
        "draftcomment",
        "signature",
        "supplementarycontract",
        "supplementaryitem",
        "delivery",
        "acceptance",
        "acceptancecheck",
        "acceptanceparticipant",
        "payment",
        "paymentdispute",
    ],
    view_only=True,
)
