"""A commune is the only writer of its records: an office's edits of them are refused.

At a consolidating office, records imported from communes keep their
commune's code. A ``before_flush`` hook on every unit of work refuses to
write a register record whose ``commune_code`` is not the office's own, so
no service (and no future screen) can change a commune's data by mistake.
Package imports write with Core statements of their own, outside this hook,
after verifying the commune's signature.
"""

from __future__ import annotations

from itertools import chain

from sqlalchemy import event, select
from sqlalchemy.orm import Session

from xhht_desktop.errors import PermissionDenied
from xhht_desktop.store.audit import AuditedSession
from xhht_desktop.store.models import Installation, RecordMixin

_OWNER = "ownership.owner"


def _office_code(session: Session) -> str | None:
    """The office's own code, or ``None`` when this is a commune (or not set up)."""
    if _OWNER not in session.info:
        row = (
            session.connection()
            .execute(
                select(
                    Installation.role, Installation.province_code, Installation.office_code
                ).where(Installation.id == 1)
            )
            .first()
        )
        session.info[_OWNER] = (
            (row[2] or f"P{row[1]}") if row is not None and row[0] == "office" else None
        )
    owner = session.info[_OWNER]
    return owner if isinstance(owner, str) else None


def refuse_foreign_writes(session: Session, _context: object, _instances: object) -> None:
    """Refuse, at an office, a new or changed record that belongs to a commune."""
    records = [
        obj
        for obj in chain(session.new, session.dirty)
        if isinstance(obj, RecordMixin) and (obj in session.new or session.is_modified(obj))
    ]
    if not records:
        return
    office = _office_code(session)
    if office is None:
        return
    for record in records:
        if record.commune_code is not None and record.commune_code != office:
            raise PermissionDenied(
                f"Bản ghi này thuộc xã mã {record.commune_code}: cơ quan tổng hợp chỉ xem, "
                "không sửa hay xóa dữ liệu của xã. Muốn thay đổi, hãy đề nghị xã sửa rồi gửi "
                "gói dữ liệu mới."
            )


def install() -> None:
    """Hook :func:`refuse_foreign_writes` into every unit of work (once)."""
    if not event.contains(AuditedSession, "before_flush", refuse_foreign_writes):
        event.listen(AuditedSession, "before_flush", refuse_foreign_writes)
