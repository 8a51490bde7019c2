"""Tests of xhht_desktop.ui.backup_dialog: list, choose, confirm, restore."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from xhht_desktop.core.registers import VillageDraft
from xhht_desktop.ui.backup_dialog import BackupDialog, reason_label, size_label

Key = Qt.Key


class Answers:
    """Stands in for the user at the confirmation and the file chooser."""

    def __init__(self, confirm: bool = True, file=None) -> None:
        self.confirm_with = confirm
        self.file = file
        self.questions: list[str] = []
        self.folders: list = []

    def confirm(self, _parent, text: str) -> bool:
        self.questions.append(text)
        return self.confirm_with

    def choose_file(self, _parent, folder):
        self.folders.append(folder)
        return self.file


@pytest.fixture
def villages(context):
    context.villages.save(VillageDraft("thon", "Thôn 1"))
    context.villages.save(VillageDraft("bon", "Bon Bu Bơ"))
    return context


def _open(context, show, answers: Answers) -> BackupDialog:
    return show(BackupDialog(context, confirm=answers.confirm, choose_file=answers.choose_file))


def _names(context) -> list[str]:
    return sorted(v.name for v in context.villages.list())


def test_a_deleted_village_comes_back_from_the_backup(villages, show, keyboard, qtbot):
    made = villages.backups.create()
    bon = next(v for v in villages.villages.list() if v.name == "Bon Bu Bơ")
    villages.villages.delete(bon.id)
    assert _names(villages) == ["Thôn 1"]

    answers = Answers()
    dialog = _open(villages, show, answers)
    assert dialog.table.topLevelItemCount() == 1
    row = dialog.table.topLevelItem(0)
    assert row.text(1) == "Sao lưu thủ công"
    assert row.text(0) == made.created.strftime("%d/%m/%Y %H:%M:%S")
    assert keyboard.focused() is dialog.table
    with qtbot.waitSignal(dialog.restored) as restored:
        keyboard.press(Key.Key_Return)

    assert len(answers.questions) == 1
    assert made.path.name in answers.questions[0]
    assert "sao lưu trước" in answers.questions[0]
    assert _names(villages) == ["Bon Bu Bơ", "Thôn 1"]
    # The data as it was before the restore is kept, and says why.
    safety = restored.args[0]
    assert safety.reason == "truoc-khoi-phuc"
    assert safety.path in [b.path for b in villages.backups.list()]
    assert not dialog.isVisible()


def test_saying_no_changes_nothing(villages, show, keyboard):
    villages.backups.create()
    villages.villages.save(VillageDraft("thon", "Thôn 3"))
    answers = Answers(confirm=False)
    dialog = _open(villages, show, answers)
    keyboard.press(Key.Key_Return)
    assert answers.questions
    assert dialog.isVisible()
    assert "Thôn 3" in _names(villages)
    assert [b.reason for b in villages.backups.list()] == ["thu-cong"]


def test_another_file_can_be_chosen(villages, show, tmp_path):
    elsewhere = tmp_path / "usb" / "xa-duc-an.sqlite"
    villages.backups.create(elsewhere)
    villages.villages.save(VillageDraft("thon", "Thôn 3"))
    answers = Answers(file=elsewhere)
    dialog = _open(villages, show, answers)
    assert dialog.table.topLevelItemCount() == 0
    assert dialog.empty.isVisible()
    assert not dialog.restore_button.isEnabled()

    dialog.other_button.click()
    assert answers.folders == [villages.backups.folder]
    assert _names(villages) == ["Bon Bu Bơ", "Thôn 1"]


def test_a_file_that_is_not_a_backup_is_refused_in_the_dialog(villages, show, tmp_path):
    bogus = tmp_path / "bao-cao.sqlite"
    bogus.write_bytes(b"day khong phai co so du lieu" * 100)
    answers = Answers(file=bogus)
    dialog = _open(villages, show, answers)
    dialog.other_button.click()
    assert dialog.isVisible()
    assert dialog.message.isVisible()
    assert "không phải cơ sở dữ liệu SQLite hợp lệ" in dialog.message.text()
    assert _names(villages) == ["Bon Bu Bơ", "Thôn 1"]


def test_cancelling_the_file_chooser_does_nothing(villages, show):
    answers = Answers(file=None)
    dialog = _open(villages, show, answers)
    assert dialog.choose_other() is False
    assert answers.questions == []


def test_backups_are_listed_newest_first_with_their_reason(villages, show):
    villages.backups.automatic("khoi-dong")
    villages.backups.automatic("thoat")
    dialog = _open(villages, show, Answers())
    assert [dialog.table.topLevelItem(i).text(1) for i in range(2)] == [
        "Khi thoát",
        "Khi khởi động",
    ]


@pytest.mark.parametrize(
    ("reason", "label"),
    [
        ("khoi-dong", "Khi khởi động"),
        ("thoat", "Khi thoát"),
        ("truoc-nang-cap", "Trước khi nâng cấp"),
        ("truoc-khoi-phuc", "Trước khi khôi phục"),
        ("thu-cong", "Sao lưu thủ công"),
        ("la-ly-do", "la-ly-do"),
    ],
)
def test_reasons_read_in_vietnamese(qapp, reason, label):
    assert reason_label(reason) == label


def test_sizes_read_in_vietnamese(qapp):
    assert size_label(200) == "1 KB"
    assert size_label(300 * 1024) == "300 KB"
    assert size_label(int(2.5 * 1024 * 1024)) == "2,5 MB"


def test_escape_closes(villages, show, keyboard):
    dialog = _open(villages, show, Answers())
    keyboard.press(Key.Key_Escape)
    assert not dialog.isVisible()


def test_screenshot(villages, show, tmp_path):
    villages.backups.automatic("khoi-dong")
    villages.backups.create()
    dialog = _open(villages, show, Answers())
    assert dialog.grab().save(str(tmp_path / "backup_dialog.png"))
