"""Packages from older app versions: bring their records up to this version's schema.

A manifest names the schema revision (Alembic) its data was written with.
Records of an older package are migrated forward here, step by step, before
they are checked against today's tables, the way Alembic migrates a
database. A schema change that alters a register's columns adds a
:class:`Step` below, tagged with the revision that made it. A package from a
revision this version does not know (a newer app) is refused, never guessed
at.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from xhht_desktop.errors import PackageRefused
from xhht_desktop.store import migrate

Record = dict[str, Any]


@dataclass(frozen=True)
class Step:
    """One change of one register's records, made by one schema revision.

    Attributes:
        revision: The Alembic revision that made the change.
        entity: The register (table name).
        add: New columns and the value records written before get.
        rename: Old column name -> new name.
        drop: Columns that no longer exist.
        transform: Any other change of one record (applied last).
    """

    revision: str
    entity: str
    add: Mapping[str, Any] = field(default_factory=dict)
    rename: Mapping[str, str] = field(default_factory=dict)
    drop: tuple[str, ...] = ()
    transform: Callable[[Record], Record] | None = None

    def apply(self, record: Record) -> Record:
        for old, new in self.rename.items():
            if old in record:
                record[new] = record.pop(old)
        for name in self.drop:
            record.pop(name, None)
        for name, value in self.add.items():
            record.setdefault(name, value)
        return self.transform(record) if self.transform is not None else record


# 0004 made clans, units, decisions, model entries and aggregate values (an
# older package simply has none of them) and let a household join a clan.
STEPS: tuple[Step, ...] = (Step("0004", "households", add={"clan_id": None}),)


@functools.cache
def revision_chain() -> tuple[str, ...]:
    """Every schema revision this version knows, oldest first."""
    revisions = [script.revision for script in migrate.script_directory().walk_revisions()]
    return tuple(reversed(revisions))


def upgrade(
    records: dict[str, list[Record]], revision: str, steps: tuple[Step, ...] = STEPS
) -> dict[str, list[Record]]:
    """Migrate the records of a package written at ``revision`` to the current schema.

    Args:
        records: Raw records per register, changed in place.
        revision: The manifest's schema revision.
        steps: The migration steps (tests pass their own).

    Returns:
        ``records``.

    Raises:
        PackageRefused: ``revision`` is unknown to this version (a newer app
            wrote the package).
    """
    chain = revision_chain()
    if revision not in chain:
        raise PackageRefused(
            f"Gói được tạo bởi phiên bản ứng dụng mới hơn (lược đồ dữ liệu {revision[:32]}). "
            "Hãy cập nhật XHHT Desktop lên phiên bản mới nhất rồi nhập lại."
        )
    later = chain[chain.index(revision) + 1 :]
    for step in sorted(
        (s for s in steps if s.revision in later), key=lambda s: chain.index(s.revision)
    ):
        if step.entity in records:
            records[step.entity] = [step.apply(r) for r in records[step.entity]]
    return records
