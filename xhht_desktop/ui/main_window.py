"""The main window: navigation on the left, one page per register on the right.

The register pages are imported the first time they are shown, so the window
opens without loading code the user may not need in this session.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Protocol, cast

from PySide6.QtCore import QT_TRANSLATE_NOOP, Qt, Slot
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from xhht_desktop.errors import BackupError
from xhht_desktop.services.users import ROLES
from xhht_desktop.store.backup import BackupFile
from xhht_desktop.ui import style
from xhht_desktop.ui.backup_dialog import BackupDialog
from xhht_desktop.ui.encrypt_dialog import EncryptDialog, EncryptionBanner
from xhht_desktop.ui.pages.dashboard import DashboardPage

if TYPE_CHECKING:
    from xhht_desktop.context import AppContext
    from xhht_desktop.services.setup import InstallationInfo
    from xhht_desktop.ui.about_dialog import AboutDialog
    from xhht_desktop.ui.help_window import HelpWindow
    from xhht_desktop.ui.import_wizard import ImportWizard
    from xhht_desktop.ui.lock_screen import IdleLock
    from xhht_desktop.ui.password_dialog import ChangePasswordDialog
    from xhht_desktop.ui.plans_dialog import PlansDialog
    from xhht_desktop.ui.settings_dialog import SettingsDialog
    from xhht_desktop.ui.users_dialog import UsersDialog


class RefreshablePage(Protocol):
    """What the main window needs of a page: read the data again."""

    def refresh(self) -> None: ...


@dataclass(frozen=True)
class PageSpec:
    """A page of the main window.

    Attributes:
        key: Stable id of the page.
        title: Its name in the navigation (Vietnamese source text).
        module: Module that holds the page class; ``None`` for the dashboard.
        class_name: The page class in ``module``.
        needs_setup: Whether the page is useless on a database not set up.
        after: Key of the page this one follows in the navigation; empty:
            in the order of ``PAGES``. A page's place in ``PAGES`` gives its
            shortcut (:func:`page_shortcut`), so new pages go at the end of
            ``PAGES`` and say here where they are listed: no shortcut moves.
    """

    key: str
    title: str
    module: str | None = None
    class_name: str = ""
    needs_setup: bool = True
    after: str = ""


PAGES: tuple[PageSpec, ...] = (
    PageSpec("home", QT_TRANSLATE_NOOP("MainWindow", "Tổng quan"), needs_setup=False),
    PageSpec(
        "villages",
        QT_TRANSLATE_NOOP("MainWindow", "Thôn/Tổ dân phố"),
        "xhht_desktop.ui.pages.villages",
        "VillagesPage",
    ),
    PageSpec(
        "households",
        QT_TRANSLATE_NOOP("MainWindow", "Hộ gia đình"),
        "xhht_desktop.ui.pages.households",
        "HouseholdsPage",
    ),
    PageSpec(
        "persons",
        QT_TRANSLATE_NOOP("MainWindow", "Nhân khẩu"),
        "xhht_desktop.ui.pages.persons",
        "PersonsPage",
    ),
    PageSpec(
        "literacy",
        QT_TRANSLATE_NOOP("MainWindow", "Xóa mù chữ"),
        "xhht_desktop.ui.pages.literacy",
        "LiteracyPage",
    ),
    PageSpec(
        "literacy_lists",
        QT_TRANSLATE_NOOP("MainWindow", "Danh sách cần xử lý"),
        "xhht_desktop.ui.pages.literacy_lists",
        "LiteracyListsPage",
    ),
    PageSpec(
        "learning_models",
        QT_TRANSLATE_NOOP("MainWindow", "Mô hình học tập"),
        "xhht_desktop.ui.pages.learning_models",
        "LearningModelsPage",
    ),
    PageSpec(
        "aggregates",
        QT_TRANSLATE_NOOP("MainWindow", "Số liệu tổng hợp"),
        "xhht_desktop.ui.pages.aggregates",
        "AggregatesPage",
    ),
    PageSpec(
        "clans",
        QT_TRANSLATE_NOOP("MainWindow", "Dòng họ"),
        "xhht_desktop.ui.pages.clans",
        "ClansPage",
        after="households",
    ),
    PageSpec(
        "units",
        QT_TRANSLATE_NOOP("MainWindow", "Cơ quan, đơn vị"),
        "xhht_desktop.ui.pages.units",
        "UnitsPage",
        after="clans",
    ),
    PageSpec(
        "reports",
        QT_TRANSLATE_NOOP("MainWindow", "Báo cáo"),
        "xhht_desktop.ui.pages.reports",
        "ReportsPage",
    ),
    PageSpec(
        "data_checks",
        QT_TRANSLATE_NOOP("MainWindow", "Kiểm tra dữ liệu"),
        "xhht_desktop.ui.pages.data_checks",
        "DataChecksPage",
        after="aggregates",
    ),
    PageSpec(
        "exchange",
        QT_TRANSLATE_NOOP("MainWindow", "Trao đổi dữ liệu"),
        "xhht_desktop.ui.pages.exchange",
        "ExchangePage",
        after="reports",
    ),
)


def navigation_order(pages: tuple[PageSpec, ...] = PAGES) -> list[int]:
    """The indices of ``pages`` in the order the navigation lists them.

    A page with ``after`` comes right after that page; one whose ``after``
    names no page comes last.
    """
    order = [index for index, spec in enumerate(pages) if not spec.after]
    pending = [index for index, spec in enumerate(pages) if spec.after]
    while pending:
        placed = False
        for index in list(pending):
            keys = [pages[i].key for i in order]
            if pages[index].after in keys:
                order.insert(keys.index(pages[index].after) + 1, index)
                pending.remove(index)
                placed = True
        if not placed:
            order.extend(pending)
            break
    return order


def page_shortcut(index: int) -> str:
    """The shortcut of the page at ``index`` of ``PAGES``: Ctrl+1…9, Ctrl+0, then none."""
    if index < 9:
        return f"Ctrl+{index + 1}"
    return "Ctrl+0" if index == 9 else ""


def load_page_class(module_name: str, class_name: str) -> type[QWidget] | None:
    """Import a page class; ``None`` when its module is not part of this build.

    Only the absence of exactly ``module_name`` is tolerated: a page module
    that exists but fails to import (a missing dependency, a typo in an
    import) raises, so a broken page is never mistaken for a missing one.
    """
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as exc:
        if exc.name != module_name:
            raise
        return None
    return cast("type[QWidget]", getattr(module, class_name))


class PlaceholderPage(QWidget):
    """Stands in for a page whose module is not in this build yet."""

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        label = QLabel(self.tr("Trang “{title}” chưa có trong phiên bản này.").format(title=title))
        label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        label.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(label)

    def refresh(self) -> None:
        """Nothing to read."""


class MainWindow(QMainWindow):
    """Navigation, the pages, the File and Help menus and the status bar.

    Attributes:
        installation: What the database is set up as (``None`` if not set up).
        dashboard: The first page: the active plan's targets, with the overview.
        home: The overview (commune, settings, counts) at the top of the dashboard.
        navigation: The list of pages on the left.
        stack: One slot per page; a page is created the first time it is shown.
    """

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.installation: InstallationInfo | None = None
        self._pages: dict[int, QWidget] = {}
        self._help: HelpWindow | None = None

        self.banner = QLabel(self.tr("Dữ liệu mẫu — không dùng cho báo cáo thật"))
        self.banner.setObjectName("demoBanner")
        self.banner.setStyleSheet(style.DEMO_BANNER)
        self.banner.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.banner.setVisible(False)

        self.navigation = QListWidget()
        self.navigation.setObjectName("navigation")
        self.navigation.setFixedWidth(210)
        self.navigation.setAccessibleName(self.tr("Các trang"))
        self.stack = QStackedWidget()
        # Row of the navigation → index of PAGES (and of the stack).
        self._order = navigation_order()
        for index in self._order:
            item = QListWidgetItem(self.tr(PAGES[index].title))
            item.setToolTip(page_shortcut(index))
            self.navigation.addItem(item)
        for _spec in PAGES:
            slot = QWidget()
            slot_layout = QVBoxLayout(slot)
            slot_layout.setContentsMargins(0, 0, 0, 0)
            self.stack.addWidget(slot)
        self.dashboard = DashboardPage(context)
        self.home = self.dashboard.overview
        self._place(0, self.dashboard)

        body = QWidget()
        row = QHBoxLayout(body)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(0)
        row.addWidget(self.navigation)
        row.addWidget(self.stack, 1)
        central = QWidget()
        column = QVBoxLayout(central)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(0)
        column.addWidget(self.banner)
        # Another copy of the app holds the writer lock: this one only reads.
        self.read_only_banner = QLabel(
            self.tr("Một cửa sổ XHHT khác đang mở dữ liệu này; cửa sổ này chỉ để xem.")
        )
        self.read_only_banner.setObjectName("readOnlyBanner")
        self.read_only_banner.setStyleSheet(style.DEMO_BANNER)
        self.read_only_banner.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.read_only_banner.setVisible(context.read_only)
        column.addWidget(self.read_only_banner)
        self.encryption_banner = EncryptionBanner()
        self.encryption_banner.setVisible(False)
        self.encryption_banner.encrypt_requested.connect(self.open_encrypt_dialog)
        column.addWidget(self.encryption_banner)
        column.addWidget(body, 1)
        self.setCentralWidget(central)

        self.unit_status = QLabel()
        self.year_status = QLabel()
        self.user_status = QLabel()
        for label in (self.unit_status, self.year_status, self.user_status):
            label.setStyleSheet(style.STATUS_ITEM)
            self.statusBar().addPermanentWidget(label)

        self._build_menus()
        self.navigation.currentRowChanged.connect(self._row_changed)
        # Arrows choose a page, Enter goes into it.
        self.navigation.activated.connect(
            lambda _index: _focus_first_field(self.stack.currentWidget())
        )
        self.refresh_installation()
        self.navigation.setCurrentRow(0)
        self.setMinimumSize(900, 600)
        self.resize(1280, 800)
        self.navigation.setFocus()
        self.idle_lock: IdleLock | None = None
        # A logged-in user's work locks when left alone; the demo and the
        # command line's OS user have no password to unlock with.
        if context.actor.user_id is not None:
            self._start_idle_lock()

    # --- menus -----------------------------------------------------------

    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu(self.tr("&Tệp"))
        self.import_action = QAction(self.tr("&Nhập danh sách nhân khẩu từ Excel…"), self)
        self.import_action.setShortcut(QKeySequence("Ctrl+I"))
        self.import_action.triggered.connect(self.open_import_wizard)
        self.template_action = QAction(self.tr("Tạo &mẫu Excel nhân khẩu…"), self)
        self.template_action.triggered.connect(lambda _checked=False: self.create_roster_template())
        file_menu.addAction(self.import_action)
        file_menu.addAction(self.template_action)
        file_menu.addSeparator()
        # No shortcut: every Ctrl+number is a page's, and Ctrl+K is taken on pages.
        self.plans_action = QAction(self.tr("Kế &hoạch và chỉ tiêu…"), self)
        self.plans_action.triggered.connect(lambda _checked=False: self.open_plans_dialog())
        file_menu.addAction(self.plans_action)
        self.settings_action = QAction(self.tr("&Cài đặt…"), self)
        self.settings_action.triggered.connect(lambda _checked=False: self.open_settings_dialog())
        file_menu.addAction(self.settings_action)
        self.users_action = QAction(self.tr("Người &dùng…"), self)
        self.users_action.triggered.connect(lambda _checked=False: self.open_users_dialog())
        file_menu.addAction(self.users_action)
        self.password_action = QAction(self.tr("Đổi mật khẩ&u…"), self)
        self.password_action.triggered.connect(lambda _checked=False: self.open_password_dialog())
        file_menu.addAction(self.password_action)
        file_menu.addSeparator()
        self.backup_action = QAction(self.tr("&Sao lưu ngay"), self)
        self.backup_action.triggered.connect(self.backup_now)
        self.restore_action = QAction(self.tr("&Khôi phục dữ liệu…"), self)
        self.restore_action.triggered.connect(self.open_backup_dialog)
        self.quit_action = QAction(self.tr("&Thoát"), self)
        self.quit_action.setShortcut(QKeySequence("Ctrl+Q"))
        self.quit_action.triggered.connect(self.close)
        file_menu.addAction(self.backup_action)
        file_menu.addAction(self.restore_action)
        self.encrypt_action = QAction(self.tr("&Mã hóa dữ liệu…"), self)
        self.encrypt_action.triggered.connect(lambda _checked=False: self.open_encrypt_dialog())
        file_menu.addAction(self.encrypt_action)
        file_menu.addSeparator()
        file_menu.addAction(self.quit_action)

        view_menu = self.menuBar().addMenu(self.tr("&Xem"))
        self.page_actions: list[QAction] = []
        for index, spec in enumerate(PAGES):
            action = QAction(self.tr(spec.title), self)
            action.setShortcut(QKeySequence(page_shortcut(index)))
            action.triggered.connect(lambda _checked=False, i=index: self.go_to_page(i))
            self.page_actions.append(action)
        for index in self._order:
            view_menu.addAction(self.page_actions[index])

        help_menu = self.menuBar().addMenu(self.tr("Trợ &giúp"))
        # F1 opens the guide at the part about the page on screen.
        self.help_action = QAction(self.tr("&Hướng dẫn sử dụng"), self)
        self.help_action.setShortcut(QKeySequence(QKeySequence.StandardKey.HelpContents))
        self.help_action.setShortcutContext(Qt.ShortcutContext.ApplicationShortcut)
        self.help_action.triggered.connect(lambda _checked=False: self.open_help())
        help_menu.addAction(self.help_action)
        help_menu.addSeparator()
        self.about_action = QAction(self.tr("&Giới thiệu"), self)
        self.about_action.triggered.connect(self.show_about)
        help_menu.addAction(self.about_action)

    # --- pages -----------------------------------------------------------

    def _place(self, index: int, page: QWidget) -> None:
        slot = self.stack.widget(index)
        layout = slot.layout()
        assert layout is not None
        layout.addWidget(page)
        self._pages[index] = page

    def page(self, index: int) -> QWidget:
        """The page at ``index``, created (and its module imported) on first use."""
        found = self._pages.get(index)
        if found is not None:
            return found
        spec = PAGES[index]
        assert spec.module is not None
        page_class = load_page_class(spec.module, spec.class_name)
        page = (
            page_class(self.context)  # type: ignore[call-arg]
            if page_class is not None
            else PlaceholderPage(self.tr(spec.title))
        )
        self._place(index, page)
        return page

    def current_index(self) -> int:
        return self.stack.currentIndex()

    def show_page(self, index: int) -> None:
        """Show the page at ``index`` (the navigation follows)."""
        if not self._page_enabled(index):
            return
        row = self._order.index(index)
        if self.navigation.currentRow() != row:
            # The list's signal comes back here with the same index.
            self.navigation.setCurrentRow(row)
            return
        page = self.page(index)
        self.stack.setCurrentIndex(index)
        if page is not self.home:
            # Other pages may have changed the data this one shows.
            cast("RefreshablePage", page).refresh()

    def go_to_page(self, index: int) -> None:
        """Show a page and put the keyboard focus in it (Ctrl+1…4)."""
        if not self._page_enabled(index):
            return
        self.show_page(index)
        _focus_first_field(self.stack.currentWidget())

    def _row_changed(self, row: int) -> None:
        if row >= 0:
            self.show_page(self._order[row])

    def _page_enabled(self, index: int) -> bool:
        if not 0 <= index < len(PAGES):
            return False
        return self.installation is not None or not PAGES[index].needs_setup

    # --- state -----------------------------------------------------------

    def refresh_installation(self) -> None:
        """Title, banner, status bar and navigation from the installation."""
        info = self.context.setup.installation()
        self.installation = info
        if info is None:
            unit = self.tr("chưa thiết lập")
            self.unit_status.setText(self.tr("Chưa thiết lập"))
            self.year_status.clear()
        else:
            unit = (info.commune_name if info.role == "commune" else info.office_name) or ""
            self.unit_status.setText(info.display_name)
            self.year_status.setText(self.tr("Năm báo cáo: {year}").format(year=info.year))
        self.setWindowTitle(self.tr("XHHT Desktop — {unit}").format(unit=unit))
        self.banner.setVisible(info is not None and info.is_demo)
        self.user_status.setText(self._user_text())
        for index in range(len(PAGES)):
            enabled = self._page_enabled(index)
            item = self.navigation.item(self._order.index(index))
            flags = item.flags()
            item.setFlags(
                flags | Qt.ItemFlag.ItemIsEnabled if enabled else flags & ~Qt.ItemFlag.ItemIsEnabled
            )
            self.page_actions[index].setEnabled(enabled)
        supported = self.context.backups.supported()
        self.backup_action.setEnabled(supported)
        self.restore_action.setEnabled(supported)
        self._refresh_encryption(info)
        # Rosters come into a commune's copy; an office gets them in packages.
        commune = info is not None and info.role == "commune"
        self.import_action.setEnabled(commune)
        self.plans_action.setEnabled(info is not None)
        self.template_action.setEnabled(commune)
        # What the user's role may not do is greyed out; the services refuse it anyway.
        may = self.context.may
        self.restore_action.setEnabled(self.restore_action.isEnabled() and may("restore_backup"))
        self.import_action.setEnabled(self.import_action.isEnabled() and may("import_roster"))
        self.plans_action.setEnabled(self.plans_action.isEnabled() and may("manage_plans"))
        self.settings_action.setEnabled(may("change_settings"))
        self.users_action.setEnabled(may("manage_users"))
        # Only a logged-in user has a password of their own to change.
        self.password_action.setEnabled(self.context.actor.user_id is not None)

    def _refresh_encryption(self, info: InstallationInfo | None) -> None:
        # Only a logged-in administrator (not the demo's actor) has a
        # password that can become the key.
        plain = (
            info is not None
            and self.context.encryption.available()
            and not self.context.encryption.encrypted
        )
        admin = self.context.actor.role == "admin" and self.context.actor.user_id is not None
        self.encryption_banner.setVisible(plain)
        self.encryption_banner.button.setVisible(admin)
        self.encrypt_action.setVisible(plain)
        self.encrypt_action.setEnabled(plain and admin)

    def open_encrypt_dialog(self) -> EncryptDialog:
        """File → Mã hóa dữ liệu…: encrypt the data, then keep the recovery key."""
        dialog = EncryptDialog(self.context, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.encrypted.connect(self.refresh_installation)
        dialog.open()
        return dialog

    def _user_text(self) -> str:
        actor = self.context.actor
        name = actor.name
        if actor.user_id is not None:
            known = {user.id: user for user in self.context.users.list()}
            if actor.user_id in known:
                name = known[actor.user_id].full_name
        role = self.tr(ROLES[actor.role]) if actor.role in ROLES else actor.role
        return self.tr("Người dùng: {name} ({role})").format(name=name, role=role)

    def refresh_all(self) -> None:
        """Read everything again: after a restore the data is another."""
        self.refresh_installation()
        for page in self._pages.values():
            cast("RefreshablePage", page).refresh()
        if not self._page_enabled(self.current_index()):
            self.show_page(0)

    # --- actions ---------------------------------------------------------

    def message(self, icon: QMessageBox.Icon, title: str, text: str) -> QMessageBox:
        """Show a message without waiting for it (the window stays usable)."""
        box = QMessageBox(icon, title, text, QMessageBox.StandardButton.Ok, self)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()
        return box

    def backup_now(self) -> BackupFile | None:
        """File → Sao lưu ngay: a manual backup into the backup folder."""
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            made = self.context.backups.create()
        except BackupError as exc:
            QApplication.restoreOverrideCursor()
            self.message(QMessageBox.Icon.Warning, self.tr("Sao lưu"), exc.message)
            return None
        QApplication.restoreOverrideCursor()
        self.statusBar().showMessage(self.tr("Đã sao lưu: {name}").format(name=made.path.name))
        self.message(
            QMessageBox.Icon.Information,
            self.tr("Sao lưu"),
            self.tr("Đã sao lưu dữ liệu vào:\n{path}").format(path=made.path),
        )
        return made

    def open_backup_dialog(self) -> BackupDialog:
        """File → Khôi phục dữ liệu…: the backup list, without blocking."""
        dialog = BackupDialog(self.context, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.restored.connect(self.data_restored)
        dialog.open()
        return dialog

    def _start_idle_lock(self) -> None:
        from xhht_desktop.ui.lock_screen import IdleLock

        self.idle_lock = IdleLock(
            self.context, self, self.context.users.idle_lock_minutes() * 60_000
        )
        self._locked_user: str | None = None
        self.idle_lock.locked.connect(self._remember_locked_user)
        self.idle_lock.unlocked.connect(self._after_unlock)

    def _remember_locked_user(self) -> None:
        self._locked_user = self.context.actor.user_id

    def _after_unlock(self, user: object) -> None:
        # Another user took over at the lock: every page shows what the new
        # role may do; the same user finds everything as it was.
        if getattr(user, "id", None) != self._locked_user:
            self.refresh_all()
        else:
            self.refresh_installation()

    def open_settings_dialog(self) -> SettingsDialog:
        """Tệp → Cài đặt…: the administrator's settings, without blocking."""
        from xhht_desktop.ui.settings_dialog import SettingsDialog

        dialog = SettingsDialog(self.context, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.settings_saved.connect(self._settings_saved)
        dialog.open()
        return dialog

    def open_users_dialog(self) -> UsersDialog:
        """Tệp → Người dùng…: the administrator manages the users, without blocking."""
        from xhht_desktop.ui.users_dialog import UsersDialog

        dialog = UsersDialog(self.context, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        # The status bar names the logged-in user with their role.
        dialog.users_changed.connect(self.refresh_installation)
        dialog.open()
        return dialog

    def open_password_dialog(self) -> ChangePasswordDialog:
        """Tệp → Đổi mật khẩu…: the logged-in user changes their own password."""
        from xhht_desktop.ui.password_dialog import ChangePasswordDialog

        dialog = ChangePasswordDialog(self.context, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.password_changed.connect(
            lambda: self.statusBar().showMessage(self.tr("Đã đổi mật khẩu."), 10_000)
        )
        dialog.open()
        return dialog

    def _settings_saved(self) -> None:
        if self.idle_lock is not None:
            self.idle_lock.set_interval(self.context.users.idle_lock_minutes() * 60_000)

    def open_plans_dialog(self) -> PlansDialog:
        """Tệp → Kế hoạch và chỉ tiêu…: choose, copy and edit plans, without blocking."""
        from xhht_desktop.ui.plans_dialog import PlansDialog

        dialog = PlansDialog(self.context, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        # The dashboard and the reports page show the active plan's targets.
        dialog.plans_changed.connect(self.refresh_all)
        dialog.open()
        return dialog

    def open_import_wizard(self) -> ImportWizard:
        """File → Nhập danh sách nhân khẩu từ Excel…: the wizard, without blocking."""
        from xhht_desktop.ui.import_wizard import ImportWizard

        wizard = ImportWizard(self.context, self)
        wizard.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        wizard.import_finished.connect(self.roster_imported)
        wizard.open()
        return wizard

    def open_package_file(self, path: Path) -> QWidget | None:
        """Open a ``.xhht`` package (double-clicked in the file manager) in the import wizard.

        Shows the "Trao đổi dữ liệu" page and starts its import wizard with
        ``path`` chosen; returns the wizard (``None`` when this is a commune,
        which is told so, or the database is not set up).
        """
        index = next(i for i, spec in enumerate(PAGES) if spec.key == "exchange")
        if not self._page_enabled(index):
            return None
        self.show_page(index)
        page = self.page(index)
        opener = getattr(page, "open_import_wizard", None)
        return opener(Path(path)) if opener is not None else None

    @Slot(object)
    def roster_imported(self, report: object) -> None:
        """After an import: every page reads the data again."""
        from xhht_desktop.ui.table_models import format_thousands

        self.refresh_all()
        created = getattr(report, "persons_created", 0)
        updated = getattr(report, "persons_updated", 0)
        self.statusBar().showMessage(
            self.tr("Đã nhập danh sách nhân khẩu: thêm {created}, cập nhật {updated}.").format(
                created=format_thousands(created), updated=format_thousands(updated)
            )
        )

    def create_roster_template(self, path: Path | None = None) -> Path | None:
        """File → Tạo mẫu Excel nhân khẩu…: save the blank roster template.

        Args:
            path: Where to save it; ``None`` asks with a save-file dialog.
        """
        from xhht_desktop.ui.import_wizard import TEMPLATE_NAME, ask_save_path

        title = self.tr("Tạo mẫu Excel nhân khẩu")
        target = path or ask_save_path(self, title, Path.home() / TEMPLATE_NAME)
        if target is None:
            return None
        try:
            made = self.context.roster.write_template(target)
        except OSError as exc:
            self.message(
                QMessageBox.Icon.Warning,
                title,
                self.tr("Không lưu được tệp mẫu «{name}»: {reason}").format(
                    name=target.name, reason=exc.strerror or exc
                ),
            )
            return None
        self.message(
            QMessageBox.Icon.Information,
            title,
            self.tr(
                "Đã tạo tệp mẫu:\n{path}\n\nĐiền danh sách vào trang «Nhân khẩu», lưu lại, "
                "rồi nhập bằng Tệp → Nhập danh sách nhân khẩu từ Excel… (Ctrl+I)."
            ).format(path=made),
        )
        return made

    @Slot(object)
    def data_restored(self, safety: object) -> None:
        """After a restore: every page reads the data again."""
        self.refresh_all()
        text = self.tr("Đã khôi phục dữ liệu.")
        if isinstance(safety, BackupFile):
            text += "\n" + self.tr("Dữ liệu trước khi khôi phục được giữ tại:\n{path}").format(
                path=safety.path
            )
        self.statusBar().showMessage(self.tr("Đã khôi phục dữ liệu."))
        self.message(QMessageBox.Icon.Information, self.tr("Khôi phục dữ liệu"), text)

    @Slot(object)
    def show_backup_result(self, result: object) -> None:
        """Say in the status bar how the automatic backup went."""
        if isinstance(result, BackupFile):
            self.statusBar().showMessage(
                self.tr("Đã sao lưu tự động: {name}").format(name=result.path.name), 10_000
            )
        elif isinstance(result, BackupError):
            self.statusBar().showMessage(
                self.tr("Không sao lưu tự động được: {reason}").format(reason=result.message)
            )

    def show_about(self) -> AboutDialog:
        """Help → Giới thiệu: version, data folder, database, licences; without blocking."""
        from xhht_desktop.ui.about_dialog import AboutDialog

        dialog = AboutDialog(self.context.settings, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    def open_help(self, address: str | None = None) -> HelpWindow:
        """Help → Hướng dẫn sử dụng (F1): the guide, at the current page's part.

        Args:
            address: ``page.html#anchor`` of the guide; ``None``: the part
                about the page on screen (``guide.PAGE_TOPICS``).
        """
        from xhht_desktop import guide
        from xhht_desktop.ui.help_window import HelpWindow

        if address is None:
            address = guide.topic_for_page(PAGES[self.current_index()].key)
        # One guide window, kept between openings so that its history stays.
        # Without a parent: a form opened over this window must not block
        # the guide the official is reading beside it.
        if self._help is None:
            self._help = HelpWindow()
            self._help.setAttribute(Qt.WidgetAttribute.WA_QuitOnClose, False)
            self.destroyed.connect(self._help.deleteLater)
        self._help.show_topic(address)
        self._help.show()
        self._help.activateWindow()
        return self._help


def _focus_first_field(page: QWidget) -> None:
    """Put the focus on the first widget of ``page`` that takes it by Tab."""
    # A page added to its slot later joins the window's focus chain at the
    # end, not after the slot: walk the whole chain, keep the page's order.
    widget = page.nextInFocusChain()
    while widget is not page:
        if (
            page.isAncestorOf(widget)
            and widget.focusPolicy() & Qt.FocusPolicy.TabFocus
            and widget.isEnabled()
            and widget.isVisible()
        ):
            widget.setFocus(Qt.FocusReason.ShortcutFocusReason)
            return
        widget = widget.nextInFocusChain()
