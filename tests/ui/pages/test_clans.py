"""Tests of xhht_desktop.ui.pages.clans and its dialog, driven by the keyboard."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox
from sqlalchemy import select

from xhht_desktop.context import AppContext
from xhht_desktop.core.models_cycle import ClanDraft
from xhht_desktop.core.registers import HouseholdDraft, VillageDraft
from xhht_desktop.store.models import AuditEntry
from xhht_desktop.ui.forms.clan_form import ClanDialog
from xhht_desktop.ui.pages.clans import ClansPage

Key = Qt.Key
Ctrl = Qt.KeyboardModifier.ControlModifier

HOUSEHOLDS = (
    ("H001", "Thôn 1", "Nguyễn Văn An"),
    ("H002", "Thôn 1", "Nguyễn Thị Bình"),
    ("H003", "Bon Bu Bir", "Điểu K'Lơ"),
    ("H004", "Bon Bu Bir", "Nguyễn Văn Cường"),
    ("H005", "Thôn 1", "Lê Văn Dũng"),
)


@pytest.fixture
def homes(context: AppContext) -> dict[str, str]:
    """Five households in two villages; code → id."""
    villages = {
        "Thôn 1": context.villages.save(VillageDraft("thon", "Thôn 1")).id,
        "Bon Bu Bir": context.villages.save(VillageDraft("bon", "Bon Bu Bir")).id,
    }
    return {
        code: context.households.save(HouseholdDraft(code, villages[village], head)).id
        for code, village, head in HOUSEHOLDS
    }


@pytest.fixture
def page(context: AppContext, homes, show, qtbot) -> ClansPage:
    widget = ClansPage(context)
    widget.resize(900, 500)
    show(widget)
    widget.table.setFocus()
    qtbot.waitUntil(widget.table.hasFocus)
    return widget


def _rows(page: ClansPage) -> list[tuple[str, ...]]:
    model = page.model
    return [
        tuple(model.index(r, c).data() for c in range(model.columnCount()))
        for r in range(model.rowCount())
    ]


def _codes(context: AppContext, clan_id: str) -> list[str]:
    return [h.code for h in context.clans.households(clan_id)]


def _audit(context: AppContext, record_id: str) -> list[tuple[str, str | None, str | None, str]]:
    with context.reading() as session:
        return [
            tuple(row)
            for row in session.execute(
                select(AuditEntry.action, AuditEntry.field, AuditEntry.new_value, AuditEntry.actor)
                .where(AuditEntry.record_id == record_id)
                .order_by(AuditEntry.id)
            )
        ]


def test_a_clan_is_added_with_three_households_then_one_is_taken_out(
    qtbot, keyboard, dialogs, page, context, homes
):
    dialog = dialogs.open(page, ClanDialog, Key.Key_N, Ctrl)
    assert keyboard.focused() is dialog.name
    keyboard.type("Họ Nguyễn")
    keyboard.press(Key.Key_Tab)
    keyboard.type("Nguyễn Văn An")
    keyboard.press(Key.Key_Tab)
    keyboard.type("Nhà thờ họ ở Thôn 1")
    keyboard.press(Key.Key_Tab)
    checklist = dialog.members
    assert keyboard.focused() is checklist.search
    assert checklist.model.total() == len(HOUSEHOLDS)
    keyboard.type("nguyen")  # the heads' names, without diacritics
    qtbot.waitUntil(lambda: checklist.model.total() == 3)
    # Enter in the search goes on to the list; it does not save the clan yet.
    keyboard.press(Key.Key_Return)
    assert keyboard.focused() is checklist.table
    assert context.clans.list() == []
    for step in range(3):
        if step:
            keyboard.press(Key.Key_Down)
        keyboard.press(Key.Key_Space)
    assert checklist.count_label.text() == "Đã chọn 3 hộ · danh sách có 3 hộ"
    with qtbot.waitSignal(dialog.record_saved) as saved:
        keyboard.press(Key.Key_Return)

    (clan,) = context.clans.list()
    assert clan.id == saved.args[0]
    assert (clan.name, clan.contact_person, clan.note, clan.households) == (
        "Họ Nguyễn",
        "Nguyễn Văn An",
        "Nhà thờ họ ở Thôn 1",
        3,
    )
    assert _codes(context, clan.id) == ["H001", "H002", "H004"]
    # The form is blank again for the next clan, nothing ticked.
    assert dialog.isVisible()
    assert dialog.name.text() == ""
    assert keyboard.focused() is dialog.name
    assert checklist.value() == []
    assert dialog.status.text().startswith("Đã thêm dòng họ Họ Nguyễn với 3 hộ.")
    with qtbot.waitSignal(dialog.finished):
        keyboard.press(Key.Key_Escape)
    dialogs.back_to(page, ClanDialog)
    assert _rows(page) == [("Họ Nguyễn", "Nguyễn Văn An", "3", "Bon Bu Bir, Thôn 1")]

    # Enter opens the clan on its own households; Space takes H002 out.
    editor = dialogs.open(page, ClanDialog, Key.Key_Return)
    members = editor.members
    assert members.only_ticked.isChecked()
    assert [members.model.row_at(r).code for r in range(members.model.rowCount())] == [
        "H001",
        "H002",
        "H004",
    ]
    for _field in ("contact_person", "note", "only_ticked", "list"):
        keyboard.press(Key.Key_Tab)
    assert keyboard.focused() is members.table
    keyboard.press(Key.Key_Down)
    keyboard.press(Key.Key_Space)
    # Taken out, but still in sight: Space again would undo the slip.
    assert members.model.rowCount() == 3
    assert members.value() == sorted([homes["H001"], homes["H004"]])
    with qtbot.waitSignal(editor.finished):
        keyboard.press(Key.Key_Return)

    assert _codes(context, clan.id) == ["H001", "H004"]
    assert context.clans.clan_of(homes["H002"]) is None
    assert context.clans.get(clan.id).households == 2
    assert _rows(page)[0][2] == "2"

    # Every change is in the audit log, with who made it.
    actor = context.actor.name
    assert ("create", "name", "Họ Nguyễn", actor) in _audit(context, clan.id)
    assert ("create", "contact_person", "Nguyễn Văn An", actor) in _audit(context, clan.id)
    assert _audit(context, homes["H002"])[-2:] == [
        ("update", "clan_id", clan.id, actor),
        ("update", "clan_id", None, actor),
    ]
    assert _audit(context, homes["H004"])[-1] == ("update", "clan_id", clan.id, actor)


def test_a_duplicate_name_is_refused_beside_the_field(qtbot, keyboard, dialogs, page, context):
    context.clans.save(ClanDraft("Họ Nguyễn"))
    page.refresh()
    dialog = dialogs.open(page, ClanDialog, Key.Key_Insert)

    keyboard.type("họ nguyễn")
    keyboard.press(Key.Key_Return)

    assert dialog.isVisible()
    assert dialog.fields.message("name") == "Xã đã có dòng họ tên «họ nguyễn»."
    assert dialog.fields.message("contact_person") == ""
    assert keyboard.focused() is dialog.name
    assert [c.name for c in context.clans.list()] == ["Họ Nguyễn"]

    dialog.name.clear()
    keyboard.press(Key.Key_Return)
    assert dialog.fields.message("name") == "Tên dòng họ không được để trống."
    assert len(context.clans.list()) == 1


def test_delete_says_how_many_households_leave_the_clan(
    qtbot, keyboard, page, context, homes, answer
):
    clan = context.clans.save(ClanDraft("Họ Nguyễn"))
    context.clans.add_households(clan.id, [homes["H001"], homes["H002"]])
    context.clans.save(ClanDraft("Họ Lê"))
    page.refresh()
    keyboard.press(Key.Key_Down)
    assert page.selected_row().name == "Họ Nguyễn"

    asked = answer(QMessageBox.StandardButton.No)
    keyboard.press(Key.Key_Delete)
    assert asked == [
        "Xóa dòng họ Họ Nguyễn? 2 hộ của dòng họ sẽ không còn thuộc dòng họ nào; "
        "các hộ vẫn ở trong sổ hộ gia đình."
    ]
    assert len(context.clans.list()) == 2

    answer(QMessageBox.StandardButton.Yes)
    keyboard.press(Key.Key_Delete)
    assert [c.name for c in context.clans.list()] == ["Họ Lê"]
    assert context.clans.clan_of(homes["H001"]) is None
    assert context.households.get(homes["H001"]).code == "H001"
    assert [row[0] for row in _rows(page)] == ["Họ Lê"]
    assert page.selected_row().name == "Họ Lê"
    assert ("delete", None, None, context.actor.name) in _audit(context, clan.id)


def test_a_refused_delete_is_shown_in_the_page(qtbot, keyboard, page, context, answer):
    clan = context.clans.save(ClanDraft("Họ Nguyễn"))
    page.refresh()
    # Someone else deletes it while the list still shows it.
    context.clans.delete(clan.id)
    asked = answer(QMessageBox.StandardButton.Yes)

    keyboard.press(Key.Key_Delete)

    assert asked == ["Xóa dòng họ Họ Nguyễn? Dòng họ chưa có hộ nào."]
    assert not page.message.isHidden()
    assert page.message.text() == "Không tìm thấy dòng họ này (có thể đã bị xóa)."
    assert _rows(page) == []
    assert page.count_label.text() == "0 dòng họ"


def test_the_search_ignores_diacritics(qtbot, keyboard, page, context):
    for name in ("Họ Nguyễn", "Họ Lê", "Họ Điểu"):
        context.clans.save(ClanDraft(name))
    page.refresh()
    assert page.count_label.text() == "3 dòng họ"

    keyboard.press(Key.Key_F, Ctrl)
    assert keyboard.focused() is page.search
    with qtbot.waitSignal(page.results_shown):
        keyboard.type("dieu")
    assert [row[0] for row in _rows(page)] == ["Họ Điểu"]
    assert page.count_label.text() == "1 / 3 dòng họ"
    keyboard.press(Key.Key_Down)
    assert keyboard.focused() is page.table
    assert page.selected_row().name == "Họ Điểu"


def test_a_clan_in_the_learning_model_is_not_deleted(
    qtbot, keyboard, page, context, homes, monkeypatch
):
    registered = context.clans.save(ClanDraft("Họ Nguyễn"), household_ids=[homes["H001"]])
    other = context.clans.save(ClanDraft("Họ Lê"))
    for year in (2025, 2026):
        context.learning_models.register(
            "dhht", year, [registered.id], date(year, 1, 10), today=date(2026, 12, 20)
        )
    page.refresh()
    keyboard.press(Key.Key_Down)
    assert page.selected_row().name == "Họ Nguyễn"
    asked: list[str] = []

    def question(_parent, _title, text, *_args, **_kwargs):
        asked.append(text)
        # Someone registers Họ Lê for 2026 while the question is on screen.
        context.learning_models.register(
            "dhht", 2026, [other.id], date(2026, 1, 10), today=date(2026, 12, 20)
        )
        return QMessageBox.StandardButton.Yes

    monkeypatch.setattr(QMessageBox, "question", staticmethod(question))

    # Refused at once, without asking; the list and the selection stay.
    keyboard.press(Key.Key_Delete)
    assert asked == []
    assert not page.message.isHidden()
    assert page.message.text() == (
        "Không xóa được dòng họ «Họ Nguyễn»: dòng họ có 2 lượt đăng ký/công nhận «Dòng họ "
        "học tập» (năm 2025, 2026); hãy hủy các lượt đăng ký đó trước rồi xóa lại."
    )
    assert [row[0] for row in _rows(page)] == ["Họ Lê", "Họ Nguyễn"]
    assert page.selected_row().name == "Họ Nguyễn"
    assert context.clans.clan_of(homes["H001"]) == registered.id

    # The service refuses too: here a registration arrived after the question.
    keyboard.press(Key.Key_Up)
    keyboard.press(Key.Key_Delete)
    assert asked == ["Xóa dòng họ Họ Lê? Dòng họ chưa có hộ nào."]
    assert page.message.text() == (
        "Không xóa được dòng họ «Họ Lê»: dòng họ có 1 lượt đăng ký/công nhận «Dòng họ học "
        "tập» (năm 2026); hãy hủy các lượt đăng ký đó trước rồi xóa lại."
    )
    assert [c.name for c in context.clans.list()] == ["Họ Lê", "Họ Nguyễn"]
    assert page.selected_row().name == "Họ Lê"
