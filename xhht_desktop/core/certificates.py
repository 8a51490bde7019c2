"""The signing identity of a commune (or office): its key and X.509 certificate.

A commune without a certificate from a public CA makes its own: a key and a
self-signed certificate that names the commune and its official code. The
receiving office learns to trust it by comparing its SHA-256 fingerprint,
printed on every signed report, with the one the package shows (issue 6). A
certificate from a CA (a PKCS#12 file, or a USB token) works the same way.

Keys rest in a password-protected PKCS#12; nothing here writes files or
keeps a password. All cryptography comes from ``cryptography``.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from typing import Literal

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID

from xhht_desktop.errors import CertificateRefused, KeyPasswordWrong

# Vietnam has kept UTC+7 without daylight saving since 1975; a fixed offset
# needs no time-zone database (which Windows Pythons lack).
VIETNAM_TIME = timezone(timedelta(hours=7), "ICT")
VALIDITY_YEARS = 5
MIN_PASSWORD_LENGTH = 8

KeyType = Literal["rsa", "ec"]
SigningKey = rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey


@dataclass(frozen=True)
class CertificateSubject:
    """Who a new certificate names.

    Attributes:
        common_name: What a reader sees as the signer, e.g. "UBND Xã Đức An".
        organization: The commune (or office) name, e.g. "Xã Đức An".
        locality: The province, e.g. "Tỉnh Lâm Đồng".
        code: The official code of the commune (or "P" + province code of an
            office), kept in the subject's serialNumber.
    """

    common_name: str
    organization: str
    locality: str
    code: str


@dataclass(frozen=True)
class CertificateInfo:
    """What a person reads about a certificate before trusting it.

    Attributes:
        common_name: Subject CN.
        organization: Subject O, or "".
        locality: Subject L, or "".
        code: Subject serialNumber (the commune code), or "".
        issuer: Issuer CN (the same as ``common_name`` when self-signed).
        not_before: Start of validity (aware, UTC).
        not_after: End of validity (aware, UTC).
        fingerprint: SHA-256 of the DER certificate, see :func:`fingerprint`.
        self_signed: Whether the certificate is its own issuer.
        key: The key's kind and size, e.g. "RSA 3072 bit".
    """

    common_name: str
    organization: str
    locality: str
    code: str
    issuer: str
    not_before: datetime
    not_after: datetime
    fingerprint: str
    self_signed: bool
    key: str

    def valid_at(self, moment: datetime) -> bool:
        return self.not_before <= moment <= self.not_after


def fingerprint_hex(certificate: x509.Certificate) -> str:
    """The SHA-256 fingerprint as 64 uppercase hex digits, no spaces."""
    der = certificate.public_bytes(serialization.Encoding.DER)
    return hashlib.sha256(der).hexdigest().upper()


def fingerprint(certificate: x509.Certificate) -> str:
    """The SHA-256 fingerprint in groups of four hex digits, to read aloud.

    Officials compare it digit group by digit group with the one printed on a
    paper report, so it is uppercase and split like a bank account number:
    ``"3F2A 9B10 …"`` (16 groups).
    """
    digits = fingerprint_hex(certificate)
    return " ".join(digits[i : i + 4] for i in range(0, len(digits), 4))


def fingerprint_lines(certificate: x509.Certificate, groups_per_line: int = 8) -> list[str]:
    """:func:`fingerprint` cut into lines of ``groups_per_line`` groups (for stamps)."""
    groups = fingerprint(certificate).split(" ")
    return [
        " ".join(groups[i : i + groups_per_line]) for i in range(0, len(groups), groups_per_line)
    ]


def normalize_fingerprint(text: str) -> str:
    """A typed fingerprint as 64 uppercase hex digits (spaces and colons dropped)."""
    return "".join(ch for ch in text.upper() if ch in "0123456789ABCDEF")


def _attribute(name: x509.Name, oid: x509.ObjectIdentifier) -> str:
    values = name.get_attributes_for_oid(oid)
    if not values:
        return ""
    value = values[0].value
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else value


def _key_description(certificate: x509.Certificate) -> str:
    key = certificate.public_key()
    if isinstance(key, rsa.RSAPublicKey):
        return f"RSA {key.key_size} bit"
    if isinstance(key, ec.EllipticCurvePublicKey):
        return f"ECDSA {key.curve.name}"
    return type(key).__name__


def describe(certificate: x509.Certificate) -> CertificateInfo:
    """The readable facts of ``certificate``."""
    subject = certificate.subject
    return CertificateInfo(
        common_name=_attribute(subject, NameOID.COMMON_NAME),
        organization=_attribute(subject, NameOID.ORGANIZATION_NAME),
        locality=_attribute(subject, NameOID.LOCALITY_NAME),
        code=_attribute(subject, NameOID.SERIAL_NUMBER),
        issuer=_attribute(certificate.issuer, NameOID.COMMON_NAME)
        or certificate.issuer.rfc4514_string(),
        not_before=certificate.not_valid_before_utc,
        not_after=certificate.not_valid_after_utc,
        fingerprint=fingerprint(certificate),
        self_signed=certificate.issuer == certificate.subject,
        key=_key_description(certificate),
    )


def check_password(password: str) -> None:
    """Refuse a password too short to protect a signing key.

    Raises:
        CertificateRefused: The password has fewer than 8 characters.
    """
    if len(password) < MIN_PASSWORD_LENGTH:
        raise CertificateRefused(
            f"Mật khẩu bảo vệ khóa ký số phải có ít nhất {MIN_PASSWORD_LENGTH} ký tự."
        )


def create_certificate(
    subject: CertificateSubject,
    *,
    key_type: KeyType = "rsa",
    years: int = VALIDITY_YEARS,
    now: datetime | None = None,
) -> tuple[SigningKey, x509.Certificate]:
    """Make a new key and a self-signed certificate for signing documents.

    RSA 3072 is the default because the PDF readers and signature checkers in
    use in Vietnamese offices all accept it; ECDSA P-256 is smaller and
    faster where that does not matter.

    Args:
        subject: Who the certificate names.
        key_type: ``"rsa"`` (3072 bit) or ``"ec"`` (P-256).
        years: Validity from now.
        now: The creation time (tests); defaults to the current time.

    Returns:
        The private key and its certificate.
    """
    key: SigningKey
    if key_type == "rsa":
        key = rsa.generate_private_key(public_exponent=65537, key_size=3072)
    else:
        key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
            x509.NameAttribute(NameOID.LOCALITY_NAME, subject.locality),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, subject.organization),
            x509.NameAttribute(NameOID.SERIAL_NUMBER, subject.code),
            x509.NameAttribute(NameOID.COMMON_NAME, subject.common_name),
        ]
    )
    start = (now or datetime.now(UTC)).astimezone(UTC)
    public = key.public_key()
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(public)
        .serial_number(x509.random_serial_number())
        # A few minutes back, so that a machine whose clock is slightly behind
        # the signer's still accepts a fresh certificate.
        .not_valid_before(start - timedelta(minutes=10))
        .not_valid_after(start + timedelta(days=365 * years + years // 4))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,  # nonRepudiation
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
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public), critical=False)
        .sign(key, hashes.SHA256())
    )
    return key, certificate


def to_pkcs12(
    key: SigningKey,
    certificate: x509.Certificate,
    password: str,
    extra_certificates: list[x509.Certificate] | None = None,
) -> bytes:
    """The key and certificate as a PKCS#12 file protected by ``password``."""
    check_password(password)
    return pkcs12.serialize_key_and_certificates(
        name=_attribute(certificate.subject, NameOID.COMMON_NAME).encode("utf-8") or None,
        key=key,
        cert=certificate,
        cas=extra_certificates or None,
        # AES-256 with PBKDF2 in current cryptography releases.
        encryption_algorithm=serialization.BestAvailableEncryption(password.encode("utf-8")),
    )


@dataclass(frozen=True)
class KeyMaterial:
    """What a PKCS#12 file holds, checked.

    Attributes:
        key: The private key.
        certificate: Its certificate.
        chain: Other certificates in the file (a CA's chain), possibly empty.
    """

    key: SigningKey
    certificate: x509.Certificate
    chain: list[x509.Certificate]


def load_pkcs12(data: bytes, password: str) -> KeyMaterial:
    """Open a PKCS#12 file and check that it can sign.

    Args:
        data: The file's bytes.
        password: Its password.

    Returns:
        The key, its certificate and any chain.

    Raises:
        KeyPasswordWrong: The password does not open the file.
        CertificateRefused: The file is not PKCS#12, has no key or no
            certificate, the key does not match the certificate, or the
            key is of a kind that cannot sign.
    """
    try:
        key, certificate, chain = pkcs12.load_key_and_certificates(
            data, password.encode("utf-8") if password else None
        )
    except ValueError as exc:
        # cryptography reports a wrong password and a damaged file alike;
        # a file that is not PKCS#12 at all usually fails to parse as DER.
        if data[:1] != b"\x30":
            raise CertificateRefused(
                "Tệp không phải là tệp chứng thư số PKCS#12 (.p12/.pfx)."
            ) from exc
        raise KeyPasswordWrong() from exc
    if key is None:
        raise CertificateRefused("Tệp PKCS#12 không chứa khóa bí mật, không dùng để ký được.")
    if certificate is None:
        raise CertificateRefused("Tệp PKCS#12 không chứa chứng thư số của khóa.")
    if not isinstance(key, rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey):
        raise CertificateRefused(
            "Khóa trong tệp PKCS#12 không phải loại RSA hoặc ECDSA, không dùng để ký được."
        )
    raw = serialization.PublicFormat.SubjectPublicKeyInfo
    der = serialization.Encoding.DER
    if key.public_key().public_bytes(der, raw) != certificate.public_key().public_bytes(der, raw):
        raise CertificateRefused("Khóa bí mật trong tệp PKCS#12 không khớp với chứng thư số.")
    check_usage(certificate)
    return KeyMaterial(key=key, certificate=certificate, chain=list(chain))


def check_usage(certificate: x509.Certificate, moment: datetime | None = None) -> None:
    """Refuse a certificate that cannot sign documents now.

    Raises:
        CertificateRefused: Expired, not yet valid, or its key usage excludes
            digital signatures.
    """
    moment = moment or datetime.now(UTC)
    info = describe(certificate)
    if moment > info.not_after:
        raise CertificateRefused(
            f"Chứng thư số «{info.common_name}» đã hết hạn từ "
            f"{info.not_after.astimezone(VIETNAM_TIME):%d/%m/%Y}."
        )
    if moment < info.not_before:
        raise CertificateRefused(
            f"Chứng thư số «{info.common_name}» chưa có hiệu lực (từ "
            f"{info.not_before.astimezone(VIETNAM_TIME):%d/%m/%Y})."
        )
    try:
        usage = certificate.extensions.get_extension_for_class(x509.KeyUsage).value
    except x509.ExtensionNotFound:
        return
    if not (usage.digital_signature or usage.content_commitment):
        raise CertificateRefused(
            f"Chứng thư số «{info.common_name}» không được phép dùng để ký số văn bản."
        )


def certificate_pem(certificate: x509.Certificate) -> bytes:
    return certificate.public_bytes(serialization.Encoding.PEM)


def load_certificates(data: bytes) -> list[x509.Certificate]:
    """Certificates from a PEM (one or more) or DER file.

    Raises:
        CertificateRefused: The bytes hold no certificate.
    """
    try:
        if b"-----BEGIN CERTIFICATE-----" in data:
            return x509.load_pem_x509_certificates(data)
        return [x509.load_der_x509_certificate(data)]
    except ValueError as exc:
        raise CertificateRefused("Tệp không chứa chứng thư số X.509 đọc được.") from exc
