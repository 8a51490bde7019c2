"""Tests of xhht_desktop.ui.plans_dialog: choose, copy, edit and delete plans by keyboard.

What the dialog does is read back through ``context.plans``.
"""

from __future__ import annotations

from fractions import Fraction

from PySide6.QtCore import Qt

from xhht_desktop.ui.forms.plan_editor import COLUMNS
from xhht_desktop.ui.plans_dialog import PlansDialog

Key = Qt.Key
Alt = Qt.KeyboardModifier.AltModifier
PRESETS = ["dak-song-138-2020", "dong-trieu-2011", "qd-387-2025"]
READ_ONLY = "Mẫu có sẵn — chỉ đọc"


def _dialog(show, context, answers: list[bool] | None = None) -> PlansDialog:
    asked: list[str] = []

    def confirm(_parent, text: str) -> bool:
        asked.append(text)
        return answers.pop(0) if answers else False

    dialog = PlansDialog(context, confirm=confirm)
    dialog.asked = asked  # type: ignore[attr-defined]
    show(dialog)
    return dialog


def _arrow_to(dialog: PlansDialog, keyboard, plan_id: str) -> None:
    assert keyboard.focused() is dialog.list
    keyboard.press(Key.Key_Home)
    for _ in dialog.plan_ids():
        if dialog.selected_id() == plan_id:
            return
        keyboard.press(Key.Key_Down)
    assert dialog.selected_id() == plan_id


def test_presets_are_listed_read_only_and_activating_a_plan_makes_it_active(
    qtbot, keyboard, show, context
):
    dialog = _dialog(show, context)
    assert dialog.plan_ids() == PRESETS
    assert all(dialog.kind_text(plan_id) == READ_ONLY for plan_id in PRESETS)
    # A real commune starts on the national programme; it is marked and selected.
    assert dialog.active_marks() == {
        "dak-song-138-2020": "",
        "dong-trieu-2011": "",
        "qd-387-2025": "✔ Đang dùng",
    }
    assert dialog.selected_id() == "qd-387-2025"
    assert not dialog.activate_button.isEnabled()

    _arrow_to(dialog, keyboard, "dong-trieu-2011")
    assert dialog.activate_button.isEnabled()
    with qtbot.waitSignal(dialog.plan_activated) as activated:
        keyboard.press(Key.Key_K, Alt)  # Kích hoạt
    assert activated.args == ["dong-trieu-2011"]
    assert context.plans.active().id == "dong-trieu-2011"
    assert dialog.active_marks()["dong-trieu-2011"] == "✔ Đang dùng"
    assert dialog.active_marks()["qd-387-2025"] == ""
    assert dialog.message.text() == (
        f"Đang dùng kế hoạch «{context.plans.get('dong-trieu-2011').title}»."
    )
    # What the reports check follows.
    assert context.indicators.evaluate(2026).plan.id == "dong-trieu-2011"


def test_presets_cannot_be_edited_or_deleted(qtbot, keyboard, show, context):
    dialog = _dialog(show, context, answers=[True])
    _arrow_to(dialog, keyboard, "dak-song-138-2020")
    assert dialog.edit_button.text() == "Xe&m…"
    assert not dialog.delete_button.isEnabled()
    keyboard.press(Key.Key_Delete)
    assert dialog.asked == []  # not even asked
    assert "không xóa được" in dialog.message.text()
    assert context.plans.get("dak-song-138-2020").preset
    keyboard.press(Key.Key_Return)  # opens it, read-only
    editor = dialog.editor
    assert editor is not None and editor.isVisible()
    qtbot.waitUntil(lambda: keyboard.focused() is editor.table)
    assert editor.read_only and not editor.save_button.isVisible()
    keyboard.press(Key.Key_Escape)
    assert not editor.isVisible()


def test_copy_a_preset_then_edit_the_copy(qtbot, keyboard, show, context):
    dialog = _dialog(show, context)
    _arrow_to(dialog, keyboard, "dak-song-138-2020")
    keyboard.press(Key.Key_C, Alt)  # Sao chép thành kế hoạch mới…
    qtbot.waitUntil(lambda: dialog.copy_dialog is not None)  # a mnemonic clicks a moment later
    copying = dialog.copy_dialog
    assert copying is not None
    qtbot.waitUntil(lambda: keyboard.focused() is copying.id_edit)
    # A code is offered; the official may keep it or type another.
    assert copying.id_edit.text() == "ke-hoach-duc-an-2026"
    assert copying.title_edit.text() == "Kế hoạch xây dựng xã hội học tập của xã Đức An năm 2026"
    keyboard.type("qd-387-2025")  # taken: refused under the field, nothing written
    keyboard.press(Key.Key_Return)
    assert copying.isVisible()
    assert copying.fields.message("id") == "Đã có kế hoạch mã «qd-387-2025»; hãy chọn mã khác."
    copying.id_edit.selectAll()
    keyboard.type("ke-hoach-xa")
    with qtbot.waitSignal(dialog.plans_changed):
        keyboard.press(Key.Key_Return)
    assert not copying.isVisible()
    copy = context.plans.get("ke-hoach-xa")
    assert (copy.preset, copy.copied_from) == (False, "dak-song-138-2020@1")
    assert dialog.kind_text("ke-hoach-xa") == "Kế hoạch của xã"
    assert dialog.selected_id() == "ke-hoach-xa"

    # The copy opens in the editor: change the first target's value, Enter saves.
    editor = dialog.editor
    assert editor is not None and editor.plan is not None and editor.plan.id == "ke-hoach-xa"
    qtbot.waitUntil(lambda: keyboard.focused() is editor.title_edit)
    editor.table.setFocus()
    editor.table.setCurrentIndex(editor.model.index(0, COLUMNS.index("value")))
    keyboard.type("90")
    with qtbot.waitSignal(dialog.plans_changed):
        keyboard.press(Key.Key_Return)
    saved = context.plans.get("ke-hoach-xa")
    assert saved.version == 2
    assert saved.targets[0].target.value == Fraction(90)
    assert dialog.message.text() == "Đã lưu kế hoạch «ke-hoach-xa»."
    assert dialog.edit_button.text() == "&Sửa…" and dialog.delete_button.isEnabled()


def test_delete_a_plan_of_the_commune_after_the_question(qtbot, keyboard, show, context):
    context.plans.copy("qd-387-2025", "ke-hoach-xa", "Kế hoạch của xã")
    context.plans.activate("ke-hoach-xa")
    dialog = _dialog(show, context, answers=[False, True])
    assert dialog.plan_ids() == [*PRESETS, "ke-hoach-xa"]
    assert dialog.selected_id() == "ke-hoach-xa"  # the active one
    keyboard.press(Key.Key_Delete)  # answered "Không"
    assert len(dialog.asked) == 1 and "«Kế hoạch của xã» (ke-hoach-xa)" in dialog.asked[0]
    assert context.plans.get("ke-hoach-xa").id == "ke-hoach-xa"
    with qtbot.waitSignal(dialog.plans_changed):
        keyboard.press(Key.Key_X, Alt)  # Xóa, answered "Xóa"
    assert [p.id for p in context.plans.list()] == PRESETS
    # The active plan falls back to the default, and the list says so.
    assert context.plans.active_id() == "qd-387-2025"
    assert dialog.plan_ids() == PRESETS
    assert dialog.active_marks()["qd-387-2025"] == "✔ Đang dùng"
    assert dialog.message.text() == "Đã xóa kế hoạch «Kế hoạch của xã»."


def test_a_broken_plan_file_is_shown_not_listed(show, context, data_dir):
    folder = data_dir / "forms" / "plans"
    folder.mkdir(parents=True)
    (folder / "hong.toml").write_text('id = "hong"\nversion = 1\n', encoding="utf-8")
    dialog = _dialog(show, context)
    assert dialog.plan_ids() == PRESETS
    assert dialog.problems.isVisible()
    assert dialog.problems.text().startswith("Tệp kế hoạch có lỗi, không được nạp:")
    assert "hong.toml" in dialog.problems.text()


def test_the_main_window_opens_it_and_the_dashboard_follows(qtbot, keyboard, show, context):
    from xhht_desktop.ui.main_window import MainWindow

    window = show(MainWindow(context))
    qtbot.waitUntil(lambda: not window.dashboard.is_busy(), timeout=10_000)
    assert window.dashboard.plan_id() == "qd-387-2025"
    assert window.plans_action.isEnabled()
    window.plans_action.trigger()
    dialog = window.findChild(PlansDialog)
    assert dialog is not None and dialog.isVisible()
    qtbot.waitUntil(lambda: keyboard.focused() is dialog.list)
    _arrow_to(dialog, keyboard, "dong-trieu-2011")
    with qtbot.waitSignal(dialog.plan_activated):
        keyboard.press(Key.Key_K, Alt)
    qtbot.waitUntil(lambda: window.dashboard.plan_id() == "dong-trieu-2011")
    qtbot.waitUntil(lambda: not window.dashboard.is_busy(), timeout=10_000)
    keyboard.press(Key.Key_Escape)
    assert not dialog.isVisible()
