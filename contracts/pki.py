"""Signing certificates: a development certificate authority (issue 12 §2).

Each organisation signs with its own certificate. In development and in the demo the platform is
its own CA: `python manage.py dev_ca` (or the first signature) makes a root CA and, on demand, one
certificate per organisation, its key stored encrypted under settings.CONTRACT_SIGNING_DIR
(var/signing by default; the passphrase is derived from SECRET_KEY). A production deployment
sets CONTRACT_SIGNING_CA to "external" and names its CA (the city's CA service) with
CONTRACT_SIGNING_ROOT_CERT and a key and certificate per organisation under the same directory,
issued by that CA; the platform then never makes a certificate itself.

1. The root: RSA 3072, self-signed, a CA for ten years.
2. An organisation's certificate: RSA 2048, two years, CN = its name, O = its name, serial
   number = its unified social credit code, key usage digital signature and non-repudiation.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone

if TYPE_CHECKING:
    from accounts.models import Organisation

ROOT_NAME = "阳光采购开发测试CA (development only)"
DEV = "dev"


@dataclass(frozen=True)
class KeyPair:
    key_pem: bytes  # PKCS#8, encrypted with `passphrase()`
    cert_pem: bytes

    @property
    def certificate(self) -> x509.Certificate:
        return x509.load_pem_x509_certificate(self.cert_pem)


def signing_dir() -> Path:
    return Path(getattr(settings, "CONTRACT_SIGNING_DIR", settings.VAR_DIR / "signing"))


def is_development_ca() -> bool:
    return getattr(settings, "CONTRACT_SIGNING_CA", DEV) == DEV


def passphrase() -> bytes:
    """The passphrase of the stored keys: derived from SECRET_KEY, never written down."""
    return (
        hmac.new(settings.SECRET_KEY.encode(), b"yangguang.contracts.signing-keys", hashlib.sha256)
        .hexdigest()
        .encode()
    )


def _encrypt(key: rsa.RSAPrivateKey) -> bytes:
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.BestAvailableEncryption(passphrase()),
    )


def _write(path: Path, content: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(path.suffix + ".tmp")
    tmp.write_bytes(content)
    tmp.chmod(0o600)
    tmp.replace(path)


def _load(stem: str) -> KeyPair | None:
    key, cert = signing_dir() / f"{stem}.key.pem", signing_dir() / f"{stem}.cert.pem"
    if key.exists() and cert.exists():
        return KeyPair(key_pem=key.read_bytes(), cert_pem=cert.read_bytes())
    return None


def _save(stem: str, pair: KeyPair) -> KeyPair:
    _write(signing_dir() / f"{stem}.key.pem", pair.key_pem)
    _write(signing_dir() / f"{stem}.cert.pem", pair.cert_pem)
    return pair


def root() -> KeyPair:
    """The CA: the development root (made on first use), or the configured one's certificate."""
    if not is_development_ca():
        path = getattr(settings, "CONTRACT_SIGNING_ROOT_CERT", "")
        if not path:
            raise ImproperlyConfigured("CONTRACT_SIGNING_ROOT_CERT names the CA's certificate.")
        return KeyPair(key_pem=b"", cert_pem=Path(path).read_bytes())
    found = _load("root")
    if found is not None:
        return found
    key = rsa.generate_private_key(public_exponent=65537, key_size=3072)
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "CN"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "阳光采购"),
            x509.NameAttribute(NameOID.COMMON_NAME, ROOT_NAME),
        ]
    )
    now = timezone.now() - dt.timedelta(days=1)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now)
        .not_valid_after(now + dt.timedelta(days=3650))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=False,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    return _save("root", KeyPair(_encrypt(key), cert.public_bytes(serialization.Encoding.PEM)))


def _issue(organisation: Organisation, ca: KeyPair) -> KeyPair:
    ca_key = serialization.load_pem_private_key(ca.key_pem, passphrase())
    ca_cert = ca.certificate
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    subject = x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "CN"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, organisation.name),
            x509.NameAttribute(NameOID.SERIAL_NUMBER, organisation.uscc),
            x509.NameAttribute(NameOID.COMMON_NAME, organisation.name),
        ]
    )
    now = timezone.now() - dt.timedelta(days=1)
    cert = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(ca_cert.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now)
        .not_valid_after(now + dt.timedelta(days=730))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_cert.public_key()),  # type: ignore[arg-type]
            critical=False,
        )
        .sign(ca_key, hashes.SHA256())  # type: ignore[arg-type]
    )
    return KeyPair(_encrypt(key), cert.public_bytes(serialization.Encoding.PEM))


def organisation_keys(organisation: Organisation) -> KeyPair:
    """The organisation's key and certificate; the development CA issues them on first use."""
    stem = f"org-{organisation.uscc}"
    found = _load(stem)
    if found is not None:
        return found
    if not is_development_ca():
        raise ImproperlyConfigured(
            f"No signing certificate for {organisation.name} ({organisation.uscc}) under "
            f"{signing_dir()}: the CA issues it."
        )
    return _save(stem, _issue(organisation, root()))
