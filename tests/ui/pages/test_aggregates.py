"""The aggregate forms page: a village grid typed like a spreadsheet, a commune form."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt, QThreadPool
from PySide6.QtWidgets import QMessageBox

from xhht_desktop.core.registers import VillageDraft
from xhht_desktop.services.setup import OfficeSetup
from xhht_desktop.ui.main_window import MainWindow
from xhht_desktop.ui.pages.aggregates import AggregatesPage

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support")

YEAR = 2026
FORM = "chi-hoi-khuyen-hoc"  # per village: a chi hội (yes/no), members ≤ population
COMMUNE_FORM = "lao-dong-hoc-tap"
Key = Qt.Key
Ctrl = Qt.KeyboardModifier.ControlModifier


@pytest.fixture
def villages(context):
    return {
        "duc_an": context.villages.save(VillageDraft("thon", "Đức An")).id,
        "bu_prang": context.villages.save(VillageDraft("bon", "Bu Prăng")).id,
        "thon_3": context.villages.save(VillageDraft("thon", "Thôn 3")).id,
    }


@pytest.fixture
def page(context, villages, show, keyboard) -> AggregatesPage:
    widget = show(AggregatesPage(context))
    widget.resize(1000, 650)
    return widget


def _choose(qtbot, page, keyboard, typed: str, form_id: str) -> None:
    page.form_box.setFocus()
    keyboard.type(typed)
    assert page.current_form() == form_id
    # The form shows once the choice rests: typing a name goes through others.
    qtbot.waitUntil(lambda: page.shown() == (form_id, YEAR))


def _stored(context, form_id=FORM) -> dict[str, dict[str, object]]:
    return {
        row.scope_label: row.values
        for row in context.aggregates.values(form_id, YEAR)
        if row.entry_id is not None
    }


def _type_row(keyboard, cells) -> None:
    for text in cells:
        keyboard.type(text)
        keyboard.press(Key.Key_Tab)


def test_only_the_communes_forms_are_offered(page, context):
    offered = [page.form_box.itemData(n) for n in range(page.form_box.count())]
    assert offered == [d.id for d in context.aggregates.entry_forms()]
    assert "can-bo-cong-chuc-huyen" not in offered  # the office's own form
    assert FORM in offered and COMMUNE_FORM in offered


def test_a_village_form_is_typed_in_a_grid_and_saved(page, context, keyboard, qtbot):
    _choose(qtbot, page, keyboard, "chi hoi", FORM)
    grid = page.grid
    assert grid is not None
    model = grid.grid
    assert [model.headerData(n, Qt.Orientation.Vertical) for n in range(4)] == [
        "Bu Prăng",
        "Đức An",
        "Thôn 3",
        "Cộng",
    ]
    keyboard.press(Key.Key_Tab)  # to the year
    keyboard.press(Key.Key_Tab)  # to the grid
    assert keyboard.focused() is grid
    _type_row(keyboard, ["c", "312", "1.204"])  # Tab after the last column: next village
    _type_row(keyboard, ["k", "40", "520"])
    assert (grid.currentIndex().row(), grid.currentIndex().column()) == (2, 0)
    # The totals row counts the villages with a chi hội and adds the figures up.
    assert [model.index(3, n).data() for n in range(3)] == ["1 Có", "352", "1724"]

    with qtbot.waitSignal(page.figures_saved):
        keyboard.press(Key.Key_S, Ctrl)
    assert page.result.text() == "Đã lưu số liệu năm 2026 (2 dòng thay đổi)."
    assert _stored(context) == {
        "Bu Prăng": {"co_chi_hoi_khuyen_hoc": True, "so_hoi_vien_khuyen_hoc": 312, "dan_so": 1204},
        "Đức An": {"co_chi_hoi_khuyen_hoc": False, "so_hoi_vien_khuyen_hoc": 40, "dan_so": 520},
    }
    # Read back into the grid: the saved figures are what it shows.
    assert page.grid.grid.index(0, 1).data() == "312"


def test_a_numerator_over_its_denominator_is_refused_with_the_message(
    page, context, keyboard, qtbot
):
    _choose(qtbot, page, keyboard, "chi hoi", FORM)
    grid = page.grid
    model = grid.grid
    grid.setFocus()
    _type_row(keyboard, ["c", "900", "600"])  # 900 members in a village of 600
    message = "Số hội viên Hội Khuyến học không được lớn hơn dân số của thôn."
    # The engine's check marks the cell as it is typed…
    assert model.issues(0) == {"so_hoi_vien_khuyen_hoc": message}
    assert model.index(0, 1).data(Qt.ItemDataRole.ToolTipRole) == message
    assert model.index(0, 1).data(Qt.ItemDataRole.BackgroundRole) is not None
    # …and the save is refused as a whole, with the message listed.
    _type_row(keyboard, ["c", "10", "300"])
    keyboard.press(Key.Key_S, Ctrl)
    lines = [page.messages.item(n).text() for n in range(page.messages.count())]
    assert lines == [
        "Chưa lưu gì: 1 lỗi, hãy sửa rồi lưu lại.",
        f"Bu Prăng – Số hội viên Hội Khuyến học: {message}",
    ]
    assert _stored(context) == {}
    assert (grid.currentIndex().row(), grid.currentIndex().column()) == (0, 1)

    keyboard.type("500")
    keyboard.press(Key.Key_Return)
    qtbot.waitUntil(lambda: grid.state() != grid.State.EditingState)
    with qtbot.waitSignal(page.figures_saved):
        keyboard.press(Key.Key_S, Ctrl)
    assert _stored(context)["Bu Prăng"]["so_hoi_vien_khuyen_hoc"] == 500
    assert not page.messages.isVisible()


def test_a_commune_form_is_a_definition_form_saved_with_enter(page, context, keyboard, qtbot):
    _choose(qtbot, page, keyboard, "lao dong", COMMUNE_FORM)
    assert page.grid is None and page.form is not None
    form = page.form
    definition = context.aggregates.form(COMMUNE_FORM)
    form.editor(definition.fields[0].id).setFocus()
    figures = ["1.322", "962", "1.830", "1.513", "1.503", "1.226"]
    for text in figures[:-1]:
        keyboard.type(text)
        keyboard.press(Key.Key_Return)
    keyboard.type(figures[-1])
    with qtbot.waitSignal(page.figures_saved):
        keyboard.press(Key.Key_Return)
    (values,) = _stored(context, COMMUNE_FORM).values()
    assert values == {
        field.id: int(text.replace(".", ""))
        for field, text in zip(definition.fields, figures, strict=True)
    }


def test_a_commune_form_over_its_total_shows_the_message_beside_the_field(
    page, context, keyboard, qtbot
):
    _choose(qtbot, page, keyboard, "lao dong", COMMUNE_FORM)
    form = page.form
    form.editor("lao_dong_nong_thon").setFocus()
    keyboard.type("100")
    keyboard.press(Key.Key_Return)
    keyboard.type("150")
    keyboard.press(Key.Key_S, Ctrl)
    assert "không được lớn hơn" in form.message("lao_dong_nong_thon_hoc_tthtcd")
    assert page.messages.isVisible()
    assert _stored(context, COMMUNE_FORM) == {}


def test_typed_figures_are_not_lost_by_choosing_another_form(
    page, context, keyboard, monkeypatch, qtbot
):
    asked: list[str] = []

    def question(_parent, _title, text, *_args, **_kwargs):
        asked.append(text)
        return QMessageBox.StandardButton.No

    monkeypatch.setattr(QMessageBox, "question", staticmethod(question))
    _choose(qtbot, page, keyboard, "chi hoi", FORM)
    page.grid.setFocus()
    _type_row(keyboard, ["c"])
    page.form_box.setFocus()
    keyboard.type("lao dong")
    qtbot.waitUntil(lambda: bool(asked))
    assert asked == ["Có số liệu đã nhập mà chưa lưu. Bỏ các số liệu này?"]
    assert page.current_form() == FORM and page.grid.grid.edited == {0}


def test_an_office_sees_only_its_own_forms(empty_context, show):
    empty_context.setup.init_office(OfficeSetup("68", "Sở GD&ĐT Lâm Đồng", YEAR))
    page = show(AggregatesPage(empty_context))
    offered = [page.form_box.itemData(n) for n in range(page.form_box.count())]
    assert offered == ["can-bo-cong-chuc-huyen"]
    assert page.form is not None  # one row for the office itself


def test_the_main_window_opens_the_page_with_ctrl_8(context, villages, show, keyboard):
    window = show(MainWindow(context))
    keyboard.press(Key.Key_8, Ctrl)
    assert isinstance(window.page(window.current_index()), AggregatesPage)
    QThreadPool.globalInstance().waitForDone(5000)
