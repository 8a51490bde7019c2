"""Revision 0002 (app_settings) upgrades a database of revision 0001 in place."""

from datetime import UTC, datetime

from sqlalchemy import insert, inspect, select

from xhht_desktop.context import Actor, open_context
from xhht_desktop.core.literacy import LiteracySettings
from xhht_desktop.store import migrate
from xhht_desktop.store.engine import make_engine
from xhht_desktop.store.models import Installation, Village


def test_a_0001_database_is_backed_up_and_upgraded_with_its_data(settings):
    engine = make_engine(settings.database_url)
    migrate.upgrade(engine, "0001")
    now = datetime.now(UTC)
    with engine.begin() as connection:
        connection.execute(
            insert(Installation).values(
                id=1,
                role="commune",
                province_code="68",
                province_name="Tỉnh Lâm Đồng",
                commune_code="24717",
                commune_name="Xã Đức An",
                office_name=None,
                receiving_office="",
                year=2026,
                signer_name="",
                signer_title="",
                is_demo=False,
                created_at=now,
            )
        )
        connection.execute(
            insert(Village).values(
                id="v-1",
                commune_code="24717",
                created_at=now,
                updated_at=now,
                revision=1,
                kind="thon",
                name="Thôn 1",
                name_key="thon 1",
                sort_key="",
            )
        )
    assert "app_settings" not in inspect(engine).get_table_names()
    engine.dispose()

    context = open_context(settings, Actor("test"))
    try:
        assert context.migrated_from == "0001"
        assert [b.reason for b in context.backups.list()] == ["truoc-nang-cap"]
        assert migrate.schema_state(context.engine) is migrate.SchemaState.CURRENT
        assert migrate.current_revision(context.engine) == migrate.head_revision()
        assert "app_settings" in inspect(context.engine).get_table_names()
        assert context.setup.require().commune_name == "Xã Đức An"
        with context.reading() as session:
            assert session.scalars(select(Village.name)).all() == ["Thôn 1"]
        # The new table works: defaults first, then what was saved.
        assert context.literacy.settings() == LiteracySettings()
        context.literacy.save_settings(LiteracySettings(difficult_area=True))
        assert context.literacy.settings().difficult_area is True
    finally:
        context.close()
