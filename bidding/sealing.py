"""Format 3: bids sealed in the bidder's browser (bidding/static/bidding/seal.js), in Python.

The same format in both languages, so that a bid sealed in a browser opens here and the other
way round (tests/browser/test_sealing_browser.py): the benchmark and the tests seal with it, and
a bidder can check a sealed bid offline (`python -m bidding.sealing --help`). It needs only the
`cryptography` package; nothing here touches Django.

1. A fresh 256-bit data key (DK) per bid. The bid's uuid is made by the sealer; every ciphertext
   is bound to (uuid, lot id, field) as associated data, as in formats 1 and 2
   (crypto.aad).
2. The key-encryption key (KEK): Argon2id of the passphrase (UTF-8; 16-byte random salt; memory
   in KiB, iterations and lanes stored with the bid), or the 32 bytes of the bidder's key file
   (crypto.KEY_FILE_HEADER; read in the browser, never uploaded).
3. wrapped = AES-256-GCM(KEK, 12-byte nonce, DK, aad "data_key"); key_check = HKDF-SHA256(DK,
   info=aad "key_check", 32 bytes): lets the server tell, at the opening, that the data key the
   bidder's browser sends is the one sealed (and so that a part which then fails is the
   platform's fault, EBID Art 31), without being able to test anything else.
4. price: AES-256-GCM(DK, "123.45"); commitment: HMAC-SHA256 under HKDF(DK, aad "commitment")
   of the same text (crypto.commit_key); manifest: AES-256-GCM(DK, JSON of the files' names,
   kinds and sizes, the SME declaration and the policy shares).
5. Each file in chunks of CHUNK bytes (the last may be shorter, or empty for an empty file):
   chunk i is AES-256-GCM(DK, nonce = 8-byte per-file prefix || i as 4 bytes big-endian,
   associated data = aad "file:N" + "|i|last"), where last is 1 for the final chunk, so chunks
   can be neither reordered nor dropped at the end. The stored blob is the chunks one after
   another (each CHUNK + 16 bytes, the last 16 bytes more than its plaintext).
6. The SHA-256 of each plaintext file goes in clear (the receipt's proof of content).
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import hmac
import json
import os
import struct
import sys
import uuid as uuid_module
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import BinaryIO

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.argon2 import Argon2id
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

FORMAT = 3
CHUNK = 1024 * 1024  # plaintext bytes per chunk
TAG = 16
KEY_BYTES = 32
NONCE_BYTES = 12
PREFIX_BYTES = 8
SALT_BYTES = 16
KEY_FILE_HEADER = "YANGGUANG-BID-KEY-1"
# Argon2id as the browser runs it by default (settings.BIDDING_ARGON2 may change it): 64 MiB,
# 3 passes, 1 lane — RFC 9106's second recommended option, about a second in a current browser.
ARGON2_DEFAULT = {"m": 65536, "t": 3, "p": 1}
# What the server accepts from a sealer (a weaker derivation is refused, a huge one too).
ARGON2_BOUNDS = {"m": (19456, 1048576), "t": (1, 10), "p": (1, 4)}


class WrongKey(Exception):
    """The key does not unwrap (or authenticate) this part."""


class BadFormat(ValueError):
    """A sealed bid or key file that is not of this format."""


def aad(bid_uuid: str, lot_id: int, field_name: str) -> bytes:
    """Associated data binding a ciphertext to its bid, lot and field (as bidding.crypto)."""
    return f"yangguang-bid|{bid_uuid}|{lot_id}|{field_name}".encode()


def chunk_aad(bid_uuid: str, lot_id: int, position: int, index: int, last: bool) -> bytes:
    return aad(bid_uuid, lot_id, f"file:{position}") + f"|{index}|{int(last)}".encode()


def chunk_nonce(prefix: bytes, index: int) -> bytes:
    return prefix + struct.pack(">I", index)


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def unb64(text: str, *, length: int | None = None, max_length: int = 1 << 20) -> bytes:
    if not isinstance(text, str) or len(text) > max_length * 4 // 3 + 4:
        raise BadFormat("not base64 text")
    try:
        data = base64.b64decode(text, validate=True)
    except ValueError:
        raise BadFormat("not base64") from None
    if length is not None and len(data) != length:
        raise BadFormat(f"{len(data)} bytes where {length} are needed")
    return data


def hkdf(data_key: bytes, info: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=KEY_BYTES, salt=None, info=info).derive(data_key)


def key_check(data_key: bytes, bid_uuid: str, lot_id: int) -> bytes:
    return hkdf(data_key, aad(bid_uuid, lot_id, "key_check"))


def commitment(data_key: bytes, bid_uuid: str, lot_id: int, price_text: str) -> bytes:
    key = hkdf(data_key, aad(bid_uuid, lot_id, "commitment"))
    return hmac.new(key, price_text.encode(), hashlib.sha256).digest()


def argon2id(passphrase: str, *, salt: bytes, m: int, t: int, p: int) -> bytes:
    kdf = Argon2id(salt=salt, length=KEY_BYTES, iterations=t, lanes=p, memory_cost=m)
    return kdf.derive(passphrase.encode("utf-8"))


def read_key_file(content: bytes) -> bytes:
    """The 32 bytes of a bidder's key file; BadFormat if it is not one."""
    try:
        lines = content.decode("ascii").strip().splitlines()
        if len(lines) != 2 or lines[0].strip() != KEY_FILE_HEADER:
            raise ValueError
        key = base64.b64decode(lines[1].strip(), validate=True)
    except (UnicodeDecodeError, ValueError):
        raise BadFormat("not a key file") from None
    if len(key) != KEY_BYTES:
        raise BadFormat("not a key file")
    return key


def key_file_text(key: bytes) -> str:
    return f"{KEY_FILE_HEADER}\n{b64(key)}\n"


def check_kdf(kdf: dict) -> dict:
    """Argon2id parameters within ARGON2_BOUNDS, with their 16-byte salt; BadFormat if not."""
    if not isinstance(kdf, dict) or kdf.get("alg") != "argon2id":
        raise BadFormat("the key derivation must be argon2id")
    clean: dict = {"alg": "argon2id"}
    for name, (low, high) in ARGON2_BOUNDS.items():
        value = kdf.get(name)
        if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
            raise BadFormat(f"argon2id {name} must be from {low} to {high}")
        clean[name] = value
    unb64(kdf.get("salt", ""), length=SALT_BYTES)
    clean["salt"] = kdf["salt"]
    return clean


def kek_of(*, kdf: dict | None, passphrase: str | None = None, key: bytes | None = None) -> bytes:
    """The key-encryption key from the passphrase (kdf given) or the key file's bytes."""
    if kdf is None:
        if key is None or len(key) != KEY_BYTES:
            raise WrongKey("this bid was sealed with a key file")
        return key
    if not passphrase:
        raise WrongKey("this bid was sealed with a passphrase")
    return argon2id(
        passphrase, salt=unb64(kdf["salt"], length=SALT_BYTES), m=kdf["m"], t=kdf["t"], p=kdf["p"]
    )


def _decrypt(key: bytes, nonce: bytes, data: bytes, associated: bytes) -> bytes:
    try:
        return AESGCM(key).decrypt(nonce, data, associated)
    except InvalidTag:
        raise WrongKey from None


# --------------------------------------------------------------------------------------------
# Files in chunks


def sealed_length(size: int) -> int:
    """The length of a sealed file of `size` plaintext bytes."""
    chunks = max(1, -(-size // CHUNK))
    return size + chunks * TAG


def check_sealed_length(length: int) -> int:
    """The number of chunks of a sealed blob of `length` bytes; BadFormat if no file seals so."""
    if length < TAG:
        raise BadFormat("a sealed file has at least 16 bytes")
    full = CHUNK + TAG
    chunks = -(-length // full)
    if length - (chunks - 1) * full < TAG:
        raise BadFormat("the sealed file's length does not fit its chunks")
    return chunks


def seal_chunks(
    data_key: bytes, *, bid_uuid: str, lot_id: int, position: int, prefix: bytes, chunks: Iterator
) -> Iterator[bytes]:
    """Seal plaintext chunks of CHUNK bytes (the last shorter): one sealed chunk each."""
    aes = AESGCM(data_key)
    current = next(chunks, b"")
    index = 0
    while True:
        following = next(chunks, None)
        last = following is None
        yield aes.encrypt(
            chunk_nonce(prefix, index),
            current,
            chunk_aad(bid_uuid, lot_id, position, index, last),
        )
        if last:
            return
        current, index = following, index + 1


def read_chunks(handle: BinaryIO, size: int = CHUNK) -> Iterator[bytes]:
    while block := handle.read(size):
        yield block


def open_chunks(
    data_key: bytes,
    *,
    bid_uuid: str,
    lot_id: int,
    position: int,
    prefix: bytes,
    handle: BinaryIO,
    write: Callable[[bytes], object],
) -> tuple[str, int]:
    """Decrypt a sealed file from `handle` chunk by chunk into `write`: (SHA-256 hex, size).

    WrongKey if a chunk fails authentication, BadFormat if the blob is cut or too long."""
    aes = AESGCM(data_key)
    digest = hashlib.sha256()
    size = 0
    index = 0
    current = handle.read(CHUNK + TAG)
    while True:
        following = handle.read(CHUNK + TAG)
        last = not following
        if len(current) < TAG:
            raise BadFormat("a chunk is cut short")
        try:
            plain = aes.decrypt(
                chunk_nonce(prefix, index),
                current,
                chunk_aad(bid_uuid, lot_id, position, index, last),
            )
        except InvalidTag:
            raise WrongKey(f"chunk {index} of file {position}") from None
        digest.update(plain)
        size += len(plain)
        write(plain)
        if last:
            return digest.hexdigest(), size
        current, index = following, index + 1


# --------------------------------------------------------------------------------------------
# A whole bid


@dataclass
class SealedBid:
    """What leaves the sealer: the envelope (JSON) and one sealed blob per file."""

    envelope: dict
    blobs: list[bytes] = field(default_factory=list)
    data_key: bytes = b""  # kept by the sealer only (tests, the benchmark's own check)


def manifest_json(files: list[tuple[str, str, int]], sme_items: list, policy: dict) -> bytes:
    return json.dumps(
        {
            "files": [
                {"position": n, "name": name, "kind": kind, "size": size}
                for n, (name, kind, size) in enumerate(files, start=1)
            ],
            "sme_items": sme_items,
            "policy": policy,
        },
        ensure_ascii=False,
        sort_keys=True,
    ).encode("utf-8")


def seal_bid(
    *,
    lot_id: int,
    price: str,
    files: list[tuple[str, str, bytes]],
    passphrase: str | None = None,
    key: bytes | None = None,
    sme_items: list | None = None,
    policy: dict | None = None,
    argon2: dict | None = None,
    bid_uuid: str | None = None,
) -> SealedBid:
    """Seal a bid as the browser does. `price` is the text sealed ("123.45")."""
    bid_uuid = bid_uuid or str(uuid_module.uuid4())
    data_key = os.urandom(KEY_BYTES)
    kdf: dict | None = None
    if key is None:
        if not passphrase:
            raise ValueError("a passphrase or a key is needed")
        kdf = {"alg": "argon2id", **(argon2 or ARGON2_DEFAULT), "salt": b64(os.urandom(SALT_BYTES))}
    kek = kek_of(kdf=kdf, passphrase=passphrase, key=key)

    def sealed(k: bytes, plaintext: bytes, field_name: str) -> dict:
        nonce = os.urandom(NONCE_BYTES)
        ct = AESGCM(k).encrypt(nonce, plaintext, aad(bid_uuid, lot_id, field_name))
        return {"nonce": b64(nonce), "ct": b64(ct)}

    wrapped = sealed(kek, data_key, "data_key")
    default_policy = {"arrangement": "", "small_micro_share": "0.00", "domestic_share": "0.00"}
    envelope: dict = {
        "format": FORMAT,
        "uuid": bid_uuid,
        "lot": lot_id,
        "key": {
            "method": "passphrase" if kdf else "key_file",
            "kdf": kdf,
            "nonce": wrapped["nonce"],
            "wrapped": wrapped["ct"],
            "check": b64(key_check(data_key, bid_uuid, lot_id)),
        },
        "price": sealed(data_key, price.encode(), "price"),
        "commitment": b64(commitment(data_key, bid_uuid, lot_id, price)),
        "manifest": sealed(
            data_key,
            manifest_json(
                [(name, kind, len(content)) for name, kind, content in files],
                sme_items or [],
                policy or default_policy,
            ),
            "manifest",
        ),
        "files": [],
    }
    blobs = []
    for position, (_name, _kind, content) in enumerate(files, start=1):
        prefix = os.urandom(PREFIX_BYTES)
        chunks = (content[i : i + CHUNK] for i in range(0, len(content), CHUNK))
        blob = b"".join(
            seal_chunks(
                data_key,
                bid_uuid=bid_uuid,
                lot_id=lot_id,
                position=position,
                prefix=prefix,
                chunks=iter(chunks),
            )
        )
        blobs.append(blob)
        envelope["files"].append(
            {
                "position": position,
                "nonce": b64(prefix),
                "sha256": hashlib.sha256(content).hexdigest(),
            }
        )
    return SealedBid(envelope=envelope, blobs=blobs, data_key=data_key)


def unwrap(envelope_key: dict, *, bid_uuid: str, lot_id: int, kek: bytes) -> bytes:
    """The data key from the envelope's "key" part; WrongKey if the key is not the bidder's."""
    data_key = _decrypt(
        kek,
        unb64(envelope_key["nonce"], length=NONCE_BYTES),
        unb64(envelope_key["wrapped"], length=KEY_BYTES + TAG),
        aad(bid_uuid, lot_id, "data_key"),
    )
    if not hmac.compare_digest(
        key_check(data_key, bid_uuid, lot_id), unb64(envelope_key["check"], length=KEY_BYTES)
    ):
        raise WrongKey("the key check differs")
    return data_key


def open_part(data_key: bytes, part: dict, *, bid_uuid: str, lot_id: int, name: str) -> bytes:
    return _decrypt(
        data_key,
        unb64(part["nonce"], length=NONCE_BYTES),
        unb64(part["ct"]),
        aad(bid_uuid, lot_id, name),
    )


def open_bid(sealed: SealedBid, *, passphrase: str | None = None, key: bytes | None = None) -> dict:
    """Open a whole sealed bid: {"price", "manifest", "files": [bytes], "data_key"}.

    Raises WrongKey for a wrong key or a part that fails authentication, and BadFormat when a
    file's SHA-256 is not the one sealed."""
    env = sealed.envelope
    bid_uuid, lot_id = env["uuid"], env["lot"]
    kek = kek_of(kdf=env["key"]["kdf"], passphrase=passphrase, key=key)
    data_key = unwrap(env["key"], bid_uuid=bid_uuid, lot_id=lot_id, kek=kek)
    price = open_part(data_key, env["price"], bid_uuid=bid_uuid, lot_id=lot_id, name="price")
    manifest = json.loads(
        open_part(data_key, env["manifest"], bid_uuid=bid_uuid, lot_id=lot_id, name="manifest")
    )
    files = []
    for entry, blob in zip(env["files"], sealed.blobs, strict=True):
        import io

        out = io.BytesIO()
        digest, _size = open_chunks(
            data_key,
            bid_uuid=bid_uuid,
            lot_id=lot_id,
            position=entry["position"],
            prefix=unb64(entry["nonce"], length=PREFIX_BYTES),
            handle=io.BytesIO(blob),
            write=out.write,
        )
        if digest != entry["sha256"]:
            raise BadFormat(f"file {entry['position']} does not match its SHA-256")
        files.append(out.getvalue())
    return {
        "price": price.decode(),
        "manifest": manifest,
        "files": files,
        "data_key": data_key,
    }


def _main(argv: Iterable[str] | None = None) -> int:
    """A bidder's offline check: does my passphrase or key file open this data key?"""
    parser = argparse.ArgumentParser(
        description="Check offline that a passphrase or key file unwraps a bid sealed in "
        "format 3 (the envelope's JSON as the bid page shows it)."
    )
    parser.add_argument("envelope", help="the envelope (JSON file)")
    parser.add_argument("--key-file", help="the .ygkey file (else the passphrase is asked)")
    args = parser.parse_args(list(argv) if argv is not None else None)
    with open(args.envelope, encoding="utf-8") as handle:
        env = json.load(handle)
    if args.key_file:
        with open(args.key_file, "rb") as handle:
            kek = kek_of(kdf=None, key=read_key_file(handle.read()))
    else:
        import getpass

        kek = kek_of(kdf=env["key"]["kdf"], passphrase=getpass.getpass("Passphrase: "))
    try:
        data_key = unwrap(env["key"], bid_uuid=env["uuid"], lot_id=env["lot"], kek=kek)
        price = open_part(
            data_key, env["price"], bid_uuid=env["uuid"], lot_id=env["lot"], name="price"
        )
    except WrongKey:
        print("This key does not open the bid.", file=sys.stderr)
        return 1
    print(f"The key opens the bid; the sealed price is {price.decode()}.")
    return 0


if __name__ == "__main__":
    raise SystemExit(_main())
