"""Screenshots from the real app, for the README and for the user guide.

``python -m xhht_desktop.ui.screenshots OUT_DIR`` saves the README's pictures;
``python -m xhht_desktop.ui.screenshots --guide [OUT_DIR]`` saves the user
guide's (default ``resources/guide/img``): smaller, palette PNGs, so that the
guide stays light in the installed app. Both build a demo commune in a
temporary folder (the user's own data is never touched), show the real
widgets offscreen and save what they paint.
"""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path, PureWindowsPath
from typing import cast

from PySide6.QtCore import Qt, QThread, QThreadPool
from PySide6.QtGui import QIcon, QImage
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
#: The guide's pictures: the window a little smaller than the README's, then
#: scaled to at most this width.
GUIDE_WINDOW_SIZE = (1100, 720)
GUIDE_WIDTH = 1000
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
    "main-exchange.png",
)


class _Camera:
    """Saves what widgets paint into one folder.

    Attributes:
        max_width: Pictures wider than this are scaled down (``None``: as painted).
        palette: Save with a palette of at most 256 colours (a third of the bytes).
    """

    def __init__(
        self,
        app: QApplication,
        folder: Path,
        *,
        max_width: int | None = None,
        palette: bool = False,
    ) -> None:
        self.app = app
        self.folder = folder
        self.max_width = max_width
        self.palette = palette
        self.saved: list[Path] = []

    def settle(self, rounds: int = 20) -> None:
        # Timers (search delays, deferred layouts) must run before the grab.
        for _ in range(rounds):
            self.app.processEvents()
            QThread.msleep(15)

    def save(self, widget: QWidget, name: str) -> None:
        self.settle()
        path = self.folder / name
        image = widget.grab().toImage()
        if self.max_width is not None and image.width() > self.max_width:
            image = image.scaledToWidth(self.max_width, Qt.TransformationMode.SmoothTransformation)
        if self.palette:
            image = image.convertToFormat(
                QImage.Format.Format_Indexed8, Qt.ImageConversionFlag.ThresholdDither
            )
        if not image.save(str(path), "PNG"):
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


def take(
    camera: _Camera, data: Path, *, window_size: tuple[int, int] = WINDOW_SIZE, guide: bool = False
) -> None:
    """Take every screenshot, with databases under ``data``.

    Args:
        camera: Where the pictures go.
        data: A temporary folder for the databases.
        window_size: The main window's size.
        guide: Also the dialogs and pages only the user guide shows.
    """
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
        window.resize(*window_size)
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
        if guide:
            _guide_dialogs(camera, window)
        window.close()
        if guide:
            _encryption_page(camera, data)
            _office_exchange(camera, data, window_size)
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


def _encryption_page(camera: _Camera, data: Path) -> None:
    """The set-up wizard's page with the recovery key, before anything is encrypted."""
    from xhht_desktop.ui.setup_wizard import PAGE_ENCRYPTION

    # A database of its own, never finished: nothing is encrypted, and the
    # key shown is a fresh random one that opens nothing.
    context = open_context(
        Settings(data_dir=data, database_url=database_url(data / "ma-hoa.sqlite")),
        Actor("screenshots"),
    )
    try:
        wizard = SetupWizard(context, encrypt=True)
        wizard.show()
        wizard.activateWindow()
        wizard.next()
        wizard.commune_page.province.query.setText("lam dong")
        wizard.commune_page.commune.query.setText("duc an")
        camera.settle()
        wizard.next()
        wizard.next()
        admin = wizard.admin_page
        admin.username.setText("quantri")
        admin.full_name.setText("Phạm Văn Quản")
        admin.password.setText("matkhau-2026")
        admin.confirm.setText("matkhau-2026")
        wizard.next()
        if wizard.currentId() != PAGE_ENCRYPTION:
            raise RuntimeError(f"the set-up wizard stopped at page {wizard.currentId()}")
        camera.save(wizard, "setup-encryption.png")
        wizard.close()
    finally:
        context.close()


def _office_exchange(camera: _Camera, data: Path, window_size: tuple[int, int]) -> None:
    """The "Trao đổi dữ liệu" page of a receiving office that has no package yet."""
    from xhht_desktop.services.setup import OfficeSetup
    from xhht_desktop.ui.main_window import PAGES

    office = open_context(
        Settings(data_dir=data, database_url=database_url(data / "co-quan.sqlite")),
        Actor("screenshots"),
    )
    try:
        office.setup.init_office(
            OfficeSetup(
                province_code="68",
                office_name="Sở Giáo dục và Đào tạo tỉnh Lâm Đồng",
                year=datetime.now().year,
                signer_name="Nguyễn Văn Bình",
                signer_title="Giám đốc",
            )
        )
        window = MainWindow(office)
        window.resize(*window_size)
        window.show()
        window.activateWindow()
        window.go_to_page(next(i for i, spec in enumerate(PAGES) if spec.key == "exchange"))
        camera.save(window, "exchange-office.png")
        window.close()
    finally:
        office.close()


def _guide_dialogs(camera: _Camera, window: MainWindow) -> None:
    """The restore dialog and the unexpected-error message, as the guide shows them."""
    from xhht_desktop import diagnostics
    from xhht_desktop.ui.backup_dialog import BackupDialog
    from xhht_desktop.ui.crash_handler import CrashDialog

    window.context.backups.automatic("khoi-dong")
    window.context.backups.create()
    backups = BackupDialog(window.context, window)
    # The folder an official sees on Windows, not this run's temporary folder.
    backups.folder.setText(
        backups.tr("Thư mục sao lưu: {folder}").format(
            folder=r"C:\Users\canbo\AppData\Local\XHHT Desktop\backups"
        )
    )
    backups.show()
    backups.activateWindow()
    camera.save(backups, "backup-dialog.png")
    backups.close()

    try:
        raise RuntimeError("ví dụ về một lỗi không mong muốn")
    except RuntimeError as error:
        text = diagnostics.crash_report(
            type(error), error, error.__traceback__, now=datetime.now().astimezone()
        )
    # The file an official sees on Windows, not this run's temporary folder.
    shown = PureWindowsPath(r"C:\Users\canbo\AppData\Local\XHHT Desktop\logs")
    name = f"{diagnostics.CRASH_PREFIX}{datetime.now():%Y%m%d-%H%M%S}{diagnostics.CRASH_SUFFIX}"
    crash = CrashDialog(cast("Path", shown))
    crash.add_log(cast("Path", shown / name), text)
    crash.show()
    crash.activateWindow()
    camera.save(crash, "crash-dialog.png")
    crash.close()


def main(argv: Sequence[str] | None = None) -> int:
    """Save the README's screenshots (or, with ``--guide``, the user guide's)."""
    args = list(sys.argv[1:] if argv is None else argv)
    guide = "--guide" in args
    folders = [a for a in args if a != "--guide"]
    if len(folders) > 1 or (not guide and len(folders) != 1):
        print(
            "Cách dùng: python -m xhht_desktop.ui.screenshots THƯ_MỤC_ẢNH\n"
            "           python -m xhht_desktop.ui.screenshots --guide [THƯ_MỤC_ẢNH]",
            file=sys.stderr,
        )
        return 2
    if folders:
        out = Path(folders[0])
    else:
        from xhht_desktop.guide import guide_dir

        out = guide_dir() / "img"
    out.mkdir(parents=True, exist_ok=True)
    if guide:
        camera = _Camera(_application(), out, max_width=GUIDE_WIDTH, palette=True)
    else:
        camera = _Camera(_application(), out)
    with tempfile.TemporaryDirectory(prefix="xhht-screenshots-") as folder:
        if guide:
            take(camera, Path(folder), window_size=GUIDE_WINDOW_SIZE, guide=True)
        else:
            take(camera, Path(folder))
    for path in camera.saved:
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
