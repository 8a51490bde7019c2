"""The "Trao đổi dữ liệu" page: the USB handover between a commune and its receiving office.

A commune sees its receiving office and that office's certificate (imported
once, after comparing the fingerprint), exports its own certificate, lists
the packages it wrote with the office's receipt for each, and starts the
export wizard or imports a receipt. An office sees the communes (and lower
offices) it trusts and the packages it received, imports a package through
the import wizard and exports its certificate for the communes; one level
down it also trusts its upper office, sends its consolidated package up
through the same export wizard and imports the upper office's receipts.

Everything is read and written through ``context.exchange``; the file
dialogs, the password prompt and the fingerprint question are functions the
page is given, so a test never meets a modal window.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QGroupBox,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from xhht_desktop.core.certificates import fingerprint
from xhht_desktop.errors import SenderNotTrusted, XhhtError
from xhht_desktop.exchange import drives
from xhht_desktop.ui import style
from xhht_desktop.ui.exchange.common import (
    ChooseFunction,
    ChooseSaveFunction,
    DrivesFunction,
    PasswordFunction,
    ask_certificate,
    ask_folder,
    ask_package,
    ask_receipt,
    ask_save_certificate,
    fingerprint_label,
    grouped,
    local_time,
    message_label,
)
from xhht_desktop.ui.exchange.export_wizard import ExportWizard
from xhht_desktop.ui.exchange.import_wizard import PackageImportWizard
from xhht_desktop.ui.table_models import (
    RIGHT,
    Column,
    PagedTableModel,
    format_thousands,
    set_up_list_view,
)

if TYPE_CHECKING:
    from xhht_desktop.context import AppContext
    from xhht_desktop.exchange.ledger import Partner, Received, Sent

R = TypeVar("R")

ConfirmFunction = Callable[[QWidget, str, str], bool]
"""Ask a yes/no question (parent, title, text); ``True`` for yes."""


def _tr(text: str) -> str:
    return QCoreApplication.translate("ExchangePage", text)


def ask_password(parent: QWidget, title: str, label: str) -> str | None:
    """The key's password, typed hidden; ``None`` when the user cancels."""
    text, ok = QInputDialog.getText(parent, title, label, QLineEdit.EchoMode.Password)
    return text if ok else None


def ask_confirmation(parent: QWidget, title: str, text: str) -> bool:
    """A yes/no question whose default answer is "no" (trusting is a decision)."""
    answer = QMessageBox.question(
        parent,
        title,
        text,
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
        QMessageBox.StandardButton.No,
    )
    return answer == QMessageBox.StandardButton.Yes


def sent_status(sent: Sent) -> str:
    """What became of a package the commune wrote, in words."""
    if sent.accepted:
        return _tr("Đã được {office} tiếp nhận ngày {day}").format(
            office=sent.receipt_office, day=local_time(sent.receipt_accepted_at, "%d/%m/%Y")
        )
    if sent.status == "written":
        return _tr("Chưa có giấy biên nhận")
    return _tr("Ghi dở, bỏ số này")


def _sent_tooltip(sent: Sent) -> str:
    lines = [sent_status(sent)]
    lines += [_tr("Ghi chú của cơ quan nhận: {text}").format(text=t) for t in sent.receipt_warnings]
    return "\n".join(lines)


SENDER_ROLES = ("commune", "sub_office")
"""The partners an office receives packages from: communes and lower offices."""


def _partner_name(partner: Partner) -> str:
    if partner.role == "sub_office":
        return _tr("{name} (cơ quan cấp dưới)").format(name=partner.name)
    return partner.name


def _received_tooltip(received: Received) -> str:
    """A lower office's package: the communes it carried and their own package numbers."""
    parts = [
        _tr("{name} (gói số {sequence})").format(
            name=source.get("name", source.get("code", "")), sequence=source.get("sequence", 0)
        )
        for source in received.sources
    ]
    return (
        _tr("Gói tổng hợp mang dữ liệu của: {units}").format(units=", ".join(parts))
        if parts
        else ""
    )


def _received_total(received: Received) -> int:
    return sum(
        counts.get(key, 0)
        for counts in received.summary.values()
        for key in ("new", "updated", "deleted")
    )


def _list_model(
    columns: Sequence[Column[R]], rows: Callable[[], list[R]], parent: QWidget
) -> PagedTableModel[R]:
    """A model over a short list read whole."""
    cache: list[list[R]] = [[]]

    def count() -> int:
        cache[0] = rows()
        return len(cache[0])

    def page(offset: int, limit: int) -> list[R]:
        return cache[0][offset : offset + limit]

    return PagedTableModel(
        columns, count, page, row_id=lambda row: str(id(row)), page_size=10_000, parent=parent
    )


class ExchangePage(QWidget):
    """Trao đổi dữ liệu: certificates, packages sent or received, the wizards.

    Signals:
        data_changed(): a package was imported (the other pages read again).

    Attributes:
        last_message: The last message box shown.
        wizard: The wizard opened last.
    """

    data_changed = Signal()

    def __init__(
        self,
        context: AppContext,
        parent: QWidget | None = None,
        *,
        list_drives: DrivesFunction = drives.removable_drives,
        choose_folder: ChooseFunction = ask_folder,
        choose_package: ChooseFunction = ask_package,
        choose_certificate: ChooseFunction = ask_certificate,
        choose_receipt: ChooseFunction = ask_receipt,
        choose_save_path: ChooseSaveFunction = ask_save_certificate,
        ask_key_password: PasswordFunction = ask_password,
        confirm: ConfirmFunction = ask_confirmation,
    ) -> None:
        super().__init__(parent)
        self.context = context
        self.list_drives = list_drives
        self.choose_folder = choose_folder
        self.choose_package = choose_package
        self.choose_certificate = choose_certificate
        self.choose_receipt = choose_receipt
        self.choose_save_path = choose_save_path
        self.ask_key_password = ask_key_password
        self.confirm = confirm
        self.last_message: QMessageBox | None = None
        self.wizard: ExportWizard | PackageImportWizard | None = None
        self.role = ""

        self.title = QLabel(self.tr("Trao đổi dữ liệu"))
        self.title.setStyleSheet(style.PAGE_TITLE)
        self.intro = message_label()

        # -- a commune --------------------------------------------------------------
        self.office_box = QGroupBox(self.tr("Cơ quan nhận"))
        self.office_text = message_label()
        self.office_fingerprint = fingerprint_label("", per_line=8, point_size=11)
        self.trust_office_button = QPushButton(self.tr("Nhập &chứng thư của cơ quan nhận…"))
        self.export_cert_button = QPushButton(self.tr("Xuất chứng t&hư của xã…"))
        row = QHBoxLayout()
        row.addWidget(self.trust_office_button)
        row.addWidget(self.export_cert_button)
        row.addStretch(1)
        office_layout = QVBoxLayout(self.office_box)
        office_layout.addWidget(self.office_text)
        office_layout.addWidget(self.office_fingerprint)
        office_layout.addLayout(row)

        self.sent_box = QGroupBox(self.tr("Các gói đã xuất"))
        self.export_button = QPushButton(self.tr("&Xuất gói dữ liệu…"))
        self.export_button.setShortcut(QKeySequence("Ctrl+E"))
        self.export_button.setToolTip(self.tr("Ghi gói dữ liệu ra USB (Ctrl+E)"))
        self.receipt_button = QPushButton(self.tr("Nhập giấy &biên nhận…"))
        self.sent_table = QTableView()
        self.sent_table.setAccessibleName(self.tr("Các gói đã xuất"))
        tr = self.tr
        self.sent_model = _list_model(
            [
                Column(tr("Gói số"), lambda s: str(s.sequence), RIGHT, 70),
                Column(tr("Năm"), lambda s: str(s.year), RIGHT, 60),
                Column(tr("Lập lúc"), lambda s: local_time(s.created_at), width=150),
                Column(tr("Tệp"), lambda s: s.file_name, width=200),
                Column(tr("Tình trạng"), sent_status, tooltip=_sent_tooltip),
            ],
            lambda: list(reversed(self.context.exchange.sent())),
            self,
        )
        set_up_list_view(self.sent_table, self.sent_model)
        row = QHBoxLayout()
        row.addWidget(self.export_button)
        row.addWidget(self.receipt_button)
        row.addStretch(1)
        sent_layout = QVBoxLayout(self.sent_box)
        sent_layout.addLayout(row)
        sent_layout.addWidget(self.sent_table)

        # -- an office --------------------------------------------------------------
        self.communes_box = QGroupBox(self.tr("Các xã đã tin cậy"))
        self.trust_commune_button = QPushButton(self.tr("Nhập &chứng thư của xã…"))
        self.export_office_cert_button = QPushButton(self.tr("Xuất chứng t&hư của cơ quan…"))
        self.communes_table = QTableView()
        self.communes_table.setAccessibleName(self.tr("Các xã đã tin cậy"))
        self.communes_model = _list_model(
            [
                Column(tr("Đơn vị"), _partner_name, width=260),
                Column(tr("Mã"), lambda p: p.code, width=60),
                Column(tr("Gói cuối"), lambda p: str(p.last_sequence or ""), RIGHT, 70),
                Column(tr("Nhập lần cuối"), lambda p: local_time(p.last_imported_at), width=150),
                Column(
                    tr("Vân tay chứng thư"),
                    lambda p: grouped(p.fingerprint),
                    tooltip=lambda p: grouped(p.fingerprint, 8),
                ),
            ],
            lambda: [p for p in self.context.exchange.partners() if p.role in SENDER_ROLES],
            self,
        )
        set_up_list_view(self.communes_table, self.communes_model)
        row = QHBoxLayout()
        row.addWidget(self.trust_commune_button)
        row.addWidget(self.export_office_cert_button)
        row.addStretch(1)
        communes_layout = QVBoxLayout(self.communes_box)
        communes_layout.addLayout(row)
        communes_layout.addWidget(self.communes_table)

        self.received_box = QGroupBox(self.tr("Các gói đã nhận"))
        self.import_button = QPushButton(self.tr("&Nhập gói dữ liệu…"))
        self.import_button.setShortcut(QKeySequence("Ctrl+Shift+I"))
        self.import_button.setToolTip(self.tr("Nhập gói .xhht của xã từ USB (Ctrl+Shift+I)"))
        self.received_table = QTableView()
        self.received_table.setAccessibleName(self.tr("Các gói đã nhận"))
        self._names: dict[str, str] = {}
        self.received_model = _list_model(
            [
                Column(
                    tr("Đơn vị gửi"),
                    lambda r: self._names.get(r.commune_code, r.commune_code),
                    width=260,
                    tooltip=_received_tooltip,
                ),
                Column(tr("Gói số"), lambda r: str(r.sequence), RIGHT, 70),
                Column(tr("Năm"), lambda r: str(r.year), RIGHT, 60),
                Column(tr("Lập lúc"), lambda r: local_time(r.created_at), width=150),
                Column(tr("Nhập lúc"), lambda r: local_time(r.imported_at), width=150),
                Column(tr("Người nhập"), lambda r: r.imported_by, width=120),
                Column(
                    tr("Bản ghi thay đổi"), lambda r: format_thousands(_received_total(r)), RIGHT
                ),
            ],
            lambda: list(reversed(self.context.exchange.received())),
            self,
        )
        set_up_list_view(self.received_table, self.received_model)
        row = QHBoxLayout()
        row.addWidget(self.import_button)
        row.addStretch(1)
        received_layout = QVBoxLayout(self.received_box)
        received_layout.addLayout(row)
        received_layout.addWidget(self.received_table)

        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.intro)
        layout.addWidget(self.office_box)
        layout.addWidget(self.sent_box, 1)
        layout.addWidget(self.communes_box, 1)
        layout.addWidget(self.received_box, 1)

        self.trust_office_button.clicked.connect(
            lambda: self.trust_certificate(upper=self.role == "office")
        )
        self.trust_commune_button.clicked.connect(lambda: self.trust_certificate())
        self.export_cert_button.clicked.connect(lambda: self.export_certificate())
        self.export_office_cert_button.clicked.connect(lambda: self.export_certificate())
        self.export_button.clicked.connect(lambda: self.open_export_wizard())
        self.receipt_button.clicked.connect(lambda: self.import_receipt())
        self.import_button.clicked.connect(lambda: self.open_import_wizard())
        self.refresh()

    # -- state ------------------------------------------------------------------------

    def refresh(self) -> None:
        """Read the certificates and the ledger again; show what the role needs."""
        info = self.context.setup.installation()
        self.role = info.role if info is not None else ""
        commune = self.role == "commune"
        office = self.role == "office"
        self._label_buttons(office)
        self._follow_role()
        self.office_box.setVisible(commune or office)
        self.export_cert_button.setVisible(commune)
        # An office shows what it sent up only once it has an upper office (or sent).
        self.sent_box.setVisible(
            commune
            or (
                office
                and (
                    self.context.exchange.receiving_office() is not None
                    or bool(self.context.exchange.sent())
                )
            )
        )
        for widget in (self.communes_box, self.received_box):
            widget.setVisible(office)
        if commune:
            self.intro.setText(
                self.tr(
                    "Xã ghi gói dữ liệu (ký số, mã hóa) ra USB để mang lên cơ quan nhận; cơ quan "
                    "nhập gói và ghi giấy biên nhận lên USB; xã nhập giấy biên nhận để biết gói "
                    "đã được tiếp nhận."
                )
            )
            self._show_office()
            self.sent_model.reset()
        elif office:
            self.intro.setText(
                self.tr(
                    "Cơ quan nhập gói dữ liệu của các xã từ USB. Lần đầu nhận gói của một xã, "
                    "đối chiếu vân tay chứng thư với báo cáo giấy có chữ ký của xã. Cơ quan cấp "
                    "dưới gửi gói tổng hợp (dữ liệu các xã đã nhận) lên cơ quan cấp trên sau khi "
                    "nhập chứng thư của cơ quan cấp trên."
                )
            )
            senders = [p for p in self.context.exchange.partners() if p.role in SENDER_ROLES]
            self._names = {p.code: _partner_name(p) for p in senders}
            self.communes_box.setTitle(
                self.tr("Các xã và cơ quan cấp dưới đã tin cậy")
                if any(p.role == "sub_office" for p in senders)
                else self.tr("Các xã đã tin cậy")
            )
            self._show_office()
            self.communes_model.reset()
            self.received_model.reset()
            if self.sent_box.isVisibleTo(self):
                self.sent_model.reset()
        else:
            self.intro.setText(self.tr("Cơ sở dữ liệu chưa được thiết lập."))

    def _follow_role(self) -> None:
        """Grey out what the user's role may not do (the services refuse it anyway)."""
        may = self.context.may
        for button in (
            self.trust_office_button,
            self.export_cert_button,
            self.trust_commune_button,
            self.export_office_cert_button,
        ):
            button.setEnabled(may("sign"))
        self.export_button.setEnabled(may("export_package"))
        for button in (self.receipt_button, self.import_button):
            button.setEnabled(may("import_package"))

    def _label_buttons(self, office: bool) -> None:
        """An office's receiving office is the one above it: the same boxes, other words."""
        if office:
            self.office_box.setTitle(self.tr("Cơ quan cấp trên"))
            self.trust_office_button.setText(self.tr("Nhập chứng thư của cơ &quan cấp trên…"))
            self.sent_box.setTitle(self.tr("Các gói đã gửi lên cấp trên"))
            self.export_button.setText(self.tr("&Gửi gói tổng hợp lên cấp trên…"))
            self.export_button.setToolTip(
                self.tr("Ghi gói tổng hợp dữ liệu các xã ra USB cho cơ quan cấp trên (Ctrl+E)")
            )
        else:
            self.office_box.setTitle(self.tr("Cơ quan nhận"))
            self.trust_office_button.setText(self.tr("Nhập &chứng thư của cơ quan nhận…"))
            self.sent_box.setTitle(self.tr("Các gói đã xuất"))
            self.export_button.setText(self.tr("&Xuất gói dữ liệu…"))
            self.export_button.setToolTip(self.tr("Ghi gói dữ liệu ra USB (Ctrl+E)"))
        # setText drops the shortcut that is not an Alt mnemonic.
        self.export_button.setShortcut(QKeySequence("Ctrl+E"))

    def _upper(self) -> str:
        """Who receives this unit's packages, in words."""
        return self.tr("cơ quan cấp trên") if self.role == "office" else self.tr("cơ quan nhận")

    def _show_office(self) -> None:
        office = self.context.exchange.receiving_office()
        if office is None and self.role == "office":
            self.office_text.setText(
                self.tr(
                    "Chưa có chứng thư của cơ quan cấp trên. Chỉ cần khi cơ quan này gửi gói tổng "
                    "hợp lên cấp trên (ví dụ phòng, khu vực gửi lên Sở): xin cơ quan cấp trên tệp "
                    "chứng thư và nhập một lần; gói gửi lên được mã hóa cho cơ quan đó."
                )
            )
            self.office_text.setStyleSheet("")
            self.office_fingerprint.setVisible(False)
            return
        if office is None:
            self.office_text.setText(
                self.tr(
                    "Chưa có chứng thư của cơ quan nhận: gói xuất ra sẽ KHÔNG được mã hóa. Hãy "
                    "xin cơ quan nhận tệp chứng thư và nhập một lần."
                )
            )
            self.office_text.setStyleSheet(style.FIELD_MESSAGE)
            self.office_fingerprint.setVisible(False)
            return
        self.office_text.setStyleSheet("")
        self.office_text.setText(
            (
                self.tr(
                    "{name} — gói tổng hợp gửi lên được mã hóa cho cơ quan này. Đã tin cậy lúc "
                    "{when}. Vân tay chứng thư:"
                )
                if self.role == "office"
                else self.tr(
                    "{name} — gói xuất ra được mã hóa cho cơ quan này. Đã tin cậy lúc {when}. "
                    "Vân tay chứng thư:"
                )
            ).format(name=office.name, when=local_time(office.trusted_at))
        )
        self.office_fingerprint.setText(grouped(office.fingerprint, 8))
        self.office_fingerprint.setVisible(True)

    # -- messages ---------------------------------------------------------------------

    def message(self, icon: QMessageBox.Icon, title: str, text: str) -> QMessageBox:
        """Show a message without waiting for it."""
        box = QMessageBox(icon, title, text, QMessageBox.StandardButton.Ok, self)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()
        self.last_message = box
        return box

    def _refused(self, title: str, error: XhhtError) -> None:
        self.message(QMessageBox.Icon.Warning, title, error.message)

    # -- certificates -----------------------------------------------------------------

    def trust_certificate(self, path: Path | None = None, *, upper: bool = False) -> Partner | None:
        """Import a partner's certificate after the official confirmed its fingerprint.

        ``upper``: at an office, the file is its upper office's (the service
        tells an office's file from a commune's either way).
        """
        commune = self.role == "commune"
        if upper:
            title = self.tr("Nhập chứng thư của cơ quan cấp trên")
        elif commune:
            title = self.tr("Nhập chứng thư của cơ quan nhận")
        else:
            title = self.tr("Nhập chứng thư của xã")
        path = path or self.choose_certificate(self, Path.home())
        if path is None:
            return None
        try:
            info = self.context.exchange.certificate_file_info(path)
        except XhhtError as exc:
            self._refused(title, exc)
            return None
        who = info.organization or info.common_name
        question = self.tr(
            "Chứng thư của: {who}\nVân tay (SHA-256):\n{fingerprint}\n\nVân tay này có KHỚP với "
            "vân tay {source} cung cấp (trên văn bản giấy hoặc qua điện thoại) không?\nChỉ "
            "chọn «Có» khi từng nhóm số đều khớp."
        ).format(
            who=who,
            fingerprint=grouped(info.fingerprint, 8),
            source=self._upper() if commune or upper else self.tr("xã"),
        )
        if not self.confirm(self, title, question):
            return None
        try:
            partner = self.context.exchange.trust_certificate(path)
        except XhhtError as exc:
            self._refused(title, exc)
            return None
        self.refresh()
        text = self.tr("Đã tin cậy chứng thư của {name} (mã {code}).").format(
            name=partner.name, code=partner.code
        )
        if partner.role == "office":
            text += "\n" + (
                self.tr("Từ nay gói tổng hợp gửi lên được mã hóa cho cơ quan này.")
                if self.role == "office"
                else self.tr("Từ nay gói dữ liệu xuất ra được mã hóa cho cơ quan này.")
            )
        self.message(QMessageBox.Icon.Information, title, text)
        return partner

    def export_certificate(self, path: Path | None = None) -> Path | None:
        """Write this unit's certificate file for its partners."""
        title = self.tr("Xuất chứng thư")
        info = self.context.setup.installation()
        code = info.owner_code if info is not None else "xhht"
        path = path or self.choose_save_path(self, title, Path.home() / f"chung-thu-{code}.pem")
        if path is None:
            return None
        password = self.ask_key_password(self, title, self.tr("Mật khẩu khóa ký số của đơn vị:"))
        if password is None:
            return None
        try:
            bundle = self.context.exchange.export_certificate(path, password)
        except XhhtError as exc:
            self._refused(title, exc)
            return None
        self.message(
            QMessageBox.Icon.Information,
            title,
            self.tr(
                "Đã ghi tệp chứng thư: {path}\nVân tay (SHA-256):\n{fingerprint}\n\nGửi tệp này "
                "cho {partner}, kèm vân tay trên văn bản giấy để đối chiếu."
            ).format(
                path=path,
                fingerprint=grouped(fingerprint(bundle.signing), 8),
                partner=self.tr("cơ quan nhận") if self.role == "commune" else self.tr("các xã"),
            ),
        )
        return path

    # -- receipts ---------------------------------------------------------------------

    def import_receipt(self, path: Path | None = None) -> Sent | None:
        """Import the office's receipt; an unknown office's fingerprint is asked first."""
        title = self.tr("Nhập giấy biên nhận")
        path = path or self.choose_receipt(self, Path.home())
        if path is None:
            return None
        exchange = self.context.exchange
        try:
            try:
                sent = exchange.import_receipt(path)
            except SenderNotTrusted as untrusted:
                question = self.tr(
                    "Giấy biên nhận được ký bởi {office} với chứng thư chưa được tin cậy trên "
                    "máy này.\nVân tay (SHA-256):\n{fingerprint}\n\nVân tay này có KHỚP với vân "
                    "tay {upper} cung cấp không?"
                ).format(
                    office=untrusted.unit_name,
                    fingerprint=grouped(untrusted.fingerprint, 8),
                    upper=self._upper(),
                )
                if not self.confirm(self, title, question):
                    return None
                sent = exchange.import_receipt(path, accept_fingerprint=untrusted.fingerprint)
        except XhhtError as exc:
            self._refused(title, exc)
            return None
        self.refresh()
        self.message(
            QMessageBox.Icon.Information,
            title,
            self.tr("Gói số {sequence} (năm {year}): {status}.").format(
                sequence=sent.sequence, year=sent.year, status=sent_status(sent)
            ),
        )
        return sent

    # -- wizards ----------------------------------------------------------------------

    def open_export_wizard(self) -> ExportWizard | None:
        """Xuất gói dữ liệu… (at an office: its consolidated package up), without blocking."""
        if self.role not in ("commune", "office"):
            return None
        wizard = ExportWizard(
            self.context, self, list_drives=self.list_drives, choose_folder=self.choose_folder
        )
        wizard.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        wizard.package_exported.connect(lambda _result: self.refresh())
        wizard.open()
        self.wizard = wizard
        return wizard

    def open_import_wizard(self, package: Path | None = None) -> PackageImportWizard | None:
        """Nhập gói dữ liệu…, without blocking; ``package`` starts chosen."""
        if self.role != "office":
            if package is not None:
                self.message(
                    QMessageBox.Icon.Warning,
                    self.tr("Nhập gói dữ liệu"),
                    self.tr("Chỉ cơ quan tổng hợp mới nhập gói dữ liệu của xã; máy này là của xã."),
                )
            return None
        wizard = PackageImportWizard(
            self.context,
            self,
            package=package,
            list_drives=self.list_drives,
            choose_file=self.choose_package,
        )
        wizard.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        wizard.package_imported.connect(self._imported)
        wizard.open()
        self.wizard = wizard
        return wizard

    def _imported(self, _result: object) -> None:
        self.refresh()
        self.data_changed.emit()
