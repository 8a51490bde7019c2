"""USB handover use cases: export a package, verify it, import it at the office, receipts.

A commune exports all of its registers as one signed package
(:meth:`ExchangeService.export_package`), encrypted for the receiving office
when the office's certificate is known (:meth:`trust_certificate`). The
office opens it (:meth:`open_package`: decrypt, verify the signature and
every hash, check the sender and the ledger, read and check the records,
compute what would change), then applies it in one transaction
(:meth:`apply`) and writes a signed receipt next to the package, which the
commune imports (:meth:`import_receipt`).

Every refusal is a :class:`~xhht_desktop.errors.PackageRefused` with a
Vietnamese message, raised before anything is written.
"""

from __future__ import annotations

import errno
import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cryptography import x509
from sqlalchemy import func, select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from xhht_desktop import __version__
from xhht_desktop.core import admin_units, certificates
from xhht_desktop.core.certificates import (
    VIETNAM_TIME,
    CertificateInfo,
    fingerprint_hex,
    normalize_fingerprint,
)
from xhht_desktop.errors import (
    CertificateRefused,
    PackageRefused,
    PackageWriteFailed,
    SenderNotTrusted,
)
from xhht_desktop.exchange import crypto, merge, package, receipt, records, upgrades
from xhht_desktop.exchange.keys import CertificateBundle, KeyRing, check_issued, load_bundle
from xhht_desktop.exchange.ledger import Ledger, Partner, Received, Sent
from xhht_desktop.exchange.manifest import Manifest, Source
from xhht_desktop.exchange.merge import EntityChanges, MergePlan
from xhht_desktop.exchange.package import VerifiedPackage
from xhht_desktop.exchange.receipt import Receipt
from xhht_desktop.exchange.records import ENTITIES, SETTING_KEYS, SETTINGS_MEMBER
from xhht_desktop.store import app_settings, migrate
from xhht_desktop.store.files import write_atomically
from xhht_desktop.store.models import AuditEntry, Household, Person, Village, utcnow

if TYPE_CHECKING:
    from xhht_desktop.context import AppContext
    from xhht_desktop.reports.signing import SigningIdentity
    from xhht_desktop.services.setup import InstallationInfo

SIGNING_ROLES = frozenset({"approver", "admin"})
RECEIVED_DIR = "received"
AUDIT_ENTITY = "exchange"
Record = dict[str, Any]


def groups(hex_digits: str) -> str:
    """A 64-digit fingerprint in groups of four, as printed on signed reports."""
    return " ".join(hex_digits[i : i + 4] for i in range(0, len(hex_digits), 4))


def receipt_path(package_file: Path) -> Path:
    """Where the office writes the receipt of ``package_file``: beside it, ``.receipt`` added."""
    package_file = Path(package_file)
    return package_file.with_name(package_file.name + receipt.SUFFIX)


def _write_reason(exc: OSError) -> str:
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return "USB hoặc ổ đĩa đã đầy"
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return "không có quyền ghi vào thư mục này (USB có thể đang khóa chống ghi)"
    if exc.errno in (errno.ENOENT, errno.ENODEV, errno.EIO, errno.ENXIO):
        return "USB đã bị rút ra hoặc bị lỗi khi ghi"
    return exc.strerror or str(exc)


def _signing_certificate(data: bytes) -> x509.Certificate:
    """The signing certificate in a commune's file: a plain certificate or an export-cert bundle.

    In a bundle the signing certificate is the one that issued another
    certificate of the file (the encryption certificate comes first).
    """
    found = certificates.load_certificates(data)
    issuers = {c.issuer for c in found if c.issuer != c.subject}
    return next((c for c in found if c.subject in issuers), found[0])


def _sender_role(manifest: Manifest) -> str:
    """The ledger role of a package's sender: a commune, or an office one level down."""
    return "sub_office" if manifest.from_office else "commune"


def _source_certificate(source: Source) -> x509.Certificate | None:
    """The certificate an office's package vouches for one of its communes, checked.

    Raises:
        PackageRefused: It cannot be read or is not the one its fingerprint names.
    """
    if not source.certificate:
        return None
    try:
        certificate = certificates.load_certificates(source.certificate.encode("ascii"))[0]
    except (CertificateRefused, UnicodeEncodeError) as exc:
        raise PackageRefused(
            f"Chứng thư của {source.name} (mã {source.code}) ghi trong danh mục gói không đọc "
            "được; gói bị từ chối."
        ) from exc
    if fingerprint_hex(certificate) != source.fingerprint:
        raise PackageRefused(
            f"Chứng thư của {source.name} (mã {source.code}) ghi trong danh mục gói không khớp "
            "vân tay đi kèm; gói bị từ chối."
        )
    return certificate


def _read_file(path: Path, what: str) -> bytes:
    try:
        return Path(path).read_bytes()
    except OSError as exc:
        raise PackageRefused(
            f"Không đọc được {what} «{path}»: {_write_reason(exc)}. Hãy cắm lại USB rồi thử lại."
        ) from exc


@dataclass(frozen=True)
class ExportResult:
    """A package written to its file and read back.

    Attributes:
        path: The package file.
        sequence: Its number among the commune's packages.
        year: The reporting year.
        package_sha256: SHA-256 of the file (what the office's receipt names).
        size: Its size in bytes.
        counts: Records per register, tombstones included.
        recipient: The office it is encrypted for (name), or ``None`` when
            it is not encrypted.
        recipient_fingerprint: That office's encryption certificate fingerprint.
        warnings: What the official should know (e.g. not encrypted).
    """

    path: Path
    sequence: int
    year: int
    package_sha256: str
    size: int
    counts: dict[str, int]
    recipient: str | None
    recipient_fingerprint: str | None
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class PackageCheck:
    """A package verified completely (its data was not applied anywhere).

    Attributes:
        path: The file.
        package_sha256: SHA-256 of the file.
        encrypted: Whether the file was encrypted.
        manifest: What the signed manifest says.
        signer: The signer's certificate, described (fingerprint included).
        signed_at: The signing time the commune's machine recorded.
        trusted: Whether this database trusts the signer for that commune.
        trust_note: One sentence on the trust, in Vietnamese.
        reports: The report files the package carries.
    """

    path: Path
    package_sha256: str
    encrypted: bool
    manifest: Manifest
    signer: CertificateInfo
    signed_at: datetime | None
    trusted: bool
    trust_note: str
    reports: tuple[str, ...] = ()


@dataclass
class IncomingPackage:
    """A package verified and read at the office, with what it would change.

    ``changes`` is the preview; :meth:`ExchangeService.apply` recomputes it
    inside its transaction.
    """

    check: PackageCheck
    records: dict[str, list[Record]]
    settings: dict[str, object]
    changes: list[EntityChanges]
    warnings: list[str]
    first_time: bool
    new_key: bool
    certificate: x509.Certificate
    reports: dict[str, bytes] = field(default_factory=dict)

    @property
    def manifest(self) -> Manifest:
        return self.check.manifest


@dataclass(frozen=True)
class ImportResult:
    """What an import did.

    Attributes:
        check: The verified package.
        changes: Per register: new, updated, deleted, unchanged, older, missing.
        warnings: Gaps in the numbering, a first or changed certificate…
        applied: False for a dry run.
        receipt: The receipt file written, or ``None``.
        receipt_problem: Why no receipt could be written (the import stands).
        reports_folder: Where the package's report files were saved.
    """

    check: PackageCheck
    changes: tuple[EntityChanges, ...]
    warnings: tuple[str, ...]
    applied: bool
    receipt: Path | None = None
    receipt_problem: str | None = None
    reports_folder: Path | None = None


@dataclass(frozen=True)
class _Written:
    sha256: str
    manifest: Manifest
    size: int


class ExchangeService:
    def __init__(self, context: AppContext) -> None:
        self.context = context

    # ------------------------------------------------------------- helpers
    def _installation(self) -> InstallationInfo:
        return self.context.setup.require()

    def _require_signer(self, action: str = "sign") -> None:
        # Every action here signs (a package, a receipt) or trusts a key.
        self.context.require(action)

    @property
    def keyring(self) -> KeyRing:
        """This unit's encryption keys (beside its signing key)."""
        return KeyRing(self.context.signing.folder)

    def _audit(self, session: Session, action: str, record_id: str, value: str) -> None:
        session.add(
            AuditEntry(
                actor=self.context.actor.name,
                action=action,
                entity=AUDIT_ENTITY,
                record_id=record_id[:36],
                field=None,
                old_value=None,
                new_value=value,
            )
        )

    # ---------------------------------------------------------- certificates
    def encryption_certificate(self, identity: SigningIdentity, password: str) -> x509.Certificate:
        """This unit's encryption certificate, issued by ``identity`` when there is none yet.

        A new one is also made when the signing certificate changed (the
        old keys stay, so older packages still open).
        """
        current = self.keyring.current(identity.certificate)
        if current is None:
            try:
                current = self.keyring.create(identity, password)
            except OSError as exc:
                raise CertificateRefused(
                    f"Không ghi được khóa mã hóa vào thư mục khóa: {exc.strerror or exc}"
                ) from exc
        return current

    def export_certificate(self, out: Path, password: str) -> CertificateBundle:
        """Write this unit's certificate file for its partners (``xhht export-cert``).

        The file holds the encryption certificate and the signing certificate
        that issued it; communes import it once (:meth:`trust_certificate`).

        Raises:
            NoCertificate: The unit has no signing key yet.
            KeyPasswordWrong: ``password`` does not open it.
            PackageWriteFailed: The file cannot be written.
        """
        self._require_signer()
        identity = self.context.signing.load_identity(password)
        try:
            certificates.check_usage(identity.certificate)
            bundle = CertificateBundle(
                identity.certificate, self.encryption_certificate(identity, password)
            )
        finally:
            identity.close()
        data = bundle.pem()
        self._write(Path(out), data, "tệp chứng thư")
        return bundle

    def trust_certificate(self, file: Path) -> Partner:
        """Trust a partner's certificate file, after the official compared its fingerprint.

        At a commune: the receiving office's file from ``xhht export-cert``
        (packages are then encrypted for it). At an office: a commune's
        certificate, ahead of its first package.

        Raises:
            CertificateRefused: The file holds no usable certificate.
        """
        self._require_signer()
        info = self._installation()
        data = _read_file(Path(file), "tệp chứng thư")
        if info.role == "commune":
            bundle = load_bundle(data)
            signing, encryption = bundle.signing, bundle.encryption
            described = certificates.describe(signing)
            code = described.code[:10] or fingerprint_hex(signing)[:10]
            role, name = "office", described.organization or described.common_name
            province = described.locality
        else:
            signing, encryption = _signing_certificate(data), None
            described = certificates.describe(signing)
            commune = admin_units.commune(described.code)
            if commune is None:
                # An office's certificate file (signing and encryption, from
                # its ``export-cert``): the office this one sends its own
                # package to, one level up.
                bundle = self._upper_office_bundle(data, described)
                signing, encryption = bundle.signing, bundle.encryption
                code = described.code[:10] or fingerprint_hex(signing)[:10]
                role, name = "office", described.organization or described.common_name
                province = described.locality
            else:
                province_info = admin_units.province(commune.province_code)
                code, role, name = commune.code, "commune", commune.name
                province = province_info.name if province_info else described.locality
        try:
            certificates.check_usage(signing)
        except CertificateRefused as exc:
            raise CertificateRefused(f"Không tin cậy được chứng thư: {exc.message}") from exc
        with self.context.transaction() as session:
            ledger = Ledger(session)
            ledger.trust(
                code=code,
                role=role,
                name=name,
                province_name=province,
                signing=signing,
                encryption=encryption,
                actor=self.context.actor.name,
            )
            self._audit(
                session, "trust", code, f"{name}; vân tay {certificates.fingerprint(signing)}"
            )
            partner = ledger.partner(code)
        assert partner is not None
        return partner

    def certificate_file_info(self, file: Path) -> CertificateInfo:
        """Describe a partner's certificate file before trusting it (nothing is stored).

        The official reads its fingerprint here and compares it with the one
        the partner gave on paper, then calls :meth:`trust_certificate`.

        Raises:
            PackageRefused: The file cannot be read.
            CertificateRefused: It holds no usable certificate.
        """
        info = self._installation()
        data = _read_file(Path(file), "tệp chứng thư")
        if info.role == "commune":
            return certificates.describe(load_bundle(data).signing)
        return certificates.describe(_signing_certificate(data))

    def _upper_office_bundle(self, data: bytes, described: CertificateInfo) -> CertificateBundle:
        own = self._installation().owner_code
        try:
            bundle = load_bundle(data)
        except CertificateRefused as exc:
            raise CertificateRefused(
                f"Chứng thư «{described.common_name}» không ghi mã xã/phường hợp lệ (mã: "
                f"«{described.code}») và không phải tệp chứng thư của cơ quan cấp trên (xhht "
                "export-cert); cơ quan chỉ tin cậy trước chứng thư của xã hoặc của cơ quan nhận."
            ) from exc
        if described.code == own:
            raise CertificateRefused("Đây là chứng thư của chính cơ quan này.")
        return bundle

    def partners(self, role: str | None = None) -> list[Partner]:
        with self.context.reading() as session:
            return Ledger(session).partners(role)

    def receiving_office(self) -> Partner | None:
        with self.context.reading() as session:
            return Ledger(session).receiving_office()

    def trusted_certificates(self) -> list[x509.Certificate]:
        """Signing certificates of every partner ever trusted (their signed reports verify)."""
        with self.context.reading() as session:
            return Ledger(session).signing_certificates()

    # --------------------------------------------------------------- export
    def _recipient(self, encrypt_to: Path | None) -> tuple[x509.Certificate | None, str | None]:
        """The office's encryption certificate and name, or ``(None, None)``."""
        if encrypt_to is not None:
            bundle = load_bundle(_read_file(Path(encrypt_to), "tệp chứng thư của nơi nhận"))
            described = certificates.describe(bundle.signing)
            return bundle.encryption, described.organization or described.common_name
        with self.context.reading() as session:
            ledger = Ledger(session)
            office = ledger.receiving_office()
            if office is None or office.encryption_fingerprint is None:
                return None, None
            encryption = ledger.certificate(office.encryption_fingerprint)
            signing = ledger.certificate(office.fingerprint)
        if encryption is None or signing is None:
            return None, None
        try:
            check_issued(encryption, signing)
        except CertificateRefused as exc:
            raise CertificateRefused(
                f"Chứng thư mã hóa của {office.name} không dùng được nữa ({exc.message}). Hãy "
                "xin cơ quan nhận tệp chứng thư mới rồi nhập lại (xhht trust-cert)."
            ) from exc
        return encryption, office.name

    def _snapshot(self, owner: str | None) -> tuple[dict[str, bytes], dict[str, int]]:
        """Every record of ``owner`` (of every unit, for an office: ``None``), as members."""
        members: dict[str, bytes] = {}
        counts: dict[str, int] = {}
        with self.context.reading() as session:
            for entity in ENTITIES:
                table = entity.table
                query = select(table).order_by(table.c.id)
                if owner is not None:
                    query = query.where(table.c.commune_code == owner)
                rows = session.execute(query).mappings().all()
                members[entity.member] = records.encode_lines(table, rows)
                counts[entity.name] = len(rows)
            settings: dict[str, object] = {}
            for key in SETTING_KEYS:
                try:
                    value = app_settings.read(session, key)
                except ValueError:
                    continue  # a damaged setting is the commune's to fix; figures use defaults
                if value is not None:
                    settings[key] = value
        members[SETTINGS_MEMBER] = records.encode_settings(settings)
        return members, counts

    def _sources(self, own: str) -> tuple[Source, ...]:
        """Every unit whose records this office holds, and the package they came from."""
        with self.context.reading() as session:
            ledger = Ledger(session)
            codes: set[str] = set()
            for entity in ENTITIES:
                table = entity.table
                codes.update(session.scalars(select(table.c.commune_code).distinct()))
            partners = {p.code: p for p in ledger.partners() if p.role != "office"}
            codes = (codes | set(partners)) - {own}
            sources = []
            for code in sorted(codes):
                partner = partners.get(code)
                if partner is None:
                    division = admin_units.commune(code)
                    sources.append(Source(code, division.name if division else code, 0))
                    continue
                certificate = ledger.certificate(partner.fingerprint)
                sources.append(
                    Source(
                        code=code,
                        name=partner.name,
                        sequence=partner.last_sequence,
                        fingerprint=partner.fingerprint,
                        certificate=(
                            certificates.certificate_pem(certificate).decode("ascii")
                            if certificate is not None
                            else ""
                        ),
                        role=partner.role,
                        settings=partner.settings,
                    )
                )
        return tuple(sources)

    def package_sources(self) -> tuple[Source, ...]:
        """The units an office's package would carry if exported now, as its manifest lists them.

        Each with the number of its own package the office last imported
        (``0``: its records did not come in a package). Empty at a commune,
        whose package holds only its own records.
        """
        info = self._installation()
        return self._sources(info.owner_code) if info.role == "office" else ()

    def _report_members(self, reports: Sequence[Path]) -> dict[str, bytes]:
        members: dict[str, bytes] = {}
        for report in reports:
            report = Path(report)
            paths = [report]
            signature = report.with_name(report.name + ".sig")
            if signature.is_file():
                paths.append(signature)
            for path in paths:
                name = package.report_member(path.name)
                if name in members:
                    raise PackageRefused(f"Hai báo cáo cùng tên «{path.name}».")
                members[name] = _read_file(path, "báo cáo")
        return members

    def _write(self, out: Path, data: bytes, what: str) -> None:
        try:
            write_atomically(out, lambda handle: handle.write(data))
        except OSError as exc:
            raise PackageWriteFailed(
                f"Không ghi được {what} vào «{out}»: {_write_reason(exc)}. Không có tệp nào "
                "được để lại dưới tên này; hãy kiểm tra USB (còn chỗ trống, chưa bị rút) rồi "
                "làm lại."
            ) from exc

    def export_package(
        self,
        out: Path,
        password: str,
        *,
        year: int | None = None,
        encrypt_to: Path | None = None,
        reports: Sequence[Path] = (),
        now: datetime | None = None,
    ) -> ExportResult:
        """Write the commune's package to ``out``, read it back and verify it.

        The file appears under its name only when complete (temporary name,
        flush, fsync, rename), and is then read back from the disk,
        decrypted with the commune's own key and verified like the office
        will; only then is it safe to remove the stick.

        Args:
            out: The package file (``.xhht``), e.g. on the USB stick.
            password: The signing key's password (or the token's PIN).
            year: Reporting year; the installation's by default.
            encrypt_to: The receiving office's certificate file; by default
                the office trusted with :meth:`trust_certificate`, if any.
            reports: Signed report files to add (their ``.sig`` files go too).
            now: The creation time (tests).

        Raises:
            PermissionDenied: The user may not sign.
            NoCertificate, KeyPasswordWrong, CertificateRefused: The signing key.
            PackageRefused: This is not a commune (or is the demo commune), or a
                report cannot be added.
            PackageWriteFailed: The stick is full or was removed; no file is
                left under ``out``'s name.
        """
        self._require_signer("export_package")
        info = self._installation()
        if info.role == "commune" and not info.commune_code:
            raise PackageRefused("Chưa thiết lập mã xã cho cơ sở dữ liệu này.")
        if info.is_demo:
            raise PackageRefused(
                "Đây là cơ sở dữ liệu xã mẫu: dữ liệu mẫu không được xuất thành gói gửi cơ quan "
                "nhận, để không lẫn với dữ liệu thật của xã cùng mã."
            )
        year = year or info.year
        out = Path(out)
        recipient, recipient_name = self._recipient(encrypt_to)
        report_members = self._report_members(reports)
        identity = self.context.signing.load_identity(password)
        try:
            certificates.check_usage(identity.certificate)
            own = self.encryption_certificate(identity, password)
            with self.context.transaction() as session:
                sequence = Ledger(session).reserve_sequence(info.owner_code, year, out.name)
            try:
                written = self._write_package(
                    out,
                    password,
                    identity,
                    info,
                    year=year,
                    sequence=sequence,
                    members=report_members,
                    recipients=[recipient, own] if recipient is not None else [],
                    now=now,
                )
            except BaseException:
                with self.context.transaction() as session:
                    Ledger(session).release_sequence(info.owner_code, sequence)
                raise
        finally:
            identity.close()
        warnings = []
        if recipient is None:
            warnings.append(
                "Gói KHÔNG được mã hóa vì chưa có chứng thư của cơ quan nhận: ai có USB cũng "
                "đọc được dữ liệu cá nhân trong gói. Hãy xin cơ quan nhận tệp chứng thư "
                "(xhht export-cert) rồi nhập một lần (xhht trust-cert)."
            )
        recipient_fingerprint = fingerprint_hex(recipient) if recipient is not None else None
        with self.context.transaction() as session:
            Ledger(session).record_sent(
                info.owner_code,
                sequence,
                created_at=written.manifest.created_at,
                package_sha256=written.sha256,
                recipient_fingerprint=recipient_fingerprint,
                counts=dict(written.manifest.counts),
            )
            self._audit(
                session,
                "export",
                written.sha256,
                f"gói số {sequence} năm {year} → {out}"
                + (f" (mã hóa cho {recipient_name})" if recipient_name else " (không mã hóa)"),
            )
        return ExportResult(
            path=out,
            sequence=sequence,
            year=year,
            package_sha256=written.sha256,
            size=written.size,
            counts=dict(written.manifest.counts),
            recipient=recipient_name,
            recipient_fingerprint=recipient_fingerprint,
            warnings=tuple(warnings),
        )

    def _write_package(
        self,
        out: Path,
        password: str,
        identity: SigningIdentity,
        info: InstallationInfo,
        *,
        year: int,
        sequence: int,
        members: dict[str, bytes],
        recipients: list[x509.Certificate],
        now: datetime | None,
    ) -> _Written:
        office = info.role == "office"
        # An office's package one level up carries every record it holds
        # (each commune's with its own code and revision) and its own.
        data_members, counts = self._snapshot(None if office else info.owner_code)
        manifest = Manifest(
            app_version=__version__,
            schema_revision=migrate.head_revision(),
            commune_code=info.owner_code,
            commune_name=(info.office_name if office else info.commune_name) or "",
            province_code=info.province_code,
            province_name=info.province_name,
            year=year,
            sequence=sequence,
            created_at=(now or datetime.now(UTC)).astimezone(VIETNAM_TIME),
            counts=counts,
            sources=self._sources(info.owner_code) if office else (),
            sender_role="office" if office else "commune",
        )
        content = package.build(manifest, {**data_members, **members}, identity)
        data = crypto.encrypt(content, recipients) if recipients else content
        expected = hashlib.sha256(data).hexdigest()
        self._write(out, data, "gói dữ liệu")
        try:
            written = out.read_bytes()
            if hashlib.sha256(written).hexdigest() != expected:
                raise PackageWriteFailed(
                    f"Gói đọc lại từ «{out}» khác với gói vừa ghi: USB có thể bị lỗi."
                )
            self._verified(written, password)
        except BaseException as exc:
            out.unlink(missing_ok=True)
            if isinstance(exc, OSError):
                raise PackageWriteFailed(
                    f"Không đọc lại được gói vừa ghi vào «{out}»: {_write_reason(exc)}. Đã xóa "
                    "tệp; hãy kiểm tra USB rồi xuất lại."
                ) from exc
            if isinstance(exc, PackageRefused):
                raise PackageWriteFailed(
                    f"Gói đọc lại từ «{out}» không kiểm tra được ({exc.message}). Đã xóa tệp; "
                    "hãy kiểm tra USB rồi xuất lại."
                ) from exc
            raise
        return _Written(expected, manifest, len(data))

    # ---------------------------------------------------------------- read
    def _decrypt(self, raw: bytes, password: str | None) -> bytes:
        if not crypto.is_envelope(raw):
            return raw
        envelope = crypto.parse(raw)
        mine = sorted(self.keyring.fingerprints() & set(envelope.fingerprints))
        if not mine:
            crypto.decrypt(envelope, {})  # raises: for another unit
        if password is None:
            raise PackageRefused(
                "Gói đã được mã hóa: cần mật khẩu khóa ký số của đơn vị để mở và kiểm tra."
            )
        return crypto.decrypt(envelope, {mine[0]: self.keyring.private_key(mine[0], password)})

    def _verified(self, raw: bytes, password: str | None) -> VerifiedPackage:
        return package.read(self._decrypt(raw, password))

    def _records(
        self, verified: VerifiedPackage
    ) -> tuple[dict[str, list[Record]], dict[str, object]]:
        manifest = verified.manifest
        raw: dict[str, list[Record]] = {}
        with records.collector_paused():
            for name, data in verified.members.items():
                if name.startswith("data/"):
                    raw[name[len("data/") : -len(".jsonl")]] = records.parse_lines(name, data)
        settings_lines = raw.pop(records.SETTINGS, [])
        for name, lines in raw.items():
            if manifest.counts.get(name) != len(lines):
                raise PackageRefused(
                    f"Số bản ghi «{name}» trong gói ({len(lines)}) khác với danh mục đã ký "
                    f"({manifest.counts.get(name)}); gói bị từ chối."
                )
        upgrades.upgrade(raw, manifest.schema_revision)
        unknown = set(raw) - set(records.BY_NAME)
        if unknown:
            raise PackageRefused(
                f"Gói có sổ dữ liệu lạ ({', '.join(sorted(unknown))}) mà phiên bản này không "
                "biết; hãy cập nhật XHHT Desktop."
            )
        with records.collector_paused():
            decoded = {e.name: records.decode_records(e, raw.get(e.name, [])) for e in ENTITIES}
        merge.check_records(manifest.commune_code, decoded, self._owners(manifest))
        return decoded, records.decode_settings(settings_lines)

    def _owners(self, manifest: Manifest) -> tuple[str, ...]:
        """The codes a package's records may carry: the sender's, and an office's sources'.

        Raises:
            PackageRefused: An office's package claims this unit's own records.
        """
        if not manifest.from_office:
            return (manifest.commune_code,)
        for source in manifest.sources:
            _source_certificate(source)
        return (manifest.commune_code, *(s.code for s in manifest.sources))

    def _refuse_own_records(self, manifest: Manifest) -> None:
        """At import: a package never carries records under this unit's own code.

        Raises:
            PackageRefused: It does (the office's own records are its own to write).
        """
        own = self._installation().owner_code
        if own in self._owners(manifest):
            raise PackageRefused(
                f"Gói của {manifest.commune_name} chứa dữ liệu mang mã của chính đơn vị này "
                f"({own}); gói bị từ chối."
            )

    @staticmethod
    def _source_warnings(ledger: Ledger, manifest: Manifest) -> list[str]:
        warnings = []
        for source in manifest.sources:
            partner = ledger.partner(source.code)
            if partner is not None and source.sequence < partner.last_sequence:
                warnings.append(
                    f"Dữ liệu của {source.name} (mã {source.code}) trong gói là từ gói số "
                    f"{source.sequence} của đơn vị đó, cũ hơn gói số {partner.last_sequence} máy "
                    "này đã nhận; bản ghi nào cũ hơn thì giữ bản mới hơn đang có."
                )
        return warnings

    def _trust_note(self, verified: VerifiedPackage) -> tuple[bool, str]:
        info = self._installation()
        fingerprint = verified.fingerprint
        if info.role == "commune":
            own = {fingerprint_hex(c) for c in self.context.signing.own_certificates()}
            if fingerprint in own:
                return True, "Gói do chính đơn vị này ký."
            return False, "Gói không do đơn vị này ký."
        with self.context.reading() as session:
            partner = Ledger(session).partner(verified.manifest.commune_code)
        if partner is None:
            return False, (
                "Xã này chưa được tin cậy trên máy này: hãy đối chiếu vân tay với bản in trên "
                "báo cáo giấy có chữ ký của xã trước khi nhập."
            )
        if partner.fingerprint != fingerprint:
            return False, (
                "Gói được ký bằng chứng thư KHÁC với chứng thư đã tin cậy của xã "
                f"(vân tay đã tin cậy: {groups(partner.fingerprint)})."
            )
        return True, "Chứng thư của xã đã được tin cậy trên máy này."

    def _check(self, path: Path, raw: bytes, verified: VerifiedPackage) -> PackageCheck:
        trusted, note = self._trust_note(verified)
        return PackageCheck(
            path=Path(path),
            package_sha256=hashlib.sha256(raw).hexdigest(),
            encrypted=crypto.is_envelope(raw),
            manifest=verified.manifest,
            signer=certificates.describe(verified.certificate),
            signed_at=verified.signed_at,
            trusted=trusted,
            trust_note=note,
            reports=tuple(sorted(verified.reports)),
        )

    def verify_package(self, path: Path, password: str | None = None) -> PackageCheck:
        """Verify a package completely without importing it (either role).

        Decrypts it when it is for this unit (a commune re-opens its own
        packages), checks the signature, every member's hash and every
        record, and says whether the signer is trusted here.

        Raises:
            PackageRefused: Anything wrong with the package.
            KeyPasswordWrong: ``password`` does not open this unit's key.
        """
        raw = _read_file(Path(path), "gói dữ liệu")
        verified = self._verified(raw, password)
        self._records(verified)
        return self._check(path, raw, verified)

    # ---------------------------------------------------------------- import
    def _require_office(self) -> InstallationInfo:
        info = self._installation()
        if info.role != "office":
            raise PackageRefused(
                "Chỉ cơ quan tổng hợp mới nhập gói dữ liệu của xã. Ở cấp xã, dùng 'xhht "
                "verify-package' để kiểm tra gói của mình."
            )
        return info

    def _judge_sender(
        self, ledger: Ledger, verified: VerifiedPackage, accept: str | None
    ) -> tuple[bool, bool, list[str]]:
        """Whether the sender is new or re-keyed (then trusted now), and warnings.

        Raises:
            SenderNotTrusted: Unknown commune, or a known one with another
                key, without the matching fingerprint confirmed.
            PackageRefused: A confirmed fingerprint that does not match.
        """
        manifest = verified.manifest
        fingerprint = verified.fingerprint
        name = f"{manifest.commune_name} (mã {manifest.commune_code})"
        accepted = normalize_fingerprint(accept) if accept else None
        if accepted is not None and accepted != fingerprint:
            raise PackageRefused(
                f"Vân tay đã xác nhận ({groups(accepted)}) KHÔNG khớp với chứng thư đã ký gói "
                f"({groups(fingerprint)}). Không nhập gì; hãy đối chiếu lại với bản giấy."
            )
        signed = manifest.created_at
        info = certificates.describe(verified.certificate)
        if not info.valid_at(signed):
            raise PackageRefused(
                f"Chứng thư ký gói của {name} không có hiệu lực vào lúc ký "
                f"({signed.astimezone(VIETNAM_TIME):%d/%m/%Y}); gói bị từ chối."
            )
        partner = ledger.partner(manifest.commune_code)
        if partner is not None and partner.role != _sender_role(manifest):
            raise PackageRefused(
                f"Mã {manifest.commune_code} là của cơ quan nhận, không phải xã."
                if partner.role == "office"
                else f"Mã {manifest.commune_code} đã được tin cậy với vai trò khác; gói bị từ chối."
            )
        if partner is None:
            if accepted is None:
                raise SenderNotTrusted(
                    f"Lần đầu nhận gói của {name}. Vân tay chứng thư đã ký gói: "
                    f"{groups(fingerprint)}. Hãy đối chiếu từng nhóm số với vân tay in trên báo "
                    "cáo giấy có chữ ký của xã; nếu khớp, xác nhận vân tay đó để nhập "
                    "(dòng lệnh: --accept-fingerprint).",
                    unit_code=manifest.commune_code,
                    unit_name=manifest.commune_name,
                    fingerprint=groups(fingerprint),
                    known_fingerprint=None,
                )
            return True, False, [f"Đã tin cậy chứng thư của {name}, vân tay {groups(fingerprint)}."]
        if partner.fingerprint == fingerprint:
            return False, False, []
        if accepted is None:
            raise SenderNotTrusted(
                f"Gói của {name} được ký bằng chứng thư KHÁC với chứng thư đã tin cậy (đã tin "
                f"cậy: {groups(partner.fingerprint)}; trong gói: {groups(fingerprint)}). Gói "
                "bị từ chối. Nếu xã đã thay khóa ký số, hãy đối chiếu vân tay mới với báo cáo "
                "giấy có chữ ký mới của xã rồi xác nhận vân tay đó (--accept-fingerprint).",
                unit_code=manifest.commune_code,
                unit_name=manifest.commune_name,
                fingerprint=groups(fingerprint),
                known_fingerprint=groups(partner.fingerprint),
            )
        return (
            False,
            True,
            [f"Xã {name} đã thay chứng thư ký số; vân tay mới đã xác nhận: {groups(fingerprint)}."],
        )

    def _judge_sequence(self, ledger: Ledger, manifest: Manifest, sha256: str) -> list[str]:
        partner = ledger.partner(manifest.commune_code)
        last = partner.last_sequence if partner is not None else 0
        name = f"{manifest.commune_name} (mã {manifest.commune_code})"
        if manifest.sequence <= last:
            previous = ledger.received_package(sha256)
            if previous is not None:
                when = previous.imported_at.astimezone(VIETNAM_TIME)
                raise PackageRefused(
                    f"Gói số {manifest.sequence} của {name} đã được nhập lúc "
                    f"{when:%H:%M ngày %d/%m/%Y}; không nhập lại lần nữa."
                )
            raise PackageRefused(
                f"Gói số {manifest.sequence} của {name} cũ hơn gói số {last} đã nhập. Nhập gói "
                "này sẽ ghi đè dữ liệu mới hơn bằng dữ liệu cũ, nên bị từ chối; hãy đề nghị xã "
                "xuất gói mới."
            )
        if manifest.sequence > last + 1:
            missing = (
                f"số {last + 1}"
                if manifest.sequence == last + 2
                else f"các số {last + 1} đến {manifest.sequence - 1}"
            )
            return [
                f"Chưa nhận gói {missing} của {name}. Gói số {manifest.sequence} chứa toàn bộ dữ "
                "liệu của xã nên vẫn nhập được; các gói thiếu không cần nhập nữa."
            ]
        return []

    @staticmethod
    def _plan_warnings(changes: Sequence[EntityChanges]) -> list[str]:
        warnings = []
        older = sum(c.older for c in changes)
        missing = sum(c.missing for c in changes)
        if older:
            warnings.append(
                f"{older} bản ghi trong gói cũ hơn bản máy này đang giữ (xã có thể đã khôi phục "
                "bản sao lưu cũ); giữ bản mới hơn, bỏ qua bản cũ."
            )
        if missing:
            warnings.append(
                f"{missing} bản ghi của xã có trên máy này nhưng không có trong gói; giữ nguyên."
            )
        return warnings

    def open_package(
        self, path: Path, password: str | None, *, accept_fingerprint: str | None = None
    ) -> IncomingPackage:
        """Verify and read a commune's package at the office, and preview what it changes.

        Nothing is written. The order is: decrypt (a package for another
        unit is refused), verify the signature over the manifest and every
        member's hash, judge the sender (unknown or re-keyed commune: refused
        unless ``accept_fingerprint`` matches), check the ledger (a replayed
        or older package is refused, a gap is a warning), then read and
        check the records and compare them with the office's.

        Raises:
            PackageRefused: Including :class:`SenderNotTrusted`.
            KeyPasswordWrong: ``password`` does not open the office's key.
        """
        self._require_office()
        raw = _read_file(Path(path), "gói dữ liệu")
        verified = self._verified(raw, password)
        self._refuse_own_records(verified.manifest)
        check = self._check(path, raw, verified)
        with self.context.reading() as session:
            ledger = Ledger(session)
            first, new_key, warnings = self._judge_sender(ledger, verified, accept_fingerprint)
            warnings += self._judge_sequence(ledger, verified.manifest, check.package_sha256)
        decoded, settings = self._records(verified)
        with self.context.reading() as session:
            changes = merge.plan(
                session.connection(),
                verified.manifest.commune_code,
                decoded,
                self._owners(verified.manifest),
            )
        warnings += self._plan_warnings(changes.changes)
        return IncomingPackage(
            check=check,
            records=decoded,
            settings=settings,
            changes=changes.changes,
            warnings=warnings,
            first_time=first,
            new_key=new_key,
            certificate=verified.certificate,
            reports=verified.reports,
        )

    def apply(
        self,
        incoming: IncomingPackage,
        identity: SigningIdentity | None,
        *,
        accept_fingerprint: str | None = None,
    ) -> ImportResult:
        """Apply an opened package in one transaction, then write the signed receipt.

        The sender and the ledger are checked again inside the transaction
        (another import may have run since the preview), and the changes are
        recomputed there.

        Args:
            incoming: From :meth:`open_package`.
            identity: The office's signing identity, for the receipt; with
                ``None`` no receipt is written.
            accept_fingerprint: The fingerprint the official confirmed (for a
                first package or a changed key).

        Raises:
            PackageRefused: The package became a replay, or its records break
                a rule of the database; nothing was stored.
        """
        self._require_signer("import_package")
        info = self._require_office()
        manifest = incoming.manifest
        sha256 = incoming.check.package_sha256
        imported_at = datetime.now(UTC)
        try:
            with self.context.transaction() as session:
                ledger = Ledger(session)
                verified = VerifiedPackage(
                    manifest, incoming.certificate, incoming.check.signed_at, {}
                )
                first, new_key, warnings = self._judge_sender(ledger, verified, accept_fingerprint)
                warnings += self._judge_sequence(ledger, manifest, sha256)
                if first or new_key:
                    ledger.trust(
                        code=manifest.commune_code,
                        role=_sender_role(manifest),
                        name=manifest.commune_name,
                        province_name=manifest.province_name,
                        signing=incoming.certificate,
                        encryption=None,
                        actor=self.context.actor.name,
                    )
                connection = session.connection()
                plan: MergePlan = merge.plan(
                    connection, manifest.commune_code, incoming.records, self._owners(manifest)
                )
                warnings += self._source_warnings(ledger, manifest)
                warnings += self._plan_warnings(plan.changes)
                with records.collector_paused():
                    merge.apply(
                        connection,
                        plan,
                        actor=self.context.actor.name,
                        note=f"gói số {manifest.sequence} của {manifest.commune_name}",
                    )
                body = Receipt(
                    office_code=info.owner_code,
                    office_name=info.office_name or "",
                    commune_code=manifest.commune_code,
                    commune_name=manifest.commune_name,
                    sequence=manifest.sequence,
                    year=manifest.year,
                    package_sha256=sha256,
                    imported_at=imported_at.astimezone(VIETNAM_TIME),
                    summary=plan.summary(),
                    warnings=tuple(warnings),
                )
                ledger.record_received(
                    commune_code=manifest.commune_code,
                    sequence=manifest.sequence,
                    year=manifest.year,
                    package_sha256=sha256,
                    signer_fingerprint=fingerprint_hex(incoming.certificate),
                    created_at=manifest.created_at,
                    imported_at=imported_at,
                    actor=self.context.actor.name,
                    app_version=manifest.app_version,
                    schema_revision=manifest.schema_revision,
                    summary=plan.summary(),
                    warnings=warnings,
                    settings=incoming.settings,
                    receipt=body.to_json().decode("utf-8"),
                    sources=[
                        {"code": s.code, "name": s.name, "sequence": s.sequence}
                        for s in manifest.sources
                    ],
                )
                for source in manifest.sources:
                    # Per-commune provenance: its ledger moves on to the
                    # package number the office carried.
                    ledger.record_source(
                        source,
                        certificate=_source_certificate(source),
                        imported_at=imported_at,
                        actor=self.context.actor.name,
                    )
        except SQLAlchemyError as exc:
            # A record breaking a constraint (an id another commune owns, a
            # name twice in one village list…): the transaction rolled back.
            detail = str(getattr(exc, "orig", exc)).splitlines()[0][:200]
            raise PackageRefused(
                "Dữ liệu trong gói mâu thuẫn với dữ liệu đã có hoặc vi phạm ràng buộc của cơ sở "
                f"dữ liệu ({detail}); chưa nhập gì."
            ) from exc
        reports_folder = self._save_reports(manifest, incoming.reports)
        written, problem = None, None
        if identity is not None:
            try:
                written = self._write_receipt(incoming.check.path, body, identity)
            except PackageWriteFailed as exc:
                problem = exc.message
        return ImportResult(
            check=incoming.check,
            changes=tuple(plan.changes),
            warnings=tuple(warnings),
            applied=True,
            receipt=written,
            receipt_problem=problem,
            reports_folder=reports_folder,
        )

    def _save_reports(self, manifest: Manifest, reports: dict[str, bytes]) -> Path | None:
        if not reports:
            return None
        folder = (
            self.context.settings.data_dir
            / RECEIVED_DIR
            / manifest.commune_code
            / f"{manifest.sequence:04d}"
        )
        for name, data in reports.items():
            # Names were checked when the package was read: no folders, no "..".
            write_atomically(folder / name, lambda handle, data=data: handle.write(data))
        return folder

    def _write_receipt(self, package_file: Path, body: Receipt, identity: SigningIdentity) -> Path:
        target = receipt_path(package_file)
        self._write(target, receipt.build(body, identity), "giấy biên nhận")
        return target

    def import_package(
        self,
        path: Path,
        password: str | None,
        *,
        accept_fingerprint: str | None = None,
        dry_run: bool = False,
    ) -> ImportResult:
        """Open, check and apply a package at the office; write its receipt beside it.

        Args:
            path: The package file.
            password: The office's key password: it opens an encrypted
                package and signs the receipt. Without it (dry run of a
                plain package only) nothing is signed.
            accept_fingerprint: The sender's fingerprint as the official read
                it from the paper report (first package, or a changed key).
            dry_run: Only verify and say what would change.

        Raises:
            PackageRefused: The package is refused; nothing was stored.
            KeyPasswordWrong, NoCertificate: The office's key.
        """
        self._require_office()
        incoming = self.open_package(path, password, accept_fingerprint=accept_fingerprint)
        if dry_run:
            return ImportResult(
                check=incoming.check,
                changes=tuple(incoming.changes),
                warnings=tuple(incoming.warnings),
                applied=False,
            )
        identity = self.context.signing.load_identity(password) if password else None
        try:
            return self.apply(incoming, identity, accept_fingerprint=accept_fingerprint)
        finally:
            if identity is not None:
                identity.close()

    def write_receipt(self, package_file: Path, password: str) -> Path:
        """Write the receipt of an imported package again (e.g. the stick was removed).

        Raises:
            PackageRefused: This package was never imported here.
        """
        self._require_signer("import_package")
        self._require_office()
        raw = _read_file(Path(package_file), "gói dữ liệu")
        with self.context.reading() as session:
            received = Ledger(session).received_package(hashlib.sha256(raw).hexdigest())
        if received is None or not received.receipt:
            raise PackageRefused("Gói này chưa được nhập trên máy này; không có giấy biên nhận.")
        body = receipt.parse(received.receipt.encode("utf-8"))
        identity = self.context.signing.load_identity(password)
        try:
            return self._write_receipt(Path(package_file), body, identity)
        finally:
            identity.close()

    def received(self, commune_code: str | None = None) -> list[Received]:
        """The ledger: packages accepted, per commune and number."""
        with self.context.reading() as session:
            return Ledger(session).received(commune_code)

    def commune_counts(self, commune_code: str) -> dict[str, int]:
        """Live villages, households and persons of one commune (as its own ``counts()``)."""
        with self.context.reading() as session:
            return {
                name: int(
                    session.scalar(
                        select(func.count())
                        .select_from(model)
                        .where(model.commune_code == commune_code, model.deleted_at.is_(None))
                    )
                    or 0
                )
                for name, model in (
                    ("villages", Village),
                    ("households", Household),
                    ("persons", Person),
                )
            }

    # ---------------------------------------------------------------- receipts
    def import_receipt(self, path: Path, *, accept_fingerprint: str | None = None) -> Sent:
        """Record the office's signed receipt for one of this commune's packages.

        Raises:
            PackageRefused: Not a receipt, damaged, for another commune or a
                package not written here, or signed by an office that is not
                trusted (:class:`SenderNotTrusted` unless ``accept_fingerprint``
                matches).
        """
        self._require_signer("import_package")
        info = self._installation()
        raw = _read_file(Path(path), "giấy biên nhận")
        verified = receipt.read(raw)
        body = verified.receipt
        if body.commune_code != info.owner_code:
            raise PackageRefused(
                f"Giấy biên nhận dành cho đơn vị mã {body.commune_code}, không phải đơn vị này "
                f"({info.owner_code})."
            )
        fingerprint = verified.fingerprint
        accepted = normalize_fingerprint(accept_fingerprint) if accept_fingerprint else None
        if accepted is not None and accepted != fingerprint:
            raise PackageRefused(
                f"Vân tay đã xác nhận ({groups(accepted)}) KHÔNG khớp với chứng thư đã ký giấy "
                f"biên nhận ({groups(fingerprint)})."
            )
        with self.context.transaction() as session:
            ledger = Ledger(session)
            offices = {p.fingerprint: p for p in ledger.partners("office")}
            if fingerprint not in offices:
                if accepted is None:
                    raise SenderNotTrusted(
                        f"Giấy biên nhận được ký bởi «{body.office_name}» với chứng thư chưa được "
                        f"tin cậy trên máy này (vân tay {groups(fingerprint)}). Hãy đối chiếu "
                        "với vân tay cơ quan nhận cung cấp rồi xác nhận (--accept-fingerprint).",
                        unit_code=body.office_code,
                        unit_name=body.office_name,
                        fingerprint=groups(fingerprint),
                        known_fingerprint=None,
                    )
                ledger.trust(
                    code=body.office_code,
                    role="office",
                    name=body.office_name,
                    province_name="",
                    signing=verified.certificate,
                    encryption=None,
                    actor=self.context.actor.name,
                )
            row = ledger.sent_package(info.owner_code, body.package_sha256)
            if row is None or row.sequence != body.sequence:
                raise PackageRefused(
                    f"Giấy biên nhận nói về gói số {body.sequence} (mã băm "
                    f"{body.package_sha256[:16]}…) mà máy này không xuất ra."
                )
            row.receipt_imported_at = utcnow()
            row.receipt_accepted_at = body.imported_at.astimezone(UTC)
            row.receipt_office = body.office_name[:200]
            row.receipt_fingerprint = fingerprint
            row.receipt_summary = json.dumps(
                {k: dict(v) for k, v in body.summary.items()}, sort_keys=True
            )
            row.receipt_warnings = json.dumps(list(body.warnings), ensure_ascii=False)
            self._audit(
                session,
                "receipt",
                body.package_sha256,
                f"{body.office_name} đã nhận gói số {body.sequence} "
                f"({body.accepted_records} bản ghi)",
            )
            session.flush()
            sent = next(s for s in ledger.sent(info.owner_code) if s.sequence == body.sequence)
        return sent

    def sent(self) -> list[Sent]:
        """The packages this unit wrote, with the office's receipt where imported."""
        info = self._installation()
        with self.context.reading() as session:
            return Ledger(session).sent(info.owner_code)
