"""The set-up wizard: the first start of a copy, for a commune or an office.

Pages: role → commune (or office) → reporting → first administrator →
summary. Finishing calls the set-up service; nothing is written before that,
so cancelling leaves the database as it was. Every page can be completed with
the keyboard alone: the search fields keep the focus while the arrow keys move
in the list below them, and Enter goes to the next page once the page is
complete.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QButtonGroup,
    QFormLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QRadioButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from xhht_desktop.core import admin_units
from xhht_desktop.core import text as vntext
from xhht_desktop.core.admin_units import Division
from xhht_desktop.errors import FieldIssue, ValidationFailed, XhhtError
from xhht_desktop.services.setup import CommuneSetup, OfficeSetup
from xhht_desktop.services.users import NewUser, UserInfo, validate_new_user
from xhht_desktop.ui import style
from xhht_desktop.ui.recovery_panel import RecoveryPanel

if TYPE_CHECKING:
    from xhht_desktop.context import AppContext

PAGE_ROLE, PAGE_COMMUNE, PAGE_OFFICE, PAGE_REPORTING, PAGE_ADMIN, PAGE_SUMMARY = range(6)
PAGE_ENCRYPTION = 6

ROLE_COMMUNE = "commune"
ROLE_OFFICE = "office"

# Keys that move in the list while the focus stays in the search field.
_LIST_KEYS = {Qt.Key.Key_Up, Qt.Key.Key_Down, Qt.Key.Key_PageUp, Qt.Key.Key_PageDown}


def _tr(text: str) -> str:
    return QCoreApplication.translate("SetupWizard", text)


def receiving_office_suggestion(province_name: str) -> str:
    """The usual receiving office of a province: its department of education.

    Args:
        province_name: The province's official name ("Gia Lai", "Thành phố Hà Nội").
    """
    prefix = "Thành phố "
    if province_name.startswith(prefix):
        place = _tr("thành phố {name}").format(name=province_name[len(prefix) :])
    else:
        place = _tr("tỉnh {name}").format(name=province_name)
    return _tr("Sở Giáo dục và Đào tạo {place}").format(place=place)


def _provinces_matching(query: str) -> list[Division]:
    tokens = vntext.search_tokens(query)
    return [p for p in admin_units.provinces() if all(t in p.key for t in tokens)]


def _message_label() -> QLabel:
    label = QLabel()
    label.setStyleSheet(style.FIELD_MESSAGE)
    label.setWordWrap(True)
    label.setVisible(False)
    return label


def _show_message(label: QLabel, message: str | None) -> None:
    label.setText(message or "")
    label.setVisible(bool(message))


class _SearchField(QLineEdit):
    """A line edit whose Up/Down/PageUp/PageDown move in a list instead."""

    def __init__(self, moves: QListWidget, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._moves = moves

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in _LIST_KEYS:
            QCoreApplication.sendEvent(self._moves, event)
            return
        super().keyPressEvent(event)


class DivisionPicker(QWidget):
    """A search field over a list of provinces or communes.

    The field keeps the focus: Up/Down/PageUp/PageDown move the current item
    of the list, which is the choice. Typing selects the first match, so
    "dak song" then Enter picks "Xã Đăk Song" when it is the only one.

    Signals:
        selection_changed(object): the chosen ``Division``, or ``None``.
    """

    selection_changed = Signal(object)

    def __init__(
        self,
        search: Callable[[str], Sequence[Division]],
        placeholder: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._search = search
        self._items: list[Division] = []
        self._chosen: Division | None = None
        self.list = QListWidget()
        self.query = _SearchField(self.list)
        self.query.setPlaceholderText(placeholder)
        self.query.setClearButtonEnabled(True)
        # The list is driven from the search field; a Tab stop on it would
        # only lengthen the way to the next field.
        self.list.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        self.list.setMinimumHeight(110)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.query)
        layout.addWidget(self.list)
        self.setFocusProxy(self.query)
        self.query.textChanged.connect(self.refresh)
        self.list.currentRowChanged.connect(self._row_changed)
        self.refresh()

    def current(self) -> Division | None:
        """The chosen item, if any."""
        return self._chosen

    def set_search(self, search: Callable[[str], Sequence[Division]]) -> None:
        """Search another set (the communes of another province)."""
        self._search = search
        self.refresh()

    def refresh(self) -> None:
        """List the items that match the query; keep the choice if it still matches."""
        previous = self._chosen
        self._items = list(self._search(self.query.text()))
        self.list.blockSignals(True)
        self.list.clear()
        for division in self._items:
            self.list.addItem(QListWidgetItem(division.name))
        if previous in self._items:
            row = self._items.index(previous)
        elif self._items and self.query.text().strip():
            row = 0
        else:
            row = -1
        self.list.setCurrentRow(row)
        self.list.blockSignals(False)
        self._row_changed(row)

    def _row_changed(self, row: int) -> None:
        chosen = self._items[row] if 0 <= row < len(self._items) else None
        if row >= 0:
            self.list.scrollToItem(self.list.item(row))
        if chosen != self._chosen:
            self._chosen = chosen
            self.selection_changed.emit(chosen)


class RolePage(QWizardPage):
    """(a) What this copy is for: a commune, or an office that consolidates."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle(self.tr("Máy này dùng cho đơn vị nào?"))
        self.setSubTitle(
            self.tr("Chọn bằng phím mũi tên ↑ ↓, rồi nhấn Enter để sang bước tiếp theo.")
        )
        self.commune = QRadioButton(self.tr("Cấp &xã/phường — nhập liệu, in và ký báo cáo"))
        self.office = QRadioButton(
            self.tr("Cơ quan &tổng hợp (cấp huyện/tỉnh) — nhận và tổng hợp dữ liệu các xã")
        )
        self.commune.setChecked(True)
        self.group = QButtonGroup(self)
        self.group.addButton(self.commune)
        self.group.addButton(self.office)
        layout = QVBoxLayout(self)
        layout.addWidget(self.commune)
        layout.addWidget(self.office)
        layout.addStretch(1)

    def role(self) -> str:
        return ROLE_OFFICE if self.office.isChecked() else ROLE_COMMUNE

    def nextId(self) -> int:
        return PAGE_OFFICE if self.role() == ROLE_OFFICE else PAGE_COMMUNE


class CommunePage(QWizardPage):
    """(b) The commune: its province, then the commune itself."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle(self.tr("Chọn xã/phường"))
        self.setSubTitle(
            self.tr(
                "Gõ vài chữ của tên để tìm (không cần gõ dấu), dùng ↑ ↓ để chọn, "
                "Tab để sang ô tiếp theo."
            )
        )
        self.province = DivisionPicker(
            _provinces_matching, self.tr("Tìm tỉnh/thành phố, ví dụ: lam dong")
        )
        self.commune = DivisionPicker(self._communes, self.tr("Tìm xã/phường, ví dụ: dak song"))
        form = QFormLayout(self)
        province_label = QLabel(self.tr("&Tỉnh/thành phố:"))
        province_label.setBuddy(self.province.query)
        commune_label = QLabel(self.tr("&Xã/phường/đặc khu:"))
        commune_label.setBuddy(self.commune.query)
        form.addRow(province_label, self.province)
        form.addRow(commune_label, self.commune)
        self.province.selection_changed.connect(self._province_changed)
        self.commune.selection_changed.connect(self.completeChanged)

    def _communes(self, query: str) -> list[Division]:
        chosen = self.province.current()
        return admin_units.communes(chosen.code, query) if chosen is not None else []

    def _province_changed(self, _province: object) -> None:
        self.commune.refresh()
        self.completeChanged.emit()

    def isComplete(self) -> bool:
        return self.commune.current() is not None

    def nextId(self) -> int:
        return PAGE_REPORTING


class OfficePage(QWizardPage):
    """(b) The consolidating office: its province and its name."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle(self.tr("Cơ quan tổng hợp"))
        self.setSubTitle(
            self.tr("Gõ vài chữ để tìm tỉnh/thành phố (không cần gõ dấu), rồi nhập tên cơ quan.")
        )
        self.province = DivisionPicker(
            _provinces_matching, self.tr("Tìm tỉnh/thành phố, ví dụ: lam dong")
        )
        self.office_name = QLineEdit()
        self._suggested = ""
        form = QFormLayout(self)
        province_label = QLabel(self.tr("&Tỉnh/thành phố:"))
        province_label.setBuddy(self.province.query)
        name_label = QLabel(self.tr("Tên &cơ quan:"))
        name_label.setBuddy(self.office_name)
        form.addRow(province_label, self.province)
        form.addRow(name_label, self.office_name)
        self.province.selection_changed.connect(self._province_changed)
        self.office_name.textChanged.connect(self.completeChanged)

    def _province_changed(self, province: Division | None) -> None:
        # Suggest a name only while the user has not typed one of their own.
        if province is not None and self.office_name.text() in ("", self._suggested):
            self._suggested = receiving_office_suggestion(province.name)
            self.office_name.setText(self._suggested)
        self.completeChanged.emit()

    def isComplete(self) -> bool:
        return self.province.current() is not None and bool(self.office_name.text().strip())

    def nextId(self) -> int:
        return PAGE_REPORTING


class ReportingPage(QWizardPage):
    """(c) Who receives the reports, for which year, and who signs them."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle(self.tr("Báo cáo"))
        self.setSubTitle(self.tr("Có thể sửa các thông tin này sau."))
        self.receiving_office = QLineEdit()
        this_year = date.today().year
        self.year = QSpinBox()
        self.year.setRange(2000, this_year + 1)
        self.year.setValue(this_year)
        self.signer_name = QLineEdit()
        self.signer_name.setPlaceholderText(self.tr("ví dụ: Nguyễn Văn A"))
        self.signer_title = QLineEdit()
        self.form = QFormLayout(self)
        self.form.addRow(self.tr("Cơ quan nhận &báo cáo:"), self.receiving_office)
        self.form.addRow(self.tr("&Năm báo cáo:"), self.year)
        self.form.addRow(self.tr("&Họ tên người ký:"), self.signer_name)
        self.form.addRow(self.tr("&Chức vụ người ký:"), self.signer_title)
        self._suggested_office = ""
        self._suggested_title = ""
        self.receiving_office.textChanged.connect(self.completeChanged)

    def initializePage(self) -> None:
        wizard = self.wizard()
        assert isinstance(wizard, SetupWizard)
        role = wizard.role()
        province = wizard.province()
        if province is not None and self.receiving_office.text() in ("", self._suggested_office):
            self._suggested_office = receiving_office_suggestion(province.name)
            self.receiving_office.setText(self._suggested_office)
        if self.signer_title.text() in ("", self._suggested_title):
            self._suggested_title = (
                self.tr("Chủ tịch") if role == ROLE_COMMUNE else self.tr("Trưởng phòng")
            )
            self.signer_title.setText(self._suggested_title)
        self.form.setRowVisible(self.receiving_office, role == ROLE_COMMUNE)

    def isComplete(self) -> bool:
        wizard = self.wizard()
        if isinstance(wizard, SetupWizard) and wizard.role() == ROLE_OFFICE:
            return True
        return bool(self.receiving_office.text().strip())

    def nextId(self) -> int:
        return PAGE_ADMIN


class AdminPage(QWizardPage):
    """(d) The first administrator of this copy."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle(self.tr("Người quản trị"))
        self.setSubTitle(self.subtitle(encrypt=False))
        self.username = QLineEdit()
        self.username.setPlaceholderText(self.tr("chữ thường không dấu, ví dụ: admin"))
        self.full_name = QLineEdit()
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setPlaceholderText(self.tr("ít nhất 8 ký tự"))
        self.confirm = QLineEdit()
        self.confirm.setEchoMode(QLineEdit.EchoMode.Password)
        self.messages: dict[str, QLabel] = {}
        form = QFormLayout(self)
        for key, label, field in (
            ("username", self.tr("Tên đăng &nhập:"), self.username),
            ("full_name", self.tr("&Họ tên:"), self.full_name),
            ("password", self.tr("&Mật khẩu:"), self.password),
            ("confirm", self.tr("Nhập &lại mật khẩu:"), self.confirm),
        ):
            message = _message_label()
            self.messages[key] = message
            cell = QWidget()
            column = QVBoxLayout(cell)
            column.setContentsMargins(0, 0, 0, 0)
            column.setSpacing(2)
            column.addWidget(field)
            column.addWidget(message)
            title = QLabel(label)
            title.setBuddy(field)
            form.addRow(title, cell)
            field.textChanged.connect(self.completeChanged)
            # A message about a field goes once the field is changed.
            field.textEdited.connect(lambda _text, m=message: _show_message(m, None))

    def subtitle(self, *, encrypt: bool) -> str:
        """What happens to a forgotten password, which depends on encrypting."""
        if encrypt:
            return self.tr(
                "Người quản trị đăng nhập để nhập liệu và quản lý người dùng khác "
                "(Tệp → Người dùng…). Hãy ghi nhớ mật khẩu. Nếu quên, tờ khóa khôi phục "
                "(in ở bước sau) mở lại được dữ liệu và đặt mật khẩu mới; mất cả mật khẩu "
                "lẫn tờ khóa thì không ai mở được dữ liệu."
            )
        return self.tr(
            "Người quản trị đăng nhập để nhập liệu và quản lý người dùng khác "
            "(Tệp → Người dùng…). Hãy ghi nhớ mật khẩu: nếu quên, chỉ một người quản trị "
            "khác đặt lại được mật khẩu."
        )

    def initializePage(self) -> None:
        wizard = self.wizard()
        self.setSubTitle(self.subtitle(encrypt=isinstance(wizard, SetupWizard) and wizard.encrypt))

    def new_user(self) -> NewUser:
        return NewUser(
            username=self.username.text().strip(),
            full_name=self.full_name.text(),
            role="admin",
            password=self.password.text(),
        )

    def show_issues(self, issues: Sequence[FieldIssue]) -> None:
        """Show each message beside its field; clear the others."""
        for key, label in self.messages.items():
            _show_message(label, next((i.message for i in issues if i.field == key), None))
        fields = {
            "username": self.username,
            "full_name": self.full_name,
            "password": self.password,
            "confirm": self.confirm,
        }
        first = next((fields[i.field] for i in issues if i.field in fields), None)
        if first is not None:
            first.setFocus()
            first.selectAll()

    def isComplete(self) -> bool:
        return all(
            field.text().strip()
            for field in (self.username, self.full_name, self.password, self.confirm)
        )

    def validatePage(self) -> bool:
        issues = validate_new_user(self.new_user())
        if self.password.text() != self.confirm.text():
            issues.append(FieldIssue("confirm", self.tr("Mật khẩu nhập lại không khớp.")))
        self.show_issues(issues)
        return not issues

    def nextId(self) -> int:
        wizard = self.wizard()
        if isinstance(wizard, SetupWizard) and wizard.encrypt:
            return PAGE_ENCRYPTION
        return PAGE_SUMMARY


class EncryptionPage(QWizardPage):
    """(e) The data will be encrypted: what that means, and the recovery sheet."""

    def __init__(self, folder: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle(self.tr("Mã hóa dữ liệu và khóa khôi phục"))
        self.setSubTitle(
            self.tr("Lưu và in tờ khóa khôi phục, đánh dấu ô xác nhận, rồi nhấn Enter.")
        )
        self.panel = RecoveryPanel(folder)
        layout = QVBoxLayout(self)
        layout.addWidget(self.panel)
        self.panel.confirmed_changed.connect(self.completeChanged)

    def initializePage(self) -> None:
        wizard = self.wizard()
        assert isinstance(wizard, SetupWizard)
        self.panel.unit_name = wizard.unit_name()

    def isComplete(self) -> bool:
        return self.panel.is_confirmed()

    def nextId(self) -> int:
        return PAGE_SUMMARY


class SummaryPage(QWizardPage):
    """(e) What will be set up; Finish writes it."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle(self.tr("Kiểm tra lại"))
        self.setSubTitle(
            self.tr("Nhấn Enter (Hoàn tất) để thiết lập, hoặc Quay lại để sửa thông tin.")
        )
        self.summary = QLabel()
        self.summary.setTextFormat(Qt.TextFormat.PlainText)
        self.summary.setWordWrap(True)
        self.error = _message_label()
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.error)
        layout.addStretch(1)
        self.setFinalPage(True)

    def initializePage(self) -> None:
        wizard = self.wizard()
        assert isinstance(wizard, SetupWizard)
        self.summary.setText("\n".join(wizard.summary_lines()))
        _show_message(self.error, None)

    def validatePage(self) -> bool:
        wizard = self.wizard()
        assert isinstance(wizard, SetupWizard)
        return wizard.finish_setup()

    def nextId(self) -> int:
        return -1


class SetupWizard(QWizard):
    """The first start: set this copy up and create its first administrator.

    Signals:
        setup_completed(object): the created administrator (``UserInfo``),
            already authenticated, once the database is set up.

    Attributes:
        created_user: The same administrator, or ``None`` before Finish.
    """

    setup_completed = Signal(object)

    def __init__(
        self, context: AppContext, parent: QWidget | None = None, *, encrypt: bool = False
    ) -> None:
        """Build the wizard.

        Args:
            context: The (empty) data to set up.
            parent: The parent widget.
            encrypt: Encrypt the data at Finish, with a page for the recovery
                sheet before; the app asks for it on a local SQLite file.
        """
        super().__init__(parent)
        self.context = context
        self.encrypt = encrypt
        # Why the data is still plain after Finish, if encrypting was refused.
        self.encryption_error: str | None = None
        self.created_user: UserInfo | None = None
        self.setWindowTitle(self.tr("Thiết lập XHHT Desktop"))
        self.setOption(QWizard.WizardOption.NoBackButtonOnStartPage, True)
        self.setButtonText(QWizard.WizardButton.NextButton, self.tr("Tiếp theo >"))
        self.setButtonText(QWizard.WizardButton.BackButton, self.tr("< &Quay lại"))
        self.setButtonText(QWizard.WizardButton.FinishButton, self.tr("Hoàn tất"))
        self.setButtonText(QWizard.WizardButton.CancelButton, self.tr("Hủy"))
        self.role_page = RolePage()
        self.commune_page = CommunePage()
        self.office_page = OfficePage()
        self.reporting_page = ReportingPage()
        self.admin_page = AdminPage()
        self.summary_page = SummaryPage()
        # Not the data folder: a copy of that folder must not carry the sheet along.
        folder = Path.home()
        self.encryption_page = EncryptionPage(folder)
        self.setPage(PAGE_ENCRYPTION, self.encryption_page)
        self.setPage(PAGE_ROLE, self.role_page)
        self.setPage(PAGE_COMMUNE, self.commune_page)
        self.setPage(PAGE_OFFICE, self.office_page)
        self.setPage(PAGE_REPORTING, self.reporting_page)
        self.setPage(PAGE_ADMIN, self.admin_page)
        self.setPage(PAGE_SUMMARY, self.summary_page)
        self.setStartId(PAGE_ROLE)
        self.currentIdChanged.connect(self._focus_first_field)
        # An explicit minimum keeps QWizard from resizing the window to each
        # page's own minimum: the window stays still while pages change.
        self.setMinimumSize(720, 560)
        self.resize(760, 600)

    def _focus_first_field(self, page_id: int) -> None:
        # QWizard leaves the focus where it was when the old page's focused
        # widget is hidden; each page starts at its first field instead.
        page = self.page(page_id)
        if page is None:
            return
        widget = page.nextInFocusChain()
        while widget is not page:
            if (
                page.isAncestorOf(widget)
                and widget.focusPolicy() & Qt.FocusPolicy.TabFocus
                and widget.isEnabled()
                and widget.isVisibleTo(page)
                # Of a group of radio buttons, the chosen one takes the focus.
                and not (isinstance(widget, QRadioButton) and not widget.isChecked())
            ):
                widget.setFocus(Qt.FocusReason.TabFocusReason)
                return
            widget = widget.nextInFocusChain()

    def role(self) -> str:
        return self.role_page.role()

    def province(self) -> Division | None:
        if self.role() == ROLE_OFFICE:
            return self.office_page.province.current()
        return self.commune_page.province.current()

    def unit_name(self) -> str:
        """The unit being set up, as the recovery sheet names it."""
        province = self.province()
        province_name = province.name if province else ""
        if self.role() == ROLE_COMMUNE:
            commune = self.commune_page.commune.current()
            return f"{commune.name if commune else ''}, {province_name}"
        return f"{self.office_page.office_name.text().strip()} ({province_name})"

    def summary_lines(self) -> list[str]:
        """What Finish will set up, one line per item, in Vietnamese."""
        reporting = self.reporting_page
        province = self.province()
        lines = []
        if self.role() == ROLE_COMMUNE:
            commune = self.commune_page.commune.current()
            lines.append(self.tr("Vai trò: cấp xã/phường"))
            lines.append(self.tr("Xã/phường: {name}").format(name=commune.name if commune else ""))
            lines.append(
                self.tr("Tỉnh/thành phố: {name}").format(name=province.name if province else "")
            )
            lines.append(
                self.tr("Cơ quan nhận báo cáo: {name}").format(
                    name=reporting.receiving_office.text().strip()
                )
            )
        else:
            lines.append(self.tr("Vai trò: cơ quan tổng hợp"))
            lines.append(
                self.tr("Cơ quan: {name}").format(name=self.office_page.office_name.text().strip())
            )
            lines.append(
                self.tr("Tỉnh/thành phố: {name}").format(name=province.name if province else "")
            )
        lines.append(self.tr("Năm báo cáo: {year}").format(year=reporting.year.value()))
        lines.append(
            self.tr("Người ký: {name} — {title}").format(
                name=reporting.signer_name.text().strip() or self.tr("(chưa nhập)"),
                title=reporting.signer_title.text().strip(),
            )
        )
        admin = self.admin_page.new_user()
        lines.append(
            self.tr("Người quản trị: {name} (tên đăng nhập: {username})").format(
                name=vntext.clean(admin.full_name), username=admin.username
            )
        )
        if self.encrypt:
            lines.append(self.tr("Dữ liệu: được mã hóa; khóa khôi phục cất ở tủ của đơn vị"))
        return lines

    def _encrypt(self, admin: NewUser) -> None:
        # Nothing but the installation and its administrator is in the file
        # yet; from here on the context works on the encrypted one. The set-up
        # itself is done: a refusal here leaves plain data, which the main
        # window's banner offers to encrypt again.
        try:
            self.context.encryption.encrypt(
                admin.username, admin.password, self.encryption_page.panel.recovery
            )
        except XhhtError as exc:
            self.encryption_error = exc.message

    def finish_setup(self) -> bool:
        """Set the database up; on refusal show why and keep the wizard open."""
        reporting = self.reporting_page
        admin = self.admin_page.new_user()
        try:
            if self.role() == ROLE_COMMUNE:
                commune = self.commune_page.commune.current()
                assert commune is not None
                self.context.setup.init_commune(
                    CommuneSetup(
                        commune_code=commune.code,
                        year=reporting.year.value(),
                        receiving_office=reporting.receiving_office.text(),
                        signer_name=reporting.signer_name.text(),
                        signer_title=reporting.signer_title.text(),
                    ),
                    admin=admin,
                )
            else:
                province = self.office_page.province.current()
                assert province is not None
                self.context.setup.init_office(
                    OfficeSetup(
                        province_code=province.code,
                        office_name=self.office_page.office_name.text(),
                        year=reporting.year.value(),
                        signer_name=reporting.signer_name.text(),
                        signer_title=reporting.signer_title.text(),
                    ),
                    admin=admin,
                )
            # The wizard's administrator is logged in straight away.
            self.created_user = self.context.users.authenticate(admin.username, admin.password)
            if self.encrypt:
                self._encrypt(admin)
        except ValidationFailed as exc:
            self.admin_page.show_issues(exc.issues)
            _show_message(
                self.summary_page.error,
                self.tr("Chưa thiết lập được:")
                + "\n"
                + "\n".join(f"• {issue.message}" for issue in exc.issues),
            )
            return False
        except XhhtError as exc:
            _show_message(self.summary_page.error, exc.message)
            return False
        self.setup_completed.emit(self.created_user)
        return True
