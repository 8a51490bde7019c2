"""What the GUI does when the disk is full, the file is damaged or another copy writes.

The register form keeps what was typed when SQLite cannot store it; a
damaged database is restored from the newest good backup after one question;
a second copy of the app says on every page that it only reads.
"""

from __future__ import annotations

import subprocess
import sys

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox
from sqlalchemy import event

from xhht_desktop import app
from xhht_desktop.context import Actor, open_context
from xhht_desktop.core.registers import VillageDraft
from xhht_desktop.errors import DatabaseDamaged
from xhht_desktop.ui.forms.village_form import VillageDialog
from xhht_desktop.ui.main_window import MainWindow

Key = Qt.Key
SHOTS = "/tmp/shots"


def _damage(path):
    pages = path.stat().st_size // 4096
    with path.open("r+b") as handle:
        for number in range(pages // 3, pages // 3 + max(pages // 4, 3)):
            handle.seek(number * 4096)
            handle.write(b"\xa5" * 4096)


def test_a_full_disk_keeps_the_form_as_typed_and_says_what_to_do(
    qtbot, keyboard, show, context, tmp_path
):
    with context.engine.connect() as connection:
        pages = connection.exec_driver_sql("PRAGMA page_count").scalar()

    # SQLite's limit on the file's size fails a save exactly as a full disk does.
    def limit(dbapi_connection, _record):
        dbapi_connection.execute(f"PRAGMA max_page_count={pages}")

    event.listen(context.engine, "connect", limit)
    context.engine.dispose()
    dialog = show(VillageDialog(context))
    typed = ""
    for number in range(1, 400):
        typed = f"Thôn Đầy Đĩa số {number} — bon Bu Đăng, xã Đức An, tỉnh Lâm Đồng"
        keyboard.type(typed)
        keyboard.press(Key.Key_Return)
        if dialog.name.text():
            break
    else:
        pytest.fail("the database never filled up")
    assert dialog.status.isVisible()
    assert "Ổ đĩa chứa dữ liệu đã đầy" in dialog.status.text()
    assert dialog.name.text() == typed
    dialog.grab().save(f"{SHOTS}/reliability-disk-full.png")
    stored = {village.name for village in context.villages.list()}
    assert typed not in stored
    assert f"Thôn Đầy Đĩa số {number - 1} — bon Bu Đăng, xã Đức An, tỉnh Lâm Đồng" in stored
    # Space is freed: the same Enter stores what is still in the form.
    event.remove(context.engine, "connect", limit)
    context.engine.dispose()
    keyboard.press(Key.Key_Return)
    assert dialog.name.text() == ""
    assert typed in {village.name for village in context.villages.list()}


@pytest.fixture
def damaged(context):
    """A commune with a backup, then more work, then a damaged database file."""
    context.villages.save(VillageDraft("thon", "Thôn Trong Bản Sao Lưu"))
    context.backups.create()
    for number in range(300):
        context.villages.save(VillageDraft("thon", f"Thôn sau sao lưu {number}"))
    settings = context.settings
    context.close()
    _damage(settings.database_file)
    return settings


def test_the_gui_offers_the_newest_good_backup_and_keeps_the_damaged_file(
    qtbot, damaged, monkeypatch
):
    asked, told = [], []

    def question(_parent, title, text, *_args):
        asked.append(text)
        return QMessageBox.StandardButton.Yes

    monkeypatch.setattr(QMessageBox, "question", question)
    monkeypatch.setattr(QMessageBox, "information", lambda _p, _t, text: told.append(text))
    database = damaged.database_file
    damaged_bytes = database.read_bytes()

    context = app.open_or_recover(damaged, interactive=True)
    try:
        assert "bị hỏng" in asked[0]
        assert "Bản sao lưu tốt gần nhất" in asked[0]
        assert "Đã khôi phục bản sao lưu" in told[0]
        names = {village.name for village in context.villages.list()}
        assert names == {"Thôn Trong Bản Sao Lưu"}
        kept = list((database.parent / "hong").glob("*/xhht.sqlite"))
        assert [path.read_bytes() == damaged_bytes for path in kept] == [True]
    finally:
        context.close()


def test_saying_no_leaves_the_damaged_file_as_it_is(qtbot, damaged, monkeypatch):
    monkeypatch.setattr(QMessageBox, "question", lambda *_args: QMessageBox.StandardButton.No)
    before = damaged.database_file.read_bytes()
    with pytest.raises(DatabaseDamaged):
        app.open_or_recover(damaged, interactive=True)
    assert damaged.database_file.read_bytes() == before
    assert not (damaged.database_file.parent / "hong").exists()


HOLDER = (
    "import sys; from pathlib import Path; from xhht_desktop.context import Actor, open_context;"
    "from xhht_desktop.settings import Settings;"
    "from xhht_desktop.store.engine import database_url;"
    "c = open_context(Settings(Path(sys.argv[2]), database_url(sys.argv[1])), Actor('a'));"
    "print('held', flush=True); sys.stdin.read(); c.close()"
)


def test_a_second_window_shows_that_it_only_reads(qtbot, show, context):
    settings = context.settings
    context.close()
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(settings.database_file), str(settings.data_dir)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "held"
        second = open_context(settings, Actor("second"))
        try:
            window = show(MainWindow(second))
            assert window.read_only_banner.isVisible()
            assert window.read_only_banner.text() == (
                "Một cửa sổ XHHT khác đang mở dữ liệu này; cửa sổ này chỉ để xem."
            )
            window.grab().save(f"{SHOTS}/reliability-read-only.png")
            window.close()
        finally:
            second.close()
    finally:
        holder.stdin.close()
        holder.wait(timeout=60)
        holder.stdout.close()


def test_the_only_window_has_no_read_only_banner(qtbot, show, context):
    window = show(MainWindow(context))
    assert not window.read_only_banner.isVisible()


def test_damaged_encrypted_data_is_restored_after_the_login_unlocks_it(
    qtbot, context, show, keyboard, monkeypatch
):
    from xhht_desktop.services.users import NewUser
    from xhht_desktop.ui.login_dialog import LoginDialog

    password = "matkhau-2026"
    context.users.create(NewUser("quantri", "Lê Văn Quản", "admin", password))
    context.encryption.encrypt("quantri", password)
    context.villages.save(VillageDraft("thon", "Thôn Trong Bản Sao Lưu"))
    context.backups.create()
    for number in range(300):
        context.villages.save(VillageDraft("thon", f"Thôn sau sao lưu {number}"))
    settings = context.settings
    database = settings.database_file
    context.close()
    _damage(database)
    damaged_bytes = database.read_bytes()
    asked, told = [], []

    def question(_parent, _title, text, *_args):
        asked.append(text)
        return QMessageBox.StandardButton.Yes

    monkeypatch.setattr(QMessageBox, "question", question)
    monkeypatch.setattr(QMessageBox, "information", lambda _p, _t, text: told.append(text))
    locked = settings.__class__(settings.data_dir, settings.database_url)
    login = show(LoginDialog(None, settings=locked))
    login.username.setFocus()
    with qtbot.waitSignal(login.logged_in, timeout=60_000):
        keyboard.type("quantri")
        keyboard.press(Key.Key_Tab)
        keyboard.type(password)
        keyboard.press(Key.Key_Return)
    try:
        assert "bị hỏng" in asked[0] and "Bản sao lưu tốt gần nhất" in asked[0]
        assert "Đã khôi phục bản sao lưu" in told[0]
        assert login.context.encryption.encrypted
        names = {village.name for village in login.context.villages.list()}
        assert names == {"Thôn Trong Bản Sao Lưu"}
        kept = list((database.parent / "hong").glob("*/xhht.sqlite"))
        assert [path.read_bytes() == damaged_bytes for path in kept] == [True]
    finally:
        login.context.close()
