"""What the official sees when something breaks that the app did not expect.

:class:`CrashHandler` takes over ``sys.excepthook`` (PySide6 hands it every
exception that escapes a slot or a Qt override) and ``threading.excepthook``.
It writes the details to ``<data folder>/logs/loi-….txt`` (through
:mod:`xhht_desktop.diagnostics`), then shows :class:`CrashDialog` without
blocking: the window that was in use stays open with what was typed in it, so
the official can try again; the failed transaction was rolled back, so what
was saved before is intact. The dialog offers to copy the logs to a USB stick
for the office.
"""

from __future__ import annotations

import sys
import threading
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import QObject, Qt, Signal, Slot
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from xhht_desktop import diagnostics
from xhht_desktop.exchange import drives

#: Crash logs written in one run at most.
MAX_LOGS_PER_RUN = 20


class CrashDialog(QDialog):
    """Says that an unexpected error happened, where its log is, and offers a copy.

    Attributes:
        message: The explanation for the official.
        details: The log's text, read-only, for whoever helps on the phone.
        copy_button: "Chép nhật ký ra USB…".
        result_label: What the last copy did.
    """

    def __init__(self, logs_folder: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.logs_folder = logs_folder
        self.log_paths: list[Path] = []
        self.errors = 0
        self.setWindowTitle(self.tr("XHHT Desktop — lỗi không mong muốn"))
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.details = QPlainTextEdit()
        self.details.setReadOnly(True)
        self.details.setMinimumHeight(140)
        self.result_label = QLabel()
        self.result_label.setWordWrap(True)
        self.result_label.hide()

        buttons = QDialogButtonBox()
        self.copy_button = buttons.addButton(
            self.tr("&Chép nhật ký ra USB…"), QDialogButtonBox.ButtonRole.ActionRole
        )
        self.continue_button = buttons.addButton(
            self.tr("&Tiếp tục làm việc"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.copy_button.clicked.connect(lambda: self.copy_logs())
        self.continue_button.clicked.connect(self.accept)
        self.continue_button.setDefault(True)

        layout = QVBoxLayout(self)
        layout.addWidget(self.message)
        layout.addWidget(self.details, 1)
        layout.addWidget(self.result_label)
        layout.addWidget(buttons)
        self.resize(620, 420)

    def add_log(self, path: Path | None, text: str) -> None:
        """Show one more error (the dialog stays one window for a burst of them)."""
        if path is not None:
            self.log_paths.append(path)
        # The same error over and over is logged only so many times: the
        # last file written still holds its details.
        written = path or (self.log_paths[-1] if self.log_paths else None)
        where = (
            self.tr("Chi tiết đã được ghi vào tệp:\n{path}").format(path=written)
            if written is not None
            else self.tr("Không ghi được tệp nhật ký vào thư mục {folder}.").format(
                folder=self.logs_folder
            )
        )
        self.errors += 1
        count = self.errors
        extra = (
            "\n" + self.tr("Đã có {n} lỗi trong phiên làm việc này.").format(n=count)
            if count > 1
            else ""
        )
        self.message.setText(
            self.tr(
                "Đã xảy ra lỗi không mong muốn. Dữ liệu đã lưu không bị mất; thao tác vừa "
                "rồi chưa được lưu. Cửa sổ đang mở vẫn giữ nguyên những gì bạn đã nhập: "
                "hãy thử lại, nếu vẫn lỗi hãy chép nhật ký ra USB và gửi cho cơ quan hỗ trợ."
            )
            + "\n\n"
            + where
            + extra
        )
        self.details.setPlainText(text)

    def copy_logs(self, target: Path | None = None) -> list[Path]:
        """Copy this session's crash logs and the app log to ``target``.

        Args:
            target: The folder (on a stick); ``None`` asks with a folder dialog.

        Returns:
            The copies made; empty when cancelled or when the copy failed
            (the dialog says why).
        """
        if target is None:
            # Start on the stick when one is plugged in: that is where the logs go.
            sticks = drives.removable_drives()
            start = str(sticks[0].path) if sticks else ""
            chosen = QFileDialog.getExistingDirectory(
                self, self.tr("Chọn thư mục trên USB để chép nhật ký"), start
            )
            if not chosen:
                return []
            target = Path(chosen)
        paths = [p for p in self.log_paths if p.is_file()]
        app_log = self.logs_folder / diagnostics.APP_LOG_NAME
        if app_log.is_file():
            paths.append(app_log)
        try:
            copies = diagnostics.copy_logs(paths, target)
        except OSError as exc:
            self.result_label.setText(
                self.tr("Không chép được vào {folder}: {reason}").format(
                    folder=target, reason=exc.strerror or exc
                )
            )
            self.result_label.show()
            return []
        self.result_label.setText(
            self.tr("Đã chép {n} tệp vào {folder}. Có thể rút USB.").format(
                n=len(copies), folder=target
            )
        )
        self.result_label.show()
        return copies


class CrashHandler(QObject):
    """Catches the exceptions nobody else caught; logs them and tells the official.

    Signals:
        crash_logged(object): the log's path (``None`` if it could not be written).
    """

    crash_logged = Signal(object)
    # A thread's error is shown by the GUI thread: queued through this signal.
    _thread_failed = Signal(object, str)

    def __init__(self, logs_folder: Path, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.logs_folder = logs_folder
        self.dialog: CrashDialog | None = None
        self.logged = 0
        self._previous_hook: object = None
        self._previous_thread_hook: object = None
        self._thread_failed.connect(self._show, Qt.ConnectionType.QueuedConnection)

    def install(self) -> None:
        """Become the handler of uncaught exceptions (GUI thread and other threads)."""
        self._previous_hook = sys.excepthook
        self._previous_thread_hook = threading.excepthook
        sys.excepthook = self.handle_exception
        threading.excepthook = self._handle_thread_exception

    def uninstall(self) -> None:
        """Give the hooks back to whoever had them before :meth:`install`."""
        if sys.excepthook == self.handle_exception and self._previous_hook is not None:
            sys.excepthook = self._previous_hook  # type: ignore[assignment]
        if (
            threading.excepthook == self._handle_thread_exception
            and self._previous_thread_hook is not None
        ):
            threading.excepthook = self._previous_thread_hook  # type: ignore[assignment]

    def handle_exception(
        self,
        exc_type: type[BaseException],
        exc: BaseException,
        tb: TracebackType | None,
    ) -> None:
        """Log an uncaught exception of the GUI thread and show the dialog."""
        if issubclass(exc_type, KeyboardInterrupt):
            sys.__excepthook__(exc_type, exc, tb)
            return
        path = self._write(exc_type, exc, tb, None)
        self._show(path, self._text(path, exc_type, exc, tb))
        # The hook before us still hears of it: the console's traceback in a
        # terminal run, a test framework's record in a test.
        if callable(self._previous_hook):
            self._previous_hook(exc_type, exc, tb)

    def _handle_thread_exception(self, args: threading.ExceptHookArgs) -> None:
        thread = args.thread.name if args.thread is not None else None
        path = self._write(args.exc_type, args.exc_value, args.exc_traceback, thread)
        self._thread_failed.emit(
            path, self._text(path, args.exc_type, args.exc_value, args.exc_traceback)
        )
        if callable(self._previous_thread_hook):
            self._previous_thread_hook(args)

    def _write(
        self,
        exc_type: type[BaseException],
        exc: BaseException | None,
        tb: TracebackType | None,
        thread: str | None,
    ) -> Path | None:
        self.logged += 1
        # An error in a paint event comes back on every paint: past a few
        # logs the rest are the same one, and must not fill the disk.
        if self.logged > MAX_LOGS_PER_RUN:
            return None
        try:
            return diagnostics.write_crash_log(self.logs_folder, exc_type, exc, tb, thread=thread)
        except OSError:
            # A full or read-only disk must not turn one error into two.
            return None

    @staticmethod
    def _text(
        path: Path | None,
        exc_type: type[BaseException],
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> str:
        if path is not None:
            try:
                return path.read_text(encoding="utf-8")
            except OSError:
                pass
        import traceback

        return "".join(traceback.format_exception(exc_type, exc, tb))

    @Slot(object, str)
    def _show(self, path: Path | None, text: str) -> None:
        if QApplication.instance() is None:
            return
        if self.dialog is None:
            # No parent: closing the window that failed must not take the
            # message with it. Modal over everything (a form may itself be
            # modal), yet shown without exec(), so nothing waits on it.
            self.dialog = CrashDialog(self.logs_folder)
            self.dialog.setWindowModality(Qt.WindowModality.ApplicationModal)
            self.dialog.finished.connect(self._dialog_closed)
        self.dialog.add_log(path, text)
        # Not exec(): the error may come from inside a dialog's own event
        # loop, and the window the official was typing in must stay usable.
        self.dialog.show()
        self.dialog.activateWindow()
        self.crash_logged.emit(path)

    def _dialog_closed(self) -> None:
        if self.dialog is not None:
            self.dialog.deleteLater()
            self.dialog = None
