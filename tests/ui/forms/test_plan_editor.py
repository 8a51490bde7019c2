"""Tests of xhht_desktop.ui.forms.plan_editor: a plan's targets edited by keyboard.

Plans are read back through ``context.plans`` (the files the service wrote),
never from the widgets.
"""

from __future__ import annotations

from datetime import date
from fractions import Fraction

import pytest
from PySide6.QtCore import Qt

from xhht_desktop.core.targets import Comparison, Target
from xhht_desktop.ui.forms.plan_editor import COLUMNS, IndicatorBox, PlanEditorDialog

Key = Qt.Key
DAK_SONG = "dak-song-138-2020"
COPY = "ke-hoach-duc-an-2026"


@pytest.fixture
def copy(context):
    """The Đăk Song preset copied into a plan of the commune (version 1)."""
    return context.plans.copy(DAK_SONG, COPY, "Kế hoạch của xã Đức An năm 2026")


def _editor(show, context, plan_id: str) -> PlanEditorDialog:
    dialog = PlanEditorDialog(context, plan_id)
    show(dialog)
    return dialog


def _tab_to_table(dialog: PlanEditorDialog, keyboard) -> None:
    for _ in range(8):
        if keyboard.focused() is dialog.table:
            return
        keyboard.press(Key.Key_Tab)
    assert keyboard.focused() is dialog.table


def _go_to(dialog: PlanEditorDialog, keyboard, row: int, field: str) -> None:
    """Move the table's cursor with the arrows to ``row`` (from 0) and ``field``."""
    current = dialog.table.currentIndex()
    for _ in range(abs(row - current.row())):
        keyboard.press(Key.Key_Down if row > current.row() else Key.Key_Up)
    column = COLUMNS.index(field)
    for _ in range(abs(column - current.column())):
        keyboard.press(Key.Key_Right if column > current.column() else Key.Key_Left)
    assert (dialog.table.currentIndex().row(), dialog.table.currentIndex().column()) == (
        row,
        column,
    )


def test_change_a_value_add_a_range_target_and_save_with_enter(
    qtbot, keyboard, show, context, copy
):
    dialog = _editor(show, context, COPY)
    assert not dialog.read_only and dialog.save_button.isVisible()
    assert keyboard.focused() is dialog.title_edit
    _tab_to_table(dialog, keyboard)
    literate = next(i for i, t in enumerate(copy.targets) if t.indicator == "biet-chu-15-60")
    _go_to(dialog, keyboard, literate, "value")
    keyboard.type("97,5")  # a typed key replaces the cell, as in a spreadsheet
    keyboard.press(Key.Key_Tab)
    assert dialog.model.lines[literate].value == "97,5"

    # Insert adds a target after the current one, its indicator open for typing.
    keyboard.press(Key.Key_Insert)
    assert dialog.model.rowCount() == len(copy.targets) + 1
    keyboard.type("gia dinh cong")  # no diacritics needed
    keyboard.press(Key.Key_Tab)
    keyboard.type("k")  # Khoảng (tối thiểu – phấn đấu)
    keyboard.press(Key.Key_Tab)
    keyboard.type("65")
    keyboard.press(Key.Key_Tab)
    keyboard.type("70")
    keyboard.press(Key.Key_Tab)
    assert keyboard.focused().text() == "2026"  # the reporting year, already there
    keyboard.press(Key.Key_Tab)
    keyboard.type("Phấn đấu 65-70% hộ gia đình được công nhận Gia đình học tập.")
    with qtbot.waitSignal(dialog.plan_saved) as saved:
        keyboard.press(Key.Key_Return)
    assert saved.args == [COPY]
    assert not dialog.isVisible()

    plan = context.plans.get(COPY)
    assert (plan.version, plan.preset, len(plan.targets)) == (2, False, len(copy.targets) + 1)
    assert plan.targets[literate].target == Target(Comparison.AT_LEAST, Fraction("97.5"))
    added = plan.targets[literate + 1]
    assert (added.indicator, added.target, added.deadline) == (
        "gdht-cong-nhan",
        Target(Comparison.RANGE, Fraction(65), Fraction(70)),
        2026,
    )
    assert added.wording == "Phấn đấu 65-70% hộ gia đình được công nhận Gia đình học tập."
    # The other targets are as they were.
    assert plan.targets[:literate] == copy.targets[:literate]
    assert plan.targets[literate + 2 :] == copy.targets[literate + 1 :]


def test_a_range_without_stretch_is_refused_with_the_message(qtbot, keyboard, show, context, copy):
    dialog = _editor(show, context, COPY)
    _tab_to_table(dialog, keyboard)
    _go_to(dialog, keyboard, 0, "comparison")
    keyboard.type("k")
    keyboard.press(Key.Key_Return)  # commits the cell and saves: refused
    assert dialog.isVisible()
    message = "Chỉ tiêu dạng khoảng cần mức phấn đấu."
    assert dialog.target_issues.isVisible()
    assert dialog.target_issues.text() == f"Chỉ tiêu 1, Mức phấn đấu (%): {message}"
    stretch = dialog.model.index(0, COLUMNS.index("stretch"))
    assert stretch.data(Qt.ItemDataRole.ToolTipRole) == message
    assert stretch.data(Qt.ItemDataRole.BackgroundRole) is not None
    # The cursor is on the refused cell: typing there fixes it.
    assert keyboard.focused() is dialog.table
    assert dialog.table.currentIndex() == stretch
    # Nothing was saved.
    assert context.plans.get(COPY) == copy
    assert context.plans.get(COPY).version == 1

    keyboard.type("99")
    with qtbot.waitSignal(dialog.plan_saved):
        keyboard.press(Key.Key_Return)
    first = context.plans.get(COPY).targets[0]
    assert first.target == Target(Comparison.RANGE, Fraction(95), Fraction(99))


def test_the_documents_fields_and_a_deleted_target(qtbot, keyboard, show, context, copy):
    dialog = _editor(show, context, COPY)
    dialog.title_edit.clear()
    keyboard.press(Key.Key_Tab)
    keyboard.type("25/KH-UBND")
    keyboard.press(Key.Key_Tab)
    dialog.date_edit.selectAll()
    keyboard.type("31/02/2026")
    keyboard.press(Key.Key_Tab)
    dialog.issuer_edit.selectAll()
    keyboard.type("Ủy ban nhân dân xã Đức An")
    keyboard.press(Key.Key_Return)
    # A date that is not on the calendar: said under the field, nothing sent.
    assert "không có thật" in dialog.fields.message("issued_on")
    assert keyboard.focused() is dialog.date_edit
    dialog.date_edit.selectAll()
    keyboard.type("05/01/2026")
    keyboard.press(Key.Key_Return)
    # An empty title: the service refuses, the message is under the field.
    assert dialog.fields.message("title") == "Hãy đặt tên cho kế hoạch."
    assert dialog.fields.message("issued_on") == ""
    assert keyboard.focused() is dialog.title_edit
    assert context.plans.get(COPY).version == 1
    keyboard.type("Kế hoạch 25/KH-UBND của xã Đức An")

    _tab_to_table(dialog, keyboard)
    keyboard.press(Key.Key_Delete)  # the first target goes
    assert dialog.model.rowCount() == len(copy.targets) - 1
    with qtbot.waitSignal(dialog.plan_saved):
        keyboard.press(Key.Key_Return)
    plan = context.plans.get(COPY)
    assert (plan.title, plan.number, plan.issued_on, plan.issuer) == (
        "Kế hoạch 25/KH-UBND của xã Đức An",
        "25/KH-UBND",
        date(2026, 1, 5),
        "Ủy ban nhân dân xã Đức An",
    )
    assert plan.targets == copy.targets[1:]
    assert (
        "Kế hoạch số 25/KH-UBND"
        in context.reports.document("ket-qua", 2026, options={"plan": COPY}).summary
    )


def test_a_preset_opens_read_only(qtbot, keyboard, show, context):
    preset = context.plans.get(DAK_SONG)
    before = preset.path.read_bytes()
    dialog = _editor(show, context, DAK_SONG)
    assert dialog.read_only and dialog.banner.isVisible()
    assert dialog.banner.text().startswith("Mẫu có sẵn — chỉ đọc.")
    assert not dialog.save_button.isVisible()
    assert dialog.title_edit.isReadOnly()
    assert keyboard.focused() is dialog.table
    keyboard.type("5")  # no cell opens for editing
    keyboard.press(Key.Key_Insert)
    keyboard.press(Key.Key_Delete)
    assert dialog.model.rowCount() == len(preset.targets)
    assert not dialog.save()
    keyboard.press(Key.Key_Return)  # Enter closes
    assert not dialog.isVisible()
    assert preset.path.read_bytes() == before
    assert context.plans.get(DAK_SONG) == preset


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("hmong", "biet-chu-hmong-15-60"),
        ("h'mong 35", "biet-chu-hmong-15-35"),
        ("gdht", "gdht-dang-ky"),
        ("gia dinh cong", "gdht-cong-nhan"),
        ("NGƯỜI TỪ 15 ĐẾN 35", "biet-chu-15-35"),
        ("chi hoi", "chi-hoi-khuyen-hoc"),
    ],
)
def test_indicators_are_found_by_words_without_diacritics(qtbot, keyboard, show, typed, code):
    box = IndicatorBox()
    show(box)
    box.setFocus()
    keyboard.type(typed)
    assert box.value() == code


def test_nothing_is_found_for_words_no_indicator_has(qtbot):
    box = IndicatorBox()
    qtbot.addWidget(box)
    assert box.find_typed("xyz khong co") == -1
    assert box.value() is None
