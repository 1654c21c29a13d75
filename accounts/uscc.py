"""Unified social credit code (统一社会信用代码) validation, GB 32100-2015."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

# GB 32100-2015 §4: the code's characters are digits and upper-case letters without I, O, Z, S, V.
ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
# §5.3: weights of positions 1–17 are 3^(i-1) mod 31.
WEIGHTS = [pow(3, i, 31) for i in range(17)]
LENGTH = 18

# Shown on the code field of every form when the code belongs to an organisation already on the
# portal; the message says what to do instead, so nobody registers twice.
USCC_ALREADY_REGISTERED = gettext_lazy(
    "This unified social credit code is already registered on the portal. If it is your "
    "organisation's code, sign in (or sign in with the electronic business licence) instead of "
    "registering again."
)


def check_character(first17: str) -> str:
    """The 18th character of a code whose first 17 characters are given."""
    total = sum(ALPHABET.index(ch) * w for ch, w in zip(first17, WEIGHTS, strict=True))
    return ALPHABET[(31 - total % 31) % 31]


def normalise_uscc(code: str) -> str:
    """Strip spaces and upper-case: users paste codes from licences with stray blanks."""
    return "".join(str(code).split()).upper()


def validate_uscc(code: str) -> None:
    """Raise ValidationError with a Chinese message if `code` is not a valid USCC."""
    code = normalise_uscc(code)
    if len(code) != LENGTH:
        raise ValidationError(
            _("A unified social credit code has 18 characters; this one has %(n)d.")
            % {"n": len(code)},
            code="uscc_length",
        )
    bad = sorted({ch for ch in code if ch not in ALPHABET})
    if bad:
        raise ValidationError(
            _(
                "The code contains characters not allowed in a unified social credit code: "
                "%(chars)s (the letters I, O, Z, S and V are never used)."
            )
            % {"chars": "、".join(bad)},
            code="uscc_characters",
        )
    if not code[2:8].isdigit():
        raise ValidationError(
            _(
                "Characters 3 to 8 of the code are the administrative division code and must be digits."
            ),
            code="uscc_region",
        )
    expected = check_character(code[:17])
    if code[17] != expected:
        raise ValidationError(
            _(
                "The check character of the code is wrong; please check that the code was copied correctly."
            ),
            code="uscc_check",
        )
