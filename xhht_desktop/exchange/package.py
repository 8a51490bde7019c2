"""The ``.xhht`` package: build it, and read it back only once every byte is verified.

A package is a zip holding::

    manifest.json            who, when, what (see manifest.py), SHA-256 of every other member
    manifest.sig             detached CMS signature of manifest.json by the commune's key
    certificate.pem          the signer's certificate
    data/<register>.jsonl    every record of each register, tombstones included (records.py)
    data/settings.jsonl      the settings that change what the figures mean
    reports/<file>           signed reports of the period, when the commune adds them

and the whole zip may then be encrypted for the receiving office
(crypto.py). :func:`read` opens the zip, checks the signature over the
manifest's bytes and that the certificate is the signer's, then checks that
the members are exactly those the manifest lists, with their sizes and
hashes; only then does anyone parse a record.
"""

from __future__ import annotations

import hashlib
import io
import re
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import datetime
from typing import TYPE_CHECKING

from cryptography import x509

from xhht_desktop.core import certificates
from xhht_desktop.core.certificates import fingerprint_hex
from xhht_desktop.errors import CertificateRefused, PackageRefused
from xhht_desktop.exchange import signatures
from xhht_desktop.exchange.manifest import Manifest, MemberDigest, parse

if TYPE_CHECKING:
    from xhht_desktop.reports.signing import SigningIdentity

MANIFEST = "manifest.json"
SIGNATURE = "manifest.sig"
CERTIFICATE = "certificate.pem"
SUFFIX = ".xhht"

MAX_MEMBERS = 1000
MAX_SMALL = 4 * 1024 * 1024  # manifest, signature, certificate
MAX_MEMBER = 1024 * 1024 * 1024
MAX_TOTAL = 2 * 1024 * 1024 * 1024

_DATA = re.compile(r"data/[a-z_]{1,40}\.jsonl")
_REPORT = re.compile(r"reports/[^/\\\x00-\x1f\x7f]{1,200}")


def member_name_allowed(name: str) -> bool:
    """Whether a package may hold a member of this name (no folders, no path tricks)."""
    if name in (MANIFEST, SIGNATURE, CERTIFICATE) or _DATA.fullmatch(name):
        return True
    return bool(_REPORT.fullmatch(name)) and not name[len("reports/") :].startswith(".")


def report_member(file_name: str) -> str:
    """The member name of a report file (its base name under ``reports/``)."""
    name = f"reports/{file_name}"
    if not member_name_allowed(name):
        raise PackageRefused(f"Tên tệp báo cáo «{file_name}» không dùng được trong gói.")
    return name


def build(manifest: Manifest, members: Mapping[str, bytes], identity: SigningIdentity) -> bytes:
    """The zip of a package: ``members`` plus the certificate, the manifest and its signature.

    Args:
        manifest: Everything but ``members``, which this fills in.
        members: Data and report files by member name.
        identity: The commune's signing identity.
    """
    content = dict(members)
    content[CERTIFICATE] = certificates.certificate_pem(identity.certificate)
    for name in content:
        if not member_name_allowed(name) or name in (MANIFEST, SIGNATURE):
            raise ValueError(f"not a package member name: {name!r}")
    digests = {
        name: MemberDigest(hashlib.sha256(data).hexdigest(), len(data))
        for name, data in content.items()
    }
    manifest = replace(manifest, members=digests)
    manifest_bytes = manifest.to_json()
    signature = signatures.sign(manifest_bytes, identity, now=manifest.created_at)
    stamp = manifest.created_at.timetuple()[:6]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as archive:
        ordered = [(MANIFEST, manifest_bytes), (SIGNATURE, signature)]
        ordered += sorted(content.items())
        for name, data in ordered:
            info = zipfile.ZipInfo(name, date_time=stamp)  # type: ignore[arg-type]
            # An empty member is stored as nothing at all: a deflate stream
            # of it would be bytes that no reader looks at.
            info.compress_type = zipfile.ZIP_DEFLATED if data else zipfile.ZIP_STORED
            archive.writestr(info, data)
    return buffer.getvalue()


@dataclass(frozen=True)
class VerifiedPackage:
    """A package whose signature and every member hash have been checked.

    Attributes:
        manifest: The signed manifest.
        certificate: The signer's certificate (not yet judged trusted).
        signed_at: The signing time the commune's machine recorded.
        members: Every member but the manifest and its signature, by name.
    """

    manifest: Manifest
    certificate: x509.Certificate
    signed_at: datetime | None
    members: Mapping[str, bytes]

    @property
    def fingerprint(self) -> str:
        """The signer's certificate fingerprint (64 hex digits)."""
        return fingerprint_hex(self.certificate)

    @property
    def reports(self) -> dict[str, bytes]:
        """The report files, by file name."""
        return {
            name.split("/", 1)[1]: data
            for name, data in self.members.items()
            if name.startswith("reports/")
        }


_NOT_A_PACKAGE = (
    "Tệp không phải gói dữ liệu XHHT, hoặc đã bị hỏng, bị cắt cụt khi chép (không đọc được "
    "cấu trúc gói)."
)


def _read_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo, limit: int) -> bytes:
    if info.file_size > limit:
        raise PackageRefused(f"Tệp «{info.filename}» trong gói lớn bất thường; gói bị từ chối.")
    try:
        with archive.open(info) as handle:
            data = handle.read(limit + 1)
    except Exception as exc:
        # zipfile raises BadZipFile, zlib.error, EOFError, NotImplementedError,
        # RuntimeError… on damaged members; for the official they are one case.
        raise PackageRefused(
            f"Tệp «{info.filename}» trong gói bị hỏng (không giải nén được hoặc sai mã kiểm "
            "tra CRC); gói có thể đã bị sửa đổi hoặc chép lỗi."
        ) from exc
    if len(data) != info.file_size:
        raise PackageRefused(f"Tệp «{info.filename}» trong gói bị cắt cụt.")
    return data


def _open(data: bytes) -> tuple[zipfile.ZipFile, dict[str, zipfile.ZipInfo]]:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except Exception as exc:
        # A truncated or foreign file fails here in many ways (BadZipFile,
        # OSError, ValueError, struct errors, UnicodeDecodeError of a name…).
        raise PackageRefused(_NOT_A_PACKAGE) from exc
    if len(infos) > MAX_MEMBERS:
        raise PackageRefused("Gói có quá nhiều tệp; không phải gói dữ liệu XHHT hợp lệ.")
    named: dict[str, zipfile.ZipInfo] = {}
    for info in infos:
        if info.filename in named:
            raise PackageRefused(
                f"Gói có hai tệp cùng tên «{info.filename}»: gói đã bị can thiệp; từ chối."
            )
        if not member_name_allowed(info.filename):
            raise PackageRefused(
                f"Gói có tệp lạ «{info.filename[:80]}» không thuộc định dạng gói; từ chối."
            )
        named[info.filename] = info
    for required in (MANIFEST, SIGNATURE, CERTIFICATE):
        if required not in named:
            raise PackageRefused(f"Gói thiếu tệp «{required}»: không phải gói hợp lệ.")
    return archive, named


def read(data: bytes) -> VerifiedPackage:
    """Verify a package (already decrypted) completely and return its members.

    Raises:
        PackageRefused: Not a package, damaged or truncated, signature not
            matching, a member missing, added, changed or of another size.
    """
    archive, named = _open(data)
    with archive:
        manifest_bytes = _read_member(archive, named[MANIFEST], MAX_SMALL)
        signature = _read_member(archive, named[SIGNATURE], MAX_SMALL)
        certificate_pem = _read_member(archive, named[CERTIFICATE], MAX_SMALL)
        checked = signatures.verify(manifest_bytes, signature, "danh mục của gói")
        try:
            certificate = certificates.load_certificates(certificate_pem)[0]
        except CertificateRefused as exc:
            raise PackageRefused("Chứng thư số trong gói không đọc được.") from exc
        if fingerprint_hex(certificate) != fingerprint_hex(checked.certificate):
            raise PackageRefused(
                "Chứng thư số đi kèm gói không phải chứng thư đã ký gói; gói bị từ chối."
            )
        manifest = parse(manifest_bytes)
        listed = set(manifest.members)
        present = set(named) - {MANIFEST, SIGNATURE}
        if present - listed:
            extra = ", ".join(sorted(present - listed))
            raise PackageRefused(
                f"Gói có tệp không ghi trong danh mục đã ký ({extra}): gói đã bị thêm tệp; từ chối."
            )
        if listed - present:
            missing = ", ".join(sorted(listed - present)[:5])
            raise PackageRefused(
                f"Gói thiếu tệp ghi trong danh mục đã ký ({missing}): gói đã bị xóa bớt tệp "
                "hoặc chép thiếu; từ chối."
            )
        if sum(d.size for d in manifest.members.values()) > MAX_TOTAL:
            raise PackageRefused("Gói dữ liệu quá lớn (trên 2 GB); từ chối.")
        members = {}
        for name in sorted(listed):
            digest = manifest.members[name]
            info = named[name]
            if info.file_size != digest.size:
                raise PackageRefused(
                    f"Tệp «{name}» trong gói có kích thước khác với danh mục đã ký: đã bị sửa "
                    "đổi; từ chối."
                )
            content = _read_member(archive, info, min(digest.size, MAX_MEMBER))
            if hashlib.sha256(content).hexdigest() != digest.sha256:
                raise PackageRefused(
                    f"Tệp «{name}» trong gói không khớp mã băm SHA-256 trong danh mục đã ký: "
                    "nội dung đã bị sửa đổi; từ chối."
                )
            members[name] = content
    return VerifiedPackage(manifest, certificate, checked.signed_at, members)
