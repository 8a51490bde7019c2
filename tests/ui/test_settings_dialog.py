"""Tệp → Cài đặt…: the administrator sets the idle lock; nobody else can."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from sqlalchemy import select

from xhht_desktop.context import Actor
from xhht_desktop.errors import PermissionDenied
from xhht_desktop.services.users import DEFAULT_IDLE_LOCK_MINUTES, NewUser
from xhht_desktop.store.models import AuditEntry
from xhht_desktop.ui.main_window import MainWindow
from xhht_desktop.ui.settings_dialog import SettingsDialog

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support")

Key = Qt.Key


def test_the_administrator_sets_the_idle_time_from_the_file_menu(context, show, keyboard, qtbot):
    admin = context.users.create(NewUser("quan.tri", "Lê Văn Quản", "admin", "matkhau-2026"))
    context.actor = Actor(admin.username, admin.role, admin.id)
    window = show(MainWindow(context))
    assert window.settings_action.isEnabled()
    assert window.idle_lock.interval_ms == DEFAULT_IDLE_LOCK_MINUTES * 60_000
    dialog = window.open_settings_dialog()
    dialog.activateWindow()
    qtbot.waitUntil(lambda: keyboard.focused() is dialog.idle_minutes, timeout=3000)
    assert dialog.idle_minutes.value() == DEFAULT_IDLE_LOCK_MINUTES
    keyboard.press(Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    keyboard.type("25")
    with qtbot.waitSignal(dialog.settings_saved):
        keyboard.press(Key.Key_Return)
    assert context.users.idle_lock_minutes() == 25
    assert window.idle_lock.interval_ms == 25 * 60_000
    with context.reading() as session:
        logged = session.scalars(
            select(AuditEntry).where(AuditEntry.record_id == "idle_lock_minutes")
        ).one()
    assert (logged.actor, logged.new_value) == ("quan.tri", "25")


def test_zero_means_never(context, show, keyboard, qtbot):
    dialog = show(SettingsDialog(context))
    dialog.idle_minutes.setValue(0)
    assert dialog.idle_minutes.text() == "Không khóa"
    with qtbot.waitSignal(dialog.settings_saved):
        keyboard.press(Key.Key_Return)
    assert context.users.idle_lock_minutes() == 0


def test_esc_keeps_the_setting(context, show, keyboard):
    dialog = show(SettingsDialog(context))
    dialog.idle_minutes.setValue(3)
    keyboard.press(Key.Key_Escape)
    assert context.users.idle_lock_minutes() == DEFAULT_IDLE_LOCK_MINUTES


def test_only_an_administrator_changes_settings(context, show):
    context.actor = Actor("pheduyet", "approver")
    with pytest.raises(PermissionDenied, match="quản trị"):
        context.users.set_idle_lock_minutes(1)
    dialog = show(SettingsDialog(context))
    dialog.idle_minutes.setValue(1)
    dialog.accept()
    assert "Chỉ người dùng có vai trò quản trị" in dialog.message.text()
    assert dialog.isVisible()
    assert context.users.idle_lock_minutes() == DEFAULT_IDLE_LOCK_MINUTES


def test_screenshot(context, show, tmp_path):
    dialog = show(SettingsDialog(context))
    assert dialog.grab().save(str(tmp_path / "settings.png"))
