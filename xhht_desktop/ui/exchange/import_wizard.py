"""The office's import wizard: choose a package, verify it, confirm the sender, preview, import.

Pages: choose (the packages on the sticks, or any file, and the office's key
password) → check (decrypt, signature, every hash, sender, ledger: off the
GUI thread) → fingerprint (only for a commune not trusted yet, or one whose
key changed: the official compares it with the signed paper report) →
preview (new / updated / deleted / unchanged per register, and warnings) →
import (one transaction, then the signed receipt onto the stick).

Nothing is stored before the last page: a refused package, a fingerprint
not confirmed or a cancel leave the database as it was.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from xhht_desktop.core.certificates import normalize_fingerprint
from xhht_desktop.errors import SenderNotTrusted, XhhtError
from xhht_desktop.exchange import drives
from xhht_desktop.ui.exchange.common import (
    ERROR_STYLE,
    SUCCESS_STYLE,
    ChooseFunction,
    DrivesFunction,
    PageJob,
    PlaceList,
    ask_package,
    busy_bar,
    fingerprint_label,
    grouped,
    local_time,
    message_label,
    package_entries,
)
from xhht_desktop.ui.table_models import format_thousands
from xhht_desktop.ui.tasks import LatestTask

if TYPE_CHECKING:
    from xhht_desktop.context import AppContext
    from xhht_desktop.exchange.merge import EntityChanges
    from xhht_desktop.services.exchange import ImportResult, IncomingPackage, PackageCheck

PAGE_CHOOSE, PAGE_CHECK, PAGE_FINGERPRINT, PAGE_PREVIEW, PAGE_IMPORT = range(5)

_Index = QModelIndex | QPersistentModelIndex


def _tr(text: str) -> str:
    return QCoreApplication.translate("PackageImportWizard", text)


def _wizard(page: QWizardPage) -> PackageImportWizard:
    return cast("PackageImportWizard", page.wizard())


def _message(error: BaseException) -> str:
    if isinstance(error, XhhtError):
        return error.message
    return _tr("Không đọc được gói: {reason}").format(reason=error)


def check_lines(check: PackageCheck) -> list[str]:
    """What the official reads about a verified package."""
    manifest = check.manifest
    return [
        _tr("Gói số {sequence} của {commune} (mã {code}, {province}), năm báo cáo {year}.").format(
            sequence=manifest.sequence,
            commune=manifest.commune_name,
            code=manifest.commune_code,
            province=manifest.province_name,
            year=manifest.year,
        ),
        _tr("Lập lúc {when}; người ký: {signer}.").format(
            when=local_time(manifest.created_at), signer=check.signer.common_name
        ),
        _tr("Mã hóa: có.") if check.encrypted else _tr("Mã hóa: KHÔNG."),
        check.trust_note,
    ]


class ChangesModel(QAbstractTableModel):
    """What a package changes, one register a row: new, updated, deleted, unchanged, older."""

    HEADERS = (
        QT_TRANSLATE_NOOP("PackageImportWizard", "Sổ dữ liệu"),
        QT_TRANSLATE_NOOP("PackageImportWizard", "Mới"),
        QT_TRANSLATE_NOOP("PackageImportWizard", "Sửa"),
        QT_TRANSLATE_NOOP("PackageImportWizard", "Xóa"),
        QT_TRANSLATE_NOOP("PackageImportWizard", "Không đổi"),
        QT_TRANSLATE_NOOP("PackageImportWizard", "Cũ hơn (bỏ qua)"),
    )
    FIELDS = ("new", "updated", "deleted", "unchanged", "older")

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.changes: list[EntityChanges] = []

    def set_changes(self, changes: list[EntityChanges]) -> None:
        self.beginResetModel()
        self.changes = list(changes)
        self.endResetModel()

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.changes)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.HEADERS)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.changes):
            return None
        change = self.changes[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if column == 0:
                return change.label
            return format_thousands(getattr(change, self.FIELDS[column - 1]))
        if role == Qt.ItemDataRole.TextAlignmentRole:
            if column == 0:
                return int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            orientation == Qt.Orientation.Horizontal
            and role == Qt.ItemDataRole.DisplayRole
            and 0 <= section < len(self.HEADERS)
        ):
            return _tr(self.HEADERS[section])
        return None


class ChoosePage(QWizardPage):
    """The package (on a stick, or any file) and the office's key password."""

    def __init__(
        self,
        list_drives: DrivesFunction,
        choose_file: ChooseFunction,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setTitle(self.tr("Chọn gói dữ liệu"))
        self.setSubTitle(
            self.tr(
                "Các gói .xhht trên USB được liệt kê dưới đây; gói ở nơi khác: «Chọn tệp khác…»."
            )
        )
        self.places = PlaceList(
            lambda: package_entries(list_drives),
            choose_file,
            other_text=self.tr("&Chọn tệp khác…"),
            empty_text=self.tr(
                "Chưa thấy gói nào trên USB. Hãy cắm USB rồi bấm «Làm mới», hoặc chọn tệp khác."
            ),
            chosen_text=self.tr("Tệp: {path}"),
        )
        self.places.list.setAccessibleName(self.tr("Các gói dữ liệu"))
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setAccessibleName(self.tr("Mật khẩu khóa ký số của cơ quan"))
        label = QLabel(self.tr("&Gói dữ liệu:"))
        label.setBuddy(self.places.list)
        form = QFormLayout()
        form.addRow(self.tr("&Mật khẩu khóa ký số:"), self.password)
        note = message_label()
        note.setText(
            self.tr(
                "Mật khẩu mở gói đã mã hóa cho cơ quan và ký giấy biên nhận gửi lại xã. "
                "Chưa có gì được lưu cho đến bước cuối."
            )
        )
        layout = QVBoxLayout(self)
        layout.addWidget(label)
        layout.addWidget(self.places, 1)
        layout.addLayout(form)
        layout.addWidget(note)
        self.places.chosen_changed.connect(self.completeChanged)
        self.password.textChanged.connect(lambda _text: self.completeChanged.emit())
        self._given: Path | None = None

    def give(self, path: Path) -> None:
        """Start with ``path`` chosen (a package opened from the file manager)."""
        self._given = Path(path)

    def initializePage(self) -> None:
        if self._given is not None:
            self.places.add(self._given)
            self._given = None
            # The wizard focuses the page's first field after this returns.
            QTimer.singleShot(0, self.password.setFocus)
        else:
            self.places.refresh()

    def isComplete(self) -> bool:
        return self.places.chosen() is not None and bool(self.password.text())


class CheckPage(QWizardPage):
    """Verifies the package off the GUI thread and says what it is, or why it is refused.

    Attributes:
        incoming: The package read and previewed, when its sender is trusted.
        untrusted: The refusal to confirm, when the sender is new or re-keyed.
        error: The message of a refused package.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle(self.tr("Kiểm tra gói"))
        self.setSubTitle(
            self.tr("Giải mã, kiểm tra chữ ký số, mã băm từng tệp, người gửi và số thứ tự gói.")
        )
        self.incoming: IncomingPackage | None = None
        self.untrusted: SenderNotTrusted | None = None
        self.error = ""
        self.status = message_label()
        self.bar = busy_bar()
        self.details = message_label()
        self.problem = message_label(ERROR_STYLE)
        layout = QVBoxLayout(self)
        layout.addWidget(self.status)
        layout.addWidget(self.bar)
        layout.addWidget(self.details)
        layout.addWidget(self.problem)
        layout.addStretch(1)
        self.jobs = LatestTask(self._opened, self._refused, self)

    def initializePage(self) -> None:
        wizard = _wizard(self)
        path, password = wizard.package_path(), wizard.password()
        assert path is not None
        self.incoming, self.untrusted, self.error = None, None, ""
        self.status.setText(self.tr("Đang kiểm tra «{name}»…").format(name=path.name))
        self.bar.setVisible(True)
        self.details.clear()
        self.problem.clear()
        context = wizard.context

        def work() -> IncomingPackage:
            # The password also signs the receipt at the end: a wrong one is
            # said here, where the official can still go back and retype it.
            context.signing.load_identity(password).close()
            return context.exchange.open_package(path, password)

        self.jobs.start(work)

    def _opened(self, incoming: object) -> None:
        self.incoming = cast("IncomingPackage", incoming)
        self.bar.setVisible(False)
        self.status.setText(
            self.tr("Gói nguyên vẹn: chữ ký số hợp lệ, mọi tệp khớp mã băm, dữ liệu đọc được.")
        )
        self.details.setText("\n".join(check_lines(self.incoming.check)))
        self.completeChanged.emit()

    def _refused(self, error: BaseException) -> None:
        self.bar.setVisible(False)
        if isinstance(error, SenderNotTrusted):
            self.untrusted = error
            self.status.setText(
                self.tr(
                    "Gói nguyên vẹn: chữ ký số hợp lệ, mọi tệp khớp mã băm. Cần xác nhận vân tay "
                    "chứng thư của xã trước khi xem và nhập."
                )
            )
            if error.known_fingerprint:
                text = self.tr(
                    "Gói của {name} (mã {code}) được ký bằng chứng thư KHÁC với chứng thư đã tin "
                    "cậy. Bước tiếp: đối chiếu vân tay mới với báo cáo giấy có chữ ký mới của xã."
                )
            else:
                text = self.tr(
                    "Lần đầu nhận gói của {name} (mã {code}). Bước tiếp: đối chiếu vân tay "
                    "chứng thư với báo cáo giấy có chữ ký của xã."
                )
            self.details.setText(text.format(name=error.unit_name, code=error.unit_code))
        else:
            self.error = _message(error)
            self.status.setText(self.tr("Gói bị từ chối; không có gì được lưu."))
            self.problem.setText(self.error)
        self.completeChanged.emit()

    def isComplete(self) -> bool:
        return self.incoming is not None or self.untrusted is not None

    def nextId(self) -> int:
        return PAGE_FINGERPRINT if self.untrusted is not None else PAGE_PREVIEW


class FingerprintPage(QWizardPage):
    """The sender's fingerprint, to compare with the commune's signed paper report.

    The official ticks the box, or types the fingerprint from the paper
    (a match ticks it); without that the wizard goes no further.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle(self.tr("Xác nhận vân tay chứng thư của xã"))
        self.setSubTitle(
            self.tr(
                "Đối chiếu từng nhóm 4 ký tự với vân tay in trên báo cáo giấy có chữ ký, đóng dấu "
                "của xã. Nếu không khớp, bấm «Hủy»: không có gì được lưu."
            )
        )
        self.sender = message_label()
        self.fingerprint = fingerprint_label("", per_line=4, point_size=16)
        self.known = message_label(ERROR_STYLE)
        self.typed = QLineEdit()
        self.typed.setAccessibleName(self.tr("Vân tay gõ từ bản giấy"))
        self.typed.setPlaceholderText(self.tr("không bắt buộc: gõ vân tay in trên giấy để máy so"))
        self.typed_note = message_label()
        self.confirmed = QCheckBox(
            self.tr("Tôi đã đối &chiếu: vân tay trên KHỚP với vân tay in trên báo cáo giấy của xã.")
        )
        form = QFormLayout()
        form.addRow(self.tr("&Gõ vân tay:"), self.typed)
        layout = QVBoxLayout(self)
        layout.addWidget(self.sender)
        layout.addWidget(self.fingerprint)
        layout.addWidget(self.known)
        layout.addLayout(form)
        layout.addWidget(self.typed_note)
        layout.addWidget(self.confirmed)
        layout.addStretch(1)
        self.typed.textChanged.connect(self._typed)
        self.confirmed.toggled.connect(lambda _on: self.completeChanged.emit())
        self._digits = ""

    def initializePage(self) -> None:
        untrusted = _wizard(self).check_page.untrusted
        assert untrusted is not None
        self._digits = normalize_fingerprint(untrusted.fingerprint)
        self.sender.setText(
            self.tr("Gói của {name} (mã {code}) được ký bằng chứng thư có vân tay:").format(
                name=untrusted.unit_name, code=untrusted.unit_code
            )
        )
        self.fingerprint.setText(grouped(self._digits, 4))
        if untrusted.known_fingerprint:
            self.known.setText(
                self.tr(
                    "Chứng thư này KHÁC với chứng thư đã tin cậy của xã (vân tay cũ: {old}). Chỉ "
                    "xác nhận khi xã đã thay khóa ký số và báo cáo giấy mới in vân tay mới."
                ).format(old=untrusted.known_fingerprint)
            )
        else:
            self.known.clear()
        self.confirmed.setChecked(False)
        self.typed.clear()
        self.typed_note.clear()
        self.typed.setFocus()

    def _typed(self, text: str) -> None:
        digits = normalize_fingerprint(text)
        if not digits:
            self.typed_note.clear()
        elif digits == self._digits:
            self.typed_note.setText(self.tr("Khớp."))
            self.confirmed.setChecked(True)
        elif self._digits.startswith(digits):
            self.typed_note.setText(self.tr("Khớp đến đây…"))
        else:
            self.typed_note.setText(self.tr("KHÔNG khớp: hãy kiểm tra lại từng nhóm số."))
            self.confirmed.setChecked(False)

    def accepted_fingerprint(self) -> str | None:
        return self._digits if self.confirmed.isChecked() else None

    def isComplete(self) -> bool:
        return self.confirmed.isChecked()

    def nextId(self) -> int:
        return PAGE_PREVIEW


class PreviewPage(QWizardPage):
    """What the package changes, register by register, and the warnings."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle(self.tr("Xem trước thay đổi"))
        self.setSubTitle(
            self.tr("So với dữ liệu của xã trên máy này. Bấm «Nhập» để lưu tất cả trong một lần.")
        )
        self.incoming: IncomingPackage | None = None
        self.error = ""
        self.header = message_label()
        self.bar = busy_bar()
        self.model = ChangesModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setAccessibleName(self.tr("Thay đổi theo sổ dữ liệu"))
        self.table.setTabKeyNavigation(False)
        self.table.verticalHeader().hide()
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.warnings = message_label(ERROR_STYLE)
        self.problem = message_label(ERROR_STYLE)
        layout = QVBoxLayout(self)
        layout.addWidget(self.header)
        layout.addWidget(self.bar)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.warnings)
        layout.addWidget(self.problem)
        self.setButtonText(QWizard.WizardButton.NextButton, self.tr("&Nhập"))
        self.jobs = LatestTask(self._show, self._refused, self)

    def initializePage(self) -> None:
        wizard = _wizard(self)
        self.error = ""
        self.problem.clear()
        self.warnings.clear()
        self.model.set_changes([])
        known = wizard.check_page.incoming
        if known is not None:
            self._show(known)
            return
        path, password = wizard.package_path(), wizard.password()
        accepted = wizard.accepted_fingerprint()
        assert path is not None
        self.incoming = None
        self.header.setText(self.tr("Đang đọc dữ liệu của gói…"))
        self.bar.setVisible(True)
        exchange = wizard.context.exchange
        self.jobs.start(lambda: exchange.open_package(path, password, accept_fingerprint=accepted))

    def _show(self, incoming: object) -> None:
        self.incoming = cast("IncomingPackage", incoming)
        self.bar.setVisible(False)
        self.header.setText("\n".join(check_lines(self.incoming.check)[:2]))
        self.model.set_changes(self.incoming.changes)
        self.warnings.setText(
            "\n".join(
                self.tr("Cảnh báo: {text}").format(text=text) for text in self.incoming.warnings
            )
        )
        self.completeChanged.emit()
        self.table.setFocus()

    def _refused(self, error: BaseException) -> None:
        self.bar.setVisible(False)
        self.error = _message(error)
        self.header.setText(self.tr("Gói bị từ chối; không có gì được lưu."))
        self.problem.setText(self.error)
        self.completeChanged.emit()

    def isComplete(self) -> bool:
        return self.incoming is not None

    def counts(self) -> dict[str, dict[str, int]]:
        """The preview's figures, by register (what the table shows)."""
        return {change.entity: change.as_dict() for change in self.model.changes}


class ImportPage(QWizardPage):
    """Applies the package in one transaction, then writes the signed receipt.

    Attributes:
        result: What the import did, once done.
        error: The message of a refused import (nothing stored).
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle(self.tr("Nhập gói"))
        self.result: ImportResult | None = None
        self.error = ""
        self.status = message_label()
        self.bar = busy_bar()
        self.job = PageJob(self, self.bar)
        self.done = message_label(SUCCESS_STYLE)
        self.details = message_label()
        self.problem = message_label(ERROR_STYLE)
        self.receipt_button = QPushButton(self.tr("&Ghi lại giấy biên nhận"))
        self.receipt_button.setAutoDefault(False)
        self.receipt_button.clicked.connect(self.write_receipt_again)
        layout = QVBoxLayout(self)
        layout.addWidget(self.status)
        layout.addWidget(self.bar)
        layout.addWidget(self.done)
        layout.addWidget(self.details)
        layout.addWidget(self.problem)
        layout.addWidget(self.receipt_button, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addStretch(1)

    def running(self) -> bool:
        return self.job.running()

    def initializePage(self) -> None:
        wizard = _wizard(self)
        incoming = wizard.preview_page.incoming
        assert incoming is not None
        password, accepted = wizard.password(), wizard.accepted_fingerprint()
        context = wizard.context
        self.result, self.error = None, ""
        for label in (self.done, self.details, self.problem):
            label.clear()
        self.receipt_button.setVisible(False)
        self.status.setText(self.tr("Đang nhập gói và ghi giấy biên nhận… Chưa rút USB."))

        def work() -> ImportResult:
            identity = context.signing.load_identity(password)
            try:
                return context.exchange.apply(incoming, identity, accept_fingerprint=accepted)
            finally:
                identity.close()

        self.job.start(work, self._imported, self._failed)

    def _imported(self, result: ImportResult) -> None:
        self.result = result
        manifest = result.check.manifest
        self.status.setText(
            self.tr("Đã nhập gói số {sequence} của {commune} trong một giao dịch.").format(
                sequence=manifest.sequence, commune=manifest.commune_name
            )
        )
        changed = sum(change.changed for change in result.changes)
        lines = [
            self.tr("{changed} bản ghi mới, sửa hoặc xóa; {unchanged} không đổi.").format(
                changed=format_thousands(changed),
                unchanged=format_thousands(sum(c.unchanged for c in result.changes)),
            )
        ]
        lines += [self.tr("Cảnh báo: {text}").format(text=text) for text in result.warnings]
        if result.reports_folder is not None:
            lines.append(
                self.tr("Các báo cáo kèm theo gói đã lưu tại: {folder}").format(
                    folder=result.reports_folder
                )
            )
        self.details.setText("\n".join(lines))
        self._show_receipt(result.receipt, result.receipt_problem)
        self.job.finish()
        _wizard(self).package_imported.emit(result)

    def _show_receipt(self, receipt: Path | None, problem: str | None) -> None:
        if receipt is not None:
            self.done.setText(
                self.tr(
                    "Đã ghi giấy biên nhận có chữ ký số lên USB: {name}. Mang USB về xã để xã "
                    "nhập giấy biên nhận. An toàn để rút USB."
                ).format(name=receipt.name)
            )
            self.done.setToolTip(str(receipt))
            self.problem.clear()
            self.receipt_button.setVisible(False)
        elif problem:
            self.problem.setText(
                self.tr(
                    "Dữ liệu đã được nhập, nhưng chưa ghi được giấy biên nhận: {problem}"
                ).format(problem=problem)
            )
            self.receipt_button.setVisible(True)
            self.receipt_button.setFocus()

    def write_receipt_again(self) -> Path | None:
        """Write the receipt again (the stick was full or pulled out)."""
        wizard = _wizard(self)
        path = wizard.package_path()
        assert path is not None
        try:
            written = wizard.context.exchange.write_receipt(path, wizard.password())
        except XhhtError as exc:
            self._show_receipt(None, exc.message)
            return None
        self._show_receipt(written, None)
        return written

    def _failed(self, error: BaseException) -> None:
        self.error = _message(error)
        self.status.setText(self.tr("Chưa nhập được gói; không có gì được lưu."))
        self.problem.setText(self.error)
        self.job.finish()

    def isComplete(self) -> bool:
        return not self.running()


class PackageImportWizard(QWizard):
    """Nhập gói dữ liệu: choose → check → (fingerprint) → preview → import and receipt.

    Signals:
        package_imported(object): the :class:`ImportResult` of a package stored.
    """

    package_imported = Signal(object)

    def __init__(
        self,
        context: AppContext,
        parent: QWidget | None = None,
        *,
        package: Path | None = None,
        list_drives: DrivesFunction = drives.removable_drives,
        choose_file: ChooseFunction = ask_package,
    ) -> None:
        super().__init__(parent)
        self.context = context
        self.setWindowTitle(self.tr("Nhập gói dữ liệu"))
        self.setWizardStyle(QWizard.WizardStyle.ClassicStyle)
        self.setOption(QWizard.WizardOption.DisabledBackButtonOnLastPage, True)
        self.setOption(QWizard.WizardOption.NoBackButtonOnStartPage, True)
        self.choose_page = ChoosePage(list_drives, choose_file)
        self.check_page = CheckPage()
        self.fingerprint_page = FingerprintPage()
        self.preview_page = PreviewPage()
        self.import_page = ImportPage()
        for number, page in (
            (PAGE_CHOOSE, self.choose_page),
            (PAGE_CHECK, self.check_page),
            (PAGE_FINGERPRINT, self.fingerprint_page),
            (PAGE_PREVIEW, self.preview_page),
            (PAGE_IMPORT, self.import_page),
        ):
            self.setPage(number, page)
        if package is not None:
            self.choose_page.give(package)
        self.setButtonText(QWizard.WizardButton.FinishButton, self.tr("&Xong"))
        self.setButtonText(QWizard.WizardButton.CancelButton, self.tr("Hủy"))
        self.setButtonText(QWizard.WizardButton.NextButton, self.tr("&Tiếp >"))
        self.setButtonText(QWizard.WizardButton.BackButton, self.tr("< &Quay lại"))
        self.resize(720, 520)

    def package_path(self) -> Path | None:
        return self.choose_page.places.chosen()

    def password(self) -> str:
        return self.choose_page.password.text()

    def accepted_fingerprint(self) -> str | None:
        """The fingerprint the official confirmed on the fingerprint page, if shown."""
        if self.check_page.untrusted is None:
            return None
        return self.fingerprint_page.accepted_fingerprint()

    def reject(self) -> None:
        # The import and the receipt are being written: let them finish.
        if self.import_page.running():
            return
        super().reject()
