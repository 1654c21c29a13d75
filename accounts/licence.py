"""Sign-in and registration by electronic business licence (电子营业执照), behind a provider.

The real service belongs to the State Administration for Market Regulation (SAMR): the portal
shows the SAMR's QR code, the licence holder scans it with the 电子营业执照 app, and the SAMR
returns the enterprise's unified social credit code, name and legal representative, signed.
The portal only ever talks to a `LicenceProvider`, chosen by `settings.BUSINESS_LICENCE_PROVIDER`
(a dotted path), so a real provider is configured later without code changes:

1. `start(request, state=...)` begins a scan: a redirect to the provider or a page of its own.
   `state` is a one-time value the callback must get back (as OAuth's `state`).
2. The provider sends the browser to `accounts:licence_callback` with its signed payload in the
   query string; the view calls `verify(payload)`, which returns `LicenceClaims` or raises
   `LicenceError` (bad signature, expired, malformed).

`DevelopmentLicenceProvider` simulates the scan for development and the demo: a page where the
developer picks or types an enterprise; the claims are signed with HMAC-SHA256 under
`settings.BUSINESS_LICENCE_SECRET` (django.core.signing) and verified like a real answer, so a
tampered payload is refused. Anyone can claim any enterprise on that page, so production
settings default to `UnavailableLicenceProvider` and `check --deploy` warns about the simulator.
"""

from __future__ import annotations

import hashlib
import secrets
from abc import ABC, abstractmethod
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _

from .uscc import normalise_uscc, validate_uscc

# How long a verified licence may wait for the registration form or the choice of account.
CLAIMS_MAX_AGE = timedelta(minutes=15)
STATE_SESSION_KEY = "accounts.licence.state"
CLAIMS_SESSION_KEY = "accounts.licence.claims"

SIGNATURE_INVALID = _(
    "The electronic business licence data could not be verified (the signature is wrong). "
    "Nothing was changed; please scan the licence again."
)
SIGNATURE_EXPIRED = _("The licence scan has expired. Please scan the licence again.")
CLAIMS_MALFORMED = _("The licence data is incomplete. Please scan the licence again.")


class LicenceError(Exception):
    """The licence answer cannot be trusted; str(error) is a translated message for the user."""


@dataclass(frozen=True)
class LicenceClaims:
    """What a verified licence says about the enterprise."""

    uscc: str
    name: str
    legal_representative: str
    issued_at: datetime
    state: str = ""

    def to_session(self) -> dict[str, str]:
        data = asdict(self)
        data["issued_at"] = self.issued_at.isoformat()
        return data

    @classmethod
    def from_session(cls, data: Mapping[str, Any]) -> LicenceClaims:
        return cls(
            uscc=data["uscc"],
            name=data["name"],
            legal_representative=data["legal_representative"],
            issued_at=datetime.fromisoformat(data["issued_at"]),
            state=data.get("state", ""),
        )


def checked_claims(
    *, uscc: str, name: str, legal_representative: str, issued_at: datetime, state: str = ""
) -> LicenceClaims:
    """Claims with a normalised, valid code and non-empty fields, or LicenceError."""
    uscc = normalise_uscc(uscc)
    try:
        validate_uscc(uscc)
    except ValidationError as error:
        raise LicenceError(error.messages[0]) from error
    name, legal_representative = name.strip(), legal_representative.strip()
    if not name or not legal_representative or timezone.is_naive(issued_at):
        raise LicenceError(str(CLAIMS_MALFORMED))
    return LicenceClaims(
        uscc=uscc,
        name=name,
        legal_representative=legal_representative,
        issued_at=issued_at,
        state=state,
    )


class LicenceProvider(ABC):
    """The interface every electronic business licence provider implements."""

    #: Shown on the sign-in buttons and pages.
    label = _("Electronic business licence")

    @abstractmethod
    def start(self, request: HttpRequest, *, state: str) -> HttpResponse:
        """Begin a scan: redirect to the provider, or render its page; `state` must come back."""

    @abstractmethod
    def verify(self, payload: Mapping[str, str]) -> LicenceClaims:
        """Check the provider's signed answer (the callback's query) and return its claims."""


class DevelopmentLicenceProvider(LicenceProvider):
    """Simulates the scan for development and the demo; the claims are signed and verified."""

    label = _("Electronic business licence (simulated scan)")
    salt = "accounts.licence.DevelopmentLicenceProvider"
    max_age = timedelta(minutes=10)

    def start(self, request: HttpRequest, *, state: str) -> HttpResponse:
        return redirect("accounts:licence_dev_scan")

    def sign(self, claims: LicenceClaims) -> str:
        """The signed payload the simulated licence app returns (HMAC-SHA256, timestamped)."""
        return signing.dumps(
            claims.to_session(),
            key=settings.BUSINESS_LICENCE_SECRET,
            salt=self.salt,
            compress=False,
        )

    def scan_picture(self, state: str, size: int = 25) -> list[tuple[int, int]]:
        """Dark cells of a QR-code look-alike for the scan page (not a real code: nothing to scan)."""
        bits = "".join(f"{b:08b}" for b in hashlib.sha256(state.encode()).digest() * 3)
        cells = []
        for y in range(size):
            for x in range(size):
                corner = next(
                    (
                        (cx, cy)
                        for cx, cy in ((0, 0), (size - 7, 0), (0, size - 7))
                        if cx <= x < cx + 7 and cy <= y < cy + 7
                    ),
                    None,
                )
                if corner:  # the three finder squares that make it read as a QR code
                    dx, dy = x - corner[0], y - corner[1]
                    dark = max(abs(dx - 3), abs(dy - 3)) in (0, 1, 3)
                else:
                    dark = bits[(y * size + x) % len(bits)] == "1"
                if dark:
                    cells.append((x, y))
        return cells

    def callback_url(self, claims: LicenceClaims) -> str:
        return f"{reverse('accounts:licence_callback')}?{urlencode({'payload': self.sign(claims)})}"

    def verify(self, payload: Mapping[str, str]) -> LicenceClaims:
        try:
            data = signing.loads(
                payload.get("payload", ""),
                key=settings.BUSINESS_LICENCE_SECRET,
                salt=self.salt,
                max_age=self.max_age,
            )
        except signing.SignatureExpired as error:
            raise LicenceError(str(SIGNATURE_EXPIRED)) from error
        except signing.BadSignature as error:
            raise LicenceError(str(SIGNATURE_INVALID)) from error
        try:
            return checked_claims(
                uscc=data["uscc"],
                name=data["name"],
                legal_representative=data["legal_representative"],
                issued_at=datetime.fromisoformat(data["issued_at"]),
                state=data.get("state", ""),
            )
        except (KeyError, TypeError, ValueError) as error:
            raise LicenceError(str(CLAIMS_MALFORMED)) from error


class UnavailableLicenceProvider(LicenceProvider):
    """No licence service configured (the production default): the page says so."""

    def start(self, request: HttpRequest, *, state: str) -> HttpResponse:
        return render(request, "accounts/licence_unavailable.html", status=503)

    def verify(self, payload: Mapping[str, str]) -> LicenceClaims:
        raise LicenceError(str(_("Sign-in by electronic business licence is not available.")))


def get_provider() -> LicenceProvider:
    """The configured provider (settings.BUSINESS_LICENCE_PROVIDER)."""
    return import_string(settings.BUSINESS_LICENCE_PROVIDER)()


def new_state(session) -> str:
    """Start a scan: a one-time value kept in the session until the callback."""
    state = secrets.token_urlsafe(24)
    session[STATE_SESSION_KEY] = state
    session.pop(CLAIMS_SESSION_KEY, None)
    return state


def pending_state(session) -> str:
    return session.get(STATE_SESSION_KEY, "")


def accept_claims(session, claims: LicenceClaims) -> None:
    """Keep verified claims for the next step, once: the state is used up.

    Raises LicenceError when the answer does not belong to the scan this browser started (a
    payload replayed from elsewhere, or a second use of the same one).
    """
    expected = session.pop(STATE_SESSION_KEY, "")
    if not expected or not secrets.compare_digest(expected, claims.state):
        raise LicenceError(
            str(
                _(
                    "This licence scan was not started in this browser, or it has already been "
                    "used. Please start again."
                )
            )
        )
    data = claims.to_session()
    data["verified_at"] = timezone.now().isoformat()
    session[CLAIMS_SESSION_KEY] = data


def session_claims(session) -> LicenceClaims | None:
    """The verified claims of this browser's scan, if still fresh."""
    data = session.get(CLAIMS_SESSION_KEY)
    if not data:
        return None
    verified_at = datetime.fromisoformat(data["verified_at"])
    if timezone.now() - verified_at > CLAIMS_MAX_AGE:
        session.pop(CLAIMS_SESSION_KEY, None)
        return None
    return LicenceClaims.from_session(data)


def forget_claims(session) -> None:
    session.pop(CLAIMS_SESSION_KEY, None)
    session.pop(STATE_SESSION_KEY, None)
