"""The audit log: every change of a register record, field by field.

A ``before_flush`` hook sees every record the session is about to write, so a
service cannot forget to log: it bumps the revision and the update time,
recomputes derived keys, and adds one ``AuditEntry`` per changed field. The
actor comes from ``session.info["actor"]`` (set by the unit of work).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import event, inspect
from sqlalchemy.orm import Session

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


def _audited_columns(record: RecordMixin) -> list[str]:
    mapper = inspect(type(record))
    return [
        attr.key
        for attr in mapper.column_attrs
        if attr.key not in _IDENTITY and attr.key not in record.DERIVED
    ]


def _log_new(session: Session, actor: str, now: datetime, record: RecordMixin) -> None:
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
        session.add(
            AuditEntry(
                at=now,
                actor=actor,
                action="create",
                entity=entity,
                record_id=record.id,
                field=key,
                old_value=None,
                new_value=value,
            )
        )


def _log_dirty(session: Session, actor: str, now: datetime, record: RecordMixin) -> None:
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
        session.add(
            AuditEntry(
                at=now,
                actor=actor,
                action=action,
                entity=entity,
                record_id=record.id,
                field=field,
                old_value=old,
                new_value=new,
            )
        )


def _before_flush(session: Session, _context: object, _instances: object) -> None:
    actor = str(session.info.get("actor") or "?")
    now = utcnow()
    for obj in list(session.new):
        if isinstance(obj, RecordMixin):
            _log_new(session, actor, now, obj)
    for obj in list(session.dirty):
        if isinstance(obj, RecordMixin) and session.is_modified(obj):
            _log_dirty(session, actor, now, obj)
    for obj in session.deleted:
        if isinstance(obj, RecordMixin):
            # Tombstones are how records leave; a hard delete would be lost
            # to the consolidating office and to the audit log.
            raise RuntimeError(f"register records are soft-deleted, not removed: {obj!r}")


class AuditedSession(Session):
    """The session every unit of work uses: its flushes are audited."""


event.listen(AuditedSession, "before_flush", _before_flush)


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
