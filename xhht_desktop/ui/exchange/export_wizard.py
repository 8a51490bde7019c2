"""The export wizard: year, the stick, the key password, then write and check.

A commune exports its own package for its receiving office; an office (one
level down) sends its consolidated package up to the office it trusts, and
the first page lists the communes whose data it carries, each with the
number of the package that data came from.

The last page runs :meth:`ExchangeService.export_package` off the GUI thread.
The service writes under a temporary name, flushes, renames, reads the file
back and verifies it; only when it has returned does the page say that the
stick may be removed. A full, removed or write-protected stick ends in the
service's Vietnamese message on the page, with no file left under the name.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, cast

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from xhht_desktop.errors import XhhtError
from xhht_desktop.exchange import drives
from xhht_desktop.exchange.package import SUFFIX
from xhht_desktop.ui.exchange.common import (
    ERROR_STYLE,
    SUCCESS_STYLE,
    ChooseFunction,
    DrivesFunction,
    PageJob,
    PlaceList,
    ask_folder,
    busy_bar,
    drive_entries,
    grouped,
    message_label,
)

if TYPE_CHECKING:
    from xhht_desktop.context import AppContext
    from xhht_desktop.exchange.manifest import Source
    from xhht_desktop.services.exchange import ExportResult

PAGE_YEAR, PAGE_DESTINATION, PAGE_PASSWORD, PAGE_WRITE = range(4)
MIN_YEAR, MAX_YEAR = 2000, 2100


def _tr(text: str) -> str:
    return QCoreApplication.translate("ExportWizard", text)


def package_name(commune_code: str, year: int, now: datetime | None = None) -> str:
    """The suggested file name: commune, year and time, so two exports never collide."""
    moment = now or datetime.now()
    return f"xhht-{commune_code}-{year}-{moment:%Y%m%d-%H%M}.xhht"


def _wizard(page: QWizardPage) -> ExportWizard:
    return cast("ExportWizard", page.wizard())


def source_text(source: Source) -> str:
    """One unit an office's package carries, and the package its data came from."""
    unit = _tr("{name} (mã {code})").format(name=source.name, code=source.code)
    if source.role == "sub_office":
        unit = _tr("{unit}, cơ quan cấp dưới").format(unit=unit)
    if source.sequence:
        return _tr("{unit} — dữ liệu từ gói số {sequence}").format(
            unit=unit, sequence=source.sequence
        )
    return _tr("{unit} — không nhận qua gói").format(unit=unit)


class YearPage(QWizardPage):
    """The reporting year, whether the package will be encrypted, and what an office's carries.

    Attributes:
        sources: At an office, the units whose records its package carries.
        carried: Those units, each with the number of the package its data came from.
    """

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        info = context.setup.require()
        from_office = info.role == "office"
        self.setTitle(self.tr("Năm báo cáo"))
        if from_office:
            self.setSubTitle(
                self.tr(
                    "Gói tổng hợp chứa mọi dữ liệu cơ quan đang giữ: sổ sách của các xã đã nhận "
                    "(mỗi xã giữ mã và bản ghi của mình) và biểu tổng hợp của chính cơ quan."
                )
            )
        else:
            self.setSubTitle(
                self.tr("Gói chứa toàn bộ sổ sách của xã; năm báo cáo ghi trên gói và báo cáo.")
            )
        self.year = QSpinBox()
        self.year.setRange(MIN_YEAR, MAX_YEAR)
        self.year.setValue(info.year)
        self.year.setAccessibleName(self.tr("Năm báo cáo"))
        self.recipient = message_label()
        office = context.exchange.receiving_office()
        if office is not None and office.encryption_fingerprint:
            self.recipient.setText(
                (
                    self.tr(
                        "Gói sẽ được mã hóa cho {office}: chỉ cơ quan đó (và chính cơ quan này) "
                        "mở được."
                    )
                    if from_office
                    else self.tr(
                        "Gói sẽ được mã hóa cho {office}: chỉ cơ quan này (và chính xã) mở được."
                    )
                ).format(office=office.name)
            )
        else:
            self.recipient.setStyleSheet(ERROR_STYLE)
            self.recipient.setText(
                self.tr(
                    "Chưa có chứng thư của cơ quan cấp trên: gói sẽ KHÔNG được mã hóa, ai có "
                    "USB cũng đọc được dữ liệu cá nhân. Nên nhập chứng thư của cơ quan cấp trên "
                    "trước (trang «Trao đổi dữ liệu»)."
                )
                if from_office
                else self.tr(
                    "Chưa có chứng thư của cơ quan nhận: gói sẽ KHÔNG được mã hóa, ai có USB "
                    "cũng đọc được dữ liệu cá nhân. Nên nhập chứng thư của cơ quan nhận trước "
                    "(trang «Trao đổi dữ liệu»)."
                )
            )
        self.sources = context.exchange.package_sources() if from_office else ()
        self.carried = QListWidget()
        self.carried.setAccessibleName(self.tr("Các xã có dữ liệu trong gói"))
        self.carried.addItems([source_text(source) for source in self.sources])
        carried_label = QLabel(
            self.tr("&Dữ liệu trong gói ({count} đơn vị):").format(count=len(self.sources))
            if self.sources
            else self.tr("Cơ quan chưa nhận gói nào của xã: gói chỉ có dữ liệu của chính cơ quan.")
        )
        carried_label.setWordWrap(True)
        carried_label.setBuddy(self.carried)
        carried_label.setVisible(from_office)
        self.carried.setVisible(bool(self.sources))
        form = QFormLayout()
        form.addRow(self.tr("&Năm báo cáo:"), self.year)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.recipient)
        layout.addWidget(carried_label)
        layout.addWidget(self.carried, 1)
        layout.addStretch(0 if self.sources else 1)


class DestinationPage(QWizardPage):
    """The stick (or another folder) and the file name."""

    def __init__(
        self,
        list_drives: DrivesFunction,
        choose_folder: ChooseFunction,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setTitle(self.tr("Nơi ghi gói"))
        self.setSubTitle(
            self.tr("Chọn USB trong danh sách (cắm USB rồi bấm «Làm mới»), hoặc một thư mục khác.")
        )
        self.places = PlaceList(
            lambda: drive_entries(list_drives),
            choose_folder,
            other_text=self.tr("&Chọn thư mục khác…"),
            empty_text=self.tr(
                "Chưa thấy USB nào. Hãy cắm USB rồi bấm «Làm mới», hoặc chọn thư mục khác."
            ),
            chosen_text=self.tr("Thư mục: {path}"),
        )
        self.places.list.setAccessibleName(self.tr("Các USB và thư mục"))
        self.file_name = QLineEdit()
        self.file_name.setAccessibleName(self.tr("Tên tệp gói"))
        self.target_label = message_label()
        label = QLabel(self.tr("&USB hoặc thư mục:"))
        label.setBuddy(self.places.list)
        name_label = QLabel(self.tr("Tên tệ&p:"))
        name_label.setBuddy(self.file_name)
        layout = QVBoxLayout(self)
        layout.addWidget(label)
        layout.addWidget(self.places, 1)
        layout.addWidget(name_label)
        layout.addWidget(self.file_name)
        layout.addWidget(self.target_label)
        self.places.chosen_changed.connect(self._changed)
        self.file_name.textChanged.connect(self._changed)

    def initializePage(self) -> None:
        wizard = _wizard(self)
        if not self.file_name.text():
            self.file_name.setText(package_name(wizard.commune_code, wizard.year()))
        self.places.refresh()
        self.places.list.setFocus()

    def target(self) -> Path | None:
        """The file to write, or ``None`` while no place or name is chosen."""
        folder = self.places.chosen()
        name = self.file_name.text().strip()
        if folder is None or not name or "/" in name or "\\" in name:
            return None
        if not name.lower().endswith(SUFFIX):
            name += SUFFIX
        return folder / name

    def _changed(self) -> None:
        target = self.target()
        self.target_label.setText(
            self.tr("Sẽ ghi: {path}").format(path=target) if target is not None else ""
        )
        self.completeChanged.emit()

    def isComplete(self) -> bool:
        return self.target() is not None


class PasswordPage(QWizardPage):
    """The signing key's password (or the token's PIN)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle(self.tr("Ký số gói"))
        self.setSubTitle(
            self.tr(
                "Gói được ký bằng chứng thư số của xã để cơ quan nhận biết gói đúng của xã và "
                "không bị sửa."
            )
        )
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setAccessibleName(self.tr("Mật khẩu khóa ký số"))
        self.summary = message_label()
        form = QFormLayout()
        form.addRow(self.tr("&Mật khẩu khóa ký số:"), self.password)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.summary)
        layout.addStretch(1)
        self.password.textChanged.connect(lambda _text: self.completeChanged.emit())
        self.setButtonText(QWizard.WizardButton.NextButton, self.tr("&Xuất gói"))

    def initializePage(self) -> None:
        wizard = _wizard(self)
        self.summary.setText(
            self.tr("Năm báo cáo {year}; ghi vào: {path}").format(
                year=wizard.year(), path=wizard.target()
            )
        )
        self.password.setFocus()

    def isComplete(self) -> bool:
        return bool(self.password.text())


class WritePage(QWizardPage):
    """Writes, reads back and verifies the package; says when the stick may be removed.

    Attributes:
        result: The export, once written and checked.
        error: The message of a failed export.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle(self.tr("Ghi gói dữ liệu"))
        self.result: ExportResult | None = None
        self.error = ""
        self.status = message_label()
        self.bar = busy_bar()
        self.job = PageJob(self, self.bar)
        self.safe = message_label(SUCCESS_STYLE)
        self.details = message_label()
        self.problem = message_label(ERROR_STYLE)
        self.back_button = QPushButton(self.tr("&Quay lại để sửa"))
        self.back_button.setAutoDefault(False)
        self.back_button.clicked.connect(lambda: self.wizard().back())
        layout = QVBoxLayout(self)
        layout.addWidget(self.status)
        layout.addWidget(self.bar)
        layout.addWidget(self.safe)
        layout.addWidget(self.details)
        layout.addWidget(self.problem)
        layout.addWidget(self.back_button, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addStretch(1)

    def running(self) -> bool:
        return self.job.running()

    def initializePage(self) -> None:
        wizard = _wizard(self)
        target = wizard.target()
        assert target is not None
        password, year = wizard.password(), wizard.year()
        self.result, self.error = None, ""
        self.status.setText(
            self.tr(
                "Đang lập, ký, ghi gói vào «{path}», rồi đọc lại và kiểm tra… Chưa rút USB."
            ).format(path=target)
        )
        for label in (self.safe, self.details, self.problem):
            label.clear()
        self.back_button.setVisible(False)
        exchange = wizard.context.exchange
        self.job.start(
            lambda: exchange.export_package(target, password, year=year),
            self._written,
            self._failed,
        )

    def _written(self, result: ExportResult) -> None:
        self.result = result
        self.status.setText(self.tr("Đã ghi gói số {sequence}.").format(sequence=result.sequence))
        self.safe.setText(self.tr("Đã ghi và kiểm tra xong. An toàn để rút USB."))
        lines = [
            self.tr("Tệp: {name}").format(name=result.path.name),
            self.tr("Thư mục: {folder}").format(folder=result.path.parent),
            self.tr("Gói số: {sequence} (năm báo cáo {year})").format(
                sequence=result.sequence, year=result.year
            ),
            self.tr("Vân tay (SHA-256) của tệp gói:\n{fingerprint}").format(
                fingerprint=grouped(result.package_sha256, 8)
            ),
        ]
        if result.recipient:
            lines.append(
                (
                    self.tr("Đã mã hóa cho: {office} (và cho chính cơ quan này).")
                    if _wizard(self).from_office
                    else self.tr("Đã mã hóa cho: {office} (và cho chính xã).")
                ).format(office=result.recipient)
            )
        lines += _wizard(self).carried_lines()
        lines += [self.tr("Cảnh báo: {text}").format(text=text) for text in result.warnings]
        self.details.setText("\n".join(lines))
        self.job.finish()
        _wizard(self).package_exported.emit(result)

    def _failed(self, error: BaseException) -> None:
        if isinstance(error, XhhtError):
            self.error = error.message
        else:
            self.error = self.tr("Không xuất được gói: {reason}").format(reason=error)
        self.status.setText(self.tr("Chưa xuất được gói. Không có tệp gói nào được để lại."))
        self.problem.setText(self.error)
        self.back_button.setVisible(True)
        self.job.finish()
        self.back_button.setFocus()

    def isComplete(self) -> bool:
        return self.result is not None


class ExportWizard(QWizard):
    """Xuất gói dữ liệu: year → stick → password → written, read back, verified.

    Signals:
        package_exported(object): the :class:`ExportResult` of a package written.
    """

    package_exported = Signal(object)

    def __init__(
        self,
        context: AppContext,
        parent: QWidget | None = None,
        *,
        list_drives: DrivesFunction = drives.removable_drives,
        choose_folder: ChooseFunction = ask_folder,
    ) -> None:
        super().__init__(parent)
        self.context = context
        info = context.setup.require()
        self.commune_code = info.commune_code or info.owner_code
        self.from_office = info.role == "office"
        self.setWindowTitle(
            self.tr("Gửi gói tổng hợp lên cấp trên")
            if self.from_office
            else self.tr("Xuất gói dữ liệu")
        )
        self.setWizardStyle(QWizard.WizardStyle.ClassicStyle)
        self.setOption(QWizard.WizardOption.DisabledBackButtonOnLastPage, True)
        self.setOption(QWizard.WizardOption.NoBackButtonOnStartPage, True)
        self.year_page = YearPage(context)
        self.destination_page = DestinationPage(list_drives, choose_folder)
        self.password_page = PasswordPage()
        self.write_page = WritePage()
        self.setPage(PAGE_YEAR, self.year_page)
        self.setPage(PAGE_DESTINATION, self.destination_page)
        self.setPage(PAGE_PASSWORD, self.password_page)
        self.setPage(PAGE_WRITE, self.write_page)
        if self.from_office:
            self.password_page.setSubTitle(
                self.tr(
                    "Gói được ký bằng chứng thư số của cơ quan để cơ quan cấp trên biết gói đúng "
                    "của cơ quan này và không bị sửa."
                )
            )
        self.setButtonText(QWizard.WizardButton.FinishButton, self.tr("&Xong"))
        self.setButtonText(QWizard.WizardButton.CancelButton, self.tr("Hủy"))
        self.setButtonText(QWizard.WizardButton.NextButton, self.tr("&Tiếp >"))
        self.setButtonText(QWizard.WizardButton.BackButton, self.tr("< &Quay lại"))
        self.resize(640, 480)

    def year(self) -> int:
        return self.year_page.year.value()

    def target(self) -> Path | None:
        return self.destination_page.target()

    def password(self) -> str:
        return self.password_page.password.text()

    def carried_lines(self) -> list[str]:
        """At an office: the units whose data the package carries, one line each."""
        if not self.year_page.sources:
            return []
        return [self.tr("Gói mang dữ liệu của:")] + [
            "• " + source_text(source) for source in self.year_page.sources
        ]

    def reject(self) -> None:
        # The stick is being written: closing now would invite pulling it out.
        if self.write_page.running():
            return
        super().reject()
