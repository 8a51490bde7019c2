"""Encryption keys of a unit, and the certificate file an office hands to its communes.

Signing and encryption use separate keys. The unit's signing certificate
(``context.signing``: the one whose fingerprint is printed on signed reports)
issues an X.509 certificate for an X25519 key that only receives package keys
(key usage ``keyAgreement``). That certificate is signed through the signing
identity (a key file or a USB token alike), so a commune that has checked the
office's signing fingerprint on paper can trust the encryption key too.

On disk, next to the signing key (``keys/<code>/encryption/``)::

    <fingerprint 16>.crt    the encryption certificate (PEM)
    <fingerprint 16>.key    its private key, PKCS#8 PEM encrypted with the
                            signing key's password (or the token's PIN)

Earlier keys stay, so that packages encrypted for them still open.

The certificate file an office exports (``xhht export-cert``) is PEM with the
encryption certificate first and the signing certificate after it.
"""

from __future__ import annotations

import asyncio
import contextlib
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from asn1crypto import algos, core
from asn1crypto import keys as asn1_keys
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa, x25519
from cryptography.x509.oid import NameOID

from xhht_desktop.core import certificates
from xhht_desktop.core.certificates import VALIDITY_YEARS, fingerprint_hex
from xhht_desktop.errors import CertificateRefused, KeyPasswordWrong, PackageRefused
from xhht_desktop.exchange.crypto import DecryptionKey
from xhht_desktop.store.files import write_atomically

if TYPE_CHECKING:
    from xhht_desktop.reports.signing import SigningIdentity

ENCRYPTION_SUFFIX = " (khóa mã hóa)"


def _time(moment: datetime) -> asn1_x509.Time:
    # RFC 5280: UTCTime up to 2049, GeneralizedTime from 2050.
    moment = moment.astimezone(UTC).replace(microsecond=0)
    if moment.year < 2050:
        return asn1_x509.Time(name="utc_time", value=moment)
    return asn1_x509.Time(name="general_time", value=moment)


def _common_name(signer: str) -> str:
    """The signer's name and the suffix, within X.509's 64 bytes (UTF-8) for a CN."""
    name = signer
    while len(f"{name}{ENCRYPTION_SUFFIX}".encode()) > 64:
        name = name[:-1]
    return f"{name.rstrip()}{ENCRYPTION_SUFFIX}"


def _algorithm(identity: SigningIdentity) -> algos.SignedDigestAlgorithm:
    chosen = identity.signer.get_signature_mechanism_for_digest("sha256")
    name = chosen["algorithm"].native
    if name == "sha256_rsa":
        # RFC 4055: sha256WithRSAEncryption carries an explicit NULL.
        return algos.SignedDigestAlgorithm({"algorithm": name, "parameters": core.Null()})
    return algos.SignedDigestAlgorithm({"algorithm": name})


def issue_encryption_certificate(
    identity: SigningIdentity,
    public_key: x25519.X25519PublicKey,
    *,
    now: datetime | None = None,
    years: int = VALIDITY_YEARS,
) -> x509.Certificate:
    """An X.509 certificate for ``public_key``, issued by the unit's signing identity.

    The subject is the signer's, with "(khóa mã hóa)" after the common name;
    validity ends no later than the signing certificate's.
    """
    issuer = identity.certificate
    start = (now or datetime.now(UTC)).astimezone(UTC) - timedelta(minutes=10)
    end = min(start + timedelta(days=365 * years + years // 4), issuer.not_valid_after_utc)
    attributes = []
    for attribute in issuer.subject:
        if attribute.oid == NameOID.COMMON_NAME:
            attribute = x509.NameAttribute(NameOID.COMMON_NAME, _common_name(str(attribute.value)))
        attributes.append(attribute)
    subject = x509.Name(attributes)
    spki = public_key.public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    algorithm = _algorithm(identity)
    tbs = asn1_x509.TbsCertificate(
        {
            "version": "v3",
            "serial_number": x509.random_serial_number(),
            "signature": algorithm,
            "issuer": asn1_x509.Name.load(issuer.subject.public_bytes()),
            "validity": {"not_before": _time(start), "not_after": _time(end)},
            "subject": asn1_x509.Name.load(subject.public_bytes()),
            "subject_public_key_info": asn1_keys.PublicKeyInfo.load(spki),
            "extensions": [
                {"extn_id": "basic_constraints", "critical": True, "extn_value": {"ca": False}},
                {"extn_id": "key_usage", "critical": True, "extn_value": {"key_agreement"}},
            ],
        }
    )
    signature = asyncio.run(identity.signer.async_sign_raw(tbs.dump(), "sha256"))
    certificate = asn1_x509.Certificate(
        {"tbs_certificate": tbs, "signature_algorithm": algorithm, "signature_value": signature}
    )
    return x509.load_der_x509_certificate(certificate.dump())


def _can_encrypt(certificate: x509.Certificate) -> bool:
    key = certificate.public_key()
    if not isinstance(key, x25519.X25519PublicKey | rsa.RSAPublicKey):
        return False
    try:
        usage = certificate.extensions.get_extension_for_class(x509.KeyUsage).value
    except x509.ExtensionNotFound:
        return isinstance(key, rsa.RSAPublicKey)
    if isinstance(key, x25519.X25519PublicKey):
        return bool(usage.key_agreement)
    return bool(usage.key_encipherment)


def check_issued(
    encryption: x509.Certificate, signing: x509.Certificate, moment: datetime | None = None
) -> None:
    """Refuse an encryption certificate that ``signing`` did not issue, or that is not valid.

    Raises:
        CertificateRefused: Not issued by ``signing``, not for encryption,
            expired or not yet valid.
    """
    moment = moment or datetime.now(UTC)
    try:
        encryption.verify_directly_issued_by(signing)
    except (ValueError, TypeError, InvalidSignature) as exc:
        raise CertificateRefused(
            "Chứng thư mã hóa không do chứng thư ký số đi kèm cấp; tệp chứng thư không dùng được."
        ) from exc
    if not _can_encrypt(encryption):
        raise CertificateRefused("Chứng thư trong tệp không dùng để mã hóa được.")
    info = certificates.describe(encryption)
    if not info.valid_at(moment):
        raise CertificateRefused(
            f"Chứng thư mã hóa «{info.common_name}» không còn hiệu lực "
            f"({info.not_before:%d/%m/%Y} – {info.not_after:%d/%m/%Y})."
        )


@dataclass(frozen=True)
class CertificateBundle:
    """What a unit's certificate file holds.

    Attributes:
        signing: The signing certificate (its fingerprint is on signed reports).
        encryption: The encryption certificate it issued.
    """

    signing: x509.Certificate
    encryption: x509.Certificate

    def pem(self) -> bytes:
        return certificates.certificate_pem(self.encryption) + certificates.certificate_pem(
            self.signing
        )


def load_bundle(data: bytes, moment: datetime | None = None) -> CertificateBundle:
    """Read a certificate file written by ``xhht export-cert`` and check it.

    Raises:
        CertificateRefused: No certificate, no encryption certificate, or
            one not issued by the signing certificate of the file.
    """
    found = certificates.load_certificates(data)
    encryption = next((c for c in found if _can_encrypt(c) and c.issuer != c.subject), None)
    if encryption is None:
        raise CertificateRefused(
            "Tệp không có chứng thư mã hóa của cơ quan nhận. Hãy dùng tệp do lệnh "
            "'xhht export-cert' (hoặc mục Xuất chứng thư) của cơ quan nhận tạo ra."
        )
    signing = next(
        (c for c in found if c is not encryption and c.subject == encryption.issuer), None
    )
    if signing is None:
        raise CertificateRefused("Tệp thiếu chứng thư ký số đã cấp chứng thư mã hóa.")
    check_issued(encryption, signing, moment)
    return CertificateBundle(signing=signing, encryption=encryption)


class KeyRing:
    """The unit's encryption keys in its key folder."""

    def __init__(self, key_folder: Path) -> None:
        self.folder = Path(key_folder) / "encryption"

    def certificates(self) -> list[x509.Certificate]:
        """Every encryption certificate of this unit, newest first."""
        found = []
        for path in sorted(self.folder.glob("*.crt")) if self.folder.is_dir() else ():
            with contextlib.suppress(OSError, CertificateRefused):
                found.extend(certificates.load_certificates(path.read_bytes()))
        return sorted(found, key=lambda c: c.not_valid_before_utc, reverse=True)

    def current(
        self, signing: x509.Certificate, moment: datetime | None = None
    ) -> x509.Certificate | None:
        """The newest encryption certificate issued by ``signing`` and valid at ``moment``."""
        for certificate in self.certificates():
            try:
                check_issued(certificate, signing, moment)
            except CertificateRefused:
                continue
            return certificate
        return None

    def fingerprints(self) -> set[str]:
        return {fingerprint_hex(c) for c in self.certificates()}

    def create(self, identity: SigningIdentity, password: str) -> x509.Certificate:
        """Make a new key pair and its certificate, issued by ``identity``; store both.

        Raises:
            OSError: The key folder cannot be written.
        """
        key = x25519.X25519PrivateKey.generate()
        certificate = issue_encryption_certificate(identity, key.public_key())
        name = fingerprint_hex(certificate)[:16]
        secret = key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.BestAvailableEncryption(password.encode("utf-8")),
        )
        pem = certificates.certificate_pem(certificate)
        write_atomically(self.folder / f"{name}.key", lambda handle: handle.write(secret))
        write_atomically(self.folder / f"{name}.crt", lambda handle: handle.write(pem))
        return certificate

    def private_key(self, fingerprint: str, password: str) -> DecryptionKey:
        """Open the private key of the encryption certificate with ``fingerprint``.

        Raises:
            PackageRefused: This unit has no such key.
            KeyPasswordWrong: ``password`` does not open it.
        """
        path = self.folder / f"{fingerprint[:16]}.key"
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise PackageRefused(
                "Không tìm thấy khóa mã hóa của đơn vị trong thư mục khóa; không mở được gói."
            ) from exc
        try:
            key = serialization.load_pem_private_key(data, password.encode("utf-8"))
        except (ValueError, TypeError) as exc:
            raise KeyPasswordWrong() from exc
        if not isinstance(key, x25519.X25519PrivateKey | rsa.RSAPrivateKey):
            raise PackageRefused("Khóa mã hóa của đơn vị không đúng loại.")
        return key
