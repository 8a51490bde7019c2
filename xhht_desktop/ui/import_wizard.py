"""The roster import wizard: choose an Excel file, check it, import it.

Pages: file → check → import. The check is a dry run of the import service:
it says what the import would create and update, or lists every problem of
the file by row and column, with a way to save the file with the bad cells
marked and an explicit choice to import only the valid rows. Both runs go off
the GUI thread with a progress bar and a cancel button; the service imports
in one transaction, so a cancel leaves the database as it was.

The save-file dialog is a plain function the wizard is given
(``choose_save_path``), and the file to import is typed or pasted into a line
edit, so a test never meets a modal window; the defaults ask the user.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QCheckBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from xhht_desktop.errors import FieldIssue, ImportCancelled, RosterRefused, XhhtError
from xhht_desktop.services.roster import CancelledFunction, ImportReport, ProgressFunction
from xhht_desktop.ui import style
from xhht_desktop.ui.table_models import format_thousands
from xhht_desktop.ui.tasks import BackgroundTask

if TYPE_CHECKING:
    from xhht_desktop.context import AppContext

PAGE_FILE, PAGE_CHECK, PAGE_IMPORT = range(3)

TEMPLATE_NAME = "mau-danh-sach-nhan-khau.xlsx"
# Up to this many problems, rows grow to show whole messages; beyond, sizing
# every row would cost more than it helps (the tool tip has the message).
_FIT_ROWS = 500

ChooseFileFunction = Callable[[QWidget, Path], Path | None]
"""Let the user pick the roster to import, starting in a folder; None if cancelled."""

ChooseSavePathFunction = Callable[[QWidget, str, Path], Path | None]
"""Ask where to save a file (parent, dialog title, suggested path); None if cancelled."""

Work = Callable[[ProgressFunction, CancelledFunction], object]
"""What a :class:`TaskPanel` runs: told how to report progress and when to stop."""

_Index = QModelIndex | QPersistentModelIndex


def _tr(text: str) -> str:
    return QCoreApplication.translate("ImportWizard", text)


def ask_roster_file(parent: QWidget, folder: Path) -> Path | None:
    """The default ``choose_file``: an open-file dialog for Excel workbooks."""
    name, _filter = QFileDialog.getOpenFileName(
        parent,
        _tr("Chọn tệp danh sách nhân khẩu"),
        str(folder),
        _tr("Tệp Excel (*.xlsx);;Mọi tệp (*)"),
    )
    return Path(name) if name else None


def ask_save_path(parent: QWidget, title: str, suggested: Path) -> Path | None:
    """The default ``choose_save_path``: a save-file dialog for an .xlsx file."""
    name, _filter = QFileDialog.getSaveFileName(
        parent, title, str(suggested), _tr("Tệp Excel (*.xlsx)")
    )
    if not name:
        return None
    path = Path(name)
    return path if path.suffix.lower() == ".xlsx" else path.with_name(path.name + ".xlsx")


def typed_path(text: str) -> Path | None:
    """The path in a line edit; quotes from Windows' "Copy as path" are dropped."""
    cleaned = text.strip().strip('"').strip()
    return Path(cleaned).expanduser() if cleaned else None


# --- the problems table ------------------------------------------------------


class IssuesModel(QAbstractTableModel):
    """The problems of a refused roster: row, column and message, in sheet order."""

    HEADERS = (
        QT_TRANSLATE_NOOP("ImportWizard", "Dòng"),
        QT_TRANSLATE_NOOP("ImportWizard", "Cột"),
        QT_TRANSLATE_NOOP("ImportWizard", "Lỗi"),
    )

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._issues: list[FieldIssue] = []

    def set_issues(self, issues: Sequence[FieldIssue]) -> None:
        """Show ``issues`` instead of the current ones."""
        self.beginResetModel()
        self._issues = list(issues)
        self.endResetModel()

    def issue(self, row: int) -> FieldIssue:
        return self._issues[row]

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._issues)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.HEADERS)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._issues):
            return None
        issue = self._issues[index.row()]
        column = index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            if column == 0:
                return str(issue.row) if issue.row is not None else ""
            if column == 1:
                return issue.field
            return issue.message
        if role == Qt.ItemDataRole.TextAlignmentRole:
            if column == 0:
                return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            return int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        return None

    def headerData(
        self,
        section: int,
        orientation: Qt.Orientation,
        role: int = Qt.ItemDataRole.DisplayRole,
    ) -> Any:
        if (
            orientation == Qt.Orientation.Horizontal
            and role == Qt.ItemDataRole.DisplayRole
            and 0 <= section < len(self.HEADERS)
        ):
            return _tr(self.HEADERS[section])
        return None


# --- work off the GUI thread ---------------------------------------------------


@dataclass(frozen=True)
class _Outcome:
    """How one run ended; ``run`` tells a late answer from the current one."""

    run: int
    value: object = None
    error: BaseException | None = None


class TaskPanel(QWidget):
    """A progress bar, what is happening, and a cancel button, for one job at a time.

    ``start`` runs the job on the thread pool; the job gets a progress
    function and a "cancelled?" function (the service's ``progress`` and
    ``cancelled``). A run that is replaced or cancelled keeps going on its
    thread until the service notices, but its answer is ignored.

    Signals:
        progress_reported(int, int): rows done and rows in all, emitted on the
            WORKER thread as the service reports; GUI objects that connect to
            it get it queued like any cross-thread signal.
        succeeded(object): the job's return value (GUI thread).
        failed(object): the exception it raised, ``ImportCancelled`` after a
            cancel (GUI thread).
        went_idle(): no run of this panel is left on the thread pool.
    """

    progress_reported = Signal(int, int)
    succeeded = Signal(object)
    failed = Signal(object)
    went_idle = Signal()
    _progressed = Signal(int, int, int)

    def __init__(self, cancel_text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.bar = QProgressBar()
        self.bar.setTextVisible(True)
        self.cancel_button = QPushButton(cancel_text)
        self.cancel_button.setAutoDefault(False)
        self.cancel_button.clicked.connect(self.cancel)
        row = QHBoxLayout()
        row.addWidget(self.bar, 1)
        row.addWidget(self.cancel_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.status)
        layout.addLayout(row)
        self._run = 0
        self._storing = False
        self._events: dict[int, threading.Event] = {}
        self._tasks: dict[int, BackgroundTask] = {}
        self._progressed.connect(self._show_progress)
        self.setVisible(False)

    def is_running(self) -> bool:
        """Whether the current run has not answered yet."""
        return self._run in self._tasks

    def is_busy(self) -> bool:
        """Whether any run, current or abandoned, is still on the thread pool."""
        return bool(self._tasks)

    def start(self, work: Work, *, storing: bool = False) -> None:
        """Run ``work`` off the GUI thread; abandon (and cancel) a run still going.

        Args:
            work: Called on a worker thread with ``(progress, cancelled)``.
            storing: Whether the job writes once the rows are checked (the
                bar then says so instead of standing still at 100%).
        """
        self.cancel()
        self._run += 1
        run = self._run
        event = threading.Event()
        self._events[run] = event
        self._storing = storing

        def report(done: int, total: int) -> None:
            self._progressed.emit(run, done, total)
            self.progress_reported.emit(done, total)

        def job() -> _Outcome:
            try:
                return _Outcome(run, work(report, event.is_set))
            except Exception as exc:  # handed to the GUI thread, which shows it
                return _Outcome(run, error=exc)

        task = BackgroundTask(job, self)
        task.finished.connect(self._task_finished)
        self._tasks[run] = task
        self.status.setText(self.tr("Đang đọc tệp…"))
        self.bar.setRange(0, 0)
        self.cancel_button.setEnabled(True)
        self.setVisible(True)
        task.start()

    def cancel(self) -> None:
        """Ask the current run to stop; it answers with ``ImportCancelled``."""
        event = self._events.get(self._run)
        if event is None or event.is_set() or not self.is_running():
            return
        event.set()
        self.cancel_button.setEnabled(False)
        self.status.setText(self.tr("Đang hủy…"))

    def cancel_all(self) -> None:
        """Ask every run still going to stop (the wizard is closing)."""
        for event in self._events.values():
            event.set()
        self.cancel_button.setEnabled(False)

    def _show_progress(self, run: int, done: int, total: int) -> None:
        event = self._events.get(run)
        if run != self._run or event is None or event.is_set():
            return
        if total and done >= total:
            self.bar.setRange(0, 0)
            self.status.setText(
                self.tr("Đang ghi vào cơ sở dữ liệu…")
                if self._storing
                else self.tr("Đang tổng hợp kết quả…")
            )
            return
        self.bar.setRange(0, max(total, 1))
        self.bar.setValue(done)
        self.status.setText(
            self.tr("Đang kiểm tra dòng {done}/{total}…").format(
                done=format_thousands(done), total=format_thousands(total)
            )
        )

    def _task_finished(self, outcome: object) -> None:
        assert isinstance(outcome, _Outcome)
        task = self._tasks.pop(outcome.run, None)
        self._events.pop(outcome.run, None)
        if task is not None:
            task.deleteLater()
        if outcome.run == self._run:
            self.setVisible(False)
            if outcome.error is not None:
                self.failed.emit(outcome.error)
            else:
                self.succeeded.emit(outcome.value)
        if not self._tasks:
            self.went_idle.emit()


# --- what an import does ------------------------------------------------------------


class ReportView(QWidget):
    """What an import did, or would do: rows, villages, households, persons."""

    KEYS = ("file", "rows", "villages", "households", "persons", "skipped", "ignored")

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.heading = QLabel()
        self.heading.setWordWrap(True)
        self.heading.setStyleSheet("font-weight: bold;")
        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        labels = {
            "file": self.tr("Tệp:"),
            "rows": self.tr("Số dòng:"),
            "villages": self.tr("Thôn/tổ dân phố:"),
            "households": self.tr("Hộ gia đình:"),
            "persons": self.tr("Nhân khẩu:"),
            "skipped": self.tr("Dòng bỏ qua:"),
            "ignored": self.tr("Cột không đọc:"),
        }
        self._values: dict[str, QLabel] = {}
        for key in self.KEYS:
            value = QLabel()
            value.setWordWrap(True)
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self._values[key] = value
            self.form.addRow(labels[key], value)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.heading)
        layout.addLayout(self.form)

    def value(self, key: str) -> str:
        """The text shown for ``key`` (one of :attr:`KEYS`); empty if hidden."""
        return self._values[key].text() if self.form.isRowVisible(self._values[key]) else ""

    def show_report(self, report: ImportReport, heading: str) -> None:
        """Fill the view from ``report`` under ``heading``."""
        self.heading.setText(heading)
        values = self._values
        values["file"].setText(
            self.tr("{name} (trang «{sheet}»)").format(name=report.file.name, sheet=report.sheet)
        )
        values["rows"].setText(
            self.tr("{rows} dòng có dữ liệu").format(rows=format_thousands(report.rows))
        )
        villages = report.villages_created
        values["villages"].setText(
            self.tr("tạo mới {count}: {names}").format(
                count=format_thousands(len(villages)), names=", ".join(villages)
            )
            if villages
            else self.tr("không có thôn mới")
        )
        values["households"].setText(
            self.tr("tạo mới {created} · đổi chủ hộ {updated}").format(
                created=format_thousands(report.households_created),
                updated=format_thousands(report.households_updated),
            )
        )
        values["persons"].setText(
            self.tr("thêm mới {created} · cập nhật {updated} · không đổi {unchanged}").format(
                created=format_thousands(report.persons_created),
                updated=format_thousands(report.persons_updated),
                unchanged=format_thousands(report.persons_unchanged),
            )
        )
        values["skipped"].setText(
            self.tr("{count} dòng có lỗi, không nhập").format(
                count=format_thousands(report.invalid_rows)
            )
        )
        values["ignored"].setText(", ".join(f"«{name}»" for name in report.ignored_columns))
        self.form.setRowVisible(values["skipped"], report.invalid_rows > 0)
        self.form.setRowVisible(values["ignored"], bool(report.ignored_columns))


def _message_label() -> QLabel:
    label = QLabel()
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.setVisible(False)
    return label


def _show(label: QLabel, text: str) -> None:
    label.setText(text)
    label.setVisible(bool(text))


_EXPECTED = (XhhtError, OSError)


def _unexpected(error: object) -> str:
    return _tr("Lỗi không mong đợi, chưa có gì được lưu: {error}").format(error=error)


def _raise_unexpected(error: object) -> None:
    # A bug is shown to the user and still reaches the excepthook (and the tests).
    if isinstance(error, BaseException) and not isinstance(error, _EXPECTED):
        raise error


# --- the pages ----------------------------------------------------------------------


class FilePage(QWizardPage):
    """(1) The file to import, typed or chosen; or a blank template to fill first."""

    def __init__(
        self,
        context: AppContext,
        choose_file: ChooseFileFunction,
        choose_save_path: ChooseSavePathFunction,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.context = context
        self._choose_file = choose_file
        self._choose_save_path = choose_save_path
        self.setTitle(self.tr("Chọn tệp danh sách nhân khẩu"))
        self.setSubTitle(
            self.tr(
                "Tệp Excel (.xlsx) theo mẫu của phần mềm, trang «Nhân khẩu». Bước sau chỉ "
                "kiểm tra tệp; chưa có gì được lưu trước khi bạn bấm «Nhập dữ liệu»."
            )
        )
        self.path_edit = QLineEdit()
        self.path_edit.setPlaceholderText(self.tr("Đường dẫn tệp .xlsx, ví dụ D:\\danh-sach.xlsx"))
        self.path_edit.setClearButtonEnabled(True)
        self.path_edit.textChanged.connect(self._path_changed)
        self.browse_button = QPushButton(self.tr("&Chọn tệp…"))
        self.browse_button.setAutoDefault(False)
        self.browse_button.clicked.connect(self.browse)
        path_label = QLabel(self.tr("&Tệp cần nhập:"))
        path_label.setBuddy(self.path_edit)
        path_row = QHBoxLayout()
        path_row.addWidget(self.path_edit, 1)
        path_row.addWidget(self.browse_button)

        template_intro = QLabel(
            self.tr(
                "Chưa có tệp? Tạo tệp mẫu có sẵn các cột, danh sách chọn và trang hướng dẫn, "
                "điền danh sách vào trang «Nhân khẩu», lưu lại rồi chọn tệp đó ở đây."
            )
        )
        template_intro.setWordWrap(True)
        self.template_button = QPushButton(self.tr("Tạo tệp &mẫu Excel…"))
        self.template_button.setAutoDefault(False)
        self.template_button.clicked.connect(self.create_template)
        template_row = QHBoxLayout()
        template_row.addWidget(self.template_button)
        template_row.addStretch(1)
        self.message = _message_label()

        layout = QVBoxLayout(self)
        layout.addWidget(path_label)
        layout.addLayout(path_row)
        layout.addSpacing(18)
        layout.addWidget(template_intro)
        layout.addLayout(template_row)
        layout.addWidget(self.message)
        layout.addStretch(1)

    def path(self) -> Path | None:
        """The file to import, as typed or chosen."""
        return typed_path(self.path_edit.text())

    def set_path(self, path: Path) -> None:
        self.path_edit.setText(str(path))

    def isComplete(self) -> bool:
        return self.path() is not None

    def _path_changed(self, _text: str) -> None:
        self.message.setVisible(False)
        self.completeChanged.emit()

    def _folder(self) -> Path:
        current = self.path()
        if current is not None and current.parent.is_dir():
            return current.parent
        return Path.home()

    def browse(self) -> Path | None:
        """Pick the file with the file dialog."""
        chosen = self._choose_file(self, self._folder())
        if chosen is not None:
            self.set_path(chosen)
        self.path_edit.setFocus()
        return chosen

    def create_template(self) -> Path | None:
        """Save a blank template where the user says, and offer it as the file to import."""
        target = self._choose_save_path(
            self, self.tr("Lưu tệp mẫu danh sách nhân khẩu"), self._folder() / TEMPLATE_NAME
        )
        if target is None:
            return None
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            made = self.context.roster.write_template(target)
        except OSError as exc:
            QApplication.restoreOverrideCursor()
            _show(
                self.message,
                self.tr("Không lưu được tệp mẫu «{name}»: {reason}").format(
                    name=target.name, reason=exc.strerror or exc
                ),
            )
            self.message.setStyleSheet(style.FIELD_MESSAGE)
            return None
        QApplication.restoreOverrideCursor()
        self.set_path(made)
        self.message.setStyleSheet("")
        _show(
            self.message,
            self.tr(
                "Đã tạo tệp mẫu: {path}\nMở tệp bằng Excel, điền danh sách, lưu lại rồi bấm "
                "«Tiếp theo» để kiểm tra."
            ).format(path=made),
        )
        return made


class CheckPage(QWizardPage):
    """(2) The dry run: what the import would do, or every problem of the file.

    Attributes:
        report: What the import would do, when the file is valid.
        refused: Why the file was refused, when it was.
    """

    def __init__(
        self,
        context: AppContext,
        choose_save_path: ChooseSavePathFunction,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.context = context
        self._choose_save_path = choose_save_path
        self.report: ImportReport | None = None
        self.refused: RosterRefused | None = None
        self._saving: Path | None = None
        self.setTitle(self.tr("Kiểm tra tệp"))
        self.setSubTitle(self.tr("Phần mềm đọc và kiểm tra từng dòng; chưa lưu gì ở bước này."))
        self.setCommitPage(True)
        self.setButtonText(QWizard.WizardButton.CommitButton, self.tr("&Nhập dữ liệu"))

        self.task = TaskPanel(self.tr("&Hủy kiểm tra"))
        self.task.succeeded.connect(self._checked)
        self.task.failed.connect(self._failed)
        self.summary = ReportView()
        self.summary.setVisible(False)
        self.message = _message_label()

        self.count = QLabel()
        self.count.setWordWrap(True)
        self.count.setStyleSheet(style.FIELD_MESSAGE + " font-weight: bold;")
        self.issues = IssuesModel(self)
        self.table = QTableView()
        self.table.setModel(self.issues)
        self.table.setAccessibleName(self.tr("Danh sách lỗi"))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setTabKeyNavigation(False)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(True)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.table.setColumnWidth(1, 190)
        self.save_button = QPushButton(self.tr("&Lưu tệp lỗi…"))
        self.save_button.setAutoDefault(False)
        self.save_button.setToolTip(
            self.tr("Lưu một bản của tệp với các ô sai tô đỏ và cột «Lỗi» ghi lý do.")
        )
        self.save_button.clicked.connect(self.save_errors)
        self.saved = _message_label()
        self.valid_only = QCheckBox()
        self.valid_only.toggled.connect(self._choice_changed)
        save_row = QHBoxLayout()
        save_row.addWidget(self.save_button)
        save_row.addWidget(self.saved, 1)
        save_row.addStretch(0)
        self.problems = QWidget()
        problems = QVBoxLayout(self.problems)
        problems.setContentsMargins(0, 0, 0, 0)
        problems.addWidget(self.count)
        problems.addWidget(self.table, 1)
        problems.addLayout(save_row)
        problems.addWidget(self.valid_only)
        self.problems.setVisible(False)

        layout = QVBoxLayout(self)
        layout.addWidget(self.task)
        layout.addWidget(self.summary)
        layout.addWidget(self.message)
        layout.addWidget(self.problems, 1)
        layout.addStretch(0)

    def _wizard(self) -> ImportWizard:
        wizard = self.wizard()
        assert isinstance(wizard, ImportWizard)
        return wizard

    def initializePage(self) -> None:
        self.check()

    def cleanupPage(self) -> None:
        # Back to the file: a check still going is of no use any more.
        self.task.cancel()
        self._reset()

    def isComplete(self) -> bool:
        if self.task.is_running():
            return False
        if self.report is not None:
            return True
        return self.refused is not None and self.valid_only.isChecked() and self._valid_rows() > 0

    def _valid_rows(self) -> int:
        refused = self.refused
        return refused.rows - refused.invalid_rows if refused and refused.invalid_rows else 0

    def _reset(self) -> None:
        self.report = None
        self.refused = None
        self.summary.setVisible(False)
        self.problems.setVisible(False)
        self.message.setVisible(False)
        self.saved.setVisible(False)
        self.valid_only.setChecked(False)
        self.setButtonText(QWizard.WizardButton.CommitButton, self.tr("&Nhập dữ liệu"))
        self.completeChanged.emit()

    def check(self, errors_out: Path | None = None) -> None:
        """Run the dry run again (saving the marked copy to ``errors_out`` if given)."""
        path = self._wizard().path()
        if errors_out is None:
            self._reset()
        self._saving = errors_out
        roster = self.context.roster
        assert path is not None

        def work(progress: ProgressFunction, cancelled: CancelledFunction) -> object:
            return roster.import_persons(
                path, dry_run=True, errors_out=errors_out, progress=progress, cancelled=cancelled
            )

        self.save_button.setEnabled(False)
        self.task.start(work)
        self.completeChanged.emit()
        self.task.cancel_button.setFocus()

    def save_errors(self) -> Path | None:
        """Ask where, then save the file with the bad cells marked (through the service)."""
        path = self._wizard().path()
        if path is None or self.refused is None:
            return None
        suggested = path.with_name(f"{path.stem}-loi.xlsx")
        target = self._choose_save_path(self, self.tr("Lưu tệp lỗi"), suggested)
        if target is None:
            return None
        self.saved.setVisible(False)
        self.check(errors_out=target)
        return target

    def _checked(self, report: object) -> None:
        assert isinstance(report, ImportReport)
        self._reset()
        self.report = report
        nothing = report.persons_created == 0 and report.persons_updated == 0
        self.summary.show_report(
            report,
            self.tr("Tệp hợp lệ. Bấm «Nhập dữ liệu» để lưu; khi nhập, phần mềm sẽ làm như sau:")
            if not nothing
            else self.tr(
                "Tệp hợp lệ, nhưng mọi người trong tệp đã có trong sổ với cùng thông tin: "
                "nhập sẽ không thay đổi gì."
            ),
        )
        self.summary.setVisible(True)
        self.completeChanged.emit()
        self._wizard().focus_commit_button()

    def _failed(self, error: object) -> None:
        saving = self._saving
        self._saving = None
        if isinstance(error, RosterRefused):
            self._show_refused(error, saving)
            return
        if saving is not None and self.refused is not None:
            # Saving the errors file did not happen: the problems stay on screen.
            self._save_failed(error, saving)
            return
        self._reset()
        if isinstance(error, ImportCancelled):
            text = self.tr(
                "Đã hủy kiểm tra; chưa có gì được lưu. Bấm «Quay lại» để chọn tệp và kiểm tra lại."
            )
        elif isinstance(error, XhhtError):
            text = error.message
        elif isinstance(error, OSError):
            text = self.tr("Không đọc hoặc ghi được tệp: {reason}").format(
                reason=error.strerror or error
            )
        else:
            text = _unexpected(error)
        self.message.setStyleSheet(
            "" if isinstance(error, ImportCancelled) else style.FIELD_MESSAGE
        )
        _show(self.message, text)
        self.completeChanged.emit()
        _raise_unexpected(error)

    def _save_failed(self, error: object, target: Path) -> None:
        if isinstance(error, ImportCancelled):
            text = self.tr("Đã hủy, chưa lưu tệp lỗi.")
        elif isinstance(error, XhhtError):
            text = error.message
        elif isinstance(error, OSError):
            text = self.tr("Không lưu được tệp lỗi «{name}»: {reason}").format(
                name=target.name, reason=error.strerror or error
            )
        else:
            text = _unexpected(error)
        self.saved.setStyleSheet("" if isinstance(error, ImportCancelled) else style.FIELD_MESSAGE)
        _show(self.saved, text)
        self.save_button.setEnabled(True)
        self.completeChanged.emit()
        self.save_button.setFocus()
        _raise_unexpected(error)

    def _show_refused(self, refused: RosterRefused, saving: Path | None) -> None:
        was_checked = self.valid_only.isChecked() and saving is not None
        self._reset()
        self.refused = refused
        self.issues.set_issues(refused.issues)
        rows_problems = refused.invalid_rows > 0
        if rows_problems:
            self.count.setText(
                self.tr(
                    "Tệp bị từ chối, chưa lưu gì: {issues} lỗi ở {invalid} trên {rows} dòng. "
                    "Hãy sửa tệp rồi kiểm tra lại (Quay lại, Tiếp theo), hoặc chỉ nhập các dòng "
                    "hợp lệ và nhập các dòng còn lại sau khi sửa."
                ).format(
                    issues=format_thousands(len(refused.issues)),
                    invalid=format_thousands(refused.invalid_rows),
                    rows=format_thousands(refused.rows),
                )
            )
        else:
            self.count.setText(
                self.tr("Không nhập được tệp này, chưa lưu gì ({issues} lỗi):").format(
                    issues=format_thousands(len(refused.issues))
                )
            )
        valid = self._valid_rows()
        self.valid_only.setText(
            self.tr("&Chỉ nhập {valid} dòng hợp lệ, bỏ qua {invalid} dòng có lỗi").format(
                valid=format_thousands(valid), invalid=format_thousands(refused.invalid_rows)
            )
        )
        self.valid_only.setVisible(valid > 0)
        self.valid_only.setChecked(was_checked and valid > 0)
        self.save_button.setVisible(rows_problems)
        self.save_button.setEnabled(rows_problems)
        if saving is not None and refused.errors_file:
            self.saved.setStyleSheet("")
            _show(self.saved, self.tr("Đã lưu tệp lỗi: {path}").format(path=refused.errors_file))
        self.problems.setVisible(True)
        if self.issues.rowCount() <= _FIT_ROWS:
            # Long messages (a header refused) wrap onto several lines.
            self.table.resizeRowsToContents()
        self.setButtonText(
            QWizard.WizardButton.CommitButton,
            self.tr("&Nhập {valid} dòng hợp lệ").format(valid=format_thousands(valid)),
        )
        self.completeChanged.emit()
        self.table.setFocus()
        if self.issues.rowCount():
            self.table.selectRow(0)

    def _choice_changed(self, _checked: bool) -> None:
        self.completeChanged.emit()

    def import_valid_only(self) -> bool:
        """Whether the user chose to import only the valid rows."""
        return self.report is None and self.valid_only.isChecked()


class ImportPage(QWizardPage):
    """(3) The import itself, then what it did.

    Attributes:
        report: What the import did, once it is done.
    """

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.report: ImportReport | None = None
        self.setTitle(self.tr("Nhập dữ liệu"))
        self.setSubTitle(
            self.tr("Mọi thay đổi được lưu cùng một lúc: hủy giữa chừng thì không lưu gì.")
        )
        self.setFinalPage(True)
        self.task = TaskPanel(self.tr("&Hủy nhập"))
        self.task.succeeded.connect(self._imported)
        self.task.failed.connect(self._failed)
        self.result = ReportView()
        self.result.setVisible(False)
        self.message = _message_label()
        layout = QVBoxLayout(self)
        layout.addWidget(self.task)
        layout.addWidget(self.result)
        layout.addWidget(self.message)
        layout.addStretch(1)

    def _wizard(self) -> ImportWizard:
        wizard = self.wizard()
        assert isinstance(wizard, ImportWizard)
        return wizard

    def initializePage(self) -> None:
        wizard = self._wizard()
        path = wizard.path()
        assert path is not None
        valid_only = wizard.check_page.import_valid_only()
        roster = self.context.roster
        self.report = None
        self.result.setVisible(False)
        self.message.setVisible(False)

        def work(progress: ProgressFunction, cancelled: CancelledFunction) -> object:
            return roster.import_persons(
                path, valid_only=valid_only, progress=progress, cancelled=cancelled
            )

        self.task.start(work, storing=True)
        self.completeChanged.emit()
        self.task.cancel_button.setFocus()

    def isComplete(self) -> bool:
        return not self.task.is_running()

    def _imported(self, report: object) -> None:
        assert isinstance(report, ImportReport)
        self.report = report
        self.result.show_report(report, self.tr("Đã nhập xong và lưu vào cơ sở dữ liệu."))
        self.result.setVisible(True)
        self.completeChanged.emit()
        wizard = self._wizard()
        wizard.focus_finish_button()
        wizard.import_finished.emit(report)

    def _failed(self, error: object) -> None:
        if isinstance(error, ImportCancelled):
            text = self.tr("Đã hủy nhập. Cơ sở dữ liệu không thay đổi.")
            self.message.setStyleSheet("")
        elif isinstance(error, RosterRefused):
            # The file changed between the check and the import.
            lines = [self.tr("Tệp bị từ chối, chưa lưu gì. Hãy kiểm tra lại tệp:")]
            lines += [str(issue) for issue in error.issues[:20]]
            if len(error.issues) > 20:
                lines.append(self.tr("… và {count} lỗi khác.").format(count=len(error.issues) - 20))
            text = "\n".join(lines)
            self.message.setStyleSheet(style.FIELD_MESSAGE)
        elif isinstance(error, XhhtError):
            text = error.message
            self.message.setStyleSheet(style.FIELD_MESSAGE)
        elif isinstance(error, OSError):
            text = self.tr("Không nhập được: {reason}. Chưa có gì được lưu.").format(
                reason=error.strerror or error
            )
            self.message.setStyleSheet(style.FIELD_MESSAGE)
        else:
            text = _unexpected(error)
            self.message.setStyleSheet(style.FIELD_MESSAGE)
        _show(self.message, text)
        self.completeChanged.emit()
        self._wizard().focus_finish_button()
        _raise_unexpected(error)


class ImportWizard(QWizard):
    """Import the persons roster from Excel: file → check → import.

    Closing the wizard (Esc, «Đóng») while a check or an import runs cancels
    it and closes once the service has stopped: nothing is stored.

    Signals:
        import_finished(object): the ``ImportReport`` of an import that was
            stored; the main window then reads its pages again.
    """

    import_finished = Signal(object)

    def __init__(
        self,
        context: AppContext,
        parent: QWidget | None = None,
        *,
        choose_file: ChooseFileFunction | None = None,
        choose_save_path: ChooseSavePathFunction | None = None,
    ) -> None:
        super().__init__(parent)
        self.context = context
        self._closing: int | None = None
        self.setWindowTitle(self.tr("Nhập danh sách nhân khẩu từ Excel"))
        self.setOption(QWizard.WizardOption.NoBackButtonOnStartPage, True)
        self.setOption(QWizard.WizardOption.NoBackButtonOnLastPage, True)
        # The import page has its own cancel button; Esc still closes.
        self.setOption(QWizard.WizardOption.NoCancelButtonOnLastPage, True)
        self.setButtonText(QWizard.WizardButton.NextButton, self.tr("&Tiếp theo >"))
        self.setButtonText(QWizard.WizardButton.BackButton, self.tr("< &Quay lại"))
        self.setButtonText(QWizard.WizardButton.FinishButton, self.tr("&Xong"))
        self.setButtonText(QWizard.WizardButton.CancelButton, self.tr("Đóng"))
        save_path = choose_save_path or ask_save_path
        self.file_page = FilePage(context, choose_file or ask_roster_file, save_path)
        self.check_page = CheckPage(context, save_path)
        self.import_page = ImportPage(context)
        self.setPage(PAGE_FILE, self.file_page)
        self.setPage(PAGE_CHECK, self.check_page)
        self.setPage(PAGE_IMPORT, self.import_page)
        self.setStartId(PAGE_FILE)
        for panel in self.panels():
            panel.went_idle.connect(self._went_idle)
        self.currentIdChanged.connect(self._focus_page)
        # A fixed minimum keeps the window still while the pages change.
        self.setMinimumSize(760, 560)
        self.resize(860, 620)
        self.file_page.path_edit.setFocus()

    def path(self) -> Path | None:
        """The file chosen on the first page."""
        return self.file_page.path()

    def panels(self) -> tuple[TaskPanel, ...]:
        return (self.check_page.task, self.import_page.task)

    def is_busy(self) -> bool:
        """Whether a check or an import is still running."""
        return any(panel.is_busy() for panel in self.panels())

    def _focus_page(self, page_id: int) -> None:
        # QWizard gives the focus to the page's first field; where the work
        # is going on, the useful key is the cancel button.
        if page_id == PAGE_FILE:
            self.file_page.path_edit.setFocus()
        elif page_id == PAGE_CHECK and self.check_page.task.is_running():
            self.check_page.task.cancel_button.setFocus()
        elif page_id == PAGE_IMPORT and self.import_page.task.is_running():
            self.import_page.task.cancel_button.setFocus()

    def focus_commit_button(self) -> None:
        button = self.button(QWizard.WizardButton.CommitButton)
        if button.isVisible() and button.isEnabled():
            button.setFocus()

    def focus_finish_button(self) -> None:
        self.button(QWizard.WizardButton.FinishButton).setFocus()

    def done(self, result: int) -> None:
        if self.is_busy():
            # The worker still uses the database and this window's signals:
            # stop it, and close when it has answered.
            self._closing = result
            for panel in self.panels():
                panel.cancel_all()
            return
        super().done(result)

    def _went_idle(self) -> None:
        if self._closing is not None and not self.is_busy():
            result, self._closing = self._closing, None
            super().done(result)
