"""Tests of xhht_desktop.ui.crash_handler: an unexpected error loses nothing typed.

pytest-qt turns an exception in a slot into a test failure by owning
``sys.excepthook``; these tests switch that off so that the app's own
handler gets the exception, exactly as in a real run.
"""

from __future__ import annotations

import sys
import threading

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from xhht_desktop import diagnostics
from xhht_desktop.services.villages import VillageService
from xhht_desktop.ui.crash_handler import CrashDialog, CrashHandler
from xhht_desktop.ui.forms.village_form import VillageDialog

pytestmark = pytest.mark.qt_no_exception_capture


class SaveBroke(RuntimeError):
    """A bug that the service's save path could have."""


@pytest.fixture
def handler(qapp, data_dir):
    crash = CrashHandler(diagnostics.logs_dir(data_dir))
    crash.install()
    yield crash
    crash.uninstall()
    if crash.dialog is not None:
        crash.dialog.close()  # finished → the handler lets it go


def test_an_error_while_saving_keeps_the_form_and_its_text(
    qtbot, keyboard, show, context, data_dir, handler, monkeypatch, capsys
):
    def broken_save(self, *args, **kwargs):
        raise SaveBroke("lỗi giả trong đường lưu")

    monkeypatch.setattr(VillageService, "save", broken_save)
    form = show(VillageDialog(context))
    keyboard.type("Thôn Tân Lập")
    with qtbot.waitSignal(handler.crash_logged, timeout=5_000) as logged:
        keyboard.press(Qt.Key.Key_Return)

    # The form is still open and holds what was typed.
    assert form.isVisible()
    assert form.name.text() == "Thôn Tân Lập"
    # The official sees the Vietnamese message, without the app waiting on it.
    dialog = handler.dialog
    assert isinstance(dialog, CrashDialog)
    assert dialog.isVisible()
    assert "Đã xảy ra lỗi không mong muốn" in dialog.message.text()
    assert "Dữ liệu đã lưu không bị mất" in dialog.message.text()
    # The log is in the data folder, with the details a developer needs.
    path = logged.args[0]
    assert path.parent == data_dir / "logs"
    assert path.name.startswith("loi-") and path.suffix == ".txt"
    text = path.read_text(encoding="utf-8")
    assert "Traceback (most recent call last)" in text
    assert "SaveBroke: lỗi giả trong đường lưu" in text
    assert "broken_save" in text
    assert "Phiên bản:" in text and "Python:" in text and "Hệ điều hành:" in text
    assert "Thôn Tân Lập" not in text  # what was typed stays out of the log
    assert dialog.details.toPlainText() == text
    # Nothing was stored, and the app carries on: the same form saves once fixed.
    assert context.villages.list() == []
    monkeypatch.undo()
    dialog.continue_button.click()
    qtbot.waitUntil(lambda: handler.dialog is None)
    form.activateWindow()
    qtbot.waitUntil(form.isActiveWindow)
    form.name.setFocus()
    keyboard.press(Qt.Key.Key_Return)
    assert [v.name for v in context.villages.list()] == ["Thôn Tân Lập"]
    assert "SaveBroke" in capsys.readouterr().err  # the previous hook still prints it


def test_the_logs_are_copied_to_a_stick(qtbot, data_dir, tmp_path, handler):
    app_log = diagnostics.configure_app_log(data_dir / "logs")
    try:
        with qtbot.waitSignal(handler.crash_logged):
            try:
                raise KeyError("thiếu khóa")
            except KeyError:
                handler.handle_exception(*sys.exc_info())
        stick = tmp_path / "usb"
        stick.mkdir()
        copies = handler.dialog.copy_logs(stick)
    finally:
        diagnostics.remove_app_log(app_log)
    names = sorted(p.name for p in copies)
    assert len(names) == 2 and names[1] == "xhht.log"
    assert names[0].startswith("loi-")
    assert "KeyError: 'thiếu khóa'" in (stick / names[0]).read_text(encoding="utf-8")
    # The app log received the error too.
    assert "thiếu khóa" in (stick / "xhht.log").read_text(encoding="utf-8")
    assert "Đã chép 2 tệp" in handler.dialog.result_label.text()


def test_a_stick_that_cannot_be_written_is_said(qtbot, data_dir, tmp_path, handler):
    with qtbot.waitSignal(handler.crash_logged):
        try:
            raise ValueError("x")
        except ValueError:
            handler.handle_exception(*sys.exc_info())
    missing = tmp_path / "rut-ra" / "usb"
    (tmp_path / "rut-ra").write_text("không phải thư mục")
    assert handler.dialog.copy_logs(missing) == []
    assert "Không chép được" in handler.dialog.result_label.text()


def test_an_error_in_another_thread_is_shown_by_the_gui_thread(qtbot, data_dir, monkeypatch):
    heard: list[str] = []
    # In place of pytest's own hook, which would turn the thread's error into
    # a failure; the handler passes the error on to it after logging.
    monkeypatch.setattr(threading, "excepthook", lambda args: heard.append(args.thread.name))
    crash = CrashHandler(data_dir / "logs")
    crash.install()

    def work() -> None:
        raise OSError("đĩa hỏng giả")

    try:
        with qtbot.waitSignal(crash.crash_logged, timeout=5_000) as logged:
            thread = threading.Thread(target=work, name="nen-thu")
            thread.start()
            thread.join()
        assert crash.dialog.isVisible()
    finally:
        crash.uninstall()
        if crash.dialog is not None:
            crash.dialog.close()
    text = logged.args[0].read_text(encoding="utf-8")
    assert "Luồng: nen-thu" in text
    assert "OSError: đĩa hỏng giả" in text
    assert heard == ["nen-thu"]


def test_two_errors_share_one_dialog_and_two_logs(qtbot, data_dir, handler):
    for message in ("một", "hai"):
        try:
            raise RuntimeError(message)
        except RuntimeError:
            handler.handle_exception(*sys.exc_info())
    assert len(diagnostics.crash_logs(data_dir / "logs")) == 2
    assert "Đã có 2 lỗi" in handler.dialog.message.text()
    dialogs = [w for w in QApplication.topLevelWidgets() if isinstance(w, CrashDialog)]
    assert [d for d in dialogs if d.isVisible()] == [handler.dialog]


def test_uninstall_gives_the_hooks_back(qapp, data_dir):
    before = (sys.excepthook, threading.excepthook)
    crash = CrashHandler(data_dir / "logs")
    crash.install()
    assert sys.excepthook == crash.handle_exception
    crash.uninstall()
    assert (sys.excepthook, threading.excepthook) == before


def test_a_repeating_error_stops_writing_logs_after_a_few(qtbot, data_dir, handler, monkeypatch):
    monkeypatch.setattr("xhht_desktop.ui.crash_handler.MAX_LOGS_PER_RUN", 3)
    for _ in range(5):
        try:
            raise RuntimeError("vẽ lỗi")
        except RuntimeError:
            handler.handle_exception(*sys.exc_info())
    logs = diagnostics.crash_logs(data_dir / "logs")
    assert len(logs) == 3
    assert handler.dialog.isVisible()
    text = handler.dialog.message.text()
    assert "Đã có 5 lỗi" in text and str(handler.dialog.log_paths[-1]) in text


def test_the_copy_asks_for_a_folder_starting_on_the_stick(
    qtbot, data_dir, tmp_path, handler, monkeypatch
):
    from PySide6.QtWidgets import QFileDialog

    from xhht_desktop.exchange import drives

    stick = tmp_path / "media" / "USB"
    stick.mkdir(parents=True)
    monkeypatch.setattr(
        drives, "removable_drives", lambda: [drives.RemovableDrive(stick, "USB", 1, 2)]
    )
    asked: list[str] = []
    answers = iter([str(stick), ""])

    def choose(_parent, _title, start):
        asked.append(start)
        return next(answers)

    monkeypatch.setattr(QFileDialog, "getExistingDirectory", staticmethod(choose))
    with qtbot.waitSignal(handler.crash_logged):
        try:
            raise RuntimeError("chép")
        except RuntimeError:
            handler.handle_exception(*sys.exc_info())
    handler.dialog.copy_button.click()
    assert asked == [str(stick)]
    assert [p.name for p in stick.iterdir()] == [handler.dialog.log_paths[0].name]
    # Cancelling the folder dialog copies nothing.
    assert handler.dialog.copy_logs() == []
