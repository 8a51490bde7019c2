"""The overview page: which unit this copy serves, and how much is recorded."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QFormLayout,
    QFrame,
    QGridLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from xhht_desktop.ui import style

if TYPE_CHECKING:
    from xhht_desktop.context import AppContext


class HomePage(QWidget):
    """Unit, province, reporting year, receiving office, signer and counts.

    The figures are read again each time the page is shown, so they follow
    what was entered on the other pages.

    Attributes:
        counts: One label per register ("villages", "households", "persons").
    """

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.title = QLabel()
        self.title.setStyleSheet(style.PAGE_TITLE)
        self.title.setWordWrap(True)
        self.title.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.not_set_up = QLabel(
            self.tr(
                "Cơ sở dữ liệu này chưa được thiết lập. Hãy đóng rồi mở lại ứng dụng "
                "để làm theo trình hướng dẫn thiết lập."
            )
        )
        self.not_set_up.setWordWrap(True)

        self.details = QWidget()
        form = QFormLayout(self.details)
        self.unit_label = QLabel()
        self.unit = QLabel()
        self.province = QLabel()
        self.year = QLabel()
        self.receiving_label = QLabel(self.tr("Cơ quan nhận báo cáo:"))
        self.receiving_office = QLabel()
        self.signer = QLabel()
        form.addRow(self.unit_label, self.unit)
        form.addRow(self.tr("Tỉnh/thành phố:"), self.province)
        form.addRow(self.tr("Năm báo cáo:"), self.year)
        form.addRow(self.receiving_label, self.receiving_office)
        form.addRow(self.tr("Người ký báo cáo:"), self.signer)
        self._form = form

        self.figures = QFrame()
        self.figures.setFrameShape(QFrame.Shape.StyledPanel)
        grid = QGridLayout(self.figures)
        self.counts: dict[str, QLabel] = {}
        for column, (key, caption) in enumerate(
            (
                ("villages", self.tr("Thôn/Tổ dân phố")),
                ("households", self.tr("Hộ gia đình")),
                ("persons", self.tr("Nhân khẩu")),
            )
        ):
            value = QLabel("0")
            value.setObjectName("count")
            value.setAlignment(Qt.AlignmentFlag.AlignCenter)
            label = QLabel(caption)
            label.setAlignment(Qt.AlignmentFlag.AlignCenter)
            grid.addWidget(value, 0, column)
            grid.addWidget(label, 1, column)
            self.counts[key] = value

        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 20)
        layout.setSpacing(14)
        layout.addWidget(self.title)
        layout.addWidget(self.not_set_up)
        layout.addWidget(self.details)
        layout.addWidget(self.figures)
        layout.addStretch(1)

    def refresh(self) -> None:
        """Read the installation and the counts again."""
        info = self.context.setup.installation()
        set_up = info is not None
        self.not_set_up.setVisible(not set_up)
        self.details.setVisible(set_up)
        self.figures.setVisible(set_up)
        if info is None:
            self.title.setText(self.tr("Chưa thiết lập"))
            return
        self.title.setText(info.display_name)
        if info.role == "commune":
            self.unit_label.setText(self.tr("Xã/phường:"))
            self.unit.setText(info.commune_name or "")
        else:
            self.unit_label.setText(self.tr("Cơ quan:"))
            self.unit.setText(info.office_name or "")
        self.province.setText(info.province_name)
        self.year.setText(str(info.year))
        self._form.setRowVisible(self.receiving_office, info.role == "commune")
        self.receiving_office.setText(info.receiving_office or self.tr("(chưa nhập)"))
        signer = ", ".join(part for part in (info.signer_title, info.signer_name) if part)
        self.signer.setText(signer or self.tr("(chưa nhập)"))
        for key, value in self.context.setup.counts().items():
            if key in self.counts:
                self.counts[key].setText(_grouped(value))

    def showEvent(self, event: QShowEvent) -> None:
        self.refresh()
        super().showEvent(event)


def _grouped(value: int) -> str:
    """A count as Vietnamese write it: 12.345."""
    return f"{value:,}".replace(",", ".")
