"""PAdES signatures on contract PDFs, with pyhanko (issue 12 §2).

A party's signature is added as an incremental update: the bytes already signed are kept as they
are, so the first signature still covers its revision and the second covers the whole file.
`verify` reads them back with pyhanko's validator against the CA's root.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from asn1crypto import x509 as asn1_x509  # type: ignore[import-untyped]
from pyhanko.keys import load_certs_from_pemder_data, load_private_key_from_pemder_data
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import fields, signers
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext
from pyhanko_certvalidator.registry import SimpleCertificateStore

from . import pki


@dataclass(frozen=True)
class Verified:
    field: str
    signer: str  # the certificate's common name
    intact: bool  # the signed bytes hash to the signed digest
    valid: bool  # the signature verifies and the certificate chains to the root
    covers_whole_file: bool  # nothing was added after this signature


def _load_signer(organisation) -> signers.SimpleSigner:
    keys = pki.organisation_keys(organisation)
    root = pki.root()
    key = load_private_key_from_pemder_data(keys.key_pem, passphrase=pki.passphrase())
    cert = next(iter(load_certs_from_pemder_data(keys.cert_pem)))
    chain = list(load_certs_from_pemder_data(root.cert_pem))
    return signers.SimpleSigner(
        signing_cert=cert,
        signing_key=key,
        cert_registry=SimpleCertificateStore.from_certs([cert, *chain]),
    )


def sign(pdf: bytes, *, organisation, field_name: str, reason: str, location: str = "") -> bytes:
    """`pdf` with the organisation's PAdES signature added as an incremental update."""
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
    meta = signers.PdfSignatureMetadata(
        field_name=field_name,
        reason=reason,
        location=location or None,
        subfilter=fields.SigSeedSubFilter.PADES,
        md_algorithm="sha256",
        name=organisation.name,
    )
    out = io.BytesIO()
    signers.sign_pdf(writer, meta, signer=_load_signer(organisation), output=out)
    return out.getvalue()


def root_certificate() -> asn1_x509.Certificate:
    return load_cert_from_pemder_data(pki.root().cert_pem)


def load_cert_from_pemder_data(data: bytes) -> asn1_x509.Certificate:
    return next(iter(load_certs_from_pemder_data(data)))


def verify(pdf: bytes) -> list[Verified]:
    """Every signature of `pdf`, validated against the CA's root, in signing order."""
    context = ValidationContext(trust_roots=[root_certificate()], allow_fetching=False)
    reader = PdfFileReader(io.BytesIO(pdf), strict=False)
    found = []
    for embedded in reader.embedded_signatures:
        status = validate_pdf_signature(embedded, context)
        found.append(
            Verified(
                field=embedded.field_name,
                signer=status.signing_cert.subject.native.get("common_name", ""),
                intact=bool(status.intact),
                valid=bool(status.intact and status.valid and status.trusted),
                covers_whole_file=status.coverage is not None
                and status.coverage.name == "ENTIRE_FILE",
            )
        )
    return found


__all__ = ["Verified", "sign", "verify"]
