"""The recovery key shown once: the warning, the key, its printable sheet, the promise.

Used by the set-up wizard (before the data is encrypted) and by the encrypt
dialog (after). The panel is complete once the user confirms that the sheet is
printed or the key written down: nothing in the app can show it again.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QCheckBox,
    QFileDialog,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from xhht_desktop.core.recovery import RecoveryKey
from xhht_desktop.errors import XhhtError
from xhht_desktop.services import encryption
from xhht_desktop.ui import style


def _tr(text: str) -> str:
    return QCoreApplication.translate("RecoveryPanel", text)


def ask_sheet_path(parent: QWidget, suggested: Path) -> Path | None:
    """The default ``choose_path``: a save-file dialog for the PDF sheet."""
    name, _filter = QFileDialog.getSaveFileName(
        parent, _tr("Lưu tờ khóa khôi phục"), str(suggested), _tr("Tệp PDF (*.pdf)")
    )
    if not name:
        return None
    path = Path(name)
    return path if path.suffix.lower() == ".pdf" else path.with_name(path.name + ".pdf")


class RecoveryPanel(QWidget):
    """Warning, recovery key, "save the sheet" and "I have kept it".

    Signals:
        confirmed_changed(bool): the user ticked (or unticked) the promise.
        sheet_saved(object): the ``Path`` of the PDF just written.

    Attributes:
        recovery: The key shown.
        sheet: The PDF written, if any.
    """

    confirmed_changed = Signal(bool)
    sheet_saved = Signal(object)

    def __init__(
        self,
        folder: Path,
        parent: QWidget | None = None,
        choose_path: Callable[[QWidget, Path], Path | None] = ask_sheet_path,
    ) -> None:
        """Build the panel with a new recovery key.

        Args:
            folder: Where the save dialog starts.
            parent: The parent widget.
            choose_path: Asks where to save the sheet (``None``: cancelled);
                tests pass their own instead of the file dialog.
        """
        super().__init__(parent)
        self.folder = folder
        self.choose_path = choose_path
        self.recovery = RecoveryKey.generate()
        self.unit_name = ""
        self.sheet: Path | None = None
        self.warning = QLabel(
            self.tr(
                "Dữ liệu của đơn vị (họ tên, ngày sinh, dân tộc, khuyết tật…) được mã hóa trên "
                "máy này: ai chép tệp dữ liệu hay bản sao lưu đi cũng không đọc được nếu không "
                "có mật khẩu.\n\n"
                "Mật khẩu của mỗi người dùng mở được dữ liệu. Khi mọi người đều quên mật khẩu, "
                "chỉ khóa khôi phục dưới đây mở được. Hãy in tờ khóa khôi phục và cất vào tủ "
                "có khóa của đơn vị."
            )
        )
        self.warning.setWordWrap(True)
        self.danger = QLabel(
            self.tr(
                "Mất cả mọi mật khẩu lẫn tờ khóa khôi phục thì dữ liệu KHÔNG THỂ đọc lại được "
                "nữa — không ai, kể cả người viết phần mềm, lấy lại được."
            )
        )
        self.danger.setWordWrap(True)
        self.danger.setStyleSheet(f"color: {style.ERROR_COLOUR}; font-weight: bold;")
        self.key = QLabel(self._key_text())
        font = QFont("monospace")
        font.setStyleHint(QFont.StyleHint.Monospace)
        font.setPointSize(15)
        font.setBold(True)
        self.key.setFont(font)
        self.key.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.key.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.key.setAccessibleName(self.tr("Khóa khôi phục"))
        self.save_button = QPushButton(self.tr("&Lưu tờ khóa khôi phục (PDF) để in…"))
        self.save_button.setAutoDefault(False)
        self.save_button.clicked.connect(self.save_sheet)
        self.saved = QLabel()
        self.saved.setWordWrap(True)
        # Room for two lines from the start: the panel does not jump when it fills.
        self.saved.setMinimumHeight(self.saved.fontMetrics().lineSpacing() * 2 + 4)
        self.confirm = QCheckBox(
            self.tr("Tôi đã &in (hoặc chép tay) khóa khôi phục và sẽ cất vào tủ của đơn vị")
        )
        self.confirm.toggled.connect(self.confirmed_changed)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.warning)
        layout.addWidget(self.danger)
        layout.addSpacing(6)
        layout.addWidget(self.key)
        layout.addSpacing(6)
        layout.addWidget(self.save_button)
        layout.addWidget(self.saved)
        layout.addWidget(self.confirm)
        layout.addStretch(1)

    def _key_text(self) -> str:
        groups = self.recovery.groups
        return "   ".join(groups[:5]) + "\n" + "   ".join(groups[5:])

    def set_recovery(self, recovery: RecoveryKey) -> None:
        """Show another key (the one the data was encrypted with)."""
        self.recovery = recovery
        self.key.setText(self._key_text())
        self.sheet = None
        self.saved.clear()
        self.confirm.setChecked(False)

    def is_confirmed(self) -> bool:
        return self.confirm.isChecked()

    def save_sheet(self) -> Path | None:
        """Ask where, then write the PDF sheet; say where it went or why it did not."""
        suggested = self.folder / "to-khoa-khoi-phuc.pdf"
        path = self.choose_path(self, suggested)
        if path is None:
            return None
        try:
            encryption.write_recovery_sheet(path, self.recovery, self.unit_name)
        except (XhhtError, OSError) as exc:
            message = exc.message if isinstance(exc, XhhtError) else str(exc)
            self.saved.setStyleSheet(style.FIELD_MESSAGE)
            self.saved.setText(self.tr("Không lưu được tờ khóa: {error}").format(error=message))
            return None
        self.sheet = path
        self.saved.setStyleSheet("")
        self.saved.setText(
            self.tr("Đã lưu: {path}. Hãy in ra ngay, rồi xóa tệp này khỏi máy.").format(path=path)
        )
        self.sheet_saved.emit(path)
        self.confirm.setFocus()
        return path
