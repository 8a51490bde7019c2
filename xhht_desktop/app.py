"""The Qt bootstrap: application, context, first start or login, main window.

``run_gui`` is all the command line calls. It stays light: the widgets it
needs are imported when they are about to be shown, the register pages only
when the user opens them, and the start-up backup runs off the GUI thread.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
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
from xhht_desktop.errors import DatabaseDamaged, DatabaseLocked, XhhtError
from xhht_desktop.resources import resource
from xhht_desktop.settings import Settings, os_actor
from xhht_desktop.ui.tasks import BackgroundTask

if TYPE_CHECKING:
    from xhht_desktop.services.users import UserInfo
    from xhht_desktop.ui.main_window import MainWindow

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

        # A local file is encrypted at Finish; a server protects its own data.
        wizard = SetupWizard(context, encrypt=context.encryption.available())
        try:
            if wizard.exec() != QDialog.DialogCode.Accepted:
                return None
            if wizard.encryption_error is not None:
                # Set up, but still plain: say why; the banner offers to try again.
                _show_error(XhhtError(wizard.encryption_error), interactive=True)
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
    code = app.exec()
    # The pages' background tasks outlive the quick quit; one still running
    # when Python tears PySide down crashes the exit (seen in the frozen bundle).
    QThreadPool.globalInstance().waitForDone()
    return code


def _install_diagnostics(settings: Settings) -> Callable[[], None]:
    """The app log and the crash handler for this run; returns their removal."""
    from xhht_desktop import diagnostics
    from xhht_desktop.ui.crash_handler import CrashHandler

    folder = diagnostics.logs_dir(settings.data_dir)
    try:
        handler = diagnostics.configure_app_log(folder)
    except OSError:
        # A data folder that cannot be written is reported when the database
        # opens; a missing log must not stop the start.
        handler = None
    crash = CrashHandler(folder)
    crash.install()

    def remove() -> None:
        crash.uninstall()
        crash.deleteLater()
        if handler is not None:
            diagnostics.remove_app_log(handler)

    return remove


def open_package(window: MainWindow, path: Path) -> None:
    """Open a ``.xhht`` package given on the command line (a double-click on the file).

    The exchange import belongs to the main window (``open_package_file``);
    a build without it shows the exchange page if there is one, and in any
    case says how to import the file from the command line.
    """
    opener = getattr(window, "open_package_file", None)
    if callable(opener):
        opener(path)
        return
    from xhht_desktop.ui.main_window import PAGES

    for index, spec in enumerate(PAGES):
        if spec.key in ("exchange", "packages"):
            window.go_to_page(index)
            break
    window.message(
        QMessageBox.Icon.Information,
        _tr("Gói dữ liệu"),
        _tr(
            "Phiên bản này chưa nhập được gói dữ liệu từ cửa sổ.\n"
            'Hãy nhập tệp «{name}» bằng lệnh:\n\nxhht import-package "{path}"'
        ).format(name=path.name, path=path),
    )


def _open_encrypted(
    settings: Settings, *, smoke: bool
) -> tuple[AppContext, UserInfo | None] | None:
    """Encrypted data: the login unlocks it (a smoke run: ``XHHT_PASSWORD``).

    Returns:
        The opened context and the logged-in user (``None`` in a smoke run),
        or ``None`` when the user closed the login dialog.
    """
    from xhht_desktop.services import encryption

    if smoke:
        import os

        password = os.environ.get("XHHT_PASSWORD")
        if not password:
            raise DatabaseLocked()
        return open_context(encryption.unlock(settings, password), Actor(os_actor())), None
    from xhht_desktop.ui.login_dialog import LoginDialog

    login = LoginDialog(None, settings=settings)
    try:
        if login.exec() != QDialog.DialogCode.Accepted or login.context is None:
            return None
        return login.context, login.user
    finally:
        login.deleteLater()


def _run(
    app: QApplication,
    context: AppContext,
    *,
    demo: bool,
    open_file: Path | None = None,
    who: UserInfo | Actor | None = None,
) -> int:
    who = who or _log_in(context, demo=demo)
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
    if open_file is not None:
        QTimer.singleShot(0, lambda: open_package(window, open_file))
    code = app.exec()
    QThreadPool.globalInstance().waitForDone()
    try:
        context.backups.automatic("thoat")
    except XhhtError as exc:
        print(f"Không sao lưu được khi thoát: {exc.message}", file=sys.stderr)
    return code


def _is_encrypted(settings: Settings) -> bool:
    from xhht_desktop.services import encryption

    return encryption.is_encrypted(settings)


def open_or_recover(settings: Settings, *, interactive: bool) -> AppContext:
    """Open the database; on a damaged file offer to restore the newest good backup.

    Raises:
        DatabaseDamaged: the file is damaged and was not restored (not
            interactive, or the user said no).
        BackupError: it is damaged and no backup verifies.
    """
    try:
        return open_context(settings, Actor(os_actor()))
    except DatabaseDamaged as damaged:
        from xhht_desktop.ui.recovery_question import offer_recovery

        if not interactive or not offer_recovery(settings, damaged):
            raise
    return open_context(settings, Actor(os_actor()))


def run_gui(
    settings: Settings, *, smoke: bool = False, demo: bool = False, open_file: Path | None = None
) -> int:
    """Open the app on ``settings``; return the process exit code.

    Args:
        settings: Where the data lives (``--db``, ``--demo``).
        smoke: Show the main window without login, quit after its first
            paint (exit 0): a check that the GUI starts, also offscreen.
        demo: Open the demo commune, creating and filling it if needed; no
            login, and the main window says the data is not real.
        open_file: A ``.xhht`` package to open once logged in (``--open``).
    """
    app = _application()
    remove_diagnostics = _install_diagnostics(settings)
    try:
        who: UserInfo | None = None
        try:
            if not demo and _is_encrypted(settings):
                opened = _open_encrypted(settings, smoke=smoke)
                if opened is None:
                    return EXIT_OK
                context, who = opened
            else:
                context = open_or_recover(settings, interactive=not smoke)
        except XhhtError as exc:
            _show_error(exc, interactive=not smoke)
            return EXIT_FAILED
        try:
            if smoke:
                return _smoke(app, context)
            return _run(app, context, demo=demo, open_file=open_file, who=who)
        except XhhtError as exc:
            _show_error(exc, interactive=not smoke)
            return EXIT_FAILED
        finally:
            context.close()
    finally:
        remove_diagnostics()
