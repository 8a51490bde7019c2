"""The Qt bootstrap: application, context, first start or login, main window.

``run_gui`` is all the command line calls. It stays light: the widgets it
needs are imported when they are about to be shown, the register pages only
when the user opens them, and the start-up backup runs off the GUI thread.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

from PySide6.QtCore import (
    QCoreApplication,
    QEvent,
    QEventLoop,
    QObject,
    QThreadPool,
    QTimer,
)
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox, QProgressDialog

from xhht_desktop.context import Actor, AppContext, open_context
from xhht_desktop.errors import XhhtError
from xhht_desktop.resources import resource
from xhht_desktop.settings import Settings, os_actor
from xhht_desktop.ui.tasks import BackgroundTask

if TYPE_CHECKING:
    from xhht_desktop.services.users import UserInfo

APP_NAME = "XHHT Desktop"
EXIT_OK = 0
EXIT_FAILED = 1
DEMO_ACTOR = Actor("demo", "admin")
# A smoke run that never paints is a failure, not a hang.
SMOKE_TIMEOUT_MS = 60_000


def _tr(text: str) -> str:
    return QCoreApplication.translate("app", text)


class _FirstPaint(QObject):
    """Quit the application once the watched window has painted (smoke runs)."""

    def __init__(self, app: QApplication) -> None:
        super().__init__(app)
        self._app = app
        self._done = False

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint and not self._done:
            self._done = True
            QTimer.singleShot(0, self._app.quit)
        return super().eventFilter(watched, event)


def _application() -> QApplication:
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(sys.argv[:1])
    app.setApplicationName(APP_NAME)
    app.setWindowIcon(QIcon(str(resource("icons", "xhht.svg"))))
    from xhht_desktop.ui import style

    style.apply(app)
    return app


def _show_error(error: XhhtError, *, interactive: bool) -> None:
    if not interactive:
        print(f"Lỗi: {error.message}", file=sys.stderr)
        return
    box = QMessageBox(QMessageBox.Icon.Critical, APP_NAME, error.message)
    box.setWindowTitle(_tr("XHHT Desktop — lỗi"))
    box.exec()


def _wait_for(task: BackgroundTask, label: str) -> object:
    """Run ``task`` with a busy dialog; return its result or raise its error."""
    progress = QProgressDialog(label, "", 0, 0)
    progress.setWindowTitle(APP_NAME)
    progress.setCancelButton(None)
    progress.setMinimumDuration(0)
    loop = QEventLoop()
    task.finished.connect(loop.quit)
    task.failed.connect(loop.quit)
    progress.show()
    task.start()
    loop.exec()
    progress.close()
    if task.error is not None:
        raise task.error
    return task.result


def _log_in(context: AppContext, *, demo: bool) -> UserInfo | Actor | None:
    """Who will work: the demo actor, the wizard's first user, or a login."""
    if demo:
        from xhht_desktop.services.demo_setup import ensure_demo, needs_demo

        if needs_demo(context):
            _wait_for(
                BackgroundTask(lambda: ensure_demo(context)),
                _tr("Đang tạo dữ liệu xã mẫu, xin chờ…"),
            )
        return DEMO_ACTOR
    if not context.setup.is_set_up():
        from xhht_desktop.ui.setup_wizard import SetupWizard

        wizard = SetupWizard(context)
        try:
            if wizard.exec() != QDialog.DialogCode.Accepted:
                return None
            return wizard.created_user
        finally:
            wizard.deleteLater()
    from xhht_desktop.ui.login_dialog import LoginDialog

    login = LoginDialog(context)
    try:
        if login.exec() != QDialog.DialogCode.Accepted:
            return None
        return login.user
    finally:
        login.deleteLater()


def _smoke(app: QApplication, context: AppContext) -> int:
    from xhht_desktop.ui.main_window import MainWindow

    window = MainWindow(context)
    watcher = _FirstPaint(app)
    window.installEventFilter(watcher)
    QTimer.singleShot(SMOKE_TIMEOUT_MS, lambda: app.exit(EXIT_FAILED))
    window.show()
    return app.exec()


def _run(app: QApplication, context: AppContext, *, demo: bool) -> int:
    who = _log_in(context, demo=demo)
    if who is None:
        return EXIT_OK
    context.actor = who if isinstance(who, Actor) else Actor(who.username, who.role, who.id)

    from xhht_desktop.ui.main_window import MainWindow

    window = MainWindow(context)
    window.show()
    startup = BackgroundTask(lambda: context.backups.automatic("khoi-dong"), window)
    startup.finished.connect(window.show_backup_result)
    startup.failed.connect(window.show_backup_result)
    # Started once the window is on screen, so the backup never delays it.
    QTimer.singleShot(0, startup.start)
    code = app.exec()
    QThreadPool.globalInstance().waitForDone()
    try:
        context.backups.automatic("thoat")
    except XhhtError as exc:
        print(f"Không sao lưu được khi thoát: {exc.message}", file=sys.stderr)
    return code


def run_gui(settings: Settings, *, smoke: bool = False, demo: bool = False) -> int:
    """Open the app on ``settings``; return the process exit code.

    Args:
        settings: Where the data lives (``--db``, ``--demo``).
        smoke: Show the main window without login, quit after its first
            paint (exit 0): a check that the GUI starts, also offscreen.
        demo: Open the demo commune, creating and filling it if needed; no
            login, and the main window says the data is not real.
    """
    app = _application()
    try:
        context = open_context(settings, Actor(os_actor()))
    except XhhtError as exc:
        _show_error(exc, interactive=not smoke)
        return EXIT_FAILED
    try:
        if smoke:
            return _smoke(app, context)
        return _run(app, context, demo=demo)
    except XhhtError as exc:
        _show_error(exc, interactive=not smoke)
        return EXIT_FAILED
    finally:
        context.close()
