import sqlite3

import pytest
from sqlalchemy import inspect, text

from xhht_desktop.context import Actor, open_context
from xhht_desktop.errors import DatabaseTooNew
from xhht_desktop.store import migrate
from xhht_desktop.store.models import Base


def test_migrations_build_the_schema_of_the_models(settings):
    context = open_context(settings, Actor("test"))
    try:
        assert migrate.schema_state(context.engine) is migrate.SchemaState.CURRENT
        inspector = inspect(context.engine)
        for table in Base.metadata.sorted_tables:
            migrated = {c["name"] for c in inspector.get_columns(table.name)}
            assert migrated == {c.name for c in table.columns}, table.name
    finally:
        context.close()


def test_sqlite_runs_with_wal_and_foreign_keys(context):
    with context.engine.connect() as connection:
        assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1


def test_a_database_from_a_newer_version_is_refused_untouched(settings):
    context = open_context(settings, Actor("test"))
    context.close()
    path = settings.database_file
    with sqlite3.connect(path) as connection:
        connection.execute("UPDATE alembic_version SET version_num = '9999_future'")
    before = path.read_bytes()
    with pytest.raises(DatabaseTooNew, match="phiên bản mới hơn"):
        open_context(settings, Actor("test"))
    assert path.read_bytes() == before


def test_migrations_and_models_agree_on_every_column_index_and_constraint(context):
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    with context.engine.connect() as connection:
        migration_context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(migration_context, Base.metadata) == []
