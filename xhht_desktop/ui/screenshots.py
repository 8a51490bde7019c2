"""Screenshots for the README: ``python -m xhht_desktop.ui.screenshots OUT_DIR``.

Builds a demo commune in a temporary folder (the user's own data is never
touched), shows the real widgets offscreen and saves what they paint as PNG.
"""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QThread, QThreadPool
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QWidget

from xhht_desktop.app import DEMO_ACTOR
from xhht_desktop.context import Actor, open_context
from xhht_desktop.resources import resource
from xhht_desktop.services.demo_setup import ensure_demo
from xhht_desktop.settings import Settings
from xhht_desktop.store.engine import database_url
from xhht_desktop.ui import style
from xhht_desktop.ui.login_dialog import LoginDialog
from xhht_desktop.ui.main_window import MainWindow
from xhht_desktop.ui.setup_wizard import SetupWizard

WINDOW_SIZE = (1280, 800)
#: One picture per page, in the order of ``main_window.PAGES``; the first,
#: the dashboard, is the overview the README shows.
PAGE_SHOTS = (
    "main-overview.png",
    "main-villages.png",
    "main-households.png",
    "main-persons.png",
    "main-literacy.png",
    "main-literacy-lists.png",
    "main-learning-models.png",
    "main-aggregates.png",
    "main-clans.png",
    "main-units.png",
    "main-reports.png",
    "main-data-checks.png",
)


class _Camera:
    """Saves what widgets paint into one folder."""

    def __init__(self, app: QApplication, folder: Path) -> None:
        self.app = app
        self.folder = folder
        self.saved: list[Path] = []

    def settle(self, rounds: int = 20) -> None:
        # Timers (search delays, deferred layouts) must run before the grab.
        for _ in range(rounds):
            self.app.processEvents()
            QThread.msleep(15)

    def save(self, widget: QWidget, name: str) -> None:
        self.settle()
        path = self.folder / name
        if not widget.grab().save(str(path)):
            raise OSError(f"could not write {path}")
        self.saved.append(path)


def _application() -> QApplication:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(sys.argv[:1])
    app.setApplicationName("XHHT Desktop")
    app.setWindowIcon(QIcon(str(resource("icons", "xhht.svg"))))
    style.apply(app)
    return app


def take(camera: _Camera, data: Path) -> None:
    """Take every screenshot, with databases under ``data``."""
    fresh = open_context(
        Settings(data_dir=data, database_url=database_url(data / "moi.sqlite")),
        Actor("screenshots"),
    )
    demo = open_context(
        Settings(data_dir=data, database_url=database_url(data / "xa-mau.sqlite")), DEMO_ACTOR
    )
    try:
        wizard = SetupWizard(fresh)
        wizard.show()
        wizard.activateWindow()
        wizard.next()
        wizard.commune_page.province.query.setText("gia lai")
        wizard.commune_page.commune.query.setText("dak song")
        wizard.commune_page.commune.query.setFocus()
        camera.save(wizard, "setup-commune.png")
        wizard.close()

        ensure_demo(demo)
        login = LoginDialog(demo)
        login.show()
        login.activateWindow()
        camera.settle()
        login.username.setText("hoa.tran")
        login.password.setFocus()
        camera.save(login, "login.png")
        login.close()

        window = MainWindow(demo)
        window.resize(*WINDOW_SIZE)
        window.show()
        window.activateWindow()
        for index, name in enumerate(PAGE_SHOTS):
            window.go_to_page(index)
            # Pages that compute off the GUI thread (the dashboard, literacy,
            # the data checks) must have shown their figures before the
            # picture is taken.
            camera.settle()
            QThreadPool.globalInstance().waitForDone()
            camera.save(window, name)
        _reports_with_preview(camera, window)
        window.close()
    finally:
        fresh.close()
        demo.close()


def _reports_with_preview(camera: _Camera, window: MainWindow) -> None:
    """The reports page again, showing the pages of the learning models' sheet."""
    from xhht_desktop.ui.main_window import PAGES
    from xhht_desktop.ui.pages.reports import ReportsPage

    index = next(i for i, spec in enumerate(PAGES) if spec.key == "reports")
    window.go_to_page(index)
    page = window.page(index)
    assert isinstance(page, ReportsPage)
    page.kind.setCurrentIndex(page.kind.findData("mo-hinh"))
    page.show_preview()
    QThreadPool.globalInstance().waitForDone()
    camera.settle()
    camera.save(window, "main-reports.png")


def main(argv: Sequence[str] | None = None) -> int:
    """Save the README's screenshots into the folder given as the only argument."""
    args = list(sys.argv[1:] if argv is None else argv)
    if len(args) != 1:
        print("Cách dùng: python -m xhht_desktop.ui.screenshots THƯ_MỤC_ẢNH", file=sys.stderr)
        return 2
    out = Path(args[0])
    out.mkdir(parents=True, exist_ok=True)
    camera = _Camera(_application(), out)
    with tempfile.TemporaryDirectory(prefix="xhht-screenshots-") as folder:
        take(camera, Path(folder))
    for path in camera.saved:
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
