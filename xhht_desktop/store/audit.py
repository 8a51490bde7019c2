"""The audit log: every change of a register record, field by field.

A ``before_flush`` hook sees every record the session is about to write, so a
service cannot forget to log: it bumps the revision and the update time,
recomputes derived keys, and adds one ``AuditEntry`` per changed field. The
actor comes from ``session.info["actor"]`` (set by the unit of work).

Imports that create tens of thousands of records at once go through
:func:`insert_records`, which writes them without ORM objects but stamps and
logs each one exactly as the hook does.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime
from types import SimpleNamespace
from typing import Any

from sqlalchemy import event, insert, inspect
from sqlalchemy.orm import ORMExecuteState, Session

from xhht_desktop.store.models import AuditEntry, RecordMixin, new_id, utcnow

_IDENTITY = frozenset({"id", "created_at", "updated_at", "revision", "deleted_at"})


def _as_text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value)


_AUDITED: dict[type, tuple[str, ...]] = {}


def _audited_columns(record: RecordMixin | type[RecordMixin]) -> tuple[str, ...]:
    model = record if isinstance(record, type) else type(record)
    columns = _AUDITED.get(model)
    if columns is None:
        columns = tuple(
            attr.key
            for attr in inspect(model).column_attrs
            if attr.key not in _IDENTITY and attr.key not in model.DERIVED
        )
        _AUDITED[model] = columns
    return columns


def _entry(
    at: datetime,
    actor: str,
    action: str,
    entity: str,
    record_id: str,
    field: str | None,
    old_value: str | None,
    new_value: str | None,
) -> dict[str, Any]:
    return {
        "at": at,
        "actor": actor,
        "action": action,
        "entity": entity,
        "record_id": record_id,
        "field": field,
        "old_value": old_value,
        "new_value": new_value,
    }


def _log_new(entries: list[dict[str, Any]], actor: str, now: datetime, record: RecordMixin) -> None:
    if record.id is None:
        # Column defaults apply at INSERT, after this hook: the log needs the id now.
        record.id = new_id()
    record.refresh_derived()
    record.created_at = record.updated_at = now
    record.revision = 1
    entity = type(record).__tablename__  # type: ignore[attr-defined]
    for key in _audited_columns(record):
        value = _as_text(getattr(record, key))
        if value is None or value == "":
            continue
        entries.append(_entry(now, actor, "create", entity, record.id, key, None, value))


def _log_dirty(
    entries: list[dict[str, Any]], actor: str, now: datetime, record: RecordMixin
) -> None:
    state = inspect(record)
    changes: list[tuple[str, str | None, str | None]] = []
    for key in [*_audited_columns(record), "deleted_at"]:
        history = state.attrs[key].history
        if not history.has_changes():
            continue
        old = _as_text(history.deleted[0]) if history.deleted else None
        new = _as_text(history.added[0]) if history.added else None
        if old != new:
            changes.append((key, old, new))
    if not changes:
        return
    record.refresh_derived()
    record.updated_at = now
    record.revision = (record.revision or 0) + 1
    entity = type(record).__tablename__  # type: ignore[attr-defined]
    for key, old, new in changes:
        if key == "deleted_at":
            action, field = ("delete", None) if new else ("restore", None)
            old = new = None
        else:
            action, field = "update", key
        entries.append(_entry(now, actor, action, entity, record.id, field, old, new))


class AuditLogReadOnly(RuntimeError):
    """Something tried to change or remove an audit entry: the log is append-only."""


def _refuse_audit_changes(session: Session) -> None:
    for obj in session.deleted:
        if isinstance(obj, AuditEntry):
            raise AuditLogReadOnly(f"audit entries are never removed: {obj.id}")
    for obj in session.dirty:
        if isinstance(obj, AuditEntry) and session.is_modified(obj):
            raise AuditLogReadOnly(f"audit entries are never changed: {obj.id}")


def _refuse_bulk_audit_changes(state: ORMExecuteState) -> None:
    """Refuse ``update(AuditEntry)`` and ``delete(AuditEntry)`` run through a session."""
    if not (state.is_update or state.is_delete):
        return
    # ORM statements name an annotated copy of the table: compare by name.
    table = getattr(state.statement, "table", None)
    if getattr(table, "name", None) == AuditEntry.__tablename__:
        raise AuditLogReadOnly("the audit log is append-only: no UPDATE or DELETE")


def _before_flush(session: Session, _context: object, _instances: object) -> None:
    _refuse_audit_changes(session)
    actor = str(session.info.get("actor") or "?")
    now = utcnow()
    entries: list[dict[str, Any]] = []
    for obj in list(session.new):
        if isinstance(obj, RecordMixin):
            _log_new(entries, actor, now, obj)
    for obj in list(session.dirty):
        if isinstance(obj, RecordMixin) and session.is_modified(obj):
            _log_dirty(entries, actor, now, obj)
    for obj in session.deleted:
        if isinstance(obj, RecordMixin):
            # Tombstones are how records leave; a hard delete would be lost
            # to the consolidating office and to the audit log.
            raise RuntimeError(f"register records are soft-deleted, not removed: {obj!r}")
    if entries:
        # One executemany on the flush's own connection and transaction: an
        # import of 30,000 persons logs some 400,000 fields, which as ORM
        # objects would cost far more than the records themselves.
        session.connection().execute(insert(AuditEntry.__table__), entries)


def insert_records(
    session: Session, model: type[RecordMixin], rows: Sequence[Mapping[str, Any]]
) -> None:
    """Insert new register records in bulk, stamped and logged as the flush hook does.

    Each record gets its derived keys (from the model's own
    ``refresh_derived``), created/updated times, revision 1 and one
    "create" entry per non-empty field, as if it had been added as an ORM
    object; only the ORM's per-object cost is saved (an import of 30,000
    persons). Records are written on the session's connection, inside its
    transaction.

    Args:
        session: The unit of work's session.
        model: The register model (``Village``, ``Household``, ``Person``).
        rows: Column values of each record; all with the same keys and an
            ``id`` (so that children can refer to their parents).
    """
    if not rows:
        return
    actor = str(session.info.get("actor") or "?")
    now = utcnow()
    entity = model.__tablename__  # type: ignore[attr-defined]
    audited = _audited_columns(model)
    records: list[dict[str, Any]] = []
    entries: list[dict[str, Any]] = []
    for row in rows:
        values = dict(row)
        # A stand-in object lets the model's refresh_derived compute the keys,
        # so that they cannot differ from those of a record saved one by one.
        holder = SimpleNamespace(**values)
        model.refresh_derived(holder)  # type: ignore[arg-type]
        for key in model.DERIVED:
            values[key] = getattr(holder, key)
        values.update(created_at=now, updated_at=now, revision=1, deleted_at=None)
        records.append(values)
        for key in audited:
            value = _as_text(values.get(key))
            if value is None or value == "":
                continue
            entries.append(_entry(now, actor, "create", entity, values["id"], key, None, value))
    connection = session.connection()
    connection.execute(insert(model.__table__), records)  # type: ignore[attr-defined]
    connection.execute(insert(AuditEntry.__table__), entries)


class AuditedSession(Session):
    """The session every unit of work uses: its flushes are audited.

    The audit log it writes is append-only: changing or removing an
    ``AuditEntry`` through it (as an object or by an UPDATE/DELETE statement)
    raises :class:`AuditLogReadOnly` and the unit of work rolls back.
    """


event.listen(AuditedSession, "before_flush", _before_flush)
event.listen(AuditedSession, "do_orm_execute", _refuse_bulk_audit_changes)


def log_bulk(session: Session, entity: str, action: str, count: int, note: str) -> None:
    """Record a bulk write (demo data, an import) as one summary entry."""
    session.add(
        AuditEntry(
            actor=str(session.info.get("actor") or "?"),
            action=action,
            entity=entity,
            record_id="*",
            field=None,
            old_value=None,
            new_value=f"{count} {note}".strip(),
        )
    )
