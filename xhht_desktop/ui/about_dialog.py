"""Help → Giới thiệu: version, where the data is, and the bundled components' licences."""

from __future__ import annotations

import PySide6
from PySide6.QtCore import Qt, qVersion
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from xhht_desktop import about
from xhht_desktop.resources import resource
from xhht_desktop.settings import Settings


class AboutDialog(QDialog):
    """The About dialog: three tabs, information, components and licence texts.

    Attributes:
        facts: What the information tab shows.
        values: The information tab's values by key (``version``,
            ``data_dir``, ``database``, ``logs_dir``, ``python``, ``qt``,
            ``system``), for the tests and for copying.
        components: The components table (name, version, licence).
        licence_texts: The shipped licence texts (one tab each).
    """

    def __init__(self, settings: Settings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Giới thiệu XHHT Desktop"))
        self.facts = about.about_facts(settings)
        self.qt_version = self.tr("Qt {qt}, PySide6 {pyside}").format(
            qt=qVersion(), pyside=PySide6.__version__
        )

        tabs = QTabWidget()
        tabs.addTab(self._information(), self.tr("&Thông tin"))
        tabs.addTab(self._components(), self.tr("Thành phần và &giấy phép"))
        self.licence_texts: list[QPlainTextEdit] = []
        for name, path in about.licence_files():
            text = QPlainTextEdit(path.read_text(encoding="utf-8"))
            text.setReadOnly(True)
            text.setAccessibleName(name)
            self.licence_texts.append(text)
            tabs.addTab(text, self.tr("Giấy phép phông chữ"))
        self.tabs = tabs

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText(self.tr("Đóng"))
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(tabs, 1)
        layout.addWidget(buttons)
        self.resize(720, 520)

    def _information(self) -> QWidget:
        page = QWidget()
        icon = QLabel()
        icon.setPixmap(QIcon(str(resource("icons", "xhht.svg"))).pixmap(64, 64))
        heading = QLabel(
            self.tr("<b>XHHT Desktop</b>, phiên bản {version}").format(version=self.facts.version)
        )
        heading.setStyleSheet("font-size: 14pt;")
        summary = QLabel(
            self.tr(
                "Sổ sách xây dựng xã hội học tập cấp xã, chạy không cần Internet. Phần mềm "
                "tự do theo giấy phép {licence}."
            ).format(licence=self.facts.licence)
        )
        summary.setWordWrap(True)

        self.values: dict[str, QLabel] = {}
        form = QFormLayout()
        for key, label, value in (
            ("version", self.tr("Phiên bản:"), self.facts.version),
            ("data_dir", self.tr("Thư mục dữ liệu:"), str(self.facts.data_dir)),
            ("database", self.tr("Cơ sở dữ liệu:"), self.facts.database),
            ("logs_dir", self.tr("Nhật ký lỗi:"), str(self.facts.logs_dir)),
            ("python", self.tr("Python:"), self.facts.python),
            ("qt", self.tr("Qt:"), self.qt_version),
            ("system", self.tr("Hệ điều hành:"), self.facts.system),
        ):
            shown = QLabel(value)
            shown.setWordWrap(True)
            # Selectable, so that a path can be copied for whoever helps.
            shown.setTextInteractionFlags(
                Qt.TextInteractionFlag.TextSelectableByMouse
                | Qt.TextInteractionFlag.TextSelectableByKeyboard
            )
            self.values[key] = shown
            form.addRow(label, shown)

        layout = QVBoxLayout(page)
        layout.addWidget(icon)
        layout.addWidget(heading)
        layout.addWidget(summary)
        layout.addSpacing(8)
        layout.addLayout(form)
        layout.addStretch(1)
        return page

    def _components(self) -> QWidget:
        page = QWidget()
        rows = about.components()
        table = QTableWidget(len(rows), 3)
        table.setHorizontalHeaderLabels(
            [self.tr("Thành phần"), self.tr("Phiên bản"), self.tr("Giấy phép")]
        )
        for row, component in enumerate(rows):
            licence = component.licence
            if not component.from_metadata:
                licence += " *"
            for column, text in enumerate((component.name, component.version, licence)):
                item = QTableWidgetItem(text)
                item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
                table.setItem(row, column, item)
        table.verticalHeader().hide()
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        header = table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.components = table
        note = QLabel(
            self.tr(
                "Giấy phép đọc từ thông tin của từng thành phần đã cài; dấu * là giấy phép "
                "do dự án của thành phần công bố, khi thông tin cài đặt không ghi."
            )
        )
        note.setWordWrap(True)
        layout = QVBoxLayout(page)
        layout.addWidget(table, 1)
        layout.addWidget(note)
        return page
