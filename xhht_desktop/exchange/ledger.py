"""The ledger of packages: trusted partners, their certificates, packages sent and received.

Queries and additions on the unit of work's session; the service commits.
Rows leave as plain dataclasses.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from cryptography import x509
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from xhht_desktop.core import certificates
from xhht_desktop.core.certificates import fingerprint_hex
from xhht_desktop.exchange.manifest import Source
from xhht_desktop.store.models import (
    ExchangeCertificate,
    ExchangeExport,
    ExchangeImport,
    ExchangePartner,
    utcnow,
)


def _utc(moment: datetime) -> datetime:
    # SQLite keeps the clock reading and drops the offset: store UTC only.
    return moment.astimezone(UTC) if moment.tzinfo is not None else moment


def _aware(moment: datetime | None) -> datetime | None:
    # SQLite returns naive values; the app stores UTC.
    if moment is None or moment.tzinfo is not None:
        return moment
    return moment.replace(tzinfo=UTC)


def _json(text: str, default: Any) -> Any:
    try:
        return json.loads(text) if text else default
    except ValueError:
        return default


@dataclass(frozen=True)
class Partner:
    """A trusted commune (at an office) or receiving office (at a commune)."""

    code: str
    role: str
    name: str
    province_name: str
    fingerprint: str
    encryption_fingerprint: str | None
    trusted_at: datetime
    trusted_by: str
    last_sequence: int
    last_imported_at: datetime | None
    settings: dict[str, Any]

    @property
    def fingerprint_groups(self) -> str:
        return " ".join(self.fingerprint[i : i + 4] for i in range(0, 64, 4))


def _partner(row: ExchangePartner) -> Partner:
    return Partner(
        code=row.code,
        role=row.role,
        name=row.name,
        province_name=row.province_name,
        fingerprint=row.fingerprint,
        encryption_fingerprint=row.encryption_fingerprint,
        trusted_at=_aware(row.trusted_at) or utcnow(),
        trusted_by=row.trusted_by,
        last_sequence=row.last_sequence,
        last_imported_at=_aware(row.last_imported_at),
        settings=_json(row.settings, {}),
    )


@dataclass(frozen=True)
class Received:
    """One package the office accepted (a ledger line)."""

    commune_code: str
    sequence: int
    year: int
    package_sha256: str
    signer_fingerprint: str
    created_at: datetime
    imported_at: datetime
    imported_by: str
    summary: dict[str, dict[str, int]]
    warnings: list[str]
    receipt: str
    # An office's package: [{"code", "name", "sequence"}] of each commune it carried.
    sources: list[dict[str, Any]] = field(default_factory=list)


def _received(row: ExchangeImport) -> Received:
    return Received(
        commune_code=row.partner_code,
        sequence=row.sequence,
        year=row.year,
        package_sha256=row.package_sha256,
        signer_fingerprint=row.signer_fingerprint,
        created_at=_aware(row.created_at) or utcnow(),
        imported_at=_aware(row.imported_at) or utcnow(),
        imported_by=row.imported_by,
        summary=_json(row.summary, {}),
        warnings=_json(row.warnings, []),
        receipt=row.receipt,
        sources=_json(row.sources, []),
    )


@dataclass(frozen=True)
class Sent:
    """One package this unit wrote, and the office's receipt for it if imported."""

    sequence: int
    year: int
    created_at: datetime
    status: str
    file_name: str
    package_sha256: str
    recipient_fingerprint: str | None
    counts: dict[str, int]
    receipt_imported_at: datetime | None
    receipt_accepted_at: datetime | None
    receipt_office: str
    receipt_fingerprint: str | None
    receipt_summary: dict[str, dict[str, int]]
    receipt_warnings: list[str]

    @property
    def accepted(self) -> bool:
        return self.receipt_accepted_at is not None


def _sent(row: ExchangeExport) -> Sent:
    return Sent(
        sequence=row.sequence,
        year=row.year,
        created_at=_aware(row.created_at) or utcnow(),
        status=row.status,
        file_name=row.file_name,
        package_sha256=row.package_sha256,
        recipient_fingerprint=row.recipient_fingerprint,
        counts=_json(row.counts, {}),
        receipt_imported_at=_aware(row.receipt_imported_at),
        receipt_accepted_at=_aware(row.receipt_accepted_at),
        receipt_office=row.receipt_office,
        receipt_fingerprint=row.receipt_fingerprint,
        receipt_summary=_json(row.receipt_summary, {}),
        receipt_warnings=_json(row.receipt_warnings, []),
    )


class Ledger:
    """Partners, certificates and package records in one session."""

    def __init__(self, session: Session) -> None:
        self.session = session

    # ------------------------------------------------------------- partners
    def partner(self, code: str) -> Partner | None:
        row = self.session.get(ExchangePartner, code)
        return _partner(row) if row is not None else None

    def partners(self, role: str | None = None) -> list[Partner]:
        query = select(ExchangePartner).order_by(ExchangePartner.code)
        if role is not None:
            query = query.where(ExchangePartner.role == role)
        return [_partner(row) for row in self.session.scalars(query)]

    def receiving_office(self) -> Partner | None:
        """The office trusted last: the one packages are encrypted for."""
        row = self.session.scalars(
            select(ExchangePartner)
            .where(ExchangePartner.role == "office")
            .order_by(ExchangePartner.trusted_at.desc())
            .limit(1)
        ).first()
        return _partner(row) if row is not None else None

    def trust(
        self,
        *,
        code: str,
        role: str,
        name: str,
        province_name: str,
        signing: x509.Certificate,
        encryption: x509.Certificate | None,
        actor: str,
    ) -> None:
        """Trust ``signing`` (and ``encryption``, if given) as a partner's current certificates."""
        now = utcnow()
        row = self.session.get(ExchangePartner, code)
        if row is None:
            row = ExchangePartner(code=code, role=role, last_sequence=0, settings="{}")
            self.session.add(row)
        row.role = role
        row.name = name
        row.province_name = province_name
        row.fingerprint = fingerprint_hex(signing)
        if encryption is not None:
            # Without a new one, an office keeps the encryption key it had.
            row.encryption_fingerprint = fingerprint_hex(encryption)
        row.trusted_at = now
        row.trusted_by = actor
        self.session.flush()
        for certificate, usage in ((signing, "signing"), (encryption, "encryption")):
            if certificate is None:
                continue
            fingerprint = fingerprint_hex(certificate)
            if self.session.get(ExchangeCertificate, fingerprint) is None:
                self.session.add(
                    ExchangeCertificate(
                        fingerprint=fingerprint,
                        partner_code=code,
                        usage=usage,
                        pem=certificates.certificate_pem(certificate).decode("ascii"),
                        trusted_at=now,
                        trusted_by=actor,
                    )
                )
        self.session.flush()

    def certificate(self, fingerprint: str) -> x509.Certificate | None:
        row = self.session.get(ExchangeCertificate, fingerprint)
        if row is None:
            return None
        return certificates.load_certificates(row.pem.encode("ascii"))[0]

    def signing_certificates(self) -> list[x509.Certificate]:
        """Every partner signing certificate ever trusted (reports they signed verify)."""
        rows = self.session.scalars(
            select(ExchangeCertificate.pem).where(ExchangeCertificate.usage == "signing")
        )
        return [certificates.load_certificates(pem.encode("ascii"))[0] for pem in rows]

    # ------------------------------------------------------------- received
    def received(self, commune_code: str | None = None) -> list[Received]:
        query = select(ExchangeImport).order_by(
            ExchangeImport.partner_code, ExchangeImport.sequence
        )
        if commune_code is not None:
            query = query.where(ExchangeImport.partner_code == commune_code)
        return [_received(row) for row in self.session.scalars(query)]

    def received_package(self, package_sha256: str) -> Received | None:
        row = self.session.scalars(
            select(ExchangeImport).where(ExchangeImport.package_sha256 == package_sha256)
        ).first()
        return _received(row) if row is not None else None

    def record_received(
        self,
        *,
        commune_code: str,
        sequence: int,
        year: int,
        package_sha256: str,
        signer_fingerprint: str,
        created_at: datetime,
        imported_at: datetime,
        actor: str,
        app_version: str,
        schema_revision: str,
        summary: dict[str, dict[str, int]],
        warnings: list[str],
        settings: dict[str, Any],
        receipt: str,
        sources: list[dict[str, Any]] | None = None,
    ) -> None:
        partner = self.session.get(ExchangePartner, commune_code)
        assert partner is not None, "trust the commune before recording its package"
        partner.last_sequence = sequence
        partner.last_imported_at = _utc(imported_at)
        partner.settings = json.dumps(settings, ensure_ascii=False, sort_keys=True)
        self.session.add(
            ExchangeImport(
                partner_code=commune_code,
                sequence=sequence,
                year=year,
                package_sha256=package_sha256,
                signer_fingerprint=signer_fingerprint,
                created_at=_utc(created_at),
                imported_at=_utc(imported_at),
                imported_by=actor,
                app_version=app_version,
                schema_revision=schema_revision,
                summary=json.dumps(summary, sort_keys=True),
                warnings=json.dumps(warnings, ensure_ascii=False),
                receipt=receipt,
                sources=json.dumps(sources or [], ensure_ascii=False, sort_keys=True),
            )
        )
        self.session.flush()

    def record_source(
        self,
        source: Source,
        *,
        certificate: x509.Certificate | None,
        imported_at: datetime,
        actor: str,
    ) -> None:
        """Move a commune's ledger on for its data received through an office's package.

        A commune not known here is trusted with the certificate the office
        vouches for (its next package sent directly is then checked against
        it); a known one keeps its own trust. Its high-water mark only rises:
        a package of it numbered at or below what the office carried is
        refused later as a replay, and older data never comes back.
        """
        row = self.session.get(ExchangePartner, source.code)
        if row is None:
            if certificate is None:
                return  # records only (no ledger line): nothing to vouch for
            self.trust(
                code=source.code,
                role=source.role,
                name=source.name,
                province_name="",
                signing=certificate,
                encryption=None,
                actor=actor,
            )
            row = self.session.get(ExchangePartner, source.code)
            assert row is not None
            row.last_sequence = 0
        if row.role != source.role:
            return
        if source.sequence > row.last_sequence:
            row.last_sequence = source.sequence
            row.last_imported_at = _utc(imported_at)
            row.settings = json.dumps(dict(source.settings), ensure_ascii=False, sort_keys=True)
        self.session.flush()

    # ----------------------------------------------------------------- sent
    def reserve_sequence(self, owner_code: str, year: int, file_name: str) -> int:
        """Take the next package number of ``owner_code`` (a row marked "writing")."""
        last = self.session.scalar(
            select(func.max(ExchangeExport.sequence)).where(ExchangeExport.owner_code == owner_code)
        )
        sequence = int(last or 0) + 1
        self.session.add(
            ExchangeExport(
                owner_code=owner_code,
                sequence=sequence,
                year=year,
                status="writing",
                file_name=file_name[-260:],
                counts="{}",
            )
        )
        self.session.flush()
        return sequence

    def _export(self, owner_code: str, sequence: int) -> ExchangeExport | None:
        return self.session.scalars(
            select(ExchangeExport).where(
                ExchangeExport.owner_code == owner_code, ExchangeExport.sequence == sequence
            )
        ).first()

    def release_sequence(self, owner_code: str, sequence: int) -> None:
        """Give back a number whose file could not be written."""
        row = self._export(owner_code, sequence)
        if row is not None and row.status == "writing":
            self.session.delete(row)
            self.session.flush()

    def record_sent(
        self,
        owner_code: str,
        sequence: int,
        *,
        created_at: datetime,
        package_sha256: str,
        recipient_fingerprint: str | None,
        counts: dict[str, int],
    ) -> None:
        row = self._export(owner_code, sequence)
        assert row is not None, "reserve the number first"
        row.status = "written"
        row.created_at = _utc(created_at)
        row.package_sha256 = package_sha256
        row.recipient_fingerprint = recipient_fingerprint
        row.counts = json.dumps(counts, sort_keys=True)
        self.session.flush()

    def sent(self, owner_code: str) -> list[Sent]:
        query = (
            select(ExchangeExport)
            .where(ExchangeExport.owner_code == owner_code)
            .order_by(ExchangeExport.sequence)
        )
        return [_sent(row) for row in self.session.scalars(query)]

    def sent_package(self, owner_code: str, package_sha256: str) -> ExchangeExport | None:
        return self.session.scalars(
            select(ExchangeExport).where(
                ExchangeExport.owner_code == owner_code,
                ExchangeExport.package_sha256 == package_sha256,
            )
        ).first()
