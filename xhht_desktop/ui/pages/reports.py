"""The reports page: choose a report, preview its pages, print, save and sign it.

Everything a report is comes from ``context.reports`` (the catalogue, the
options a report takes, the writing) and ``context.signing``; the page only
asks and shows. Building a report runs off the GUI thread with a progress
dialog whose «Hủy» stops it: the engine's progress callback raises, and the
half-written file is discarded by the engine itself.

Keys: Tab walks report, year, format, options, then the buttons and the
pages; Alt+X previews, Ctrl+P prints, Ctrl+S saves, Ctrl+K signs; Page
Up/Down turn the previewed pages.
"""

from __future__ import annotations

import contextlib
import shutil
import tempfile
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QObject, Qt, Signal, Slot
from PySide6.QtGui import QKeySequence, QStandardItemModel
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QProgressDialog,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from xhht_desktop.errors import XhhtError
from xhht_desktop.services.reports import FORMATS, ReportFile, ReportKind
from xhht_desktop.services.signing import SIGNING_ROLES
from xhht_desktop.ui import style
from xhht_desktop.ui.report_preview import (
    PreviewFailed,
    ReportPreview,
    prepare_printer,
    print_pdf,
)
from xhht_desktop.ui.tasks import BackgroundTask

if TYPE_CHECKING:
    from xhht_desktop.context import AppContext
    from xhht_desktop.reports.signing import VerificationResult

MIN_YEAR, MAX_YEAR = 2000, 2100
PANEL_WIDTH = 380


def _tr(text: str) -> str:
    return QCoreApplication.translate("ReportsPage", text)


# --- what the page asks the user (patchable in tests) -------------------------------------

SavePathChooser = Callable[[QWidget, str, Path, str], "Path | None"]
PrinterChooser = Callable[[QWidget, QPrinter], bool]
PasswordAsker = Callable[[QWidget, str, str], "str | None"]

_FILTERS = {"pdf": "Tệp PDF (*.pdf)", "xlsx": "Tệp Excel (*.xlsx)"}


def ask_save_path(parent: QWidget, title: str, suggested: Path, fmt: str) -> Path | None:
    """A save-file dialog for a ``fmt`` file; the extension is added when left out."""
    name, _filter = QFileDialog.getSaveFileName(parent, title, str(suggested), _tr(_FILTERS[fmt]))
    if not name:
        return None
    path = Path(name)
    return path if path.suffix.lower() == f".{fmt}" else path.with_name(f"{path.name}.{fmt}")


def ask_printer(parent: QWidget, printer: QPrinter) -> bool:
    """The system print dialog; ``True`` when the user chose to print."""
    dialog = QPrintDialog(printer, parent)
    dialog.setWindowTitle(_tr("In báo cáo"))
    return dialog.exec() == QDialog.DialogCode.Accepted


def ask_password(parent: QWidget, title: str, label: str) -> str | None:
    """The key's password, typed hidden; ``None`` when the user cancels."""
    text, ok = QInputDialog.getText(parent, title, label, QLineEdit.EchoMode.Password)
    return text if ok else None


# --- jobs ---------------------------------------------------------------------------------


class ReportCancelled(Exception):
    """Raised from the engine's progress callback when the user cancels."""


@dataclass(frozen=True)
class ReportRequest:
    """Which report: its code, year and options (the format is asked apart)."""

    code: str
    year: int
    options: tuple[tuple[str, str], ...] = ()

    def option_map(self) -> dict[str, str]:
        return dict(self.options)


class _Relay(QObject):
    """Carries the engine's progress from the worker to the dialog on the GUI thread."""

    advanced = Signal(int, int)


@dataclass
class _Job:
    purpose: str
    request: ReportRequest
    path: Path
    fmt: str
    then: Callable[[], None] | None
    cancel: threading.Event = field(default_factory=threading.Event)
    task: BackgroundTask | None = None
    dialog: QProgressDialog | None = None


@dataclass(frozen=True)
class _Made:
    """A file the page wrote, and what it was asked for."""

    request: ReportRequest
    file: ReportFile


def _remove_folder(folder: str) -> None:
    shutil.rmtree(folder, ignore_errors=True)


# --- the page -----------------------------------------------------------------------------


class ReportsPage(QWidget):
    """Choose a report, year, format and options; preview, print, save, sign.

    Signals:
        preview_shown(int): the preview is on screen, with this many pages.
        report_saved(object): :class:`ReportFile` of the file just saved.
        report_signed(object): ``VerificationResult`` of the file just signed.
        job_failed(str): a report could not be made, or signed; the message.
        job_cancelled(): the user stopped the report being made.

    Attributes:
        preview: The previewed pages.
        preview_folder: Where previews are written (removed with the page).
        progress: The progress dialog of the report being made, if any.
        saved: The last file saved, with what it was asked for.
        last_message: The last message box shown.
    """

    preview_shown = Signal(int)
    report_saved = Signal(object)
    report_signed = Signal(object)
    job_failed = Signal(str)
    job_cancelled = Signal()

    def __init__(
        self,
        context: AppContext,
        parent: QWidget | None = None,
        *,
        choose_save_path: SavePathChooser | None = None,
        choose_printer: PrinterChooser | None = None,
        ask_key_password: PasswordAsker | None = None,
    ) -> None:
        super().__init__(parent)
        self.context = context
        self.choose_save_path = choose_save_path or ask_save_path
        self.choose_printer = choose_printer or ask_printer
        self.ask_key_password = ask_key_password or ask_password
        self.job: _Job | None = None
        self.progress: QProgressDialog | None = None
        self.previewed: _Made | None = None
        self.saved: _Made | None = None
        self.last_message: QMessageBox | None = None
        self._sign_task: BackgroundTask | None = None
        self._previews = 0
        folder = tempfile.mkdtemp(prefix="xhht-xem-truoc-")
        self.preview_folder = Path(folder)
        self.destroyed.connect(lambda *_args, folder=folder: _remove_folder(folder))
        self._relay = _Relay(self)
        self._relay.advanced.connect(self._advanced)

        self.title = QLabel(self.tr("Báo cáo, biểu mẫu"))
        self.title.setStyleSheet(style.PAGE_TITLE)
        self.kind = QComboBox()
        self.kind.setAccessibleName(self.tr("Loại báo cáo"))
        self.year = QSpinBox()
        self.year.setRange(MIN_YEAR, MAX_YEAR)
        self.year.setAccessibleName(self.tr("Năm báo cáo"))
        self.format = QComboBox()
        self.format.setAccessibleName(self.tr("Định dạng"))
        for code, name in FORMATS.items():
            self.format.addItem(name, code)
        self.option_boxes: dict[str, QComboBox] = {}
        self.option_labels: dict[str, QLabel] = {}

        self.preview_button = QPushButton(self.tr("&Xem trước"))
        self.print_button = QPushButton(self.tr("&In…"))
        self.print_button.setShortcut(QKeySequence.StandardKey.Print)
        self.save_button = QPushButton(self.tr("&Lưu…"))
        self.save_button.setShortcut(QKeySequence.StandardKey.Save)
        self.sign_button = QPushButton(self.tr("&Ký số…"))
        self.sign_button.setShortcut(QKeySequence("Ctrl+K"))
        for button, tip in (
            (self.preview_button, self.tr("Lập báo cáo và xem các trang (Alt+X)")),
            (self.print_button, self.tr("In qua hộp thoại máy in của hệ thống (Ctrl+P)")),
            (self.save_button, self.tr("Lưu thành tệp PDF hoặc Excel (Ctrl+S)")),
            (self.sign_button, self.tr("Ký số tệp đã lưu bằng chứng thư của đơn vị (Ctrl+K)")),
        ):
            button.setToolTip(tip)
        self.status = QLabel()
        self.status.setObjectName("status")
        self.status.setWordWrap(True)
        self.page_label = QLabel()
        self.preview = ReportPreview(self)

        self._fill_kinds()
        self._layout()
        self._connect()
        self.year.setValue(self.reporting_year())
        self._kind_changed()
        self._update_buttons()

    # -- building ----------------------------------------------------------------------

    def _fill_kinds(self) -> None:
        model = self.kind.model()
        assert isinstance(model, QStandardItemModel)
        for kind in self.context.reports.kinds():
            title = (
                kind.title
                if kind.supported
                else self.tr("{title} (chưa có)").format(title=kind.title)
            )
            self.kind.addItem(title, kind.code)
            item = model.item(self.kind.count() - 1)
            if not kind.supported:
                # Listed so that the catalogue is whole; not chosen by arrows.
                item.setEnabled(False)
                item.setToolTip(self.tr("Báo cáo này chưa có trong phiên bản này."))
            for option in kind.options:
                if option.name not in self.option_boxes:
                    box = QComboBox()
                    box.setAccessibleName(option.label)
                    self.option_boxes[option.name] = box
                    self.option_labels[option.name] = QLabel(f"{option.label}:")
        first = next((i for i, k in enumerate(self.context.reports.kinds()) if k.supported), 0)
        self.kind.setCurrentIndex(first)

    def _layout(self) -> None:
        # The choices in a column on the left, the pages as tall as the window.
        form = QFormLayout()
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapAllRows)
        form.addRow(self.tr("&Loại báo cáo:"), self.kind)
        form.addRow(self.tr("&Năm:"), self.year)
        form.addRow(self.tr("Định &dạng:"), self.format)
        for name, box in self.option_boxes.items():
            label = self.option_labels[name]
            label.setBuddy(box)
            form.addRow(label, box)
        self.kind.view().setMinimumWidth(self.kind.view().sizeHintForColumn(0) + 24)
        buttons = QGridLayout()
        buttons.addWidget(self.preview_button, 0, 0)
        buttons.addWidget(self.print_button, 0, 1)
        buttons.addWidget(self.save_button, 1, 0)
        buttons.addWidget(self.sign_button, 1, 1)
        panel = QWidget()
        panel.setFixedWidth(PANEL_WIDTH)
        column = QVBoxLayout(panel)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.title)
        column.addLayout(form)
        column.addSpacing(8)
        column.addLayout(buttons)
        column.addSpacing(8)
        column.addWidget(self.status)
        column.addWidget(self.page_label)
        column.addStretch(1)
        layout = QHBoxLayout(self)
        layout.addWidget(panel)
        layout.addWidget(self.preview, 1)

    def _connect(self) -> None:
        self.kind.currentIndexChanged.connect(lambda _index: self._kind_changed())
        self.year.valueChanged.connect(lambda _year: self._fill_options())
        self.preview_button.clicked.connect(lambda _checked=False: self.show_preview())
        self.print_button.clicked.connect(lambda _checked=False: self.print_report())
        self.save_button.clicked.connect(lambda _checked=False: self.save_report())
        self.sign_button.clicked.connect(lambda _checked=False: self.sign_report())
        self.preview.page_changed.connect(self._page_changed)

    # -- state -------------------------------------------------------------------------

    def reporting_year(self) -> int:
        info = self.context.setup.installation()
        return info.year if info is not None else date.today().year

    def refresh(self) -> None:
        """Read again what the choices depend on (new decisions, the user's role)."""
        self._fill_options()
        self._update_buttons()

    def current_kind(self) -> ReportKind | None:
        code = self.kind.currentData()
        return next((k for k in self.context.reports.kinds() if k.code == code), None)

    def current_format(self) -> str:
        return str(self.format.currentData())

    def request(self) -> ReportRequest | None:
        """What is chosen on the page; ``None`` when the report is not available."""
        kind = self.current_kind()
        if kind is None or not kind.supported:
            return None
        options = []
        for option in kind.options:
            value = self.option_boxes[option.name].currentData()
            if value:
                options.append((option.name, str(value)))
        return ReportRequest(kind.code, self.year.value(), tuple(options))

    def _kind_changed(self) -> None:
        kind = self.current_kind()
        names = {option.name for option in kind.options} if kind else set()
        for name, box in self.option_boxes.items():
            box.setVisible(name in names)
            self.option_labels[name].setVisible(name in names)
        self._fill_options()
        self._update_buttons()

    def _fill_options(self) -> None:
        kind = self.current_kind()
        if kind is None or not kind.supported:
            return
        for option in kind.options:
            box = self.option_boxes[option.name]
            previous = box.currentData()
            box.clear()
            try:
                choices = self.context.reports.choices(kind.code, option.name, self.year.value())
            except XhhtError as error:
                choices = []
                box.setToolTip(error.message)
            for value, label in choices:
                box.addItem(label, value)
            if not choices:
                box.addItem(self.tr("(năm {year} chưa có)").format(year=self.year.value()), "")
            index = box.findData(previous) if previous else -1
            box.setCurrentIndex(max(index, 0))

    def _update_buttons(self) -> None:
        idle = self.job is None and self._sign_task is None
        available = self.request() is not None
        for button in (self.preview_button, self.print_button, self.save_button):
            button.setEnabled(idle and available)
        # Hidden behind the role as a courtesy; the service refuses anyway.
        self.sign_button.setEnabled(idle and available and self.context.may("sign"))
        if self.context.actor.role not in SIGNING_ROLES:
            self.sign_button.setToolTip(
                self.tr("Chỉ người dùng có vai trò phê duyệt hoặc quản trị mới được ký số.")
            )

    def _page_changed(self, page: int, count: int) -> None:
        self.page_label.setText(
            self.tr("Trang {page}/{count} — PgUp/PgDn để lật trang").format(
                page=page + 1, count=count
            )
            if count
            else ""
        )

    # -- messages ----------------------------------------------------------------------

    def message(self, icon: QMessageBox.Icon, title: str, text: str) -> QMessageBox:
        """Show a message without waiting for it."""
        box = QMessageBox(icon, title, text, QMessageBox.StandardButton.Ok, self)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()
        self.last_message = box
        return box

    def _fail(self, title: str, text: str) -> None:
        self.status.setText(text)
        self.message(QMessageBox.Icon.Warning, title, text)
        self.job_failed.emit(text)

    # -- making a report ---------------------------------------------------------------

    def _start(
        self,
        purpose: str,
        request: ReportRequest,
        path: Path,
        fmt: str,
        then: Callable[[], None] | None = None,
    ) -> _Job | None:
        if self.job is not None:
            return None
        job = _Job(purpose, request, path, fmt, then)
        title = self._title(request.code)
        dialog = QProgressDialog(
            self.tr("Đang lập «{title}» năm {year}…").format(title=title, year=request.year),
            self.tr("Hủy"),
            0,
            0,
            self,
        )
        dialog.setWindowTitle(self.tr("Lập báo cáo"))
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setAutoClose(False)
        dialog.setAutoReset(False)
        dialog.setMinimumDuration(400)
        dialog.canceled.connect(self.cancel_job)
        job.dialog = dialog
        self.progress = dialog
        relay, cancel, service = self._relay, job.cancel, self.context.reports

        def progress(done: int, total: int | None) -> None:
            if cancel.is_set():
                raise ReportCancelled
            relay.advanced.emit(done, total or 0)

        def work() -> ReportFile:
            if cancel.is_set():
                raise ReportCancelled
            return service.write(
                request.code,
                path,
                fmt,
                request.year,
                progress=progress,
                options=request.option_map(),
            )

        task = BackgroundTask(work, self)
        task.finished.connect(self._job_finished)
        task.failed.connect(self._job_failed)
        job.task = task
        self.job = job
        self.status.setText(dialog.labelText())
        self._update_buttons()
        task.start()
        return job

    def _title(self, code: str) -> str:
        return next((k.title for k in self.context.reports.kinds() if k.code == code), code)

    @Slot(int, int)
    def _advanced(self, done: int, total: int) -> None:
        dialog = self.progress
        if dialog is None:
            return
        if total and dialog.maximum() != total:
            dialog.setMaximum(total)
        dialog.setValue(min(done, total) if total else 0)

    def cancel_job(self) -> None:
        """Stop the report being made; no file is left of it."""
        if self.job is not None:
            self.job.cancel.set()
            self.status.setText(self.tr("Đang hủy…"))

    def _end_job(self) -> _Job | None:
        job, self.job = self.job, None
        if job is None:
            return None
        if job.dialog is not None:
            shown = job.dialog.isVisible()
            job.dialog.canceled.disconnect(self.cancel_job)
            job.dialog.close()
            job.dialog.deleteLater()
            if shown:
                # The keyboard goes back to the page the dialog covered.
                self.window().activateWindow()
        self.progress = None
        if job.task is not None:
            job.task.deleteLater()
        self._update_buttons()
        return job

    @Slot(object)
    def _job_finished(self, made: object) -> None:
        job = self._end_job()
        if job is None or not isinstance(made, ReportFile):
            return
        if job.cancel.is_set() and job.purpose == "preview":
            # Cancelled as the last page was written: the user asked for no preview.
            # (A saved file is complete by then, and is kept: the cancel came too late.)
            made.path.unlink(missing_ok=True)
            self._cancelled()
            return
        if job.purpose == "preview":
            self._show_preview(job.request, made)
        else:
            self.saved = _Made(job.request, made)
            pages = self.tr(" ({pages} trang)").format(pages=made.pages) if made.pages else ""
            self.status.setText(
                self.tr("Đã lưu{pages}: {path}").format(pages=pages, path=made.path)
            )
            self.report_saved.emit(made)
        if job.then is not None:
            job.then()

    @Slot(object)
    def _job_failed(self, error: object) -> None:
        job = self._end_job()
        if job is None:
            return
        if isinstance(error, ReportCancelled):
            self._cancelled()
            return
        text = (
            error.message
            if isinstance(error, XhhtError)
            else self.tr("Không lập được báo cáo: {error}").format(error=error)
        )
        self._fail(self.tr("Báo cáo"), text)

    def _cancelled(self) -> None:
        self.status.setText(self.tr("Đã hủy: không có tệp nào được ghi."))
        self.job_cancelled.emit()

    # -- preview -----------------------------------------------------------------------

    def show_preview(self, then: Callable[[], None] | None = None) -> bool:
        """Make the chosen report as PDF, off the GUI thread, and show its pages.

        Returns:
            Whether it started (not while another report is being made).
        """
        request = self.request()
        if request is None:
            return False
        self._previews += 1
        path = self.preview_folder / f"xem-truoc-{self._previews}.pdf"
        return self._start("preview", request, path, "pdf", then) is not None

    def _show_preview(self, request: ReportRequest, made: ReportFile) -> None:
        old = self.preview.path
        try:
            pages = self.preview.load(made.path)
        except PreviewFailed as error:
            self._fail(self.tr("Xem trước"), str(error))
            return
        if old is not None and old != made.path:
            with contextlib.suppress(OSError):  # still open elsewhere (Windows): left to the end
                old.unlink(missing_ok=True)
        self.previewed = _Made(request, made)
        self.status.setText(
            self.tr("Xem trước «{title}» năm {year}: {pages} trang.").format(
                title=self._title(request.code), year=request.year, pages=pages
            )
        )
        self.preview.view.setFocus(Qt.FocusReason.OtherFocusReason)
        self.preview_shown.emit(pages)

    def preview_is_current(self) -> bool:
        return self.previewed is not None and self.previewed.request == self.request()

    # -- printing ----------------------------------------------------------------------

    def print_report(self) -> None:
        """Print the chosen report through the system print dialog (after a preview)."""
        if not self.preview_is_current():
            self.show_preview(then=self._print)
            return
        self._print()

    def _print(self) -> None:
        if self.previewed is None:
            return
        document = self.preview.document
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        prepare_printer(printer, document, self._title(self.previewed.request.code))
        if not self.choose_printer(self, printer):
            return
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            printed = print_pdf(document, printer)
        except PreviewFailed as error:
            QApplication.restoreOverrideCursor()
            self._fail(self.tr("In báo cáo"), str(error))
            return
        QApplication.restoreOverrideCursor()
        self.status.setText(self.tr("Đã gửi {pages} trang tới máy in.").format(pages=printed))

    # -- saving ------------------------------------------------------------------------

    def save_report(self, then: Callable[[], None] | None = None) -> bool:
        """Ask where, then write the chosen report there (complete or not at all).

        Returns:
            Whether writing started.
        """
        request = self.request()
        if request is None:
            return False
        fmt = self.current_format()
        name = self.context.reports.file_name(request.code, fmt, request.year)
        folder = self.saved.file.path.parent if self.saved else Path.home()
        target = self.choose_save_path(self, self.tr("Lưu báo cáo"), folder / name, fmt)
        if target is None:
            return False
        return self._start("save", request, Path(target), fmt, then) is not None

    # -- signing -----------------------------------------------------------------------

    def sign_report(self) -> None:
        """Sign the saved file of the chosen report (saving it first when it is not)."""
        if self.context.actor.role not in SIGNING_ROLES:
            self._fail(
                self.tr("Ký số"),
                self.tr(
                    "Chỉ người dùng có vai trò phê duyệt hoặc quản trị mới được ký số. "
                    "Hãy nhờ người phê duyệt ký tệp đã lưu."
                ),
            )
            return
        saved = self.saved
        if (
            saved is None
            or saved.request != self.request()
            or saved.file.format != self.current_format()
            or not saved.file.path.is_file()
        ):
            self.save_report(then=self._sign_saved)
            return
        self._sign_saved()

    def _sign_saved(self) -> None:
        saved = self.saved
        if saved is None:
            return
        password = self.ask_key_password(
            self,
            self.tr("Ký số"),
            self.tr("Mật khẩu khóa ký số để ký «{name}»:").format(name=saved.file.path.name),
        )
        if password is None:
            return
        signing = self.context.signing
        try:
            identity = signing.load_identity(password)
        except XhhtError as error:
            self._fail(self.tr("Ký số"), error.message)
            return
        made = saved.file

        def work() -> tuple[str, VerificationResult]:
            try:
                result = signing.sign(
                    made.path,
                    identity,
                    page=-1 if made.signature_page is None else made.signature_page,
                    box=made.signature_box,
                )
            finally:
                identity.close()
            return result.fingerprint, signing.verify(result.signed)

        task = BackgroundTask(work, self)
        task.finished.connect(self._signed)
        task.failed.connect(self._sign_failed)
        self._sign_task = task
        self.status.setText(self.tr("Đang ký số «{name}»…").format(name=made.path.name))
        self._update_buttons()
        task.start()

    def _end_sign(self) -> None:
        if self._sign_task is not None:
            self._sign_task.deleteLater()
            self._sign_task = None
        self._update_buttons()

    @Slot(object)
    def _signed(self, outcome: object) -> None:
        self._end_sign()
        assert isinstance(outcome, tuple)
        fingerprint, verification = outcome
        text = "\n\n".join(
            (
                verification.message,
                self.tr("Vân tay chứng thư (SHA-256):\n{fingerprint}").format(
                    fingerprint=fingerprint
                ),
            )
        )
        self.status.setText(verification.message)
        icon = QMessageBox.Icon.Information if verification.intact else QMessageBox.Icon.Warning
        self.message(icon, self.tr("Ký số"), text)
        self.report_signed.emit(verification)

    @Slot(object)
    def _sign_failed(self, error: object) -> None:
        self._end_sign()
        text = (
            error.message
            if isinstance(error, XhhtError)
            else self.tr("Không ký số được: {error}").format(error=error)
        )
        self._fail(self.tr("Ký số"), text)
