"""Nhật ký thay đổi from a person's edit dialog: the history in a table, and printed."""

from __future__ import annotations

import pytest
from pypdf import PdfReader

from xhht_desktop.context import Actor
from xhht_desktop.core.registers import HouseholdDraft, PersonDraft, VillageDraft
from xhht_desktop.ui.forms.person_form import PersonDialog

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support")


@pytest.fixture
def person(context):
    village = context.villages.save(VillageDraft("thon", "Thôn 1"))
    household = context.households.save(HouseholdDraft("H01", village.id, "Nguyễn Văn An"))
    row = context.persons.save(PersonDraft(household.id, "Nguyễn Văn An", 1980, "M", "01"))
    context.actor = Actor("hoa.tran", "data_entry")
    row = context.persons.save(
        PersonDraft(household.id, "Nguyễn Văn Ân", 1980, "M", "01", grade=9), row.id, row.revision
    )
    return row


def test_the_edit_dialog_opens_the_persons_history(context, person, show, qtbot, tmp_path):
    dialog = show(PersonDialog(context, person.id))
    assert dialog.history_button.isVisible()
    history = dialog.open_history()
    qtbot.waitExposed(history)
    table = history.table
    cells = [
        [table.item(r, c).text() for c in range(table.columnCount())]
        for r in range(table.rowCount())
    ]
    updates = [row[1:] for row in cells if row[2] == "Sửa"]
    assert updates == [
        ["hoa.tran", "Sửa", "Họ và tên", "Nguyễn Văn An", "Nguyễn Văn Ân"],
        ["hoa.tran", "Sửa", "Lớp đã học xong", "0", "9"],
    ]
    assert any(
        row[1:4] == ["test:admin", "Tạo mới", "Giới tính"] and row[5] == "Nam" for row in cells
    )
    assert history.windowTitle() == "Nhật ký thay đổi — Nguyễn Văn Ân"
    assert history.grab().save(str(tmp_path / "history.png"))

    saved = history.save_report(tmp_path / "lich-su.pdf")
    text = "\n".join(page.extract_text() for page in PdfReader(saved).pages)
    assert "Lịch sử thay đổi hồ sơ Nguyễn Văn Ân" in text and "hoa.tran" in text
    assert "Đã lưu" in history.message.text()


def test_a_new_person_has_no_history_button(context, person, show):
    dialog = show(PersonDialog(context, household_id=person.household_id))
    assert not dialog.history_button.isVisible()
    assert dialog.open_history() is None
