"""Sealing and opening bids: AES-256-GCM under a data key that only the bidder can unwrap.

1. Each bid gets a random 256-bit data key; the price and every file are encrypted with it
   (AES-256-GCM, a fresh 96-bit nonce each), the associated data binding each ciphertext to
   (bid uuid, lot id, field name) so blobs cannot be swapped between bids or fields.
2. The data key is wrapped (AES-256-GCM again) with a key-encryption key that the bidder holds:
   either derived from a passphrase with scrypt (random salt, parameters stored with the bid)
   or a key file of 32 random bytes the bidder downloaded (the server keeps no copy).
3. The server stores the salt, the parameters, the nonces, the wrapped key and ciphertexts:
   nothing that unwraps. Without the passphrase or key file nobody, the platform included,
   can read the bid.

Each bid stores the format it was sealed in (Bid.format_version); the opening reads every one:
- 1: the price and the files are sealed; the files' names, kinds and sizes and the SME
  declaration were stored in clear beside them.
- 2: as 1, and a manifest sealed under the same data key (field "manifest") holds the files'
  names, kinds and sizes and the SME declaration, so that nothing the bidder wrote is readable
  before the opening (a name such as "报价98万.pdf" would tell the price).
Since migration 0004 a bid also stores a commitment to its price: HMAC-SHA256 of the price
under a key derived (HKDF) from the data key. Only the bidder's key reaches the data key, so
nobody can test guesses of the price against it before the opening; at the opening it lets a
bidder whose sealed price was lost by the platform give it again, and the platform check that
it is the price sealed (RULES.md C-5; bidding.services.remedy).
What stays visible before the opening, by design: who bid and when, how many files, each
file's SHA-256 (the receipt's proof) and its sealed length (AES-GCM adds 16 bytes to the
plaintext, so the file store tells a file's size even though the manifest seals it).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
from dataclasses import dataclass

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

KEY_BYTES = 32
NONCE_BYTES = 12
SALT_BYTES = 16
# scrypt cost: n=2**settings.BIDDING_SCRYPT_LOG2 (15 unless the environment's YG_BID_SCRYPT_LOG2
# says otherwise), r=8, p=1: at 15 it uses 32 MiB and 0.1–0.4 s of one core per derivation; see
# docs/performance.md for what this costs at the deadline rush. A deployment may lower it (e.g.
# 14), the test settings do; each bid stores its own parameters, so old bids still open.
SCRYPT_R = 8
SCRYPT_P = 1

FORMAT_V1 = 1
FORMAT_V2 = 2
FORMAT = FORMAT_V2  # the format new bids are sealed in

KEY_FILE_HEADER = "YANGGUANG-BID-KEY-1"
KEY_FILE_SUFFIX = ".ygkey"


class WrongKey(Exception):
    """The passphrase or key file does not unwrap this bid's data key."""


class BadKeyFile(Exception):
    """The uploaded key file is not a key file made by this platform."""


@dataclass(frozen=True)
class KdfParams:
    salt: bytes
    n: int
    r: int
    p: int


def aad(bid_uuid: str, lot_id: int, field: str) -> bytes:
    """Associated data binding a ciphertext to its bid, lot and field."""
    return f"yangguang-bid|{bid_uuid}|{lot_id}|{field}".encode()


def new_data_key() -> bytes:
    return AESGCM.generate_key(bit_length=256)


def new_kdf_params() -> KdfParams:
    """A fresh salt and the cost in force (the opening reads the parameters stored per bid)."""
    from django.conf import settings

    return KdfParams(
        salt=os.urandom(SALT_BYTES), n=2**settings.BIDDING_SCRYPT_LOG2, r=SCRYPT_R, p=SCRYPT_P
    )


def derive_key(passphrase: str, params: KdfParams) -> bytes:
    """The key-encryption key stretched from a passphrase (scrypt)."""
    kdf = Scrypt(salt=params.salt, length=KEY_BYTES, n=params.n, r=params.r, p=params.p)
    return kdf.derive(passphrase.encode("utf-8"))


def encrypt(key: bytes, plaintext: bytes, associated: bytes) -> tuple[bytes, bytes]:
    """(nonce, ciphertext with tag)."""
    nonce = os.urandom(NONCE_BYTES)
    return nonce, AESGCM(key).encrypt(nonce, plaintext, associated)


def decrypt(key: bytes, nonce: bytes, ciphertext: bytes, associated: bytes) -> bytes:
    try:
        return AESGCM(key).decrypt(nonce, ciphertext, associated)
    except InvalidTag:
        raise WrongKey from None


def commitment_key(data_key: bytes, bid_uuid: str, lot_id: int) -> bytes:
    """The key of a bid's commitments, derived from its data key (HKDF-SHA256)."""
    hkdf = HKDF(
        algorithm=hashes.SHA256(),
        length=KEY_BYTES,
        salt=None,
        info=aad(bid_uuid, lot_id, "commitment"),
    )
    return hkdf.derive(data_key)


def commit(key: bytes, value: bytes) -> bytes:
    """HMAC-SHA256 of `value`: binds the bidder to it without showing it."""
    return hmac.new(key, value, hashlib.sha256).digest()


def same_commitment(a: bytes, b: bytes) -> bool:
    return hmac.compare_digest(a, b)


def new_key_file() -> tuple[str, bytes]:
    """A fresh key file: (its text, the 32 key bytes). The server keeps neither."""
    key = os.urandom(KEY_BYTES)
    text = f"{KEY_FILE_HEADER}\n{base64.b64encode(key).decode()}\n"
    return text, key


def read_key_file(content: bytes) -> bytes:
    """The key in an uploaded key file; BadKeyFile if it is not one."""
    try:
        lines = content.decode("ascii").strip().splitlines()
        if len(lines) != 2 or lines[0].strip() != KEY_FILE_HEADER:
            raise ValueError
        key = base64.b64decode(lines[1].strip(), validate=True)
    except (UnicodeDecodeError, ValueError):
        raise BadKeyFile from None
    if len(key) != KEY_BYTES:
        raise BadKeyFile
    return key


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
