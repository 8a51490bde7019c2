"""What the exchange wizards and page share: choosers, the drive list, fingerprints, page jobs.

The file and folder dialogs are plain functions a wizard is given, so a test
never meets a modal window; the defaults ask the user.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from xhht_desktop.core.certificates import VIETNAM_TIME
from xhht_desktop.exchange import drives
from xhht_desktop.exchange.drives import RemovableDrive
from xhht_desktop.ui.forms.field_row import MESSAGE_COLOUR
from xhht_desktop.ui.tasks import BackgroundTask

DrivesFunction = Callable[[], list[RemovableDrive]]
"""Lists the removable drives mounted now."""

ChooseFunction = Callable[[QWidget, Path], Path | None]
"""Let the user pick a file or folder, starting in a folder; ``None`` if cancelled."""

ChooseSaveFunction = Callable[[QWidget, str, Path], Path | None]
"""Ask where to save a file (parent, title, suggested path); ``None`` if cancelled."""

PasswordFunction = Callable[[QWidget, str, str], str | None]
"""Ask the key's password (parent, title, label); ``None`` if cancelled."""

PATH_ROLE = Qt.ItemDataRole.UserRole + 1
SUCCESS_COLOUR = "#1b5e20"
ERROR_STYLE = f"color: {MESSAGE_COLOUR};"
SUCCESS_STYLE = f"color: {SUCCESS_COLOUR}; font-weight: bold; font-size: 12pt;"


def _tr(text: str) -> str:
    return QCoreApplication.translate("Exchange", text)


def ask_folder(parent: QWidget, start: Path) -> Path | None:
    """The default folder chooser: the system's folder dialog."""
    name = QFileDialog.getExistingDirectory(parent, _tr("Chọn thư mục để ghi gói"), str(start))
    return Path(name) if name else None


def ask_package(parent: QWidget, start: Path) -> Path | None:
    """The default package chooser: an open-file dialog for ``.xhht`` files."""
    name, _filter = QFileDialog.getOpenFileName(
        parent,
        _tr("Chọn gói dữ liệu"),
        str(start),
        _tr("Gói dữ liệu XHHT (*.xhht);;Mọi tệp (*)"),
    )
    return Path(name) if name else None


def ask_certificate(parent: QWidget, start: Path) -> Path | None:
    """The default certificate chooser: an open-file dialog for certificate files."""
    name, _filter = QFileDialog.getOpenFileName(
        parent,
        _tr("Chọn tệp chứng thư"),
        str(start),
        _tr("Tệp chứng thư (*.pem *.crt *.cer *.der);;Mọi tệp (*)"),
    )
    return Path(name) if name else None


def ask_receipt(parent: QWidget, start: Path) -> Path | None:
    """The default receipt chooser: an open-file dialog for ``.receipt`` files."""
    name, _filter = QFileDialog.getOpenFileName(
        parent,
        _tr("Chọn giấy biên nhận"),
        str(start),
        _tr("Giấy biên nhận (*.receipt);;Mọi tệp (*)"),
    )
    return Path(name) if name else None


def ask_save_certificate(parent: QWidget, title: str, suggested: Path) -> Path | None:
    """The default save chooser for a certificate file (``.pem`` added when left out)."""
    name, _filter = QFileDialog.getSaveFileName(
        parent, title, str(suggested), _tr("Tệp chứng thư (*.pem)")
    )
    if not name:
        return None
    path = Path(name)
    return path if path.suffix.lower() == ".pem" else path.with_name(path.name + ".pem")


def size_text(size: int) -> str:
    """Bytes as a Vietnamese reader expects them: ``3,2 GB``, ``850 MB``."""
    value = float(size)
    for unit in ("B", "KB", "MB", "GB"):
        if value < 1024 or unit == "GB":
            break
        value /= 1024
    if unit == "B":
        return f"{size} B"
    text = f"{value:.1f}" if value < 100 else f"{value:.0f}"
    return f"{text.replace('.', ',')} {unit}"


def local_time(moment: datetime | None, pattern: str = "%H:%M ngày %d/%m/%Y") -> str:
    """A moment in Vietnam's time, as the official reads it; "" for none."""
    return moment.astimezone(VIETNAM_TIME).strftime(pattern) if moment is not None else ""


def grouped(fingerprint: str, per_line: int = 0) -> str:
    """Hex digits in groups of four; ``per_line`` groups a line (0: one line)."""
    digits = "".join(ch for ch in fingerprint.upper() if ch in "0123456789ABCDEF")
    groups = [digits[i : i + 4] for i in range(0, len(digits), 4)]
    if not per_line:
        return " ".join(groups)
    return "\n".join(" ".join(groups[i : i + per_line]) for i in range(0, len(groups), per_line))


def fingerprint_label(fingerprint: str, per_line: int = 8, point_size: int = 13) -> QLabel:
    """A fingerprint in a fixed-width font, to compare group by group with paper."""
    label = QLabel(grouped(fingerprint, per_line))
    font = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
    font.setPointSize(point_size)
    font.setWeight(QFont.Weight.Bold)
    label.setFont(font)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.setAccessibleName(_tr("Vân tay chứng thư"))
    return label


class MessageLabel(QLabel):
    """A wrapping label that takes no room while it says nothing."""

    def setText(self, text: str) -> None:
        super().setText(text)
        self.setVisible(bool(text))

    def clear(self) -> None:
        self.setText("")


def message_label(style_sheet: str = "") -> QLabel:
    """A wrapping label for a page's message (hidden while empty)."""
    label = MessageLabel()
    label.setVisible(False)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    if style_sheet:
        label.setStyleSheet(style_sheet)
    return label


def busy_bar() -> QProgressBar:
    """A bar that only says "working": the service's work has no steps to count."""
    bar = QProgressBar()
    bar.setRange(0, 0)
    bar.setTextVisible(False)
    return bar


class PageJob:
    """The one background job of a wizard page that must run to its end.

    Writing a stick or applying a package must not be abandoned halfway, so
    while the job runs the page's busy bar shows and the wizard's Cancel is
    off. The page's result and error callbacks take the outcome in and then
    call :meth:`finish`, which puts the page back and re-checks it.

    Attributes:
        task: The job running now, if any.
    """

    def __init__(self, page: QWizardPage, bar: QProgressBar) -> None:
        self._page = page
        self._bar = bar
        self.task: BackgroundTask | None = None

    def running(self) -> bool:
        return self.task is not None

    def start(
        self,
        work: Callable[[], object],
        on_result: Callable[[Any], None],
        on_error: Callable[[BaseException], None],
    ) -> None:
        """Run ``work`` off the GUI thread; its outcome goes to one of the callbacks."""
        task = BackgroundTask(work, self._page)
        task.finished.connect(on_result)
        task.failed.connect(on_error)
        self.task = task
        self._bar.setVisible(True)
        self._cancel_button().setEnabled(False)
        task.start()

    def finish(self) -> None:
        """Hide the bar, turn Cancel back on and let the wizard ask ``isComplete`` again."""
        if self.task is not None:
            self.task.deleteLater()
        self.task = None
        self._bar.setVisible(False)
        self._cancel_button().setEnabled(True)
        self._page.completeChanged.emit()

    def _cancel_button(self) -> QWidget:
        return self._page.wizard().button(QWizard.WizardButton.CancelButton)


def drive_text(drive: RemovableDrive) -> str:
    """How a drive is listed: label, where it is, free space."""
    return _tr("{label} ({path}) — còn trống {free} / {total}").format(
        label=drive.label, path=drive.path, free=size_text(drive.free), total=size_text(drive.total)
    )


class PlaceList(QWidget):
    """A list of places (drives, folders, files) with "refresh" and "choose another…".

    ``fill`` gives the entries (text and path) of a refresh; ``choose`` asks
    for another place, which is added at the top and selected. Arrows pick
    an entry; the two buttons have Alt shortcuts.

    Signals:
        chosen_changed(): another entry is selected (or none).

    Attributes:
        list: The entries; each item holds its path under :data:`PATH_ROLE`.
        empty: Says what to do when the list is empty.
    """

    chosen_changed = Signal()

    def __init__(
        self,
        fill: Callable[[], list[tuple[str, Path]]],
        choose: Callable[[QWidget, Path], Path | None],
        *,
        other_text: str,
        empty_text: str,
        chosen_text: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._fill = fill
        self._choose = choose
        self._chosen_text = chosen_text
        self._extra: list[Path] = []
        self.list = QListWidget()
        self.list.setAccessibleName(_tr("Danh sách"))
        self.list.setMinimumHeight(120)
        self.empty = QLabel(empty_text)
        self.empty.setWordWrap(True)
        self.refresh_button = QPushButton(_tr("&Làm mới"))
        self.refresh_button.setToolTip(_tr("Tìm lại USB vừa cắm vào"))
        self.other_button = QPushButton(other_text)
        for button in (self.refresh_button, self.other_button):
            button.setAutoDefault(False)
        self.refresh_button.clicked.connect(self.refresh)
        self.other_button.clicked.connect(self.choose_other)
        self.list.currentRowChanged.connect(lambda _row: self.chosen_changed.emit())
        buttons = QHBoxLayout()
        buttons.addWidget(self.refresh_button)
        buttons.addWidget(self.other_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.empty)
        layout.addLayout(buttons)

    def refresh(self) -> None:
        """Look for the places again; keep the selection where it still exists."""
        previous = self.chosen()
        self.list.blockSignals(True)
        self.list.clear()
        entries = [(self._chosen_text.format(path=path), path) for path in self._extra]
        entries += self._fill()
        for text, path in entries:
            item = QListWidgetItem(text)
            item.setData(PATH_ROLE, str(path))
            item.setToolTip(str(path))
            self.list.addItem(item)
        self.empty.setVisible(not entries)
        row = next((i for i, (_t, p) in enumerate(entries) if p == previous), 0)
        self.list.setCurrentRow(row if entries else -1)
        self.list.blockSignals(False)
        self.chosen_changed.emit()

    def add(self, path: Path) -> None:
        """Add a place chosen outside the list and select it."""
        path = Path(path)
        if path in self._extra:
            self._extra.remove(path)
        self._extra.insert(0, path)
        self.refresh()
        self.list.setCurrentRow(0)

    def choose_other(self) -> Path | None:
        """Ask for another place ("Chọn … khác…")."""
        start = self.chosen() or Path.home()
        picked = self._choose(self.window(), start if start.is_dir() else start.parent)
        if picked is not None:
            self.add(picked)
        self.list.setFocus()
        return picked

    def chosen(self) -> Path | None:
        item = self.list.currentItem()
        return Path(item.data(PATH_ROLE)) if item is not None else None


def drive_entries(list_drives: DrivesFunction) -> list[tuple[str, Path]]:
    """The removable drives, as :class:`PlaceList` entries."""
    return [(drive_text(drive), drive.path) for drive in list_drives()]


def package_entries(list_drives: DrivesFunction) -> list[tuple[str, Path]]:
    """The package files on the removable drives, as :class:`PlaceList` entries."""
    entries = []
    for drive in list_drives():
        for path in drives.packages_on(drive.path):
            entries.append(
                (_tr("{name} — trên {label}").format(name=path.name, label=drive.label), path)
            )
    return entries
