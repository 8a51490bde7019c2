"""Revision 0004 (learning models) upgrades a database of revision 0003 with its data."""

from datetime import UTC, datetime

from sqlalchemy import inspect, text

from xhht_desktop.context import Actor, open_context
from xhht_desktop.store import migrate
from xhht_desktop.store.engine import make_engine


def test_a_0003_database_keeps_its_households_and_gains_the_models(settings):
    engine = make_engine(settings.database_url)
    migrate.upgrade(engine, "0003")
    now = datetime.now(UTC).isoformat()
    identity = "'24717', :now, :now, 1, NULL"
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO villages (id, kind, name, name_key, sort_key, commune_code, "
                f"created_at, updated_at, revision, deleted_at) VALUES "
                f"('v-1', 'thon', 'Thôn 1', 'thon 1', 'thon 1', {identity})"
            ),
            {"now": now},
        )
        connection.execute(
            text(
                "INSERT INTO households (id, code, village_id, head_name, address, search_key, "
                "sort_key, commune_code, created_at, updated_at, revision, deleted_at) VALUES "
                f"('h-1', 'H01', 'v-1', 'Nguyễn Văn An', '', 'h01', 'an', {identity})"
            ),
            {"now": now},
        )
    engine.dispose()
    context = open_context(settings, Actor("test"))
    try:
        assert migrate.current_revision(context.engine) == migrate.head_revision()
        tables = set(inspect(context.engine).get_table_names())
        assert {"clans", "units", "decisions", "model_entries", "aggregate_values"} <= tables
        with context.engine.connect() as connection:
            row = connection.execute(
                text("SELECT code, head_name, clan_id FROM households WHERE id = 'h-1'")
            ).one()
        assert tuple(row) == ("H01", "Nguyễn Văn An", None)
    finally:
        context.close()
