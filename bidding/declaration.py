"""The policy declaration a bid makes beside its price: the shares that change its evaluated price.

1. Consortium or subcontract (D46 Art 9 ¶2, 财库〔2020〕46号第九条第二款): a large or medium firm
   that bids in a consortium with small or micro firms, or subcontracts to them, declares the
   share of the contract amount they hold under the consortium or subcontract agreement. From
   30 % ("30%以上", inclusive) the evaluation deducts the consortium rate from its price. A
   consortium whose members are all small or micro firms is itself one (D46 Art 4) and claims
   the small and micro deduction through its SME declaration letter instead, not here.
2. The small or micro members or subcontractors are named, with their size, in the bid's SME
   declaration letter (中小企业声明函, D46 Art 11: no other proof may be asked): a share is
   refused without at least one small or micro line in the letter.
3. Firms with a direct controlling or management relationship with the bidder get no deduction
   (D46 Art 9 ¶2): the bidder attests there is none (the bid form asks it).
4. Domestic products (本国产品, 国办发〔2025〕34号): the share of the offer's product cost that
   comes from domestic products; from 80 % the whole offer takes the preference (RULES.md §6.4).

Both shares are percentages from 0 to 100 with at most two decimals. They belong to the price's
side of the bid, so they are sealed in its manifest and read only at the opening
(bidding.services.submission.manifest_bytes; DESIGN.md "Sealed bids"): a share seen before the
opening would tell how a bid will be evaluated, as its price would.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext_lazy as _

from common.errors import DomainError

from .models import Arrangement

ZERO = Decimal("0")
HUNDRED = Decimal("100")
SMALL_MICRO_SIZES = ("small", "micro")

SHARE_RANGE = _("Enter a percentage from 0 to 100 with at most two decimals.")
SHARE_WITHOUT_ARRANGEMENT = _(
    "A share of small or micro firms is declared only for a consortium or a subcontract: choose "
    "one, or leave the share at 0."
)
ARRANGEMENT_WITHOUT_SHARE = _(
    "Enter the share of the contract amount the small or micro firms hold under the consortium "
    "or subcontract agreement."
)
PARTNERS_NOT_DECLARED = _(
    "Name the small or micro members or subcontractors in the SME declaration letter "
    "(财库〔2020〕46号 Art 11): the letter has no small or micro enterprise."
)
UNKNOWN_ARRANGEMENT = _("Choose consortium, subcontract or neither.")


@dataclass(frozen=True)
class PolicyDeclaration:
    """What the bid declares; shares in percent (0–100), as the bidder wrote them."""

    arrangement: str = Arrangement.NONE
    small_micro_share: Decimal = ZERO
    domestic_share: Decimal = ZERO

    def as_dict(self) -> dict[str, str]:
        """The sealed form (JSON in the manifest): the shares as two-decimal strings."""
        return {
            "arrangement": str(self.arrangement),
            "small_micro_share": f"{self.small_micro_share:.2f}",
            "domestic_share": f"{self.domestic_share:.2f}",
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any] | None) -> PolicyDeclaration:
        """Read a sealed declaration; a manifest sealed before there was one declares nothing."""
        if not data:
            return cls()
        return cls(
            arrangement=str(data["arrangement"]),
            small_micro_share=Decimal(str(data["small_micro_share"])),
            domestic_share=Decimal(str(data["domestic_share"])),
        )


def parse_share(value: Any) -> Decimal:
    """A percentage from 0 to 100 with at most two decimals; DomainError otherwise."""
    if value is None or value == "":
        return ZERO
    try:
        share = Decimal(str(value).strip())
    except InvalidOperation:
        raise DomainError(SHARE_RANGE, code="share") from None
    if (
        not share.is_finite()
        or not ZERO <= share <= HUNDRED
        or share != share.quantize(Decimal("0.01"))
    ):
        raise DomainError(SHARE_RANGE, code="share")
    return share.quantize(Decimal("0.01"))


def check_declaration(
    *, arrangement: str, small_micro_share: Any, domestic_share: Any, sme_items: list[dict]
) -> PolicyDeclaration:
    """The declaration checked against rules 1, 2 and 4; DomainError with the first refusal.

    The bid form shows the same rules field by field; this guards the service itself.
    """
    if arrangement not in Arrangement.values:
        raise DomainError(UNKNOWN_ARRANGEMENT, code="arrangement")
    share = parse_share(small_micro_share)
    domestic = parse_share(domestic_share)
    if arrangement == Arrangement.NONE and share > ZERO:
        raise DomainError(SHARE_WITHOUT_ARRANGEMENT, code="arrangement")
    if arrangement != Arrangement.NONE:
        if share == ZERO:
            raise DomainError(ARRANGEMENT_WITHOUT_SHARE, code="small_micro_share")
        if not any(line.get("size_class") in SMALL_MICRO_SIZES for line in sme_items):
            raise DomainError(PARTNERS_NOT_DECLARED, code="sme_items")
    return PolicyDeclaration(
        arrangement=arrangement, small_micro_share=share, domestic_share=domestic
    )


def describe(*, arrangement: str, small_micro_share: Any, domestic_share: Any) -> str:
    """The declaration in words, as the opening record reads it out ("—" when none)."""
    parts = []
    if arrangement:
        parts.append(
            _("%(arrangement)s: %(share)s %% of the contract")
            % {
                "arrangement": Arrangement(arrangement).label,
                "share": f"{Decimal(str(small_micro_share or 0)):.2f}",
            }
        )
    if domestic_share is not None and Decimal(str(domestic_share)) > ZERO:
        parts.append(
            _("domestic products %(share)s %% of the product cost")
            % {"share": f"{Decimal(str(domestic_share)):.2f}"}
        )
    return "; ".join(str(p) for p in parts) or "—"
