"""Kế hoạch và chỉ tiêu: the plans the app knows, which one is checked, and their editing.

The list holds the presets shipped with the app ("Mẫu có sẵn — chỉ đọc") and
the commune's own plans; the active one (what the dashboard and the
``ket-qua`` report check) is marked. From the list: Kích hoạt makes the
selected plan the active one; Sao chép thành kế hoạch mới asks a code and a
name and copies it into an editable plan, then opens it in the editor; Sửa
opens a plan of the commune in the editor (a preset opens read-only, as
"Xem"); Xóa deletes a plan of the commune after a question.

Keys: arrows choose a plan, Enter opens it, Delete deletes it, Esc closes.
The question before a deletion is a plain function the dialog is given
(``confirm``), so a test can answer it without a modal window.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtGui import QFont, QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from xhht_desktop.core import text as vntext
from xhht_desktop.errors import NotFound, ValidationFailed
from xhht_desktop.forms.loader import ID_PATTERN
from xhht_desktop.ui.forms.field_row import MESSAGE_COLOUR, FieldLayout
from xhht_desktop.ui.forms.plan_editor import PlanEditorDialog

if TYPE_CHECKING:
    from xhht_desktop.context import AppContext
    from xhht_desktop.core.plans import Plan

ConfirmFunction = Callable[[QWidget, str], bool]
"""Ask ``text`` as a yes/no question over the widget; True means go ahead."""

_ID_ROLE = Qt.ItemDataRole.UserRole
COLUMN_TITLE, COLUMN_ID, COLUMN_KIND, COLUMN_TARGETS, COLUMN_ACTIVE = range(5)


def _tr(text: str) -> str:
    return QCoreApplication.translate("PlansDialog", text)


def ask_confirmation(parent: QWidget, text: str) -> bool:
    """The default ``confirm``: a Yes/No question whose safe answer is the default."""
    box = QMessageBox(QMessageBox.Icon.Question, _tr("Xóa kế hoạch"), text, parent=parent)
    yes = box.addButton(_tr("Xóa"), QMessageBox.ButtonRole.AcceptRole)
    no = box.addButton(_tr("Không"), QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(no)
    box.setEscapeButton(no)
    box.exec()
    return box.clickedButton() is yes


def suggested_id(context: AppContext, original: Plan) -> str:
    """A free code for a copy: "ke-hoach-duc-an-2026", then "-2", "-3"… if taken."""
    info = context.setup.installation()
    place = ""
    if info is not None:
        place = vntext.fold(info.commune_name or info.office_name or "")
        for prefix in ("xa ", "phuong ", "thi tran ", "dac khu "):
            place = place.removeprefix(prefix)
    words = "".join(c if c.isalnum() and c.isascii() else " " for c in place).split()
    year = info.year if info is not None else ""
    base = "-".join(["ke-hoach", *words, str(year)]).strip("-")
    if not ID_PATTERN.match(base):
        base = f"{original.id}-ban-sao"
    taken = {plan.id for plan in context.plans.list()}
    candidate, number = base, 1
    while candidate in taken:
        number += 1
        candidate = f"{base}-{number}"
    return candidate


class CopyPlanDialog(QDialog):
    """Ask the code and the name of a copy, then make it through ``context.plans.copy``.

    Enter copies; a code taken or malformed, or an empty name, is shown under
    its field and nothing is written.

    Signals:
        plan_copied(str): the id of the new plan.
    """

    plan_copied = Signal(str)

    def __init__(self, context: AppContext, original: Plan, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.original = original
        self.setWindowTitle(self.tr("Sao chép thành kế hoạch mới"))
        intro = QLabel(
            self.tr(
                "Bản sao của «{title}» là kế hoạch của xã: sửa được số văn bản, chỉ tiêu, "
                "thêm hoặc bớt chỉ tiêu."
            ).format(title=original.title)
        )
        intro.setWordWrap(True)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setStyleSheet(f"color: {MESSAGE_COLOUR};")
        self.status.hide()
        self.fields = FieldLayout()
        self.id_edit = QLineEdit(suggested_id(context, original))
        self.title_edit = QLineEdit(self._suggested_title())
        self.fields.add_field(
            "id", self.tr("&Mã kế hoạch (chữ thường không dấu, '-')"), self.id_edit
        )
        self.fields.add_field("title", self.tr("&Tên kế hoạch"), self.title_edit)
        buttons = QDialogButtonBox()
        self.copy_button = buttons.addButton(
            self.tr("&Sao chép"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        cancel = buttons.addButton(self.tr("Hủy"), QDialogButtonBox.ButtonRole.RejectRole)
        self.copy_button.clicked.connect(lambda: self.copy())
        cancel.clicked.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.status)
        layout.addLayout(self.fields)
        layout.addWidget(buttons)
        self.copy_button.setDefault(True)
        self.fields.chain_tab_order([self.copy_button, cancel])
        self.resize(720, self.sizeHint().height())
        self.id_edit.selectAll()
        self.id_edit.setFocus()

    def _suggested_title(self) -> str:
        info = self.context.setup.installation()
        unit = (info.commune_name or info.office_name or "") if info is not None else ""
        # "Xã Đức An" inside a sentence is "xã Đức An".
        unit = unit[:1].lower() + unit[1:] if unit[1:2].islower() else unit
        if not unit:
            return self.tr("Bản sao của {title}").format(title=self.original.title)
        year = info.year if info is not None else ""
        return self.tr("Kế hoạch xây dựng xã hội học tập của {unit} năm {year}").format(
            unit=unit, year=year
        )

    def copy(self) -> bool:
        """Copy the plan; show what is wrong under its field if refused."""
        self.fields.clear_issues()
        self.status.hide()
        try:
            made = self.context.plans.copy(
                self.original.id, self.id_edit.text(), self.title_edit.text()
            )
        except ValidationFailed as refused:
            leftover = self.fields.show_issues(refused)
            if leftover:
                self.status.setText("\n".join(leftover))
                self.status.show()
            return False
        except NotFound as error:
            self.status.setText(error.message)
            self.status.show()
            return False
        self.plan_copied.emit(made.id)
        self.accept()
        return True


class _PlanList(QTreeWidget):
    """The plans; Enter opens the selected one, Delete asks to delete it."""

    open_pressed = Signal()
    delete_pressed = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        # Handled here, not left to go up: the dialog would press the default
        # button of the editor just opened (a child dialog) with the same key.
        signals = {
            Qt.Key.Key_Return: self.open_pressed,
            Qt.Key.Key_Enter: self.open_pressed,
            Qt.Key.Key_Delete: self.delete_pressed,
        }
        signal = signals.get(Qt.Key(event.key()))
        if signal is not None and event.modifiers() == Qt.KeyboardModifier.NoModifier:
            signal.emit()
            event.accept()
            return
        super().keyPressEvent(event)


class PlansDialog(QDialog):
    """The plans, the active one marked, and what can be done with each.

    Attributes:
        confirm: Asks before a deletion; replace it to answer without a window.
        editor: The plan editor last opened from here, if any.
        copy_dialog: The copy dialog last opened from here, if any.

    Signals:
        plan_activated(str): a plan became the active one.
        plans_changed: the plans or the active one changed (refresh what shows them).
    """

    plan_activated = Signal(str)
    plans_changed = Signal()

    def __init__(
        self,
        context: AppContext,
        parent: QWidget | None = None,
        *,
        confirm: ConfirmFunction | None = None,
    ) -> None:
        super().__init__(parent)
        self.context = context
        self.confirm: ConfirmFunction = confirm or ask_confirmation
        self.editor: PlanEditorDialog | None = None
        self.copy_dialog: CopyPlanDialog | None = None
        self.setWindowTitle(self.tr("Kế hoạch và chỉ tiêu"))

        intro = QLabel(
            self.tr(
                "Kế hoạch đang dùng là kế hoạch mà trang Tổng quan và báo cáo kết quả đối "
                "chiếu. Kế hoạch mẫu chỉ đọc: muốn đổi chỉ tiêu, hãy sao chép thành kế hoạch "
                "mới rồi sửa bản sao."
            )
        )
        intro.setWordWrap(True)
        self.list = _PlanList()
        self.list.setRootIsDecorated(False)
        self.list.setUniformRowHeights(True)
        self.list.setAlternatingRowColors(True)
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.list.setHeaderLabels(
            [
                self.tr("Kế hoạch"),
                self.tr("Mã"),
                self.tr("Loại"),
                self.tr("Số chỉ tiêu"),
                self.tr("Đang dùng"),
            ]
        )
        header = self.list.header()
        header.setSectionResizeMode(COLUMN_TITLE, QHeaderView.ResizeMode.Stretch)
        for column in (COLUMN_ID, COLUMN_KIND, COLUMN_TARGETS, COLUMN_ACTIVE):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(False)
        self.list.setAccessibleName(self.tr("Các kế hoạch"))
        self.list.currentItemChanged.connect(lambda *_args: self._update_buttons())
        self.list.itemDoubleClicked.connect(lambda _item, _column: self.edit_selected())
        self.list.open_pressed.connect(lambda: self.edit_selected())
        self.list.delete_pressed.connect(lambda: self.delete_selected())

        self.problems = QLabel()
        self.problems.setObjectName("problems")
        self.problems.setWordWrap(True)
        self.problems.setStyleSheet(f"color: {MESSAGE_COLOUR};")
        self.problems.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.message = QLabel()
        self.message.setObjectName("message")
        self.message.setWordWrap(True)
        self.message.hide()

        buttons = QDialogButtonBox()
        self.activate_button = QPushButton(self.tr("&Kích hoạt"))
        self.copy_button = QPushButton(self.tr("Sao &chép thành kế hoạch mới…"))
        self.edit_button = QPushButton(self.tr("&Sửa…"))
        self.delete_button = QPushButton(self.tr("&Xóa"))
        for button in (
            self.activate_button,
            self.copy_button,
            self.edit_button,
            self.delete_button,
        ):
            button.setAutoDefault(False)
            buttons.addButton(button, QDialogButtonBox.ButtonRole.ActionRole)
        self.close_button = buttons.addButton(
            self.tr("Đóng"), QDialogButtonBox.ButtonRole.RejectRole
        )
        self.close_button.setAutoDefault(False)
        self.activate_button.clicked.connect(lambda: self.activate_selected())
        self.copy_button.clicked.connect(lambda: self.copy_selected())
        self.edit_button.clicked.connect(lambda: self.edit_selected())
        self.delete_button.clicked.connect(lambda: self.delete_selected())
        self.close_button.clicked.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.problems)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        self.resize(980, 460)
        self.refresh()
        self.list.setFocus()

    # -- the list ------------------------------------------------------------------------

    def refresh(self, select: str | None = None) -> None:
        """Read the plans again; keep the selection (or select ``select``, else the active)."""
        current = select or self.selected_id() or self.context.plans.active_id()
        active = self.context.plans.active_id()
        self.list.clear()
        for plan in self.context.plans.list():
            item = QTreeWidgetItem(
                [
                    plan.title,
                    plan.id,
                    self.tr("Mẫu có sẵn — chỉ đọc") if plan.preset else self.tr("Kế hoạch của xã"),
                    str(len(plan.targets)),
                    self.tr("✔ Đang dùng") if plan.id == active else "",
                ]
            )
            item.setData(COLUMN_TITLE, _ID_ROLE, plan.id)
            item.setToolTip(COLUMN_TITLE, plan.document)
            item.setTextAlignment(COLUMN_TARGETS, Qt.AlignmentFlag.AlignRight)
            if plan.id == active:
                font = QFont(item.font(COLUMN_TITLE))
                font.setBold(True)
                for column in range(self.list.columnCount()):
                    item.setFont(column, font)
            self.list.addTopLevelItem(item)
            if plan.id == current:
                self.list.setCurrentItem(item)
        if self.list.currentItem() is None and self.list.topLevelItemCount():
            self.list.setCurrentItem(self.list.topLevelItem(0))
        problems = self.context.plans.problems()
        self.problems.setText(
            "\n".join(
                [self.tr("Tệp kế hoạch có lỗi, không được nạp:")]
                + [f"• {problem}" for problem in problems]
            )
            if problems
            else ""
        )
        self.problems.setVisible(bool(problems))
        self._update_buttons()

    def selected_id(self) -> str | None:
        item = self.list.currentItem()
        return None if item is None else item.data(COLUMN_TITLE, _ID_ROLE)

    def selected(self) -> Plan | None:
        plan_id = self.selected_id()
        if plan_id is None:
            return None
        try:
            return self.context.plans.get(plan_id)
        except NotFound:
            return None

    def plan_ids(self) -> list[str]:
        """The ids listed, top to bottom."""
        return [
            self.list.topLevelItem(i).data(COLUMN_TITLE, _ID_ROLE)
            for i in range(self.list.topLevelItemCount())
        ]

    def active_marks(self) -> dict[str, str]:
        """What the "Đang dùng" column says of each plan."""
        return {
            self.list.topLevelItem(i).data(COLUMN_TITLE, _ID_ROLE): self.list.topLevelItem(i).text(
                COLUMN_ACTIVE
            )
            for i in range(self.list.topLevelItemCount())
        }

    def kind_text(self, plan_id: str) -> str:
        """What the "Loại" column says of a plan."""
        for i in range(self.list.topLevelItemCount()):
            item = self.list.topLevelItem(i)
            if item.data(COLUMN_TITLE, _ID_ROLE) == plan_id:
                return item.text(COLUMN_KIND)
        raise KeyError(plan_id)

    def select(self, plan_id: str) -> None:
        for i in range(self.list.topLevelItemCount()):
            item = self.list.topLevelItem(i)
            if item.data(COLUMN_TITLE, _ID_ROLE) == plan_id:
                self.list.setCurrentItem(item)
                return

    def _update_buttons(self) -> None:
        plan = self.selected()
        chosen = plan is not None
        preset = plan is not None and plan.preset
        active = plan is not None and plan.id == self.context.plans.active_id()
        self.activate_button.setEnabled(chosen and not active)
        self.copy_button.setEnabled(chosen)
        self.edit_button.setEnabled(chosen)
        self.edit_button.setText(self.tr("Xe&m…") if preset else self.tr("&Sửa…"))
        self.delete_button.setEnabled(chosen and not preset)

    def show_message(self, text: str, *, error: bool = False) -> None:
        self.message.setText(text)
        self.message.setStyleSheet(f"color: {MESSAGE_COLOUR};" if error else "")
        self.message.setVisible(bool(text))

    # -- actions -------------------------------------------------------------------------

    def activate_selected(self) -> bool:
        """Kích hoạt: the selected plan becomes the one the dashboard checks."""
        plan = self.selected()
        if plan is None:
            return False
        try:
            self.context.plans.activate(plan.id)
        except NotFound as error:
            self.show_message(error.message, error=True)
            return False
        self.refresh(plan.id)
        self.show_message(self.tr("Đang dùng kế hoạch «{title}».").format(title=plan.title))
        self.plan_activated.emit(plan.id)
        self.plans_changed.emit()
        return True

    def copy_selected(self) -> CopyPlanDialog | None:
        """Sao chép thành kế hoạch mới: ask a code and a name, without blocking."""
        plan = self.selected()
        if plan is None:
            return None
        dialog = CopyPlanDialog(self.context, plan, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.plan_copied.connect(self._copied)
        self.copy_dialog = dialog
        dialog.open()
        return dialog

    def _copied(self, plan_id: str) -> None:
        self.refresh(plan_id)
        self.plans_changed.emit()
        self.show_message(self.tr("Đã tạo kế hoạch «{id}»; hãy sửa chỉ tiêu.").format(id=plan_id))
        self.edit_selected()

    def edit_selected(self) -> PlanEditorDialog | None:
        """Sửa (a plan of the commune) or Xem (a preset): the editor, without blocking."""
        plan = self.selected()
        if plan is None:
            return None
        editor = PlanEditorDialog(self.context, plan.id, self)
        editor.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        editor.plan_saved.connect(self._saved)
        self.editor = editor
        editor.open()
        return editor

    def _saved(self, plan_id: str) -> None:
        self.refresh(plan_id)
        self.show_message(self.tr("Đã lưu kế hoạch «{id}».").format(id=plan_id))
        self.plans_changed.emit()

    def delete_selected(self) -> bool:
        """Xóa: delete a plan of the commune after a question; presets stay."""
        plan = self.selected()
        if plan is None:
            return False
        if plan.preset:
            self.show_message(
                self.tr("«{title}» là kế hoạch mẫu, không xóa được.").format(title=plan.title),
                error=True,
            )
            return False
        question = self.tr(
            "Xóa kế hoạch «{title}» ({id})? Tệp kế hoạch bị xóa hẳn; nếu đang dùng, kế hoạch "
            "mặc định sẽ được dùng thay."
        ).format(title=plan.title, id=plan.id)
        if not self.confirm(self, question):
            return False
        try:
            self.context.plans.delete(plan.id)
        except (NotFound, ValidationFailed) as error:
            self.show_message(error.message, error=True)
            return False
        self.refresh(self.context.plans.active_id())
        self.show_message(self.tr("Đã xóa kế hoạch «{title}».").format(title=plan.title))
        self.plans_changed.emit()
        return True
