"""The overview: which unit this copy serves, and how much is recorded.

It is the header of the dashboard (``ui/pages/dashboard.py``), the first
page after login, so it is laid out to take little height: the details in
two columns, the counts beside them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from xhht_desktop.ui import style

if TYPE_CHECKING:
    from xhht_desktop.context import AppContext


class HomePage(QWidget):
    """Unit, province, reporting year, receiving office, signer and counts: a header.

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
        grid = QGridLayout(self.details)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(10)
        grid.setVerticalSpacing(4)
        self.unit_label = QLabel()
        self.unit = QLabel()
        self.province = QLabel()
        self.year = QLabel()
        self.receiving_label = QLabel(self.tr("Cơ quan nhận báo cáo:"))
        self.receiving_office = QLabel()
        self.signer = QLabel()
        pairs = (
            (self.unit_label, self.unit, 0, 0),
            (QLabel(self.tr("Tỉnh/thành phố:")), self.province, 1, 0),
            (QLabel(self.tr("Năm báo cáo:")), self.year, 0, 2),
            (QLabel(self.tr("Người ký báo cáo:")), self.signer, 1, 2),
            (self.receiving_label, self.receiving_office, 2, 0),
        )
        for label, value, row, column in pairs:
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            grid.addWidget(label, row, column)
            grid.addWidget(value, row, column + 1, 1, 3 if row == 2 else 1)
        grid.setColumnStretch(1, 1)
        grid.setColumnStretch(3, 1)

        self.figures = QFrame()
        self.figures.setFrameShape(QFrame.Shape.StyledPanel)
        counts = QGridLayout(self.figures)
        counts.setContentsMargins(12, 4, 12, 4)
        counts.setVerticalSpacing(0)
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
            counts.addWidget(value, 0, column)
            counts.addWidget(label, 1, column)
            self.counts[key] = value

        row = QHBoxLayout()
        row.setSpacing(16)
        row.addWidget(self.details, 1)
        row.addWidget(self.figures)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        layout.addWidget(self.title)
        layout.addWidget(self.not_set_up)
        layout.addLayout(row)
        # A header: as tall as its contents, the rest of the page below it.
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)

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
        self.receiving_label.setVisible(info.role == "commune")
        self.receiving_office.setVisible(info.role == "commune")
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
