"""Nhật ký thay đổi of one record: who changed which field, when, from what to what.

Opened from a record's edit dialog; the table is read from the audit
service, and "In…" saves the same history as the ``nhat-ky`` report.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from xhht_desktop.errors import XhhtError
from xhht_desktop.reports.audit_log import action_label, field_label, value_text
from xhht_desktop.ui import style

if TYPE_CHECKING:
    from xhht_desktop.context import AppContext
    from xhht_desktop.services.audit import AuditRow


class AuditHistoryDialog(QDialog):
    """The history of one record in a table; Esc closes.

    Attributes:
        table: One row per logged field change, oldest first.
        rows: What the table shows, as the service gave it.
    """

    HEADERS = ("Thời gian", "Người thực hiện", "Thao tác", "Trường", "Giá trị cũ", "Giá trị mới")

    def __init__(self, context: AppContext, record_id: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.record_id = record_id
        self.rows: list[AuditRow] = context.audit.history(record_id)
        name = self.rows[0].record if self.rows else record_id
        self.setWindowTitle(self.tr("Nhật ký thay đổi — {name}").format(name=name))
        title = QLabel(self.tr("Nhật ký thay đổi: {name}").format(name=name))
        title.setStyleSheet(style.PAGE_TITLE)
        title.setWordWrap(True)
        self.table = QTableWidget(len(self.rows), len(self.HEADERS))
        self.table.setHorizontalHeaderLabels([self.tr(h) for h in self.HEADERS])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setAccessibleName(self.tr("Các thay đổi"))
        self.table.verticalHeader().setVisible(False)
        for r, row in enumerate(self.rows):
            values = (
                f"{row.at:%d/%m/%Y %H:%M:%S}",
                row.actor,
                action_label(row.action),
                field_label(row.field),
                value_text(row.field, row.old_value),
                value_text(row.field, row.new_value),
            )
            for c, value in enumerate(values):
                self.table.setItem(r, c, QTableWidgetItem(value))
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.print_button = QPushButton(self.tr("&In ra tệp…"))
        self.print_button.clicked.connect(lambda _checked=False: self.save_report())
        self.print_button.setEnabled(bool(self.rows))
        self.close_button = QPushButton(self.tr("Đóng (Esc)"))
        self.close_button.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addWidget(self.message, 1)
        buttons.addWidget(self.print_button)
        buttons.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        self.resize(900, 480)
        self.table.setFocus(Qt.FocusReason.OtherFocusReason)
        if self.rows:
            self.table.selectRow(len(self.rows) - 1)

    def save_report(self, path: Path | None = None) -> Path | None:
        """Save the history as a PDF or Excel file (asks where when ``path`` is ``None``)."""
        if path is None:
            chosen, _filter = QFileDialog.getSaveFileName(
                self,
                self.tr("Lưu nhật ký thay đổi"),
                str(Path.home() / "nhat-ky-thay-doi.pdf"),
                self.tr("PDF (*.pdf);;Excel (*.xlsx)"),
            )
            if not chosen:
                return None
            path = Path(chosen)
        try:
            made = self.context.reports.write("nhat-ky", path, options={"record": self.record_id})
        except XhhtError as error:
            self.message.setStyleSheet(style.FIELD_MESSAGE)
            self.message.setText(error.message)
            return None
        self.message.setStyleSheet("")
        self.message.setText(self.tr("Đã lưu: {path}").format(path=made.path))
        return made.path
