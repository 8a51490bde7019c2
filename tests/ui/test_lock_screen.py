"""The idle lock over the real main window and a real person form."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QFrame

from xhht_desktop.context import Actor
from xhht_desktop.core.registers import HouseholdDraft, VillageDraft
from xhht_desktop.services.users import NewUser
from xhht_desktop.ui.forms.person_form import PersonDialog
from xhht_desktop.ui.main_window import PAGES, MainWindow
from xhht_desktop.ui.pages.exchange import ExchangePage

# The offscreen platform warns that it cannot raise or resize windows.
pytestmark = pytest.mark.qt_log_ignore("This plugin does not support")

PASSWORD = "matkhau-2026"
Key = Qt.Key


@pytest.fixture
def clerk(context):
    """A data-entry user logged in."""
    user = context.users.create(NewUser("hoa.tran", "Trần Thị Hoa", "data_entry", PASSWORD))
    context.actor = Actor(user.username, user.role, user.id)
    return user


@pytest.fixture
def form(context, clerk, show, qtbot):
    """The main window with a person form open and half typed."""
    village = context.villages.save(VillageDraft("thon", "Thôn 1"))
    household = context.households.save(HouseholdDraft("H01", village.id, "Nguyễn Văn An"))
    window = show(MainWindow(context))
    dialog = PersonDialog(context, household_id=household.id, parent=window)
    dialog.open()
    qtbot.waitExposed(dialog)
    dialog.form.full_name.setFocus()
    qtbot.keyClicks(dialog.form.full_name, "Lo Van Tu")
    return window, dialog


def _lock(window, qtbot):
    window.idle_lock.set_interval(200)
    with qtbot.waitSignal(window.idle_lock.locked, timeout=5000):
        pass
    return window.idle_lock.screen


def _covers(window, dialog):
    return [
        cover
        for top in (window, dialog)
        for cover in top.findChildren(
            QFrame, "lockCover", Qt.FindChildOption.FindDirectChildrenOnly
        )
        if cover.isVisible()
    ]


def test_idle_time_locks_and_the_right_password_gives_the_form_back(form, qtbot, context):
    window, dialog = form
    screen = _lock(window, qtbot)
    assert screen.isVisible()
    assert screen.username.text() == "hoa.tran"
    # Both the window and the open form are hidden behind a cover.
    assert len(_covers(window, dialog)) == 2

    # Keys aimed at the form do not reach it while locked.
    qtbot.keyClicks(dialog.form.full_name, "XYZ")
    qtbot.keyClick(dialog.form.full_name, Key.Key_Backspace)
    assert dialog.form.full_name.text() == "Lo Van Tu"

    qtbot.keyClicks(screen.password, "sai-mat-khau")
    qtbot.keyClick(screen.password, Key.Key_Return)
    assert window.idle_lock.is_locked
    assert screen.message.text() == "Sai tên đăng nhập hoặc mật khẩu."
    assert screen.password.text() == ""

    qtbot.keyClicks(screen.password, PASSWORD)
    with qtbot.waitSignal(window.idle_lock.unlocked, timeout=5000) as unlocked:
        qtbot.keyClick(screen.password, Key.Key_Return)
    assert unlocked.args[0].username == "hoa.tran"
    assert not window.idle_lock.is_locked
    assert not screen.isVisible()
    qtbot.waitUntil(lambda: not _covers(window, dialog), timeout=2000)
    assert dialog.isVisible()
    assert dialog.form.full_name.text() == "Lo Van Tu"
    qtbot.keyClicks(dialog.form.full_name, "!")
    assert dialog.form.full_name.text() == "Lo Van Tu!"
    assert context.actor.name == "hoa.tran"


def _system_key(window, char):
    """A key as the system delivers it: to the window first, then to its focused widget."""
    for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
        QApplication.sendEvent(
            window.windowHandle(),
            QKeyEvent(kind, ord(char.upper()), Qt.KeyboardModifier.NoModifier, char),
        )


def test_keys_from_the_system_reach_the_lock_and_not_the_form(form, qtbot):
    window, dialog = form
    screen = _lock(window, qtbot)
    screen.activateWindow()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is screen.password, timeout=3000)
    _system_key(dialog, "x")
    _system_key(window, "y")
    _system_key(screen, "z")
    assert dialog.form.full_name.text() == "Lo Van Tu"
    assert screen.password.text() == "z"


def test_esc_does_not_get_past_the_lock(form, qtbot):
    window, _dialog = form
    screen = _lock(window, qtbot)
    qtbot.keyClick(screen.password, Key.Key_Escape)
    assert screen.isVisible() and window.idle_lock.is_locked


def test_wrong_passwords_are_slowed_down_like_a_login(form, qtbot, context):
    window, _dialog = form
    screen = _lock(window, qtbot)
    for _ in range(3):
        qtbot.keyClicks(screen.password, "sai-mat-khau")
        qtbot.keyClick(screen.password, Key.Key_Return)
    # The third refusal in a row: the name waits (counted by the service, as at login).
    assert context.users.login_wait("hoa.tran") >= 1
    assert not screen.unlock_button.isEnabled()
    qtbot.keyClicks(screen.password, PASSWORD)
    qtbot.keyClick(screen.password, Key.Key_Return)
    assert window.idle_lock.is_locked  # not even tried during the wait
    qtbot.waitUntil(screen.unlock_button.isEnabled, timeout=4000)
    screen.password.clear()
    qtbot.keyClicks(screen.password, PASSWORD)
    with qtbot.waitSignal(window.idle_lock.unlocked, timeout=5000):
        qtbot.keyClick(screen.password, Key.Key_Return)
    assert context.users.login_wait("hoa.tran") == 0


def test_another_user_can_take_over(form, qtbot, context):
    window, dialog = form
    admin = Actor("test:admin")
    approver = None
    saved = context.actor
    context.actor = admin
    approver = context.users.create(NewUser("lan.le", "Lê Thị Lan", "approver", "matkhau-lan"))
    context.actor = saved
    exchange = window.page(next(i for i, p in enumerate(PAGES) if p.key == "exchange"))
    assert isinstance(exchange, ExchangePage) and not exchange.export_button.isEnabled()
    screen = _lock(window, qtbot)
    screen.username.setText("lan.le")
    screen.password.setText("matkhau-lan")
    with qtbot.waitSignal(window.idle_lock.unlocked, timeout=5000):
        screen.try_unlock()
    assert (context.actor.name, context.actor.role, context.actor.user_id) == (
        "lan.le",
        "approver",
        approver.id,
    )
    assert window.user_status.text() == "Người dùng: Lê Thị Lan (Phê duyệt, ký báo cáo)"
    assert dialog.form.full_name.text() == "Lo Van Tu"
    # A page opened by the clerk follows the approver's role once unlocked.
    assert exchange.export_button.isEnabled()


def test_no_lock_without_a_user_to_unlock_it(context, show):
    window = show(MainWindow(context))  # the command line's OS user: no password
    assert window.idle_lock is None


def test_zero_minutes_never_locks(form, qtbot):
    window, _dialog = form
    window.idle_lock.set_interval(0)
    qtbot.wait(400)
    assert not window.idle_lock.is_locked


def test_screenshot(form, qtbot, tmp_path):
    window, _dialog = form
    screen = _lock(window, qtbot)
    qtbot.keyClicks(screen.password, "sai")
    qtbot.keyClick(screen.password, Key.Key_Return)
    assert screen.grab().save(str(tmp_path / "lock_screen.png"))
    assert window.grab().save(str(tmp_path / "locked_window.png"))
