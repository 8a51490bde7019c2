"""Schema migrations: bring a database to the version this app knows.

A database from an older version is upgraded (the caller backs it up first);
one written by a newer version is refused rather than guessed at.
"""

from __future__ import annotations

import enum
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine

MIGRATIONS = Path(__file__).with_name("migrations")


class SchemaState(enum.Enum):
    EMPTY = "empty"
    CURRENT = "current"
    OLDER = "older"
    NEWER = "newer"


def _config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


def script_directory() -> ScriptDirectory:
    return ScriptDirectory.from_config(_config())


def head_revision() -> str:
    head = script_directory().get_current_head()
    assert head is not None, "the migrations folder has no revision"
    return head


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def schema_state(engine: Engine) -> SchemaState:
    current = current_revision(engine)
    if current is None:
        return SchemaState.EMPTY
    head = head_revision()
    if current == head:
        return SchemaState.CURRENT
    known = {rev.revision for rev in script_directory().walk_revisions()}
    return SchemaState.OLDER if current in known else SchemaState.NEWER


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Apply every migration up to ``revision`` in one transaction.

    On SQLite, foreign keys are not enforced while the migrations run: a
    check constraint is changed by rebuilding the table, and dropping the
    old table would fail (or cascade) under the rows that point at it.
    The keys are checked once the schema is final instead.

    Raises:
        MigrationBrokeKeys: A migration left rows pointing at nothing; the
            transaction is rolled back.
    """
    config = _config()
    sqlite = engine.dialect.name == "sqlite"
    with engine.connect() as connection:
        if sqlite:
            # Only takes effect outside a transaction, hence before begin().
            connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
            connection.commit()
        try:
            with connection.begin():
                config.attributes["connection"] = connection
                command.upgrade(config, revision)
                if sqlite:
                    broken = connection.exec_driver_sql("PRAGMA foreign_key_check").all()
                    if broken:
                        raise MigrationBrokeKeys(sorted({str(row[0]) for row in broken}))
        finally:
            if sqlite:
                connection.exec_driver_sql("PRAGMA foreign_keys=ON")
                connection.commit()


class MigrationBrokeKeys(RuntimeError):
    """A migration left rows whose foreign keys point at nothing (a bug of ours)."""

    def __init__(self, tables: list[str]) -> None:
        super().__init__(f"foreign keys broken in: {', '.join(tables)}")
        self.tables = tables
