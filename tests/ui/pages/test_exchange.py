"""The "Trao đổi dữ liệu" page and its wizards, driven by keyboard on real databases.

A commune (30 demo persons) exports its package to a "stick" (a temporary
folder listed as a removable drive), its office imports it through the
wizard after confirming the commune's fingerprint, and the commune imports
the office's receipt. Refusals (a tampered package, a fingerprint not
confirmed, a full stick) are checked against the databases and the folder.
"""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import threading
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget, QWizard

from xhht_desktop.errors import PackageRefused
from xhht_desktop.exchange.drives import RemovableDrive
from xhht_desktop.store import files
from xhht_desktop.ui.exchange import export_wizard, import_wizard
from xhht_desktop.ui.exchange.common import grouped
from xhht_desktop.ui.main_window import PAGES, MainWindow
from xhht_desktop.ui.pages.exchange import ExchangePage
from xhht_desktop.ui.table_models import format_thousands

SHOTS = Path("/tmp/shots")
CTRL = Qt.KeyboardModifier.ControlModifier
ALT = Qt.KeyboardModifier.AltModifier
SAFE = "Đã ghi và kiểm tra xong. An toàn để rút USB."
TIMEOUT = 30_000


def shot(widget: QWidget, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    widget.grab().save(str(SHOTS / f"exchange_{name}.png"))


def stick(folder: Path) -> RemovableDrive:
    folder.mkdir(parents=True, exist_ok=True)
    return RemovableDrive(folder, "USB CÁN BỘ", 3_435_973_837, 16_000_000_000)


def active_wizard(qtbot, page: ExchangePage) -> QWizard:
    # A button's shortcut clicks it a moment later (animateClick).
    qtbot.waitUntil(lambda: page.wizard is not None)
    wizard = page.wizard
    assert wizard is not None
    qtbot.waitExposed(wizard)
    qtbot.waitUntil(wizard.isActiveWindow)
    return wizard


def enter(qtbot, keyboard, wizard: QWizard, page_id: int) -> None:
    """Press Enter (the wizard's default button) and wait for page ``page_id``."""
    keyboard.press(Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: wizard.currentId() == page_id)


def close_message(qtbot, page: ExchangePage) -> str:
    box = page.last_message
    assert box is not None
    text = box.text()
    box.done(0)
    page.activateWindow()
    qtbot.waitUntil(page.isActiveWindow)
    # Offscreen, the focus stays on the closed box's button; a desktop gives it back.
    page.focusNextChild()
    qtbot.waitUntil(lambda: page.isAncestorOf(page.focusWidget()))
    return text


def export_to(units, folder: Path, name: str = "goi.xhht"):
    folder.mkdir(parents=True, exist_ok=True)
    return units.commune.exchange.export_package(folder / name, units.password)


# --- the commune ------------------------------------------------------------------------


def test_commune_trusts_its_office_then_exports_to_the_stick(
    qtbot, keyboard, show, exchange_units, tmp_path: Path
) -> None:
    units = exchange_units
    usb = tmp_path / "usb"
    asked: list[str] = []

    def confirm(_parent, _title, text):
        asked.append(text)
        return True

    page = ExchangePage(units.commune, list_drives=lambda: [stick(usb)], confirm=confirm)
    page.resize(1000, 700)
    show(page)
    assert page.office_box.isVisible() and not page.received_box.isVisible()
    assert "KHÔNG được mã hóa" in page.office_text.text()
    shot(page, "commune_page_no_office")

    partner = page.trust_certificate(units.office_certificate)
    assert partner is not None and partner.role == "office"
    assert grouped(partner.fingerprint, 8) in asked[0]  # shown before it was trusted
    assert page.office_fingerprint.text() == grouped(partner.fingerprint, 8)
    assert units.commune.exchange.receiving_office() == partner
    close_message(qtbot, page)

    keyboard.press(Qt.Key.Key_E, CTRL)
    wizard = active_wizard(qtbot, page)
    assert isinstance(wizard, export_wizard.ExportWizard)
    assert wizard.currentId() == export_wizard.PAGE_YEAR
    assert wizard.year() == 2026
    assert units.office.setup.require().office_name in wizard.year_page.recipient.text()
    shot(wizard, "export_1_year")

    enter(qtbot, keyboard, wizard, export_wizard.PAGE_DESTINATION)
    places = wizard.destination_page.places
    assert places.list.count() == 1
    assert "USB CÁN BỘ" in places.list.item(0).text() and "3,2 GB" in places.list.item(0).text()
    target = wizard.target()
    assert target is not None and target.parent == usb and target.suffix == ".xhht"
    shot(wizard, "export_2_destination")

    enter(qtbot, keyboard, wizard, export_wizard.PAGE_PASSWORD)
    keyboard.type(units.password)
    shot(wizard, "export_3_password")
    enter(qtbot, keyboard, wizard, export_wizard.PAGE_WRITE)
    write = wizard.write_page
    qtbot.waitUntil(lambda: write.result is not None or bool(write.error), timeout=TIMEOUT)
    assert write.error == ""
    shot(wizard, "export_4_written")

    result = write.result
    assert result is not None and result.path == target and target.is_file()
    assert write.safe.text() == SAFE
    details = write.details.text()
    assert target.name in details and "Gói số: 1" in details
    assert grouped(result.package_sha256, 8) in details
    assert sorted(p.name for p in usb.iterdir()) == [target.name]  # no temporary file left
    sent = units.commune.exchange.sent()
    assert [(s.sequence, s.package_sha256) for s in sent] == [(1, result.package_sha256)]
    check = units.commune.exchange.verify_package(target, units.password)
    assert check.encrypted and check.manifest.counts["persons"] == 30

    keyboard.press(Qt.Key.Key_Return)  # Xong
    qtbot.waitUntil(lambda: not wizard.isVisible())
    assert page.sent_model.rowCount() == 1
    assert page.sent_model.index(0, 4).data() == "Chưa có giấy biên nhận"


def test_a_full_stick_says_so_and_leaves_no_file_then_a_retry_works(
    qtbot, keyboard, show, exchange_units, tmp_path: Path, request
) -> None:
    units = exchange_units
    folder = tmp_path / "full-stick"
    folder.mkdir()
    page = ExchangePage(
        units.commune, list_drives=lambda: [], choose_folder=lambda _parent, _start: folder
    )
    show(page)
    # Its own encryption key exists already (made at its first export), so the
    # one write that fails is the package's.
    identity = units.commune.signing.load_identity(units.password)
    try:
        units.commune.exchange.encryption_certificate(identity, units.password)
    finally:
        identity.close()
    before = units.commune.exchange.sent()
    hit: list[list[str]] = []
    full = files.Fault(
        "write",
        OSError(errno.ENOSPC, os.strerror(errno.ENOSPC)),
        # The content went into the temporary file; the stick is full before it is synced.
        action=lambda path: hit.append(sorted(p.name for p in path.parent.iterdir())),
    )
    stack = contextlib.ExitStack()
    request.addfinalizer(stack.close)  # a failing assertion must not leave the fault armed
    stack.enter_context(files.injected(full))

    wizard = page.open_export_wizard()
    assert wizard is not None
    active_wizard(qtbot, page)
    assert "KHÔNG được mã hóa" in wizard.year_page.recipient.text()
    enter(qtbot, keyboard, wizard, export_wizard.PAGE_DESTINATION)
    places = wizard.destination_page.places
    assert places.list.count() == 0 and not places.empty.isHidden()
    keyboard.press(Qt.Key.Key_C, ALT)  # Chọn thư mục khác…
    qtbot.waitUntil(lambda: places.chosen() == folder)
    enter(qtbot, keyboard, wizard, export_wizard.PAGE_PASSWORD)
    keyboard.type(units.password)
    enter(qtbot, keyboard, wizard, export_wizard.PAGE_WRITE)
    write = wizard.write_page
    qtbot.waitUntil(lambda: bool(write.error) or write.result is not None, timeout=TIMEOUT)
    shot(wizard, "export_5_full_stick")

    assert write.result is None and write.safe.text() == ""
    assert "đã đầy" in write.problem.text()
    assert "Không có tệp nào được để lại" in write.problem.text()
    assert len(hit) == 1 and hit[0][0].endswith(".partial")  # it failed writing the package
    assert list(folder.iterdir()) == []  # neither the package nor the half-written file
    assert units.commune.exchange.sent() == before
    assert not wizard.button(QWizard.WizardButton.FinishButton).isEnabled()

    # The official frees some space and tries again from the password page.
    stack.close()
    assert write.back_button.hasFocus()
    keyboard.press(Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: wizard.currentId() == export_wizard.PAGE_PASSWORD)
    wizard.password_page.password.setFocus()
    enter(qtbot, keyboard, wizard, export_wizard.PAGE_WRITE)
    qtbot.waitUntil(lambda: write.result is not None or bool(write.error), timeout=TIMEOUT)
    assert write.safe.text() == SAFE
    assert [p.suffix for p in folder.iterdir()] == [".xhht"]
    assert [s.sequence for s in units.commune.exchange.sent()] == [1]


def test_a_wrong_password_is_said_on_the_page_and_writes_nothing(
    qtbot, keyboard, show, exchange_units, tmp_path: Path
) -> None:
    units = exchange_units
    usb = tmp_path / "usb"
    page = ExchangePage(units.commune, list_drives=lambda: [stick(usb)])
    show(page)
    wizard = page.open_export_wizard()
    assert wizard is not None
    active_wizard(qtbot, page)
    enter(qtbot, keyboard, wizard, export_wizard.PAGE_DESTINATION)
    enter(qtbot, keyboard, wizard, export_wizard.PAGE_PASSWORD)
    keyboard.type("sai-mat-khau")
    enter(qtbot, keyboard, wizard, export_wizard.PAGE_WRITE)
    write = wizard.write_page
    qtbot.waitUntil(lambda: bool(write.error), timeout=TIMEOUT)
    assert "Sai mật khẩu" in write.problem.text()
    assert list(usb.iterdir()) == [] and units.commune.exchange.sent() == []


# --- the office -------------------------------------------------------------------------


def test_office_imports_through_the_wizard_and_the_commune_gets_the_receipt(
    qtbot, keyboard, show, exchange_units, tmp_path: Path
) -> None:
    units = exchange_units
    usb = tmp_path / "usb"
    units.commune.exchange.trust_certificate(units.office_certificate)
    exported = export_to(units, usb)
    signer = units.commune.signing.info()
    assert signer is not None

    page = ExchangePage(units.office, list_drives=lambda: [stick(usb)])
    page.resize(1000, 700)
    show(page)
    assert page.received_box.isVisible() and not page.sent_box.isVisible()
    keyboard.press(Qt.Key.Key_I, CTRL | Qt.KeyboardModifier.ShiftModifier)
    wizard = active_wizard(qtbot, page)
    assert isinstance(wizard, import_wizard.PackageImportWizard)
    places = wizard.choose_page.places
    assert places.list.count() == 1 and places.chosen() == exported.path
    assert "goi.xhht — trên USB CÁN BỘ" in places.list.item(0).text()
    keyboard.press(Qt.Key.Key_M, ALT)  # Mật khẩu
    keyboard.type(units.password)
    shot(wizard, "import_1_choose")

    enter(qtbot, keyboard, wizard, import_wizard.PAGE_CHECK)
    check = wizard.check_page
    qtbot.waitUntil(check.isComplete, timeout=TIMEOUT)
    assert check.untrusted is not None  # a first package: the sender is not trusted yet
    assert "Cần xác nhận vân tay" in check.status.text()
    shot(wizard, "import_2_check")

    enter(qtbot, keyboard, wizard, import_wizard.PAGE_FINGERPRINT)
    fingerprint_page = wizard.fingerprint_page
    assert fingerprint_page.fingerprint.text() == grouped(signer.fingerprint, 4)
    assert not wizard.button(QWizard.WizardButton.NextButton).isEnabled()
    keyboard.type(signer.fingerprint[:9])
    assert fingerprint_page.typed_note.text() == "Khớp đến đây…"
    keyboard.type(signer.fingerprint[9:])
    assert fingerprint_page.typed_note.text() == "Khớp."
    assert fingerprint_page.confirmed.isChecked()
    shot(wizard, "import_3_fingerprint")

    enter(qtbot, keyboard, wizard, import_wizard.PAGE_PREVIEW)
    preview = wizard.preview_page
    qtbot.waitUntil(preview.isComplete, timeout=TIMEOUT)
    shot(wizard, "import_4_preview")
    counts = preview.counts()
    assert {entity: c["new"] for entity, c in counts.items()} == {
        entity: exported.counts[entity] for entity in counts
    }
    assert all(c["updated"] == c["deleted"] == c["unchanged"] == 0 for c in counts.values())
    persons_row = next(
        row for row, change in enumerate(preview.model.changes) if change.entity == "persons"
    )
    assert preview.model.index(persons_row, 1).data() == format_thousands(30)
    assert any("Đã tin cậy chứng thư" in w for w in preview.incoming.warnings)
    assert units.office.exchange.commune_counts("24717")["persons"] == 0  # nothing stored yet

    enter(qtbot, keyboard, wizard, import_wizard.PAGE_IMPORT)
    done = wizard.import_page
    qtbot.waitUntil(lambda: done.result is not None or bool(done.error), timeout=TIMEOUT)
    shot(wizard, "import_5_done")
    assert done.error == ""
    receipt = usb / "goi.xhht.receipt"
    assert receipt.is_file() and receipt.name in done.done.text()
    assert units.office.exchange.commune_counts("24717") == units.commune.exchange.commune_counts(
        "24717"
    )
    keyboard.press(Qt.Key.Key_Return)  # Xong
    qtbot.waitUntil(lambda: not wizard.isVisible())
    assert page.communes_model.rowCount() == 1
    assert page.communes_model.index(0, 4).data() == signer.fingerprint
    assert page.received_model.rowCount() == 1
    assert page.received_model.index(0, 1).data() == "1"
    shot(page, "office_page")

    # Back at the commune: the receipt says the office accepted package 1.
    commune_page = ExchangePage(units.commune, choose_receipt=lambda _parent, _start: receipt)
    commune_page.resize(1000, 700)
    show(commune_page)
    sent = commune_page.import_receipt()
    assert sent is not None and sent.accepted
    status = commune_page.sent_model.index(0, 4).data()
    assert status.startswith(f"Đã được {units.office.setup.require().office_name} tiếp nhận ngày ")
    assert units.commune.exchange.sent()[0].receipt_fingerprint is not None
    shot(commune_page, "commune_page_receipt")


def test_a_receipt_from_an_unknown_office_asks_for_its_fingerprint(
    qtbot, show, exchange_units, tmp_path: Path
) -> None:
    units = exchange_units
    exported = export_to(units, tmp_path / "usb")  # not encrypted: no office certificate
    signer = units.commune.signing.info()
    assert signer is not None
    result = units.office.exchange.import_package(
        exported.path, units.password, accept_fingerprint=signer.fingerprint
    )
    assert result.receipt is not None
    answers = [False, True]
    asked: list[str] = []

    def confirm(_parent, _title, text):
        asked.append(text)
        return answers.pop(0)

    page = ExchangePage(
        units.commune, choose_receipt=lambda _parent, _start: result.receipt, confirm=confirm
    )
    show(page)
    assert page.import_receipt() is None  # refused: nothing recorded
    assert not units.commune.exchange.sent()[0].accepted
    office_fingerprint = units.office.signing.info()
    assert office_fingerprint is not None
    assert grouped(office_fingerprint.fingerprint, 8) in asked[0]
    sent = page.import_receipt()
    assert sent is not None and sent.accepted
    assert page.sent_model.index(0, 4).data().startswith("Đã được ")


def test_a_tampered_package_is_refused_and_the_office_database_is_unchanged(
    qtbot, keyboard, show, exchange_units, dump_db, tmp_path: Path
) -> None:
    units = exchange_units
    units.commune.exchange.trust_certificate(units.office_certificate)
    path = export_to(units, tmp_path / "usb").path
    raw = bytearray(path.read_bytes())
    raw[len(raw) // 2] ^= 0x01
    path.write_bytes(bytes(raw))
    with pytest.raises(PackageRefused) as refused:
        units.office.exchange.open_package(path, units.password)
    before = dump_db(units.office)

    page = ExchangePage(units.office, list_drives=lambda: [])
    show(page)
    wizard = page.open_import_wizard(path)  # as when the file is double-clicked
    assert wizard is not None
    active_wizard(qtbot, page)
    assert wizard.package_path() == path
    qtbot.waitUntil(wizard.choose_page.password.hasFocus)
    keyboard.type(units.password)
    enter(qtbot, keyboard, wizard, import_wizard.PAGE_CHECK)
    check = wizard.check_page
    qtbot.waitUntil(lambda: bool(check.error), timeout=TIMEOUT)
    shot(wizard, "import_6_refused")
    assert check.problem.text() == refused.value.message
    assert "từ chối" in check.status.text()
    assert not wizard.button(QWizard.WizardButton.NextButton).isEnabled()
    keyboard.press(Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not wizard.isVisible())
    assert dump_db(units.office) == before


def test_a_fingerprint_not_confirmed_stores_nothing(
    qtbot, keyboard, show, exchange_units, dump_db, tmp_path: Path
) -> None:
    units = exchange_units
    path = export_to(units, tmp_path / "usb").path
    before = dump_db(units.office)
    page = ExchangePage(units.office, list_drives=lambda: [stick(tmp_path / "usb")])
    show(page)
    wizard = page.open_import_wizard()
    assert wizard is not None
    active_wizard(qtbot, page)
    assert wizard.package_path() == path
    wizard.choose_page.password.setFocus()
    keyboard.type(units.password)
    enter(qtbot, keyboard, wizard, import_wizard.PAGE_CHECK)
    qtbot.waitUntil(wizard.check_page.isComplete, timeout=TIMEOUT)
    enter(qtbot, keyboard, wizard, import_wizard.PAGE_FINGERPRINT)
    keyboard.type("0000")
    assert "KHÔNG khớp" in wizard.fingerprint_page.typed_note.text()
    keyboard.press(Qt.Key.Key_Return)  # Next stays disabled: nothing happens
    assert wizard.currentId() == import_wizard.PAGE_FINGERPRINT
    keyboard.press(Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not wizard.isVisible())
    assert dump_db(units.office) == before
    assert units.office.exchange.partners() == []


# --- the main window --------------------------------------------------------------------


def test_the_page_follows_reports_and_a_package_file_opens_the_wizard(
    qtbot, exchange_units, tmp_path: Path
) -> None:
    units = exchange_units
    path = export_to(units, tmp_path / "usb").path
    window = MainWindow(units.office)
    qtbot.addWidget(window)
    titles = [window.navigation.item(row).text() for row in range(window.navigation.count())]
    assert titles[titles.index("Báo cáo") + 1] == "Trao đổi dữ liệu"
    assert PAGES[-1].key == "exchange"
    wizard = window.open_package_file(path)
    assert isinstance(wizard, import_wizard.PackageImportWizard)
    qtbot.waitExposed(wizard)
    assert wizard.package_path() == path
    assert isinstance(window.stack.currentWidget().findChild(ExchangePage), ExchangePage)
    wizard.reject()

    commune_window = MainWindow(units.commune)
    qtbot.addWidget(commune_window)
    assert commune_window.open_package_file(path) is None


def test_certificates_go_both_ways_after_the_fingerprint_is_confirmed(
    qtbot, show, exchange_units, tmp_path: Path
) -> None:
    units = exchange_units
    out = tmp_path / "usb" / "chung-thu-xa.pem"
    commune_page = ExchangePage(
        units.commune, ask_key_password=lambda _parent, _title, _label: units.password
    )
    show(commune_page)
    assert commune_page.export_certificate(out) == out and out.is_file()
    signer = units.commune.signing.info()
    assert signer is not None
    assert grouped(signer.fingerprint, 8) in close_message(qtbot, commune_page)

    answers = [False, True]
    office_page = ExchangePage(
        units.office,
        choose_certificate=lambda _parent, _start: out,
        confirm=lambda _parent, _title, _text: answers.pop(0),
    )
    show(office_page)
    assert office_page.trust_certificate() is None  # "Không": nothing trusted
    assert units.office.exchange.partners() == []
    partner = office_page.trust_certificate()
    assert partner is not None and partner.code == "24717"
    assert office_page.communes_model.rowCount() == 1
    assert office_page.communes_model.index(0, 0).data() == partner.name

    # A wrong password says so and writes no file.
    wrong = ExchangePage(units.commune, ask_key_password=lambda *_args: "sai-mat-khau")
    show(wrong)
    assert wrong.export_certificate(tmp_path / "khac.pem") is None
    assert "Sai mật khẩu" in close_message(qtbot, wrong)
    assert not (tmp_path / "khac.pem").exists()


def test_while_the_stick_is_written_the_wizard_stays_and_a_pulled_stick_is_said(
    qtbot, keyboard, show, exchange_units, tmp_path: Path, request
) -> None:
    units = exchange_units
    usb = tmp_path / "usb"
    writing, release = threading.Event(), threading.Event()

    def pull_out(path: Path) -> None:
        writing.set()
        release.wait(TIMEOUT / 1000)
        shutil.rmtree(path.parent)  # the stick leaves with the half-written file

    page = ExchangePage(units.commune, list_drives=lambda: [stick(usb)])
    show(page)
    # Its own encryption key exists already, so the write that fails is the package's.
    identity = units.commune.signing.load_identity(units.password)
    try:
        units.commune.exchange.encryption_certificate(identity, units.password)
    finally:
        identity.close()
    pulled = files.Fault("sync", OSError(errno.EIO, os.strerror(errno.EIO)), action=pull_out)
    stack = contextlib.ExitStack()
    request.addfinalizer(stack.close)
    request.addfinalizer(release.set)
    stack.enter_context(files.injected(pulled))

    wizard = page.open_export_wizard()
    assert wizard is not None
    active_wizard(qtbot, page)
    enter(qtbot, keyboard, wizard, export_wizard.PAGE_DESTINATION)
    enter(qtbot, keyboard, wizard, export_wizard.PAGE_PASSWORD)
    keyboard.type(units.password)
    enter(qtbot, keyboard, wizard, export_wizard.PAGE_WRITE)
    qtbot.waitUntil(writing.is_set, timeout=TIMEOUT)
    write = wizard.write_page
    assert write.running() and "Chưa rút USB" in write.status.text()
    assert not wizard.button(QWizard.WizardButton.CancelButton).isEnabled()
    keyboard.press(Qt.Key.Key_Escape)  # closing now would invite pulling the stick
    assert wizard.isVisible()
    release.set()
    qtbot.waitUntil(lambda: bool(write.error), timeout=TIMEOUT)
    assert "rút ra" in write.problem.text() and write.safe.text() == ""
    assert not usb.exists() and units.commune.exchange.sent() == []
    keyboard.press(Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not wizard.isVisible())


def test_a_wrong_office_password_is_said_before_anything_is_read(
    qtbot, keyboard, show, exchange_units, tmp_path: Path
) -> None:
    units = exchange_units
    path = export_to(units, tmp_path / "usb").path  # not encrypted: readable without a key
    page = ExchangePage(units.office, list_drives=lambda: [])
    show(page)
    wizard = page.open_import_wizard(path)
    assert wizard is not None
    active_wizard(qtbot, page)
    qtbot.waitUntil(wizard.choose_page.password.hasFocus)
    keyboard.type("sai-mat-khau")
    enter(qtbot, keyboard, wizard, import_wizard.PAGE_CHECK)
    check = wizard.check_page
    qtbot.waitUntil(lambda: bool(check.error), timeout=TIMEOUT)
    assert "Sai mật khẩu" in check.problem.text()
    assert wizard.button(QWizard.WizardButton.BackButton).isEnabled()
    assert units.office.exchange.partners() == [] and units.office.exchange.received() == []


def test_a_data_entry_clerk_sees_the_exchange_buttons_greyed_out(qtbot, exchange_units) -> None:
    from xhht_desktop.context import Actor

    units = exchange_units
    for context, buttons in (
        (units.commune, ("export_button", "receipt_button", "trust_office_button")),
        (units.office, ("import_button", "trust_commune_button", "export_office_cert_button")),
    ):
        context.actor = Actor("nhaplieu", "data_entry", "u-1")
        page = ExchangePage(context)
        qtbot.addWidget(page)
        assert [getattr(page, name).isEnabled() for name in buttons] == [False] * 3
        # The approver who takes over at the lock screen gets them back on refresh.
        context.actor = Actor("pheduyet", "approver", "u-2")
        page.refresh()
        assert [getattr(page, name).isEnabled() for name in buttons] == [True] * 3
