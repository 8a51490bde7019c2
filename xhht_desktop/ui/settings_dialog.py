"""Tệp → Cài đặt…: the administrator's settings of this copy (the idle lock for now).

Only an administrator opens it (the menu entry is disabled for the others,
and the service refuses them anyway).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from xhht_desktop.errors import XhhtError
from xhht_desktop.services.users import MAX_IDLE_LOCK_MINUTES
from xhht_desktop.ui import style

if TYPE_CHECKING:
    from xhht_desktop.context import AppContext


class SettingsDialog(QDialog):
    """Change the settings; Enter saves, Esc cancels.

    Signals:
        settings_saved(): the settings were stored.

    Attributes:
        idle_minutes: Minutes without input before the screen locks (0: never).
        message: Why saving was refused, if it was.
    """

    settings_saved = Signal()

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.setWindowTitle(self.tr("Cài đặt — XHHT Desktop"))
        self.idle_minutes = QSpinBox()
        self.idle_minutes.setRange(0, MAX_IDLE_LOCK_MINUTES)
        self.idle_minutes.setSuffix(self.tr(" phút"))
        self.idle_minutes.setSpecialValueText(self.tr("Không khóa"))
        self.idle_minutes.setValue(context.users.idle_lock_minutes())
        self.idle_minutes.setAccessibleName(self.tr("Khóa màn hình sau"))
        note = QLabel(
            self.tr(
                "Sau thời gian này không dùng bàn phím hay chuột, ứng dụng khóa màn hình và hỏi "
                "lại mật khẩu; các biểu mẫu đang mở vẫn giữ nguyên. Chọn 0 để không bao giờ khóa "
                "(chỉ nên dùng trên máy không ai khác dùng)."
            )
        )
        note.setWordWrap(True)
        self.message = QLabel()
        self.message.setStyleSheet(style.FIELD_MESSAGE)
        self.message.setWordWrap(True)

        form = QFormLayout()
        label = QLabel(self.tr("&Khóa màn hình sau:"))
        label.setBuddy(self.idle_minutes)
        form.addRow(label, self.idle_minutes)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Save).setText(self.tr("&Lưu"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("&Hủy"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(note)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        self.setMinimumWidth(460)
        self.idle_minutes.setFocus()

    def accept(self) -> None:
        """Store the settings; stay open and say why when they are refused."""
        try:
            self.context.users.set_idle_lock_minutes(self.idle_minutes.value())
        except XhhtError as error:
            self.message.setText(error.message)
            return
        self.settings_saved.emit()
        super().accept()
