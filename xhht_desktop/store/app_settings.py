"""Settings kept in the database: one JSON value per key (table ``app_settings``).

The services give each key a typed accessor (``context.literacy.settings()``);
this module only reads and writes the JSON, and logs every change in the audit
log like a change of a register record.
"""

from __future__ import annotations

import json

from sqlalchemy.orm import Session

from xhht_desktop.store.models import AppSetting, AuditEntry

ENTITY = "app_settings"


def read(session: Session, key: str) -> object | None:
    """The stored value of ``key``, or ``None`` when nothing is stored.

    Raises:
        ValueError: when the stored text is not JSON.
    """
    row = session.get(AppSetting, key)
    return None if row is None else json.loads(row.value)


def write(session: Session, key: str, value: object) -> bool:
    """Store ``value`` under ``key``; returns whether anything changed."""
    text = json.dumps(value, ensure_ascii=False, sort_keys=True)
    row = session.get(AppSetting, key)
    old = None if row is None else row.value
    if old == text:
        return False
    if row is None:
        session.add(AppSetting(key=key, value=text))
    else:
        row.value = text
    session.add(
        AuditEntry(
            actor=str(session.info.get("actor") or "?"),
            action="create" if old is None else "update",
            entity=ENTITY,
            record_id=key,
            field=None,
            old_value=old,
            new_value=text,
        )
    )
    return True
