"""Reads about contracts, and the access helper every contract URL goes through.

`get_contract_for_user` answers 404 to anyone who may not see the contract (its id reveals
nothing): only its two parties and the bureau see it (contracts.rules).
"""

from __future__ import annotations

from collections.abc import Sequence

from django.db.models import QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.rules import is_bureau_supervisor
from accounts.selectors import organisation_of
from procurement.lot_links import LotLink

from .models import Contract, SupplementaryContract


def contracts_for_user(user) -> QuerySet[Contract]:
    """The contracts the user may see: all for the bureau, its own party's otherwise."""
    base = Contract.objects.select_related("purchaser", "supplier", "lot", "lot__project")
    if is_bureau_supervisor(user):
        return base
    organisation = organisation_of(user)
    if organisation is None:
        return base.none()
    return base.of_organisation(organisation.pk)


def get_contract_for_user(*, user, pk: int) -> Contract:
    contract = (
        Contract.objects.select_related(
            "purchaser", "supplier", "lot", "lot__project", "template", "award", "pdf"
        )
        .filter(pk=pk)
        .first()
    )
    if contract is None or not user.has_perm("contracts.view_contract", contract):
        raise Http404
    return contract


def get_supplementary_for_user(*, user, pk: int) -> SupplementaryContract:
    supplementary = (
        SupplementaryContract.objects.select_related(
            "contract", "contract__purchaser", "contract__supplier"
        )
        .filter(pk=pk)
        .first()
    )
    if supplementary is None or not user.has_perm(
        "contracts.view_contract", supplementary.contract
    ):
        raise Http404
    return supplementary


def contract_lot_links(lots: Sequence, user) -> dict[int, list[LotLink]]:
    """procurement's project page: each lot's contract, for the parties and the bureau; the
    purchaser also reaches the drafting page of an awarded lot without a contract."""
    from evaluation.models import Award

    ids = [lot.pk for lot in lots]
    found: dict[int, list[LotLink]] = {}
    for contract in contracts_for_user(user).filter(lot_id__in=ids):
        found.setdefault(contract.lot_id, []).append(
            LotLink(_("Contract"), reverse("contracts:detail", args=[contract.pk]), "contract")
        )
    organisation = organisation_of(user)
    if organisation is not None:
        awards = Award.objects.filter(
            lot_id__in=ids,
            lot__project__purchaser=organisation,
            notice_issued_at__isnull=False,
            contract__isnull=True,
        )
        for award in awards:
            found.setdefault(award.lot_id, []).append(
                LotLink(
                    _("Draft the contract"),
                    reverse("contracts:draft", args=[award.pk]),
                    "contract_draft",
                )
            )
    return found
