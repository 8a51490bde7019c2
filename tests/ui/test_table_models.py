"""The paged table model over the services' count and page queries."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QModelIndex, Qt

from xhht_desktop.context import AppContext
from xhht_desktop.core.registers import HouseholdDraft, PersonDraft, VillageDraft
from xhht_desktop.store.repositories import PersonFilter, PersonRow
from xhht_desktop.ui.table_models import (
    ID_ROLE,
    RIGHT,
    ROW_ROLE,
    Column,
    PagedTableModel,
    format_thousands,
)

COLUMNS: list[Column[PersonRow]] = [
    Column("Họ và tên", lambda p: p.full_name),
    Column("Năm sinh", lambda p: str(p.birth_year), RIGHT),
    Column("Mã hộ", lambda p: p.household_code),
]


def _persons(context: AppContext, how_many: int) -> list[str]:
    village = context.villages.save(VillageDraft("thon", "Thôn Đức An"))
    household = context.households.save(HouseholdDraft("H001", village.id, "Nguyễn Văn An"))
    return [
        context.persons.save(
            PersonDraft(household.id, f"Người Thứ {n:03d}", 1950 + n % 60, "MF"[n % 2], "01")
        ).id
        for n in range(how_many)
    ]


def _model(context: AppContext, **kw) -> PagedTableModel:
    flt = PersonFilter()
    return PagedTableModel(
        COLUMNS,
        count=lambda: context.persons.count(flt),
        page=lambda offset, limit: context.persons.page(flt, offset, limit),
        **kw,
    )


def test_the_model_passes_the_model_tester_with_real_rows(qtmodeltester, context):
    _persons(context, 25)
    model = _model(context, page_size=10)
    qtmodeltester.check(model)
    assert model.rowCount() == 25, "the tester fetched every page"
    assert model.columnCount() == 3
    assert model.headerData(0, Qt.Orientation.Horizontal) == "Họ và tên"


def test_an_empty_query_passes_the_model_tester(qtmodeltester, context):
    model = _model(context)
    qtmodeltester.check(model)
    assert (model.rowCount(), model.total(), model.canFetchMore(QModelIndex())) == (0, 0, False)


def test_rows_are_loaded_one_page_at_a_time(qtbot, context):
    ids = _persons(context, 450)
    calls: list[tuple[int, int]] = []

    def page(offset: int, limit: int) -> list[PersonRow]:
        calls.append((offset, limit))
        return context.persons.page(PersonFilter(), offset, limit)

    model = PagedTableModel(COLUMNS, lambda: context.persons.count(PersonFilter()), page)
    assert (model.total(), model.rowCount(), calls) == (450, 200, [(0, 200)])
    assert model.canFetchMore(QModelIndex())

    with qtbot.waitSignal(model.rowsInserted):
        model.fetchMore(QModelIndex())
    assert model.rowCount() == 400
    model.fetchMore(QModelIndex())
    assert model.rowCount() == 450
    assert not model.canFetchMore(QModelIndex())
    assert calls == [(0, 200), (200, 200), (400, 50)]
    assert sorted(model.row_id(n) for n in range(450)) == sorted(ids)

    # A filter change is one count and one first page again.
    calls.clear()
    model.reset()
    assert (model.rowCount(), calls) == (200, [(0, 200)])


def test_cells_ids_and_rows(context):
    _persons(context, 3)
    model = _model(context)
    first = model.row_at(0)
    index = model.index(0, 1)
    assert model.data(model.index(0, 0)) == first.full_name
    assert model.data(index) == str(first.birth_year)
    assert model.data(index, ID_ROLE) == first.id == model.row_id(0)
    assert model.data(index, ROW_ROLE) == first
    assert model.data(index, Qt.ItemDataRole.TextAlignmentRole) == int(RIGHT.value)
    assert model.row_at(index) == first
    assert model.find_id(model.row_id(2)) == 2
    assert model.find_id("not-an-id") is None
    with pytest.raises(IndexError):
        model.row_at(3)
    with pytest.raises(IndexError):
        model.row_at(QModelIndex())


def test_a_new_query_replaces_the_rows(context):
    _persons(context, 6)
    model = _model(context)
    women = PersonFilter(sex="F")
    model.set_query(
        lambda: context.persons.count(women),
        lambda offset, limit: context.persons.page(women, offset, limit),
    )
    assert model.total() == model.rowCount() == 3
    assert {model.row_at(n).sex for n in range(3)} == {"F"}


def test_rows_deleted_between_count_and_page_stop_the_fetching(context):
    ids = _persons(context, 5)
    model = _model(context, page_size=2)
    assert model.rowCount() == 2
    for person_id in ids:
        context.persons.delete(person_id)
    model.fetchMore(QModelIndex())
    assert model.rowCount() == 2
    assert not model.canFetchMore(QModelIndex())


def test_thousands_are_grouped_with_dots():
    assert [format_thousands(n) for n in (0, 999, 12345, 200000)] == [
        "0",
        "999",
        "12.345",
        "200.000",
    ]
