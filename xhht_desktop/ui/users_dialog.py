"""Tệp → Người dùng…: the administrator adds users, resets passwords, changes roles, locks.

The table lists every user with their role and state; the buttons act on the
selected row (Alt+letter, or Tab to them). A refusal (the last administrator,
one's own account) is shown in red under the table. On encrypted data the
users whose password does not open the data yet (after ``xhht encrypt`` or an
unlock) are marked, so that the administrator knows to set a new password.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from xhht_desktop.errors import FieldIssue, ValidationFailed, XhhtError
from xhht_desktop.services.users import MIN_PASSWORD_LENGTH, ROLES, NewUser, UserInfo
from xhht_desktop.ui import style
from xhht_desktop.ui.forms.field_row import ChoiceBox, FieldLayout
from xhht_desktop.ui.password_dialog import ResetPasswordDialog, password_edit

if TYPE_CHECKING:
    from xhht_desktop.context import AppContext


def _buttons(dialog: QDialog, save: str) -> QDialogButtonBox:
    buttons = QDialogButtonBox(
        QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
    )
    buttons.button(QDialogButtonBox.StandardButton.Save).setText(save)
    buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(dialog.tr("&Hủy"))
    buttons.accepted.connect(dialog.accept)
    buttons.rejected.connect(dialog.reject)
    return buttons


def _role_choices(dialog: QDialog) -> list[tuple[object, str]]:
    return [(code, dialog.tr(label)) for code, label in ROLES.items()]


class AddUserDialog(QDialog):
    """A new user: name, full name, role, password twice; Enter saves, Esc cancels.

    Signals:
        user_added(UserInfo): the user is stored.
    """

    user_added = Signal(object)

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.setWindowTitle(self.tr("Thêm người dùng"))
        self.fields = FieldLayout()
        self.username = QLineEdit()
        self.username.setPlaceholderText(self.tr("chữ thường không dấu, ví dụ: nhaplieu2"))
        self.full_name = QLineEdit()
        self.role = ChoiceBox(_role_choices(self), self.tr("Chọn vai trò"))
        self.password = password_edit()
        self.password.setPlaceholderText(
            self.tr("ít nhất {count} ký tự").format(count=MIN_PASSWORD_LENGTH)
        )
        self.confirm = password_edit()
        self.fields.add_field("username", self.tr("&Tên đăng nhập:"), self.username)
        self.fields.add_field("full_name", self.tr("&Họ và tên:"), self.full_name)
        self.fields.add_field("role", self.tr("&Vai trò:"), self.role)
        self.fields.add_field("password", self.tr("&Mật khẩu:"), self.password)
        self.fields.add_field("confirm", self.tr("&Nhập lại mật khẩu:"), self.confirm)
        buttons = _buttons(self, self.tr("&Lưu"))
        layout = QVBoxLayout(self)
        layout.addLayout(self.fields)
        layout.addWidget(buttons)
        self.fields.chain_tab_order(buttons.buttons())
        self.setMinimumWidth(520)
        self.username.setFocus()

    def accept(self) -> None:
        """Store the user; stay open with a message beside each refused field."""
        role = self.role.value()
        user = NewUser(
            self.username.text().strip(),
            self.full_name.text(),
            str(role) if role is not None else "",
            self.password.text(),
        )
        try:
            if self.password.text() != self.confirm.text():
                raise ValidationFailed(
                    [FieldIssue("confirm", self.tr("Hai lần nhập mật khẩu không giống nhau."))]
                )
            created = self.context.users.create(user)
        except ValidationFailed as refused:
            self.fields.show_issues(refused)
            return
        self.user_added.emit(created)
        super().accept()


class RoleDialog(QDialog):
    """Choose another role for ``user``; Enter saves, Esc cancels.

    Signals:
        role_changed(UserInfo): the new role is stored.
    """

    role_changed = Signal(object)

    def __init__(self, context: AppContext, user: UserInfo, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.user = user
        self.setWindowTitle(self.tr("Đổi vai trò"))
        intro = QLabel(
            self.tr("Vai trò của {name} ({username}):").format(
                name=user.full_name, username=user.username
            )
        )
        self.fields = FieldLayout()
        self.role = ChoiceBox(_role_choices(self))
        self.role.set_value(user.role)
        self.fields.add_field("role", self.tr("&Vai trò:"), self.role)
        buttons = _buttons(self, self.tr("&Lưu"))
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(self.fields)
        layout.addWidget(buttons)
        self.setMinimumWidth(440)
        self.role.setFocus()

    def accept(self) -> None:
        """Store the role; stay open and say why when refused (the last administrator)."""
        try:
            changed = self.context.users.change_role(self.user.id, str(self.role.value()))
        except ValidationFailed as refused:
            self.fields.show_issues(refused)
            return
        self.role_changed.emit(changed)
        super().accept()


class UsersDialog(QDialog):
    """The users of this copy and what an administrator does with them.

    Signals:
        users_changed(): a user was added, changed, locked or unlocked.

    Attributes:
        table: One row per user: tên đăng nhập, họ tên, vai trò, trạng thái.
        message: Why the last action was refused (empty otherwise).
    """

    users_changed = Signal()

    COLUMNS = ("Tên đăng nhập", "Họ và tên", "Vai trò", "Trạng thái")

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.users: list[UserInfo] = []
        self.setWindowTitle(self.tr("Người dùng"))
        self.table = QTableWidget(0, len(self.COLUMNS))
        self.table.setHorizontalHeaderLabels([self.tr(title) for title in self.COLUMNS])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setTabKeyNavigation(False)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        self.table.setAccessibleName(self.tr("Danh sách người dùng"))
        self.table.itemSelectionChanged.connect(self._selection_changed)

        self.add_button = QPushButton(self.tr("&Thêm…"))
        self.password_button = QPushButton(self.tr("Đặt lại &mật khẩu…"))
        self.role_button = QPushButton(self.tr("Đổi &vai trò"))
        self.lock_button = QPushButton(self.tr("&Khóa tài khoản"))
        self.close_button = QPushButton(self.tr("Đón&g"))
        for button in (
            self.add_button,
            self.password_button,
            self.role_button,
            self.lock_button,
            self.close_button,
        ):
            # Enter on the table must not press a button the user did not choose.
            button.setAutoDefault(False)
        self.add_button.clicked.connect(lambda _checked=False: self.open_add())
        self.password_button.clicked.connect(lambda _checked=False: self.open_reset())
        self.role_button.clicked.connect(lambda _checked=False: self.open_role())
        self.lock_button.clicked.connect(lambda _checked=False: self.toggle_lock())
        self.close_button.clicked.connect(self.reject)

        self.message = QLabel()
        self.message.setStyleSheet(style.FIELD_MESSAGE)
        self.message.setWordWrap(True)
        self.message.setVisible(False)
        self.note = QLabel()
        self.note.setWordWrap(True)

        row = QHBoxLayout()
        for button in (self.add_button, self.password_button, self.role_button, self.lock_button):
            row.addWidget(button)
        row.addStretch(1)
        row.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.message)
        layout.addWidget(self.note)
        layout.addLayout(row)
        self.setMinimumSize(760, 420)
        self.refresh()
        self.table.setFocus()

    # --- the table ---------------------------------------------------------

    def refresh(self, select_id: str | None = None) -> None:
        """Read the users again, keeping (or moving) the selection."""
        current = self.selected()
        wanted = select_id or (current.id if current is not None else None)
        self.users = self.context.users.list()
        keyless = set(self.context.encryption.keyless_users())
        self.table.setRowCount(len(self.users))
        for number, user in enumerate(self.users):
            role = self.tr(ROLES[user.role]) if user.role in ROLES else user.role
            cells = (user.username, user.full_name, role, self.state_text(user, keyless))
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if column == 3 and (not user.active or user.username in keyless):
                    item.setForeground(Qt.GlobalColor.darkRed)
                self.table.setItem(number, column, item)
        self.table.resizeColumnsToContents()
        for column in range(len(self.COLUMNS) - 1):
            # Room between the columns: names run into each other otherwise.
            self.table.setColumnWidth(column, self.table.columnWidth(column) + 24)
        ids = [user.id for user in self.users]
        self.table.selectRow(ids.index(wanted) if wanted in ids else 0)
        self.note.setText(
            self.tr(
                "Dữ liệu đã được mã hóa: người dùng ghi «chưa đặt mật khẩu mới sau khi mã hóa» "
                "chưa đăng nhập được; hãy chọn họ rồi bấm «Đặt lại mật khẩu…»."
            )
            if keyless
            else ""
        )
        self.note.setVisible(bool(keyless))
        self._selection_changed()

    def state_text(self, user: UserInfo, keyless: set[str]) -> str:
        """The state column: in use, locked, or waiting for a new password."""
        if not user.active:
            return self.tr("Đã khóa")
        if user.username in keyless:
            return self.tr("Đang dùng — chưa đặt mật khẩu mới sau khi mã hóa")
        return self.tr("Đang dùng")

    def selected(self) -> UserInfo | None:
        """The user of the selected row."""
        rows = self.table.selectionModel().selectedRows() if self.table.selectionModel() else []
        if not rows or rows[0].row() >= len(self.users):
            return None
        return self.users[rows[0].row()]

    def select_username(self, username: str) -> None:
        """Select the row of ``username`` (tests and the guide's screenshots)."""
        names = [user.username for user in self.users]
        self.table.selectRow(names.index(username))

    def _selection_changed(self) -> None:
        user = self.selected()
        for button in (self.password_button, self.role_button, self.lock_button):
            button.setEnabled(user is not None)
        if user is not None and not user.active:
            self.lock_button.setText(self.tr("Mở &khóa tài khoản"))
        else:
            self.lock_button.setText(self.tr("&Khóa tài khoản"))
        # A locked account gets a password once it is unlocked.
        self.password_button.setEnabled(user is not None and user.active)

    # --- actions -----------------------------------------------------------

    def _say(self, text: str) -> None:
        self.message.setText(text)
        self.message.setVisible(bool(text))

    def _changed(self, user: UserInfo | None = None) -> None:
        self._say("")
        self.refresh(user.id if user is not None else None)
        self.users_changed.emit()
        self.table.setFocus()

    def _open(self, dialog: QDialog) -> QDialog:
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.rejected.connect(self.table.setFocus)
        dialog.open()
        return dialog

    def open_add(self) -> AddUserDialog:
        """Thêm…: the new-user form, without blocking."""
        dialog = AddUserDialog(self.context, self)
        dialog.user_added.connect(self._changed)
        self._open(dialog)
        return dialog

    def open_reset(self) -> ResetPasswordDialog | None:
        """Đặt lại mật khẩu…: a new password for the selected user."""
        user = self.selected()
        if user is None:
            return None
        dialog = ResetPasswordDialog(self.context, user, self)
        dialog.password_changed.connect(lambda: self._changed(user))
        self._open(dialog)
        return dialog

    def open_role(self) -> RoleDialog | None:
        """Đổi vai trò: choose another role for the selected user."""
        user = self.selected()
        if user is None:
            return None
        dialog = RoleDialog(self.context, user, self)
        dialog.role_changed.connect(self._changed)
        self._open(dialog)
        return dialog

    def toggle_lock(self) -> None:
        """Khóa / Mở khóa tài khoản: of the selected user; a refusal is said under the table."""
        user = self.selected()
        if user is None:
            return
        try:
            if user.active:
                changed = self.context.users.deactivate(user.id)
            else:
                changed = self.context.users.reactivate(user.id)
        except ValidationFailed as refused:
            self._say("\n".join(issue.message for issue in refused.issues))
            return
        except XhhtError as error:
            self._say(error.message)
            return
        self._changed(changed)
