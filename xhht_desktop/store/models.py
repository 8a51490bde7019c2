"""The database schema: typed SQLAlchemy 2.0 models.

Every register record (village, household, person, …) carries the same
identity columns (``RecordMixin``): a UUID, the owning commune's code, created
and updated timestamps, a revision counter and a soft-deletion time. Records
are never removed from the table: a deletion is a tombstone that a data
package can carry to the consolidating office.

The schema changes only through Alembic migrations in ``store/migrations``.
"""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    SmallInteger,
    String,
    Text,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from xhht_desktop.core import text as vntext

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    return datetime.now(UTC)


def new_id() -> str:
    return str(uuid.uuid4())


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class RecordMixin:
    """Identity and life-cycle columns shared by every register record."""

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    commune_code: Mapped[str] = mapped_column(String(10), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    revision: Mapped[int] = mapped_column(Integer, default=1)
    deleted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), default=None)

    # Columns derived from others; the audit log does not list them.
    DERIVED: tuple[str, ...] = ()

    def refresh_derived(self) -> None:
        """Recompute search and sort keys from the fields they derive from."""


class Installation(Base):
    """The single row that says who this copy of the app works for."""

    __tablename__ = "installation"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    role: Mapped[str] = mapped_column(String(10))
    province_code: Mapped[str] = mapped_column(String(4))
    province_name: Mapped[str] = mapped_column(String(100))
    commune_code: Mapped[str | None] = mapped_column(String(10))
    commune_name: Mapped[str | None] = mapped_column(String(100))
    office_name: Mapped[str | None] = mapped_column(String(200))
    # An office's own code (its records' owner, its certificate's code), so
    # that a district office and its province's office are told apart;
    # ``None``: "P" and the province code.
    office_code: Mapped[str | None] = mapped_column(String(10), default=None)
    receiving_office: Mapped[str] = mapped_column(String(200), default="")
    year: Mapped[int] = mapped_column(Integer)
    signer_name: Mapped[str] = mapped_column(String(100), default="")
    signer_title: Mapped[str] = mapped_column(String(100), default="")
    is_demo: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    __table_args__ = (
        CheckConstraint("id = 1", name="singleton"),
        CheckConstraint("role IN ('commune', 'office')", name="role"),
    )


class User(Base):
    __tablename__ = "users"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    full_name: Mapped[str] = mapped_column(String(100))
    role: Mapped[str] = mapped_column(String(16))
    password_hash: Mapped[str] = mapped_column(String(255))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    __table_args__ = (CheckConstraint("role IN ('data_entry', 'approver', 'admin')", name="role"),)


class LoginFailure(Base):
    """Refused logins in a row for one user name, known or not (the login slowdown).

    Kept in the database, not in memory, so that closing and reopening the app
    does not reset the wait; a name nobody has is counted like any other, so
    the wait does not tell which names exist.
    """

    __tablename__ = "login_failures"

    username: Mapped[str] = mapped_column(String(64), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer, default=0)
    last_failed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class Village(RecordMixin, Base):
    """A residential community: thôn, bon, buôn, bản, làng, ấp, tổ dân phố."""

    __tablename__ = "villages"

    kind: Mapped[str] = mapped_column(String(16))
    name: Mapped[str] = mapped_column(String(100))
    name_key: Mapped[str] = mapped_column(String(100), default="")
    sort_key: Mapped[str] = mapped_column(String(400), default="")

    DERIVED = ("name_key", "sort_key")

    __table_args__ = (
        Index(
            "uq_villages_commune_name",
            "commune_code",
            "name_key",
            unique=True,
            sqlite_where=text("deleted_at IS NULL"),
            postgresql_where=text("deleted_at IS NULL"),
        ),
    )

    def refresh_derived(self) -> None:
        self.name_key = vntext.fold(self.name)
        self.sort_key = vntext.sort_key(self.name)


class Household(RecordMixin, Base):
    __tablename__ = "households"

    code: Mapped[str] = mapped_column(String(32))
    village_id: Mapped[str] = mapped_column(ForeignKey("villages.id"), index=True)
    head_name: Mapped[str] = mapped_column(String(100))
    address: Mapped[str] = mapped_column(String(200), default="")
    search_key: Mapped[str] = mapped_column(String(400), default="")
    sort_key: Mapped[str] = mapped_column(String(400), default="")
    # A household belongs to at most one clan of the commune: a column says
    # so by construction, and a move between clans is one audited field.
    clan_id: Mapped[str | None] = mapped_column(ForeignKey("clans.id"), index=True, default=None)

    village: Mapped[Village] = relationship()

    DERIVED = ("search_key", "sort_key")

    __table_args__ = (
        Index(
            "uq_households_commune_code",
            "commune_code",
            "code",
            unique=True,
            sqlite_where=text("deleted_at IS NULL"),
            postgresql_where=text("deleted_at IS NULL"),
        ),
        # The list walks this index in display order and filters on the
        # search key inside it, so a search that matches few households does
        # not read the table row by row (see PersonRepository.page).
        Index("ix_households_listing", "sort_key", "id", "search_key", "deleted_at"),
    )

    def refresh_derived(self) -> None:
        self.search_key = vntext.search_key(self.code, self.head_name, self.address)
        self.sort_key = vntext.person_sort_key(self.head_name)


class Person(RecordMixin, Base):
    """One person of a household, as the literacy survey records them."""

    __tablename__ = "persons"

    household_id: Mapped[str] = mapped_column(ForeignKey("households.id"), index=True)
    full_name: Mapped[str] = mapped_column(String(100))
    relationship_to_head: Mapped[str] = mapped_column(String(32), default="")
    birth_date: Mapped[date | None] = mapped_column(Date)
    birth_year: Mapped[int] = mapped_column(SmallInteger, index=True)
    sex: Mapped[str] = mapped_column(String(1))
    ethnicity_code: Mapped[str] = mapped_column(String(2), index=True)
    grade: Mapped[int] = mapped_column(SmallInteger, default=0)
    literacy_stage: Mapped[int] = mapped_column(SmallInteger, default=0)
    disabled: Mapped[bool] = mapped_column(Boolean, default=False)
    residence: Mapped[str] = mapped_column(String(16), default="thuong_tru")
    name_key: Mapped[str] = mapped_column(String(100), default="")
    sort_key: Mapped[str] = mapped_column(String(400), default="")

    household: Mapped[Household] = relationship()

    DERIVED = ("name_key", "sort_key")

    __table_args__ = (
        CheckConstraint("sex IN ('M', 'F')", name="sex"),
        CheckConstraint("grade BETWEEN 0 AND 12", name="grade"),
        CheckConstraint("literacy_stage BETWEEN 0 AND 2", name="literacy_stage"),
        CheckConstraint(
            "residence IN ('thuong_tru', 'tam_tru', 'chuyen_di', 'da_mat')", name="residence"
        ),
        # Covering index for the persons list: display order plus the search
        # key, so "search a rare name among 200,000" scans a narrow index.
        Index("ix_persons_listing", "sort_key", "id", "name_key", "deleted_at"),
    )

    def refresh_derived(self) -> None:
        self.name_key = vntext.fold(self.full_name)
        self.sort_key = vntext.person_sort_key(self.full_name)


class Clan(RecordMixin, Base):
    """A clan (dòng họ) present in the commune; its households point to it."""

    __tablename__ = "clans"

    name: Mapped[str] = mapped_column(String(100))
    contact_person: Mapped[str] = mapped_column(String(100), default="")
    note: Mapped[str] = mapped_column(String(500), default="")
    name_key: Mapped[str] = mapped_column(String(100), default="")
    sort_key: Mapped[str] = mapped_column(String(400), default="")

    DERIVED = ("name_key", "sort_key")

    __table_args__ = (
        # On the exact name: clans whose names differ only by a tone mark
        # ("Họ Ma", "Họ Mã") are different families.
        Index(
            "uq_clans_commune_name",
            "commune_code",
            "name",
            unique=True,
            sqlite_where=text("deleted_at IS NULL"),
            postgresql_where=text("deleted_at IS NULL"),
        ),
    )

    def refresh_derived(self) -> None:
        self.name_key = vntext.fold(self.name)
        self.sort_key = vntext.sort_key(self.name)


class Unit(RecordMixin, Base):
    """An organisation managed at commune level: agency, school, enterprise, cooperative…"""

    __tablename__ = "units"

    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(24))
    address: Mapped[str] = mapped_column(String(200), default="")
    head_name: Mapped[str] = mapped_column(String(100), default="")
    staff_count: Mapped[int] = mapped_column(Integer, default=0)
    village_id: Mapped[str | None] = mapped_column(
        ForeignKey("villages.id"), index=True, default=None
    )
    name_key: Mapped[str] = mapped_column(String(200), default="")
    sort_key: Mapped[str] = mapped_column(String(400), default="")

    DERIVED = ("name_key", "sort_key")

    __table_args__ = (
        CheckConstraint(
            "kind IN ('co_quan', 'truong_hoc', 'doanh_nghiep', 'hop_tac_xa', "
            "'luc_luong_vu_trang', 'khac')",
            name="kind",
        ),
        CheckConstraint("staff_count >= 0", name="staff_count"),
        Index(
            "uq_units_commune_name",
            "commune_code",
            "name_key",
            unique=True,
            sqlite_where=text("deleted_at IS NULL"),
            postgresql_where=text("deleted_at IS NULL"),
        ),
    )

    def refresh_derived(self) -> None:
        self.name_key = vntext.fold(self.name)
        self.sort_key = vntext.sort_key(self.name)


class Decision(RecordMixin, Base):
    """A decision (quyết định) recognising learning models; its annex is its entries."""

    __tablename__ = "decisions"

    year: Mapped[int] = mapped_column(Integer, index=True)
    number: Mapped[str] = mapped_column(String(50))
    decided_on: Mapped[date] = mapped_column(Date)
    signer_name: Mapped[str] = mapped_column(String(100))
    signer_title: Mapped[str] = mapped_column(String(100), default="")
    summary: Mapped[str] = mapped_column(String(300), default="")


class ModelEntry(RecordMixin, Base):
    """One subject's year in one learning model: registration, evaluation, outcome.

    ``subject_id`` is the id of a household (gdht), clan (dhht), village
    (cdht) or unit (dvht): one column for the four, so that the yearly cycle
    is one table and one set of rules. The evaluation held here is the
    current one; an earlier one that was replaced is in the audit log, field
    by field.
    """

    __tablename__ = "model_entries"

    model: Mapped[str] = mapped_column(String(8))
    year: Mapped[int] = mapped_column(Integer)
    subject_id: Mapped[str] = mapped_column(String(36), index=True)
    registered_on: Mapped[date | None] = mapped_column(Date, default=None)
    registered_by: Mapped[str] = mapped_column(String(100), default="")
    criteria_id: Mapped[str | None] = mapped_column(String(64), default=None)
    criteria_version: Mapped[int | None] = mapped_column(Integer, default=None)
    # JSON objects, indicator id -> points as text ("7.5") or true/false, and
    # indicator id -> note; kept as text so the audit log shows the change.
    scores: Mapped[str] = mapped_column(Text, default="")
    score_notes: Mapped[str] = mapped_column(Text, default="")
    total: Mapped[str] = mapped_column(String(16), default="")
    passed: Mapped[bool | None] = mapped_column(Boolean, default=None)
    evaluated_on: Mapped[date | None] = mapped_column(Date, default=None)
    evaluation_note: Mapped[str] = mapped_column(String(500), default="")
    decision_id: Mapped[str | None] = mapped_column(
        ForeignKey("decisions.id"), index=True, default=None
    )
    override_reason: Mapped[str] = mapped_column(String(500), default="")
    refused_on: Mapped[date | None] = mapped_column(Date, default=None)
    refusal_reason: Mapped[str] = mapped_column(String(500), default="")
    revoked_on: Mapped[date | None] = mapped_column(Date, default=None)
    revocation_reason: Mapped[str] = mapped_column(String(500), default="")

    __table_args__ = (
        CheckConstraint("model IN ('gdht', 'dhht', 'cdht', 'dvht')", name="model"),
        # One live entry per subject, model and year; the counting query
        # joins on these columns in this order.
        Index(
            "uq_model_entries_subject_year",
            "model",
            "year",
            "subject_id",
            unique=True,
            sqlite_where=text("deleted_at IS NULL"),
            postgresql_where=text("deleted_at IS NULL"),
        ),
    )


class AggregateValue(RecordMixin, Base):
    """The figures of one aggregate form for one year and one scope (a village, or the commune)."""

    __tablename__ = "aggregate_values"

    definition_id: Mapped[str] = mapped_column(String(64))
    definition_version: Mapped[int] = mapped_column(Integer)
    year: Mapped[int] = mapped_column(Integer)
    village_id: Mapped[str | None] = mapped_column(
        ForeignKey("villages.id"), index=True, default=None
    )
    # JSON object, field id -> value as the field type formats it.
    figures: Mapped[str] = mapped_column(Text, default="{}")

    __table_args__ = (Index("ix_aggregate_values_form_year", "definition_id", "year"),)


class AuditEntry(Base):
    """One changed field of one record: who, when, what it was, what it became."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)
    actor: Mapped[str] = mapped_column(String(100))
    action: Mapped[str] = mapped_column(String(16))
    entity: Mapped[str] = mapped_column(String(32))
    record_id: Mapped[str] = mapped_column(String(36), index=True)
    field: Mapped[str | None] = mapped_column(String(64))
    old_value: Mapped[str | None] = mapped_column(Text)
    new_value: Mapped[str | None] = mapped_column(Text)


class AppSetting(Base):
    """A setting kept with the data (not with the machine): key and JSON value.

    Settings that change what the figures mean (the literacy bands, a
    commune's especially difficult conditions) travel with the database, so
    a backup or another computer gives the same figures.
    """

    __tablename__ = "app_settings"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


REGISTER_MODELS: tuple[type[RecordMixin], ...] = (
    Village,
    Household,
    Person,
    Clan,
    Unit,
    Decision,
    ModelEntry,
    AggregateValue,
)


# --- Data packages (issue 6): who this unit exchanges with, and what went where.


class ExchangePartner(Base):
    """A unit this database exchanges packages with.

    At an office: a commune whose packages it accepts. At a commune: the
    receiving office whose certificate it encrypts packages for. The
    certificate is trusted once an official has compared its fingerprint
    with the paper; every later package must be signed by the same key.
    """

    __tablename__ = "exchange_partners"

    code: Mapped[str] = mapped_column(String(10), primary_key=True)
    role: Mapped[str] = mapped_column(String(10))
    name: Mapped[str] = mapped_column(String(200), default="")
    province_name: Mapped[str] = mapped_column(String(100), default="")
    # SHA-256 of the current signing certificate (64 hex digits) and, for
    # an office, of the certificate packages are encrypted for.
    fingerprint: Mapped[str] = mapped_column(String(64))
    encryption_fingerprint: Mapped[str | None] = mapped_column(String(64), default=None)
    trusted_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    trusted_by: Mapped[str] = mapped_column(String(100), default="")
    # The ledger's high-water mark: a package numbered at or below it is refused.
    last_sequence: Mapped[int] = mapped_column(Integer, default=0)
    last_imported_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # The commune's settings that change what its figures mean (JSON).
    settings: Mapped[str] = mapped_column(Text, default="{}")

    # commune: sends its packages here; office: the office this unit sends
    # to; sub_office: an office one level down that sends its consolidated
    # package here.
    __table_args__ = (CheckConstraint("role IN ('commune', 'office', 'sub_office')", name="role"),)


class ExchangeCertificate(Base):
    """A partner's certificate, current or earlier (reports it signed still verify)."""

    __tablename__ = "exchange_certificates"

    fingerprint: Mapped[str] = mapped_column(String(64), primary_key=True)
    partner_code: Mapped[str] = mapped_column(ForeignKey("exchange_partners.code"), index=True)
    usage: Mapped[str] = mapped_column(String(12))
    pem: Mapped[str] = mapped_column(Text)
    trusted_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    trusted_by: Mapped[str] = mapped_column(String(100), default="")

    __table_args__ = (CheckConstraint("usage IN ('signing', 'encryption')", name="usage"),)


class ExchangeImport(Base):
    """The ledger: one package this office accepted from a commune."""

    __tablename__ = "exchange_imports"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    partner_code: Mapped[str] = mapped_column(ForeignKey("exchange_partners.code"))
    sequence: Mapped[int] = mapped_column(Integer)
    year: Mapped[int] = mapped_column(Integer)
    package_sha256: Mapped[str] = mapped_column(String(64), index=True)
    signer_fingerprint: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    imported_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    imported_by: Mapped[str] = mapped_column(String(100), default="")
    app_version: Mapped[str] = mapped_column(String(32), default="")
    schema_revision: Mapped[str] = mapped_column(String(32), default="")
    # JSON: per entity {"new", "updated", "deleted", "unchanged"}; warnings as a list.
    summary: Mapped[str] = mapped_column(Text, default="{}")
    warnings: Mapped[str] = mapped_column(Text, default="[]")
    # The signed receipt's body, so that a lost receipt can be written again.
    receipt: Mapped[str] = mapped_column(Text, default="")
    # JSON list: for an office's package, each commune it carries and the
    # number of the commune's package its data came from (provenance).
    sources: Mapped[str] = mapped_column(Text, default="[]")

    __table_args__ = (
        Index("uq_exchange_imports_partner_sequence", "partner_code", "sequence", unique=True),
    )


class ExchangeExport(Base):
    """A package this unit wrote: its sequence number and what the office answered."""

    __tablename__ = "exchange_exports"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    owner_code: Mapped[str] = mapped_column(String(10))
    sequence: Mapped[int] = mapped_column(Integer)
    year: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    # "writing" while the file is being written (a crash leaves a gap in the
    # numbering, which the office reports, never a number used twice).
    status: Mapped[str] = mapped_column(String(10), default="writing")
    file_name: Mapped[str] = mapped_column(String(260), default="")
    package_sha256: Mapped[str] = mapped_column(String(64), default="")
    recipient_fingerprint: Mapped[str | None] = mapped_column(String(64))
    counts: Mapped[str] = mapped_column(Text, default="{}")
    receipt_imported_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    receipt_accepted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    receipt_office: Mapped[str] = mapped_column(String(200), default="")
    receipt_fingerprint: Mapped[str | None] = mapped_column(String(64))
    receipt_summary: Mapped[str] = mapped_column(Text, default="")
    receipt_warnings: Mapped[str] = mapped_column(Text, default="")

    __table_args__ = (
        CheckConstraint("status IN ('writing', 'written')", name="status"),
        Index("uq_exchange_exports_owner_sequence", "owner_code", "sequence", unique=True),
    )
