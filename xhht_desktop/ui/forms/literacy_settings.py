"""The literacy settings dialog: difficult-area status, target-group upper age, bands.

These settings change which people the commune's standards are judged on
(Nghị định 20/2014/NĐ-CP, Art. 17, 20 and 21), so the dialog says in words
what each one changes. They are checked and stored by
``context.literacy.save_settings``; a refusal is shown beside the field.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from xhht_desktop.core.literacy import (
    DEFAULT_UPPER_AGE,
    DRAFT_UPPER_AGE,
    LEVEL_1_BAND,
    LEVEL_1_DIFFICULT_BAND,
    LEVEL_2_DIFFICULT_BAND,
    TARGET_MIN_AGE,
    Band,
    LiteracySettings,
)
from xhht_desktop.errors import FieldIssue, ValidationFailed
from xhht_desktop.ui.forms.field_row import MESSAGE_COLOUR, ChoiceBox, FieldLayout

if TYPE_CHECKING:
    from xhht_desktop.context import AppContext

BAND_SEPARATOR = "; "
_BAND = re.compile(r"^(\d{1,3})\s*[-–—]\s*(\d{1,3})$")
_HELP_STYLE = "color: palette(placeholder-text);"


def _tr(text: str) -> str:
    return QCoreApplication.translate("LiteracySettingsDialog", text)


def format_bands(bands: tuple[Band, ...]) -> str:
    """``(Band(15, 25), Band(15, 35))`` → ``"15–25; 15–35"``."""
    return BAND_SEPARATOR.join(band.label for band in bands)


def parse_bands(text: str) -> tuple[Band, ...]:
    """Read bands typed as ``"15-25; 15-35; 15-60"`` (commas or en dashes also do).

    Only the shape is checked here; whether the bands make sense is the
    service's call (``core.literacy.settings_problems``).

    Raises:
        ValueError: with a Vietnamese message naming the part that cannot be read.
    """
    bands = []
    for part in re.split(r"[;,\n]", text):
        item = part.strip()
        if not item:
            continue
        found = _BAND.match(item)
        if found is None:
            raise ValueError(
                _tr(
                    "Không đọc được nhóm tuổi “{item}”: hãy viết tuổi đầu – tuổi cuối, "
                    "các nhóm cách nhau bởi dấu chấm phẩy, vd. 15–25; 15–35; 15–60."
                ).format(item=item)
            )
        bands.append(Band(int(found.group(1)), int(found.group(2))))
    return tuple(bands)


class LiteracySettingsDialog(QDialog):
    """Edit the literacy settings of this database.

    Enter saves, Esc cancels. Open it with ``open()`` and listen to
    :attr:`settings_saved`.

    Signals:
        settings_saved(object): the :class:`LiteracySettings` just stored.
    """

    settings_saved = Signal(object)

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.setWindowTitle(self.tr("Cài đặt xóa mù chữ"))

        self.banner = QLabel()
        self.banner.setObjectName("banner")
        self.banner.setWordWrap(True)
        self.banner.setStyleSheet(f"color: {MESSAGE_COLOUR}; font-weight: bold;")
        self.banner.setVisible(False)
        try:
            self.current = context.literacy.settings()
        except ValidationFailed as damaged:
            self.current = LiteracySettings()
            self._show_banner(
                "\n".join(issue.message for issue in damaged.issues)
                + "\n"
                + self.tr("Hộp thoại đang hiện cài đặt mặc định.")
            )

        self.difficult_area = QCheckBox(
            self.tr("Xã có điều kiện kinh tế – xã hội đặc biệt &khó khăn")
        )
        self.difficult_help = QLabel()
        self.upper_age = ChoiceBox(
            [
                (
                    DEFAULT_UPPER_AGE,
                    self.tr("{age} tuổi — Nghị định 20/2014/NĐ-CP (đang áp dụng)").format(
                        age=DEFAULT_UPPER_AGE
                    ),
                ),
                (
                    DRAFT_UPPER_AGE,
                    self.tr("{age} tuổi — theo dự thảo sửa đổi năm 2023").format(
                        age=DRAFT_UPPER_AGE
                    ),
                ),
            ]
        )
        self.upper_help = QLabel(
            self.tr(
                "Đối tượng xóa mù chữ là người từ {youngest} đến {age} tuổi (Điều 17); dự thảo "
                "sửa đổi năm 2023 đề xuất đến {draft} tuổi. Tuổi này cũng là tuổi cuối của nhóm "
                "xét chuẩn mức độ 2 và của danh sách người chưa biết chữ."
            ).format(youngest=TARGET_MIN_AGE, age=DEFAULT_UPPER_AGE, draft=DRAFT_UPPER_AGE)
        )
        self.bands = QLineEdit()
        self.bands.setPlaceholderText(self.tr("vd. 15–25; 15–35; 15–60"))
        self.bands_help = QLabel(
            self.tr(
                "Các nhóm tuổi của bảng tỷ lệ và của biểu thống kê theo thôn, cách nhau bởi "
                "dấu chấm phẩy. Nhóm tuổi mà chuẩn cần luôn được tính thêm."
            )
        )
        for label in (self.difficult_help, self.upper_help, self.bands_help):
            label.setWordWrap(True)
            label.setStyleSheet(_HELP_STYLE)

        self.fields = FieldLayout()
        self.fields.add_field(
            "difficult_area",
            self.tr("Điều kiện của xã"),
            _with_help(self.difficult_area, self.difficult_help),
        )
        self.fields.add_field(
            "upper_age",
            self.tr("&Tuổi cuối đối tượng"),
            _with_help(self.upper_age, self.upper_help),
        )
        self.fields.add_field(
            "bands", self.tr("&Nhóm tuổi thống kê"), _with_help(self.bands, self.bands_help)
        )
        self.fields.row("upper_age").label.setBuddy(self.upper_age)
        self.fields.row("bands").label.setBuddy(self.bands)

        self.save_button = QPushButton(self.tr("Lưu (Enter)"))
        self.save_button.setDefault(True)
        self.cancel_button = QPushButton(self.tr("Hủy (Esc)"))
        self.cancel_button.setAutoDefault(False)
        self.save_button.clicked.connect(self.save)
        self.cancel_button.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.cancel_button)

        layout = QVBoxLayout(self)
        layout.addWidget(self.banner)
        layout.addLayout(self.fields)
        layout.addLayout(buttons)
        for first, second in (
            (self.difficult_area, self.upper_age),
            (self.upper_age, self.bands),
            (self.bands, self.save_button),
            (self.save_button, self.cancel_button),
        ):
            QWidget.setTabOrder(first, second)

        self.difficult_area.toggled.connect(lambda _checked: self._explain())
        self.upper_age.currentIndexChanged.connect(lambda _number: self._explain())
        self._load(self.current)
        self.setMinimumWidth(620)
        self.difficult_area.setFocus(Qt.FocusReason.OtherFocusReason)

    def chosen(self) -> LiteracySettings:
        """The settings as the fields now describe them.

        Raises:
            ValidationFailed: when the bands cannot be read.
        """
        try:
            bands = parse_bands(self.bands.text())
        except ValueError as unreadable:
            raise ValidationFailed([FieldIssue("bands", str(unreadable))]) from unreadable
        upper = self.upper_age.value()
        return LiteracySettings(
            bands=bands,
            upper_age=upper if isinstance(upper, int) else self.current.upper_age,
            difficult_area=self.difficult_area.isChecked(),
            threshold_percent=self.current.threshold_percent,
        )

    def save(self) -> bool:
        """Check and store the settings; on refusal show why and store nothing.

        Returns:
            Whether the settings were saved (the dialog then closes).
        """
        self.fields.clear_issues()
        self.banner.setVisible(False)
        try:
            saved = self.context.literacy.save_settings(self.chosen())
        except ValidationFailed as refused:
            leftover = self.fields.show_issues(refused)
            if leftover:
                self._show_banner("\n".join(leftover))
            return False
        self.current = saved
        self.settings_saved.emit(saved)
        self.accept()
        return True

    # -- helpers ----------------------------------------------------------

    def _load(self, settings: LiteracySettings) -> None:
        self.difficult_area.setChecked(settings.difficult_area)
        if self.upper_age.findData(settings.upper_age) < 0:
            # Stored by another version or by hand: offer it as it is.
            self.upper_age.addItem(
                self.tr("{age} tuổi").format(age=settings.upper_age), settings.upper_age
            )
        self.upper_age.set_value(settings.upper_age)
        self.bands.setText(format_bands(settings.bands))
        self._explain()

    def _explain(self) -> None:
        upper = self.upper_age.value()
        target = Band(TARGET_MIN_AGE, upper if isinstance(upper, int) else DEFAULT_UPPER_AGE)
        if self.difficult_area.isChecked():
            text = self.tr(
                "Xã đặc biệt khó khăn: chuẩn biết chữ mức độ 1 xét người {l1_difficult} tuổi "
                "(thay cho {l1}), chuẩn mức độ 2 xét người {l2_difficult} tuổi (thay cho {l2}) "
                "— Điều 20, 21 Nghị định 20/2014/NĐ-CP. Tỷ lệ cần đạt vẫn là {threshold}%."
            )
        else:
            text = self.tr(
                "Chuẩn biết chữ mức độ 1 đang xét người {l1} tuổi, mức độ 2 xét người {l2} "
                "tuổi. Đánh dấu nếu xã có điều kiện kinh tế – xã hội đặc biệt khó khăn: khi đó "
                "chuẩn mức độ 1 xét người {l1_difficult} tuổi, mức độ 2 xét người "
                "{l2_difficult} tuổi (Điều 20, 21 Nghị định 20/2014/NĐ-CP)."
            )
        self.difficult_help.setText(
            text.format(
                l1=LEVEL_1_BAND.label,
                l1_difficult=LEVEL_1_DIFFICULT_BAND.label,
                l2=target.label,
                l2_difficult=LEVEL_2_DIFFICULT_BAND.label,
                threshold=self.current.threshold_percent,
            )
        )

    def _show_banner(self, text: str) -> None:
        self.banner.setText(text)
        self.banner.setVisible(True)


def _with_help(editor: QWidget, help_label: QLabel) -> QWidget:
    """An editor with its explanation under it, as one cell of the form."""
    cell = QWidget()
    column = QVBoxLayout(cell)
    column.setContentsMargins(0, 0, 0, 0)
    column.setSpacing(2)
    column.addWidget(editor)
    column.addWidget(help_label)
    cell.setFocusProxy(editor)
    return cell
