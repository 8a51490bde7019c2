"""At an office, records that belong to a commune cannot be changed through the services."""

from __future__ import annotations

import pytest
from sqlalchemy import insert, select

from xhht_desktop.core.registers import VillageDraft
from xhht_desktop.errors import PermissionDenied
from xhht_desktop.services.setup import OfficeSetup
from xhht_desktop.store.models import Village, new_id, utcnow


@pytest.fixture
def office(empty_context):
    empty_context.setup.init_office(
        OfficeSetup(province_code="68", office_name="Sở GD&ĐT Lâm Đồng", year=2026)
    )
    return empty_context


def _imported_village(context) -> str:
    # As a package import writes it: Core, with the commune's code.
    village_id = new_id()
    with context.transaction() as session:
        session.execute(
            insert(Village),
            [
                {
                    "id": village_id,
                    "commune_code": "24717",
                    "created_at": utcnow(),
                    "updated_at": utcnow(),
                    "revision": 4,
                    "kind": "thon",
                    "name": "Thôn 1",
                    "name_key": "thon 1",
                    "sort_key": "thon 1",
                }
            ],
        )
    return village_id


def test_the_office_cannot_edit_or_delete_a_communes_record(office):
    village_id = _imported_village(office)
    with pytest.raises(PermissionDenied, match="thuộc xã mã 24717"):
        office.villages.save(VillageDraft(kind="thon", name="Thôn Một"), village_id)
    with pytest.raises(PermissionDenied):
        office.villages.delete(village_id)
    with office.reading() as session:
        row = session.execute(select(Village.name, Village.revision, Village.deleted_at)).one()
    assert tuple(row) == ("Thôn 1", 4, None)


def test_the_office_keeps_its_own_records(office):
    saved = office.villages.save(VillageDraft(kind="thon", name="Thôn của Sở"))
    renamed = office.villages.save(VillageDraft(kind="thon", name="Thôn đổi tên"), saved.id)
    assert renamed.name == "Thôn đổi tên"
    with office.reading() as session:
        assert session.scalar(select(Village.commune_code)) == "P68"


def test_a_commune_edits_its_records_as_before(context):
    saved = context.villages.save(VillageDraft(kind="thon", name="Thôn 2"))
    assert (
        context.villages.save(VillageDraft(kind="thon", name="Thôn 3"), saved.id).name == "Thôn 3"
    )
