"""The office's signed receipt for an imported package (``<package>.receipt``).

A small zip, read like a package::

    receipt.json     office, commune, the package's SHA-256 and number, what was accepted
    receipt.sig      detached CMS signature of receipt.json by the office's key
    certificate.pem  the office's signing certificate

The commune imports it (``xhht import-receipt``) and records which of its
packages the office accepted.
"""

from __future__ import annotations

import io
import json
import re
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from cryptography import x509

from xhht_desktop.core import certificates
from xhht_desktop.core.certificates import fingerprint_hex
from xhht_desktop.errors import CertificateRefused, PackageRefused
from xhht_desktop.exchange import signatures

if TYPE_CHECKING:
    from xhht_desktop.reports.signing import SigningIdentity

FORMAT = "xhht-receipt"
FORMAT_VERSION = 1
BODY = "receipt.json"
SIGNATURE = "receipt.sig"
CERTIFICATE = "certificate.pem"
SUFFIX = ".receipt"
MAX_MEMBER = 4 * 1024 * 1024
_HEX64 = re.compile(r"[0-9a-f]{64}")


@dataclass(frozen=True)
class Receipt:
    """What the office says it accepted.

    Attributes:
        office_code: The office's code (``P`` + province code).
        office_name: Its name.
        commune_code: The commune whose package it was.
        commune_name: Its name.
        sequence: The package's number.
        year: The package's reporting year.
        package_sha256: SHA-256 of the package file as received (lowercase hex).
        imported_at: When the office imported it (aware).
        summary: Per register: new, updated, deleted, unchanged, older, missing.
        warnings: What the office was warned about (gaps in the numbering…).
    """

    office_code: str
    office_name: str
    commune_code: str
    commune_name: str
    sequence: int
    year: int
    package_sha256: str
    imported_at: datetime
    summary: Mapping[str, Mapping[str, int]] = field(default_factory=dict)
    warnings: tuple[str, ...] = ()

    @property
    def accepted_records(self) -> int:
        """Records of the package the office now holds (new, updated, deleted, unchanged)."""
        return sum(
            counts.get(key, 0)
            for counts in self.summary.values()
            for key in ("new", "updated", "deleted", "unchanged")
        )

    def to_json(self) -> bytes:
        document = {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "office": {"code": self.office_code, "name": self.office_name},
            "commune": {"code": self.commune_code, "name": self.commune_name},
            "package": {
                "sha256": self.package_sha256,
                "sequence": self.sequence,
                "year": self.year,
            },
            "imported_at": self.imported_at.isoformat(),
            "summary": {k: dict(v) for k, v in self.summary.items()},
            "accepted_records": self.accepted_records,
            "warnings": list(self.warnings),
        }
        return json.dumps(document, ensure_ascii=False, indent=2, sort_keys=True).encode("utf-8")


def _text(document: Mapping[str, Any], key: str, limit: int = 200) -> str:
    value = document.get(key)
    if not isinstance(value, str) or len(value) > limit:
        raise ValueError(key)
    return value


def _number(document: Mapping[str, Any], key: str) -> int:
    value = document.get(key)
    if type(value) is not int or value < 0:
        raise ValueError(key)
    return value


def parse(data: bytes) -> Receipt:
    """Read ``receipt.json`` (after its signature is verified).

    Raises:
        PackageRefused: Not a receipt, or a field missing or wrong.
    """
    try:
        document = json.loads(data.decode("utf-8"))
        if not isinstance(document, dict) or document.get("format") != FORMAT:
            raise ValueError("format")
        if document.get("format_version") != FORMAT_VERSION:
            raise ValueError("version")
        office, commune, package = (document.get(k) for k in ("office", "commune", "package"))
        if not all(isinstance(part, dict) for part in (office, commune, package)):
            raise ValueError("parts")
        assert isinstance(office, dict) and isinstance(commune, dict)
        assert isinstance(package, dict)
        sha = _text(package, "sha256", 64)
        if not _HEX64.fullmatch(sha):
            raise ValueError("sha256")
        summary = document.get("summary")
        if not isinstance(summary, dict) or not all(
            isinstance(counts, dict) and all(type(v) is int for v in counts.values())
            for counts in summary.values()
        ):
            raise ValueError("summary")
        warnings = document.get("warnings")
        if not isinstance(warnings, list) or not all(isinstance(w, str) for w in warnings):
            raise ValueError("warnings")
        imported_at = datetime.fromisoformat(_text(document, "imported_at", 40))
        if imported_at.tzinfo is None:
            raise ValueError("imported_at")
        return Receipt(
            office_code=_text(office, "code", 10),
            office_name=_text(office, "name"),
            commune_code=_text(commune, "code", 10),
            commune_name=_text(commune, "name"),
            sequence=_number(package, "sequence"),
            year=_number(package, "year"),
            package_sha256=sha,
            imported_at=imported_at,
            summary=summary,
            warnings=tuple(warnings),
        )
    except (ValueError, UnicodeDecodeError, RecursionError) as exc:
        raise PackageRefused("Giấy biên nhận thiếu thông tin hoặc sai định dạng.") from exc


def build(receipt: Receipt, identity: SigningIdentity) -> bytes:
    """The receipt file: the body, its signature by ``identity`` and the certificate."""
    body = receipt.to_json()
    signature = signatures.sign(body, identity, now=receipt.imported_at)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(BODY, body)
        archive.writestr(SIGNATURE, signature)
        archive.writestr(CERTIFICATE, certificates.certificate_pem(identity.certificate))
    return buffer.getvalue()


@dataclass(frozen=True)
class VerifiedReceipt:
    """A receipt whose signature matched; whether its signer is trusted is the caller's question."""

    receipt: Receipt
    certificate: x509.Certificate

    @property
    def fingerprint(self) -> str:
        return fingerprint_hex(self.certificate)


def read(data: bytes) -> VerifiedReceipt:
    """Verify a receipt file and read it.

    Raises:
        PackageRefused: Not a receipt, damaged, or its signature does not match.
    """
    members: dict[str, bytes] = {}
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
            names = [info.filename for info in infos]
            if sorted(names) != sorted((BODY, SIGNATURE, CERTIFICATE)):
                raise PackageRefused("Tệp không phải giấy biên nhận XHHT (thiếu hoặc thừa tệp).")
            for info in infos:
                if info.file_size > MAX_MEMBER:
                    raise PackageRefused("Giấy biên nhận lớn bất thường; từ chối.")
                members[info.filename] = archive.read(info)
    except PackageRefused:
        raise
    except Exception as exc:
        # zipfile's many error types on a damaged file mean one thing here.
        raise PackageRefused(
            "Tệp không phải giấy biên nhận XHHT, hoặc đã bị hỏng, bị cắt cụt."
        ) from exc
    checked = signatures.verify(members[BODY], members[SIGNATURE], "giấy biên nhận")
    try:
        certificate = certificates.load_certificates(members[CERTIFICATE])[0]
    except CertificateRefused as exc:
        raise PackageRefused("Chứng thư số trong giấy biên nhận không đọc được.") from exc
    if fingerprint_hex(certificate) != fingerprint_hex(checked.certificate):
        raise PackageRefused("Chứng thư đi kèm giấy biên nhận không phải chứng thư đã ký.")
    return VerifiedReceipt(parse(members[BODY]), certificate)
