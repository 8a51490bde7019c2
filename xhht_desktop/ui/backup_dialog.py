"""Restoring the data from a backup: the automatic ones, or any file chosen.

The question before a restore and the file chooser are plain functions the
dialog is given (``confirm``, ``choose_file``), so a test can answer them
without a modal window; the defaults ask the user.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from xhht_desktop.errors import BackupError
from xhht_desktop.ui import style

if TYPE_CHECKING:
    from xhht_desktop.context import AppContext
    from xhht_desktop.store.backup import BackupFile

ConfirmFunction = Callable[[QWidget, str], bool]
"""Ask ``text`` as a yes/no question over the widget; True means go ahead."""

ChooseFileFunction = Callable[[QWidget, Path], Path | None]
"""Let the user pick a backup file, starting in the folder; None if cancelled."""

_REASONS = {
    "khoi-dong": QT_TRANSLATE_NOOP("BackupDialog", "Khi khởi động"),
    "thoat": QT_TRANSLATE_NOOP("BackupDialog", "Khi thoát"),
    "truoc-nang-cap": QT_TRANSLATE_NOOP("BackupDialog", "Trước khi nâng cấp"),
    "truoc-khoi-phuc": QT_TRANSLATE_NOOP("BackupDialog", "Trước khi khôi phục"),
    "thu-cong": QT_TRANSLATE_NOOP("BackupDialog", "Sao lưu thủ công"),
}

_PATH_ROLE = Qt.ItemDataRole.UserRole


def _tr(text: str) -> str:
    return QCoreApplication.translate("BackupDialog", text)


def reason_label(reason: str) -> str:
    """Why a backup was made, in Vietnamese; an unknown reason as it is."""
    known = _REASONS.get(reason)
    return _tr(known) if known is not None else reason


def size_label(size: int) -> str:
    """A file size as Vietnamese write it (decimal comma)."""
    if size < 1024 * 1024:
        return f"{max(1, round(size / 1024))} KB"
    return f"{size / (1024 * 1024):.1f} MB".replace(".", ",")


def ask_confirmation(parent: QWidget, text: str) -> bool:
    """The default ``confirm``: a Yes/No question that waits for the answer."""
    box = QMessageBox(QMessageBox.Icon.Question, _tr("Khôi phục dữ liệu"), text, parent=parent)
    yes = box.addButton(_tr("Khôi phục"), QMessageBox.ButtonRole.AcceptRole)
    no = box.addButton(_tr("Không"), QMessageBox.ButtonRole.RejectRole)
    # Restoring replaces the data: the safe answer is the one Enter gives.
    box.setDefaultButton(no)
    box.setEscapeButton(no)
    box.exec()
    return box.clickedButton() is yes


def ask_backup_file(parent: QWidget, folder: Path) -> Path | None:
    """The default ``choose_file``: an open-file dialog on the backup folder."""
    name, _filter = QFileDialog.getOpenFileName(
        parent,
        _tr("Chọn tệp sao lưu"),
        str(folder),
        _tr("Bản sao lưu XHHT (*.xhht-backup.sqlite *.sqlite);;Mọi tệp (*)"),
    )
    return Path(name) if name else None


class BackupDialog(QDialog):
    """The list of backups, newest first, and the way to restore one.

    Signals:
        restored(object): the data was replaced; carries the safety backup of
            the data as it was before (``BackupFile``), or ``None``.

    Attributes:
        confirm: Asks before a restore; replace it to answer without a window.
        choose_file: Picks another backup file; replaceable the same way.
    """

    restored = Signal(object)

    def __init__(
        self,
        context: AppContext,
        parent: QWidget | None = None,
        *,
        confirm: ConfirmFunction | None = None,
        choose_file: ChooseFileFunction | None = None,
    ) -> None:
        super().__init__(parent)
        self.context = context
        self.confirm: ConfirmFunction = confirm or ask_confirmation
        self.safety: BackupFile | None = None
        self.choose_file: ChooseFileFunction = choose_file or ask_backup_file
        self.setWindowTitle(self.tr("Khôi phục dữ liệu"))

        intro = QLabel(
            self.tr(
                "Chọn bản sao lưu rồi nhấn Khôi phục. Dữ liệu hiện tại được sao lưu "
                "trước khi bị thay thế, nên vẫn có thể quay lại."
            )
        )
        intro.setWordWrap(True)
        self.table = QTreeWidget()
        self.table.setRootIsDecorated(False)
        self.table.setUniformRowHeights(True)
        self.table.setAlternatingRowColors(True)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setHeaderLabels([self.tr("Thời điểm"), self.tr("Lý do"), self.tr("Dung lượng")])
        self.table.header().setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        self.table.header().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.table.itemDoubleClicked.connect(lambda _item, _column: self.restore_selected())
        self.table.currentItemChanged.connect(lambda *_args: self._update_buttons())
        self.empty = QLabel(self.tr("Chưa có bản sao lưu nào trong thư mục sao lưu."))
        self.message = QLabel()
        self.message.setStyleSheet(style.FIELD_MESSAGE)
        self.message.setWordWrap(True)
        self.message.setVisible(False)
        self.folder = QLabel()
        self.folder.setWordWrap(True)
        self.folder.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        buttons = QDialogButtonBox()
        self.restore_button = QPushButton(self.tr("&Khôi phục"))
        self.restore_button.setDefault(True)
        self.other_button = QPushButton(self.tr("&Chọn tệp khác…"))
        self.other_button.setAutoDefault(False)
        self.close_button = QPushButton(self.tr("Đóng"))
        self.close_button.setAutoDefault(False)
        buttons.addButton(self.restore_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.other_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.close_button, QDialogButtonBox.ButtonRole.RejectRole)
        self.restore_button.clicked.connect(self.restore_selected)
        self.other_button.clicked.connect(self.choose_other)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.empty)
        layout.addWidget(self.folder)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        self.setMinimumSize(640, 420)
        self.refresh()
        self.table.setFocus()

    def refresh(self) -> None:
        """List the backups again, newest first; the newest is the current one."""
        self.table.clear()
        if not self.context.backups.supported():
            self.empty.setVisible(False)
            self.folder.clear()
            self._show_message(
                self.tr(
                    "Cơ sở dữ liệu máy chủ (PostgreSQL…) được sao lưu và khôi phục bằng "
                    "công cụ của máy chủ, không bằng XHHT Desktop."
                )
            )
            self.other_button.setEnabled(False)
            self._update_buttons()
            return
        backups = self.context.backups.list()
        for backup in backups:
            item = QTreeWidgetItem(
                [
                    backup.created.strftime("%d/%m/%Y %H:%M:%S"),
                    reason_label(backup.reason),
                    size_label(backup.size),
                ]
            )
            item.setData(0, _PATH_ROLE, str(backup.path))
            item.setToolTip(0, str(backup.path))
            item.setTextAlignment(2, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            self.table.addTopLevelItem(item)
        if backups:
            self.table.setCurrentItem(self.table.topLevelItem(0))
        self.empty.setVisible(not backups)
        self.folder.setText(
            self.tr("Thư mục sao lưu: {folder}").format(folder=self.context.backups.folder)
        )
        self._update_buttons()

    def selected_path(self) -> Path | None:
        """The file of the current row, if any."""
        item = self.table.currentItem()
        return Path(item.data(0, _PATH_ROLE)) if item is not None else None

    def restore_selected(self) -> bool:
        """Restore from the current row (after the confirmation)."""
        path = self.selected_path()
        return self.restore_from(path) if path is not None else False

    def choose_other(self) -> bool:
        """Pick another backup file, then restore from it (after the confirmation)."""
        path = self.choose_file(self, self.context.backups.folder)
        return self.restore_from(path) if path is not None else False

    def restore_from(self, path: Path) -> bool:
        """Ask, then replace the data with ``path``; True when it was restored."""
        question = self.tr(
            "Khôi phục dữ liệu từ bản sao lưu:\n{name}\n\n"
            "Dữ liệu hiện tại sẽ được sao lưu trước (lý do: “Trước khi khôi phục”), "
            "rồi được thay bằng dữ liệu của bản sao lưu này.\n\nTiếp tục khôi phục?"
        ).format(name=path.name)
        if not self.confirm(self, question):
            return False
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            safety = self.context.backups.restore(path)
        except BackupError as exc:
            self._show_message(exc.message)
            return False
        except OSError as exc:
            self._show_message(
                self.tr("Không khôi phục được từ '{name}': {reason}").format(
                    name=path.name, reason=exc.strerror or exc
                )
            )
            return False
        finally:
            QApplication.restoreOverrideCursor()
        self.safety = safety
        self.restored.emit(safety)
        self.accept()
        return True

    def _show_message(self, text: str) -> None:
        self.message.setText(text)
        self.message.setVisible(bool(text))

    def _update_buttons(self) -> None:
        self.restore_button.setEnabled(self.table.currentItem() is not None)
