"""Who may download a contract's PDFs: the two parties and the bureau (documents.access)."""

from __future__ import annotations

from django.db.models import Q

from accounts.selectors import is_member

from .models import Signature, SupplementaryContract
from .services.signing import CONTRACT_PDF_USE


def contract_file_access(user, stored_file) -> bool | None:
    if stored_file.use != CONTRACT_PDF_USE:
        return None
    signature = (
        Signature.objects.select_related("contract", "supplementary__contract")
        .filter(signed_pdf=stored_file)
        .first()
    )
    contract = None
    if signature is not None:
        contract = signature.contract or (
            signature.supplementary.contract if signature.supplementary else None
        )
    if contract is None:
        found = SupplementaryContract.objects.filter(Q(pdf=stored_file)).first()
        contract = found.contract if found else None
    if contract is None:
        return None
    if is_member(user, contract.purchaser_id) or is_member(user, contract.supplier_id):
        return True
    return None  # the bureau by the general rule; nobody else
