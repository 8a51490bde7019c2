"""What a package changes at the office, and applying it.

A commune is the only writer of its records, so merging needs no conflict
rules: each record is matched by id among the records the office holds for
that commune, and the higher revision wins. A record the office does not
have is new; one with a higher revision replaces the office's copy (a
tombstone with a higher revision deletes it); one with the same revision is
unchanged; one with a lower revision is ignored and reported (the office
already holds newer data).

Everything is SQLAlchemy Core on the caller's connection and transaction, so
that it runs unchanged on SQLite and PostgreSQL, and executemany keeps an
import of hundreds of thousands of records fast.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from operator import itemgetter
from typing import Any

from sqlalchemy import Connection, Table, bindparam, insert, select, update

from xhht_desktop.errors import PackageRefused
from xhht_desktop.exchange.records import ENTITIES, MODEL_SUBJECTS, Entity, references
from xhht_desktop.store.models import AuditEntry, utcnow

Record = dict[str, Any]
CHUNK = 5000
# A record being updated is parked outside the "one live record per name"
# indexes with this deletion time until every record of its register is in
# place: two villages that swapped names must not collide half-way.
_PARKED = datetime(1970, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class EntityChanges:
    """What a package changes in one register.

    Attributes:
        entity: The register (table name).
        label: Its name for the official.
        new: Records the office does not have yet.
        updated: Records with a higher revision than the office's (restores included).
        deleted: Live records at the office that the package deletes.
        unchanged: Records with the office's revision.
        older: Records with a lower revision than the office's (ignored).
        missing: Records the office holds for the commune that the package
            does not carry (kept as they are).
    """

    entity: str
    label: str
    new: int = 0
    updated: int = 0
    deleted: int = 0
    unchanged: int = 0
    older: int = 0
    missing: int = 0

    @property
    def changed(self) -> int:
        return self.new + self.updated + self.deleted

    def as_dict(self) -> dict[str, int]:
        return {
            "new": self.new,
            "updated": self.updated,
            "deleted": self.deleted,
            "unchanged": self.unchanged,
            "older": self.older,
            "missing": self.missing,
        }


@dataclass
class _Work:
    inserts: list[Record] = field(default_factory=list)
    updates: list[Record] = field(default_factory=list)
    # (id, old revision, new revision, action) of each replaced record, for the audit log.
    replaced: list[tuple[str, int, int, str]] = field(default_factory=list)


@dataclass
class MergePlan:
    """The changes of one package, counted per register, ready to apply.

    ``owners`` are the codes whose records the package carries: the commune
    alone, or an office and the communes it holds (an office's package).
    """

    commune_code: str
    changes: list[EntityChanges]
    work: dict[str, _Work]
    owners: tuple[str, ...] = ()

    @property
    def changed(self) -> int:
        return sum(c.changed for c in self.changes)

    def summary(self) -> dict[str, dict[str, int]]:
        return {c.entity: c.as_dict() for c in self.changes}


def check_records(
    commune_code: str,
    records: Mapping[str, Sequence[Record]],
    owners: Collection[str] = (),
) -> None:
    """Refuse records that a commune (or an office) could not have written.

    Every record must belong to the package's commune (for an office's
    package: to the office or one of the communes its manifest lists, given
    as ``owners``), ids must be unique per register, and every reference
    must point at a record of the same package and of the same owner (a
    package carries all of a commune's records, tombstones too).

    Raises:
        PackageRefused: With the register and the record's id.
    """
    allowed = set(owners) | {commune_code}
    # id -> owner, per register
    ids: dict[str, dict[str, str]] = {}
    for entity in ENTITIES:
        rows = records.get(entity.name, ())
        seen: dict[str, str] = {}
        for row in rows:
            if row["commune_code"] not in allowed:
                raise PackageRefused(
                    f"{entity.label}: bản ghi {row['id']} thuộc đơn vị mã "
                    f"«{row['commune_code']}», không phải xã {commune_code} gửi gói. Một xã chỉ "
                    "được gửi dữ liệu của chính mình; gói bị từ chối."
                )
            if row["id"] in seen:
                raise PackageRefused(f"{entity.label}: bản ghi {row['id']} có hai lần trong gói.")
            seen[row["id"]] = row["commune_code"]
        ids[entity.name] = seen
    for entity in ENTITIES:
        links = references(entity)
        for row in records.get(entity.name, ()):
            owner = row["commune_code"]
            for column, target in links.items():
                value = row[column]
                if value is not None and ids.get(target, {}).get(value) != owner:
                    raise PackageRefused(_dangling(entity, row, column))
            if entity.name == "model_entries":
                target = MODEL_SUBJECTS.get(row["model"])
                if target is None or ids.get(target, {}).get(row["subject_id"]) != owner:
                    raise PackageRefused(_dangling(entity, row, "subject_id"))


def _dangling(entity: Entity, row: Record, column: str) -> str:
    return (
        f"{entity.label}: bản ghi {row['id']} trỏ tới «{column}» = {str(row[column])[:40]} "
        "không có trong gói; dữ liệu trong gói không nhất quán, gói bị từ chối."
    )


def _existing(
    connection: Connection, table: Table, owners: Sequence[str]
) -> dict[str, tuple[int, bool, str]]:
    query = select(
        table.c.id, table.c.revision, table.c.deleted_at.is_not(None), table.c.commune_code
    ).where(
        table.c.commune_code.in_(owners) if len(owners) > 1 else table.c.commune_code == owners[0]
    )
    return {row[0]: (int(row[1]), bool(row[2]), row[3]) for row in connection.execute(query)}


def plan(
    connection: Connection,
    commune_code: str,
    records: Mapping[str, Sequence[Record]],
    owners: Sequence[str] = (),
) -> MergePlan:
    """Compare a package's records with the office's records of the same commune(s).

    Args:
        connection: The unit of work's connection.
        commune_code: The sender.
        records: The package's records, checked by :func:`check_records`.
        owners: For an office's package, every code its records may carry
            (the sender's included); by default the sender's alone.
    """
    codes = tuple(dict.fromkeys((commune_code, *owners)))
    changes = []
    work: dict[str, _Work] = {}
    for entity in ENTITIES:
        existing = _existing(connection, entity.table, codes)
        job = _Work()
        new = updated = deleted = unchanged = older = 0
        seen = 0
        rows = records.get(entity.name, ())
        if not existing:
            # A commune's first package: every record is new, none to look up.
            job.inserts = list(rows)
            new, rows = len(rows), ()
        for row in rows:
            known = existing.get(row["id"])
            if known is None:
                job.inserts.append(row)
                new += 1
                continue
            seen += 1
            revision, was_deleted, owner = known
            if owner != row["commune_code"]:
                raise PackageRefused(
                    f"{entity.label}: bản ghi {row['id']} trong gói thuộc đơn vị mã "
                    f"«{row['commune_code']}» nhưng trên máy này là của đơn vị mã «{owner}»; "
                    "gói bị từ chối."
                )
            if row["revision"] > revision:
                job.updates.append(row)
                if row["deleted_at"] is not None and not was_deleted:
                    deleted += 1
                    job.replaced.append((row["id"], revision, row["revision"], "delete"))
                else:
                    updated += 1
                    job.replaced.append((row["id"], revision, row["revision"], "update"))
            elif row["revision"] == revision:
                unchanged += 1
            else:
                older += 1
        work[entity.name] = job
        changes.append(
            EntityChanges(
                entity.name,
                entity.label,
                new=new,
                updated=updated,
                deleted=deleted,
                unchanged=unchanged,
                older=older,
                missing=len(existing) - seen,
            )
        )
    return MergePlan(commune_code, changes, work, codes)


def _chunks(rows: Sequence[Record]) -> Iterator[Sequence[Record]]:
    for start in range(0, len(rows), CHUNK):
        yield rows[start : start + CHUNK]


def _insert_many(connection: Connection, table: Table, rows: Sequence[Record]) -> None:
    """Insert ``rows`` (every column given) with one executemany.

    The statement is SQLAlchemy's, compiled for the connection's dialect, and
    each value goes through its column type's bind processor, as
    ``connection.execute(insert(table), rows)`` would do; only SQLAlchemy's
    per-row parameter bookkeeping is skipped, which for an import of
    hundreds of thousands of records costs as much as the database itself.
    """
    if not rows:
        return
    dialect = connection.dialect
    names = [column.key for column in table.columns]
    compiled = insert(table).compile(dialect=dialect, column_keys=names)
    processors = {
        name: table.c[name].type.dialect_impl(dialect).bind_processor(dialect) for name in names
    }
    if compiled.positional:
        order = list(compiled.positiontup or ())
        pick = itemgetter(*order)
        converted = [(i, processors[name], {}) for i, name in enumerate(order) if processors[name]]
        params: list[Any] = []
        for row in rows:
            values = list(pick(row))
            for i, process, seen in converted:
                if values[i] is not None:
                    values[i] = _processed(process, seen, values[i])
            params.append(tuple(values))
    else:
        named = [(name, process, {}) for name, process in processors.items() if process]
        params = []
        for row in rows:
            values = dict(row)
            for name, process, seen in named:
                if values[name] is not None:
                    values[name] = _processed(process, seen, values[name])
            params.append(values)
    connection.exec_driver_sql(compiled.string, params)


def _processed(process: Any, seen: dict[Any, Any], value: Any) -> Any:
    """``process(value)``, once per distinct value of a column.

    Only dates, times and booleans have bind processors, and records written
    together share them (created and updated times, a deletion time): an
    import of 20,000 persons formats a handful of times, not 60,000. The
    time zone is part of the key: 10:00+07:00 equals 03:00 UTC but is not
    written as the same text.
    """
    key = (value, getattr(value, "tzinfo", None))
    done = seen.get(key)
    if done is None:
        done = seen[key] = process(value)
    return done


def _has_live_unique(table: Table) -> bool:
    return any(index.unique for index in table.indexes)


def apply(connection: Connection, merge: MergePlan, *, actor: str, note: str) -> None:
    """Write a plan's inserts and updates, register by register, parents first.

    Runs in the caller's transaction; the caller commits, or rolls back on
    any error, so that the office's database is unchanged.

    Args:
        connection: The unit of work's connection.
        merge: From :func:`plan`, computed in the same transaction.
        actor: Who imports, for the audit log.
        note: What the audit log says about the package.
    """
    now = utcnow()
    audit: list[dict[str, Any]] = []
    for entity in ENTITIES:
        job = merge.work[entity.name]
        table = entity.table
        park = _has_live_unique(table)
        if job.updates:
            # The record's own owner must match too: an id of one commune is
            # never taken over by another's record.
            statement = update(table).where(
                table.c.id == bindparam("_id"), table.c.commune_code == bindparam("_owner")
            )
            for chunk in _chunks(job.updates):
                rows = []
                for row in chunk:
                    values = {k: v for k, v in row.items() if k not in ("id", "commune_code")}
                    values["_id"] = row["id"]
                    values["_owner"] = row["commune_code"]
                    if park:
                        values["deleted_at"] = _PARKED
                    rows.append(values)
                connection.execute(statement, rows)
        inserts = job.inserts
        if "sort_key" in table.c:
            # In display order, new rows land next to each other in the
            # widest index (the listing's, on the sort key): SQLite touches
            # far fewer index pages than in id order (some 15% of the time).
            inserts = sorted(inserts, key=itemgetter("sort_key"))
        for chunk in _chunks(inserts):
            _insert_many(connection, table, chunk)
        if job.updates and park:
            statement = (
                update(table)
                .where(table.c.id == bindparam("_id"))
                .values(deleted_at=bindparam("_deleted_at"))
            )
            for chunk in _chunks(job.updates):
                connection.execute(
                    statement, [{"_id": r["id"], "_deleted_at": r["deleted_at"]} for r in chunk]
                )
        changes = next(c for c in merge.changes if c.entity == entity.name)
        if changes.changed:
            audit.append(
                _audit(
                    now,
                    actor,
                    "import",
                    entity.name,
                    "*",
                    f"{changes.new} mới, {changes.updated} sửa, {changes.deleted} xóa — {note}",
                )
            )
        for record_id, old, new, action in job.replaced:
            audit.append(
                _audit(now, actor, f"import_{action}", entity.name, record_id, f"r{old} → r{new}")
            )
    if audit:
        connection.execute(insert(AuditEntry.__table__), audit)


def _audit(
    at: datetime, actor: str, action: str, entity: str, record_id: str, value: str
) -> dict[str, Any]:
    return {
        "at": at,
        "actor": actor,
        "action": action,
        "entity": entity,
        "record_id": record_id,
        "field": None,
        "old_value": None,
        "new_value": value,
    }
