"""Reading the audit log: the history of one record, and every change in a period.

The log is written by the unit of work (``store.audit``) and never changed;
this service only reads it, naming each record the way the registers do
("Hộ H01 — Nguyễn Văn An") and showing times in Vietnam's time.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import TYPE_CHECKING

from sqlalchemy import Select, func, select, union_all
from sqlalchemy.orm import Session

from xhht_desktop.core.certificates import VIETNAM_TIME
from xhht_desktop.errors import FieldIssue, NotFound, ValidationFailed
from xhht_desktop.store.models import (
    AuditEntry,
    Clan,
    Decision,
    Household,
    Person,
    Unit,
    User,
    Village,
)

if TYPE_CHECKING:
    from xhht_desktop.context import AppContext
    from xhht_desktop.reports.document import Document

PAGE = 2000


@dataclass(frozen=True)
class AuditRow:
    """One logged change, ready to show.

    Attributes:
        at: When, in Vietnam's time.
        actor: Who (the user name, or the OS user on the command line).
        action: ``create``, ``update``, ``delete``, ``restore`` (or a bulk action).
        entity: The table of the record (``persons``…).
        record_id: The record's id.
        record: The record as people name it ("Nguyễn Văn An"), or its id.
        field: The changed column; ``None`` for a whole record.
        old_value: What it was (text), ``None`` when it was empty or new.
        new_value: What it became (text), ``None`` when it was cleared.
    """

    at: datetime
    actor: str
    action: str
    entity: str
    record_id: str
    record: str
    field: str | None
    old_value: str | None
    new_value: str | None


def vietnam_day_bounds(start: date, end: date) -> tuple[datetime, datetime]:
    """The UTC instants from the start of ``start`` to the end of ``end``, Vietnam's days."""
    first = datetime.combine(start, time.min, VIETNAM_TIME).astimezone(UTC)
    after = datetime.combine(end + timedelta(days=1), time.min, VIETNAM_TIME).astimezone(UTC)
    return first, after


def _local(moment: datetime) -> datetime:
    # SQLite hands back naive times; they were stored in UTC.
    aware = moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
    return aware.astimezone(VIETNAM_TIME)


def _labels(session: Session, wanted: dict[str, set[str]]) -> dict[str, str]:
    """Names of records by id, for the entities that have one."""
    labels: dict[str, str] = {}
    simple = {"villages": Village, "clans": Clan, "units": Unit}
    for entity, ids in wanted.items():
        if not ids:
            continue
        chunks = [sorted(ids)[i : i + 500] for i in range(0, len(ids), 500)]
        for chunk in chunks:
            if entity == "persons":
                rows = session.execute(
                    select(Person.id, Person.full_name).where(Person.id.in_(chunk))
                )
                labels.update({rid: name for rid, name in rows})
            elif entity == "households":
                rows = session.execute(
                    select(Household.id, Household.code, Household.head_name).where(
                        Household.id.in_(chunk)
                    )
                )
                labels.update({rid: f"Hộ {code} — {head}" for rid, code, head in rows})
            elif entity == "decisions":
                rows = session.execute(
                    select(Decision.id, Decision.number).where(Decision.id.in_(chunk))
                )
                labels.update({rid: f"Quyết định {number}" for rid, number in rows})
            elif entity == "users":
                rows = session.execute(
                    select(User.id, User.username, User.full_name).where(User.id.in_(chunk))
                )
                labels.update({rid: f"{full} ({name})" for rid, name, full in rows})
            elif entity in simple:
                model = simple[entity]
                rows = session.execute(select(model.id, model.name).where(model.id.in_(chunk)))
                labels.update({rid: name for rid, name in rows})
    return labels


# A field that refers to another record: its values are shown as that record's name.
_REFERENCES = {
    "village_id": "villages",
    "household_id": "households",
    "clan_id": "clans",
    "decision_id": "decisions",
}


def _rows(session: Session, entries: Sequence[AuditEntry]) -> list[AuditRow]:
    wanted: dict[str, set[str]] = {}
    for entry in entries:
        wanted.setdefault(entry.entity, set()).add(entry.record_id)
        target = _REFERENCES.get(entry.field or "")
        if target is not None:
            values = {v for v in (entry.old_value, entry.new_value) if v}
            wanted.setdefault(target, set()).update(values)
    labels = _labels(session, wanted)

    def shown(entry: AuditEntry, value: str | None) -> str | None:
        if value is None or entry.field not in _REFERENCES:
            return value
        return labels.get(value, value)

    return [
        AuditRow(
            _local(e.at),
            e.actor,
            e.action,
            e.entity,
            e.record_id,
            labels.get(e.record_id, e.record_id),
            e.field,
            shown(e, e.old_value),
            shown(e, e.new_value),
        )
        for e in entries
    ]


def _period_ids(first: datetime, after: datetime) -> Select[tuple[int]]:
    """Ids of the period's entries, a record's creation counted once.

    A record created field by field (an import of 30,000 persons logs some
    400,000 fields) is one line of a period's report: its first field stands
    for the creation; the record's own history lists every field.
    """
    in_period = (AuditEntry.at >= first) & (AuditEntry.at < after)
    changes = select(AuditEntry.id).where(in_period, AuditEntry.action != "create")
    creations = (
        select(func.min(AuditEntry.id))
        .where(in_period, AuditEntry.action == "create")
        .group_by(AuditEntry.entity, AuditEntry.record_id)
    )
    return union_all(changes, creations)  # type: ignore[return-value]


class AuditService:
    """Read the audit log (nothing here writes it)."""

    def __init__(self, context: AppContext) -> None:
        self.context = context

    def history(self, record_id: str) -> list[AuditRow]:
        """Every logged change of one record (any register), oldest first."""
        with self.context.reading() as session:
            entries = list(
                session.scalars(
                    select(AuditEntry)
                    .where(AuditEntry.record_id == record_id)
                    .order_by(AuditEntry.at, AuditEntry.id)
                )
            )
            return _rows(session, entries)

    def record_name(self, record_id: str) -> str:
        """The record as people name it, or its id when it has no name (or is unknown)."""
        with self.context.reading() as session:
            entity = session.scalar(
                select(AuditEntry.entity).where(AuditEntry.record_id == record_id).limit(1)
            )
            if entity is None:
                return record_id
            return _labels(session, {entity: {record_id}}).get(record_id, record_id)

    def period_count(self, start: date, end: date) -> int:
        """How many lines :meth:`period` gives for ``start``…``end`` (Vietnam's days)."""
        _check_period(start, end)
        ids = _period_ids(*vietnam_day_bounds(start, end)).subquery()
        with self.context.reading() as session:
            return int(session.scalar(select(func.count()).select_from(ids)) or 0)

    def period(
        self, start: date, end: date, offset: int = 0, limit: int | None = None
    ) -> list[AuditRow]:
        """The changes from ``start`` to ``end`` inclusive, oldest first.

        Each update, deletion or restoration is one line per field; a record's
        creation is one line (see :func:`_period_ids`).

        Raises:
            ValidationFailed: ``end`` is before ``start``.
        """
        _check_period(start, end)
        ids = _period_ids(*vietnam_day_bounds(start, end)).subquery()
        query = (
            select(AuditEntry)
            .where(AuditEntry.id.in_(select(ids.c[0])))
            .order_by(AuditEntry.at, AuditEntry.id)
            .offset(offset)
        )
        if limit is not None:
            query = query.limit(limit)
        with self.context.reading() as session:
            return _rows(session, list(session.scalars(query)))

    def iter_period(self, start: date, end: date) -> Iterator[AuditRow]:
        """:meth:`period` read page by page: a long period never sits in memory whole.

        The ids of the period's lines are found once (a year with an import
        of 30,000 persons holds some 400,000 entries to group), then the
        lines are read a page of ids at a time.
        """
        _check_period(start, end)
        ids = _period_ids(*vietnam_day_bounds(start, end)).subquery()
        with self.context.reading() as session:
            # Entries are appended as they happen: id order is time order.
            wanted = sorted(session.scalars(select(ids.c[0])))
        for first in range(0, len(wanted), PAGE):
            page = wanted[first : first + PAGE]
            with self.context.reading() as session:
                entries = list(
                    session.scalars(
                        select(AuditEntry)
                        .where(AuditEntry.id.in_(page))
                        .order_by(AuditEntry.at, AuditEntry.id)
                    )
                )
                yield from _rows(session, entries)


def _check_period(start: date, end: date) -> None:
    if end < start:
        raise ValidationFailed(
            [
                FieldIssue(
                    "to",
                    f"Ngày cuối ({end:%d/%m/%Y}) trước ngày đầu ({start:%d/%m/%Y}): hãy chọn lại.",
                )
            ]
        )


# --- The printed log (report kind ``nhat-ky``) ------------------------------------------


PERIOD_SEPARATOR = ".."


def period_value(start: date, end: date) -> str:
    """The ``period`` option of the ``nhat-ky`` report: ``2026-01-01..2026-03-31``."""
    return f"{start.isoformat()}{PERIOD_SEPARATOR}{end.isoformat()}"


def parse_period(value: str) -> tuple[date, date]:
    """The days of a ``period`` option.

    Raises:
        ValidationFailed: not two ISO dates, or the end before the start.
    """
    try:
        first, last = value.split(PERIOD_SEPARATOR)
        start, end = date.fromisoformat(first.strip()), date.fromisoformat(last.strip())
    except ValueError:
        raise ValidationFailed(
            [
                FieldIssue(
                    "period", f"Thời gian '{value}' không đúng dạng NĂM-THÁNG-NGÀY..NĂM-THÁNG-NGÀY."
                )
            ]
        ) from None
    _check_period(start, end)
    return start, end


def period_choices(year: int) -> list[tuple[str, str]]:
    """The whole year (the default), its quarters and its months."""
    choices = [(period_value(date(year, 1, 1), date(year, 12, 31)), f"Cả năm {year}")]
    for quarter, roman in enumerate(("I", "II", "III", "IV")):
        start = date(year, 3 * quarter + 1, 1)
        end = _month_end(year, 3 * quarter + 3)
        choices.append((period_value(start, end), f"Quý {roman}/{year}"))
    for month in range(1, 13):
        choices.append(
            (period_value(date(year, month, 1), _month_end(year, month)), f"Tháng {month}/{year}")
        )
    return choices


def _month_end(year: int, month: int) -> date:
    following = date(year + 1, 1, 1) if month == 12 else date(year, month + 1, 1)
    return following - timedelta(days=1)


def audit_document(
    context: AppContext,
    year: int,
    issued: date,
    *,
    period: str | None = None,
    record: str | None = None,
) -> Document:
    """The ``nhat-ky`` report: one record's history, or the changes of a period.

    Args:
        context: The application context.
        year: The year, when neither ``period`` nor ``record`` is given.
        issued: Date of the document.
        period: ``period_value`` of the days to print.
        record: A record's id: its whole history (``period`` does not apply).

    Raises:
        NotFound: the log has nothing about ``record``.
        ValidationFailed: ``period`` is not two dates in order.
    """
    from xhht_desktop.reports import audit_log

    info = context.setup.require()
    service = context.audit
    if record:
        rows = service.history(record.strip())
        if not rows:
            raise NotFound(
                f"Nhật ký không có thay đổi nào của hồ sơ mã '{record}'. Hãy kiểm tra lại mã "
                "hồ sơ (xem trong hộp thoại sửa hồ sơ hoặc trong nhật ký theo thời gian)."
            )
        return audit_log.record_history(
            info, issued, rows[0].record_id, rows[0].record, rows[0].entity, rows
        )
    start, end = parse_period(period) if period else (date(year, 1, 1), date(year, 12, 31))
    return audit_log.period_log(
        info,
        issued,
        start,
        end,
        lambda: service.iter_period(start, end),
        service.period_count(start, end),
    )
