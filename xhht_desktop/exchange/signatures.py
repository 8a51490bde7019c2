"""Detached CMS signatures over bytes: the manifest of a package, the body of a receipt.

The same standard signature the reports use (RFC 5652 ``SignedData``, SHA-256,
the signer's certificate and signing time as signed attributes), made and
checked by pyHanko, so that ``openssl cms -verify -binary -inform DER
-content manifest.json -in manifest.sig -noverify`` reads it too. Whether the
signer is trusted is not decided here: the caller compares the certificate
with the one it trusts for that commune (or office).
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from asn1crypto import cms
from cryptography import x509
from pyhanko.sign.general import extract_certificate_info
from pyhanko.sign.signers.pdf_cms import PdfCMSSignedAttributes
from pyhanko.sign.validation.generic_cms import async_validate_detached_cms
from pyhanko.sign.validation.settings import KeyUsageConstraints
from pyhanko_certvalidator import ValidationContext

from xhht_desktop.errors import PackageRefused

if TYPE_CHECKING:
    from xhht_desktop.reports.signing import SigningIdentity

DIGEST = "sha256"
_USAGE = KeyUsageConstraints(key_usage={"digital_signature", "non_repudiation"})


@dataclass(frozen=True)
class CheckedSignature:
    """A signature whose value matched the signed bytes.

    Attributes:
        certificate: The signer's certificate, as the signature carries it.
        signed_at: The signing time the signer's machine recorded (UTC).
    """

    certificate: x509.Certificate
    signed_at: datetime | None


def sign(data: bytes, identity: SigningIdentity, *, now: datetime | None = None) -> bytes:
    """A DER-encoded detached CMS signature of ``data`` by ``identity``."""
    moment = (now or datetime.now(UTC)).astimezone(UTC)
    content = asyncio.run(
        identity.signer.async_sign_general_data(
            data,
            DIGEST,
            detached=True,
            signed_attr_settings=PdfCMSSignedAttributes(signing_time=moment),
        )
    )
    return bytes(content.dump())


def verify(data: bytes, signature: bytes, what: str) -> CheckedSignature:
    """Check that ``signature`` is a valid detached CMS signature of ``data``.

    Args:
        data: The signed bytes.
        signature: The DER ``ContentInfo`` holding ``SignedData``.
        what: What was signed, for the message ("danh mục của gói").

    Raises:
        PackageRefused: The signature cannot be read, or it does not match
            ``data`` (the bytes were changed after signing).
    """
    try:
        content = cms.ContentInfo.load(signature, strict=True)
        if content["content_type"].native != "signed_data":
            raise ValueError("not SignedData")
        signed_data = content["content"]
        signer = extract_certificate_info(signed_data).signer_cert
        certificate = x509.load_der_x509_certificate(signer.dump())
        # Only whether the bytes match the signature is decided here: the
        # signer's own certificate stands as the trust root (so that path
        # building has nothing to complain about), never the network.
        status = asyncio.run(
            async_validate_detached_cms(
                data,
                signed_data,
                signer_validation_context=ValidationContext(
                    trust_roots=[signer], allow_fetching=False, revocation_mode="soft-fail"
                ),
                key_usage_settings=_USAGE,
            )
        )
    except Exception as exc:
        # asn1crypto and pyHanko raise many kinds of error on damaged input;
        # every one of them means the same thing to the official.
        raise PackageRefused(
            f"Chữ ký số của {what} bị hỏng hoặc không phải chữ ký CMS; gói không dùng được."
        ) from exc
    if not (status.intact and status.valid):
        raise PackageRefused(f"Chữ ký số không khớp với {what}: nội dung đã bị sửa đổi sau khi ký.")
    signed_at = status.signer_reported_dt
    return CheckedSignature(
        certificate, signed_at.astimezone(UTC) if signed_at is not None else None
    )
