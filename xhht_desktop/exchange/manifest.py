"""The manifest of a package: who made it, when, what it holds, and the hash of each member.

``manifest.json`` is the only member read before the signature is checked;
it is signed as bytes (``manifest.sig``), so its exact text matters and is
parsed only after the signature over it has been verified. Reading is strict:
an unknown format, a missing field or a value of the wrong type refuses the
package.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from xhht_desktop.errors import PackageRefused

FORMAT = "xhht-package"
FORMAT_VERSION = 1
_HEX64 = re.compile(r"[0-9a-f]{64}")
_FINGERPRINT = re.compile(r"[0-9A-F]{64}")  # as fingerprint_hex writes it


@dataclass(frozen=True)
class MemberDigest:
    """The SHA-256 (lowercase hex) and size in bytes of one member."""

    sha256: str
    size: int


@dataclass(frozen=True)
class Source:
    """A unit whose records an office's package carries, and where they came from.

    Attributes:
        code: The commune's (or lower office's) code, as its records carry it.
        name: Its name.
        sequence: The number of its own package the office last imported
            (``0``: its records did not come in a package).
        fingerprint: Its signing certificate's fingerprint as the office
            trusts it (64 hex digits), or ``""``.
        certificate: That certificate (PEM), or ``""``.
        role: ``"commune"``, or ``"sub_office"`` for an office further down.
        settings: Its settings that change what its figures mean.
    """

    code: str
    name: str
    sequence: int
    fingerprint: str = ""
    certificate: str = ""
    role: str = "commune"
    settings: Mapping[str, Any] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "name": self.name,
            "sequence": self.sequence,
            "fingerprint": self.fingerprint,
            "certificate": self.certificate,
            "role": self.role,
            "settings": dict(self.settings),
        }


def _source(entry: Any) -> Source:
    if not isinstance(entry, dict):
        raise ValueError("sources")
    code = _field(entry, "code", str, 10)
    sequence = _field(entry, "sequence", int)
    fingerprint = _field(entry, "fingerprint", str, 64)
    role = _field(entry, "role", str, 12)
    settings = entry.get("settings")
    if (
        not code
        or sequence < 0
        or (fingerprint and not _FINGERPRINT.fullmatch(fingerprint))
        or role not in ("commune", "sub_office")
        or not isinstance(settings, dict)
    ):
        raise ValueError("sources")
    return Source(
        code=code,
        name=_field(entry, "name", str),
        sequence=sequence,
        fingerprint=fingerprint,
        certificate=_field(entry, "certificate", str, 20000),
        role=role,
        settings=settings,
    )


@dataclass(frozen=True)
class Manifest:
    """What ``manifest.json`` says.

    Attributes:
        app_version: The version of XHHT Desktop that wrote the package.
        schema_revision: The database schema (Alembic revision) of the data.
        commune_code: The commune that owns every record of the package.
        commune_name: Its name, e.g. "Xã Đức An".
        province_code: Its province's code.
        province_name: Its province's name.
        year: The reporting year the package was made for.
        sequence: The commune's package number, 1, 2, 3… (never reused).
        created_at: When it was made (aware).
        counts: Records per register, tombstones included.
        members: Every other member's digest except ``manifest.sig``.
        format_version: The package format (this module writes 1).
        sources: For an office's package (one level up): every commune (or
            lower office) whose records it carries, with the number of the
            package they came from; empty for a commune's package. The
            sender (``commune_code``/``commune_name``) is then the office.
    """

    app_version: str
    schema_revision: str
    commune_code: str
    commune_name: str
    province_code: str
    province_name: str
    year: int
    sequence: int
    created_at: datetime
    counts: Mapping[str, int]
    members: Mapping[str, MemberDigest] = field(default_factory=dict)
    format_version: int = FORMAT_VERSION
    sources: tuple[Source, ...] = ()
    sender_role: str = "commune"

    @property
    def from_office(self) -> bool:
        """Whether an office sent this package (it carries its communes' records)."""
        return self.sender_role == "office"

    def to_json(self) -> bytes:
        document = {
            "format": FORMAT,
            "format_version": self.format_version,
            "app_version": self.app_version,
            "schema_revision": self.schema_revision,
            "commune": {
                "code": self.commune_code,
                "name": self.commune_name,
                "province_code": self.province_code,
                "province_name": self.province_name,
            },
            "year": self.year,
            "sequence": self.sequence,
            "created_at": self.created_at.isoformat(),
            "counts": dict(self.counts),
            "members": {
                name: {"sha256": digest.sha256, "size": digest.size}
                for name, digest in sorted(self.members.items())
            },
        }
        if self.from_office:
            # Only in an office's package: a commune's manifest stays as it was.
            document["sender_role"] = self.sender_role
            document["sources"] = [source.as_json() for source in self.sources]
        return json.dumps(document, ensure_ascii=False, indent=2, sort_keys=True).encode("utf-8")


def _field(document: Mapping[str, Any], key: str, kind: type, limit: int = 200) -> Any:
    value = document.get(key)
    # bool is an int in Python; a manifest's numbers never are booleans.
    if type(value) is not kind or (kind is str and len(value) > limit):
        raise ValueError(key)
    return value


def parse(data: bytes) -> Manifest:
    """Read a manifest (after its signature has been verified).

    Raises:
        PackageRefused: Not a package manifest, a newer format, or a field
            missing or of the wrong type.
    """
    try:
        document = json.loads(data.decode("utf-8"))
        if not isinstance(document, dict) or document.get("format") != FORMAT:
            raise PackageRefused("Tệp không phải gói dữ liệu XHHT (danh mục không đúng định dạng).")
        version = _field(document, "format_version", int)
        if version > FORMAT_VERSION or version < 1:
            raise PackageRefused(
                f"Gói dữ liệu theo định dạng phiên bản {version}, mới hơn phiên bản ứng dụng "
                "này đọc được. Hãy cập nhật XHHT Desktop rồi nhập lại."
            )
        commune = document.get("commune")
        if not isinstance(commune, dict):
            raise ValueError("commune")
        counts = document.get("counts")
        if not isinstance(counts, dict) or not all(
            isinstance(k, str) and type(v) is int and v >= 0 for k, v in counts.items()
        ):
            raise ValueError("counts")
        members_raw = document.get("members")
        if not isinstance(members_raw, dict):
            raise ValueError("members")
        members = {}
        for name, entry in members_raw.items():
            if not isinstance(entry, dict):
                raise ValueError("members")
            sha = _field(entry, "sha256", str)
            size = _field(entry, "size", int)
            if not _HEX64.fullmatch(sha) or size < 0:
                raise ValueError("members")
            members[name] = MemberDigest(sha, size)
        created_at = datetime.fromisoformat(_field(document, "created_at", str, 40))
        if created_at.tzinfo is None:
            raise ValueError("created_at")
        sequence = _field(document, "sequence", int)
        year = _field(document, "year", int)
        if sequence < 1 or not 1900 <= year <= 9999:
            raise ValueError("sequence")
        if not _field(commune, "code", str, 10):
            raise ValueError("code")
        sources_raw = document.get("sources", [])
        if not isinstance(sources_raw, list) or len(sources_raw) > 10000:
            raise ValueError("sources")
        sources = tuple(_source(entry) for entry in sources_raw)
        if len({s.code for s in sources}) != len(sources):
            raise ValueError("sources")
        sender_role = document.get("sender_role", "commune")
        if sender_role not in ("commune", "office") or (sources and sender_role != "office"):
            raise ValueError("sender_role")
        return Manifest(
            app_version=_field(document, "app_version", str, 32),
            schema_revision=_field(document, "schema_revision", str, 32),
            commune_code=_field(commune, "code", str, 10),
            commune_name=_field(commune, "name", str),
            province_code=_field(commune, "province_code", str, 10),
            province_name=_field(commune, "province_name", str),
            year=year,
            sequence=sequence,
            created_at=created_at,
            counts=counts,
            members=members,
            format_version=version,
            sources=sources,
            sender_role=sender_role,
        )
    except (ValueError, UnicodeDecodeError, RecursionError) as exc:
        raise PackageRefused(
            "Danh mục của gói (manifest.json) thiếu thông tin hoặc sai định dạng; gói không "
            "dùng được."
        ) from exc
