"""The reports page, driven by keyboard offscreen: preview, print, save, sign, cancel."""

from __future__ import annotations

from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QPushButton

from xhht_desktop.context import Actor, open_context
from xhht_desktop.services.demo import DemoService
from xhht_desktop.ui.pages.reports import ReportsPage

YEAR = 2026
PASSWORD = "mật-khẩu-ký-số"
TIMEOUT = 60_000


@pytest.fixture
def commune(context):
    """A generated commune with its year of learning models and decisions."""
    DemoService(context).generate(persons=600, seed=11, year=YEAR)
    assert context.learning_models.decisions(YEAR)
    return context


class Dialogs:
    """The page's questions, answered by the test: where to save, the printer, the password."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.saved_to: list[Path] = []
        self.printed_to: list[Path] = []
        self.passwords_asked = 0
        self.password: str | None = PASSWORD

    def save_path(self, _parent, _title, suggested: Path, fmt: str) -> Path:
        assert suggested.suffix == f".{fmt}"
        path = self.folder / suggested.name
        self.saved_to.append(path)
        return path

    def printer(self, _parent, printer: QPrinter) -> bool:
        path = self.folder / f"in-{len(self.printed_to) + 1}.pdf"
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(path))
        self.printed_to.append(path)
        return True

    def ask_password(self, _parent, _title, label: str) -> str | None:
        assert "Mật khẩu" in label
        self.passwords_asked += 1
        return self.password


@pytest.fixture
def dialogs(tmp_path) -> Dialogs:
    folder = tmp_path / "out"
    folder.mkdir()
    return Dialogs(folder)


@pytest.fixture
def make_page(show, dialogs):
    def make(context) -> ReportsPage:
        page = ReportsPage(
            context,
            choose_save_path=dialogs.save_path,
            choose_printer=dialogs.printer,
            ask_key_password=dialogs.ask_password,
        )
        page.resize(1100, 760)
        show(page)
        page.kind.setFocus()
        return page

    return make


def _choose_by_keyboard(page: ReportsPage, keyboard, code: str) -> None:
    """Arrow through the catalogue, as a user does, to the report ``code``."""
    assert keyboard.focused() is page.kind
    for _ in range(page.kind.count()):
        if page.kind.currentData() == code:
            return
        keyboard.press(Qt.Key.Key_Down)
    assert page.kind.currentData() == code


def _tab_to(keyboard, widget) -> None:
    for _ in range(12):
        if keyboard.focused() is widget:
            return
        keyboard.press(Qt.Key.Key_Tab)
    assert keyboard.focused() is widget


def test_choose_by_keyboard_preview_and_turn_pages(commune, make_page, keyboard, qtbot):
    page = make_page(commune)
    # The whole catalogue is listed; a report not available yet cannot be chosen.
    kinds = commune.reports.kinds()
    assert [page.kind.itemData(i) for i in range(page.kind.count())] == [k.code for k in kinds]
    for i, kind in enumerate(kinds):
        assert page.kind.model().item(i).isEnabled() == kind.supported
    _choose_by_keyboard(page, keyboard, "quyet-dinh")
    decision = page.option_boxes["decision"]
    assert decision.isVisible()
    latest = commune.reports.choices("quyet-dinh", "decision")[0]
    assert (decision.currentData(), decision.currentText()) == latest
    _tab_to(keyboard, page.preview_button)
    with qtbot.waitSignal(page.preview_shown, timeout=TIMEOUT) as shown:
        keyboard.press(Qt.Key.Key_Space)
    made = page.previewed.file
    assert shown.args == [made.pages]
    assert page.preview.document.pageCount() == made.pages == len(PdfReader(made.path).pages)
    assert made.pages >= 2
    assert page.page_label.text().startswith(f"Trang 1/{made.pages}")
    # The pages have the focus; Page Down and Up turn them.
    assert keyboard.focused() is page.preview.view
    keyboard.press(Qt.Key.Key_PageDown)
    assert page.preview.current_page() == 1
    assert page.page_label.text().startswith(f"Trang 2/{made.pages}")
    keyboard.press(Qt.Key.Key_End)
    assert page.preview.current_page() == made.pages - 1
    keyboard.press(Qt.Key.Key_PageDown)
    assert page.preview.current_page() == made.pages - 1
    keyboard.press(Qt.Key.Key_Home)
    keyboard.press(Qt.Key.Key_PageUp)
    assert page.preview.current_page() == 0


def test_a_new_preview_replaces_the_old_file(commune, make_page, keyboard, qtbot):
    page = make_page(commune)
    _choose_by_keyboard(page, keyboard, "mo-hinh")
    with qtbot.waitSignal(page.preview_shown, timeout=TIMEOUT):
        page.show_preview()
    first = page.previewed.file.path
    keyboard.press(Qt.Key.Key_L, Qt.KeyboardModifier.AltModifier)  # "&Loại báo cáo"
    assert keyboard.focused() is page.kind
    keyboard.press(Qt.Key.Key_Down)  # xoa-mu-chu
    assert page.kind.currentData() == "xoa-mu-chu"
    with qtbot.waitSignal(page.preview_shown, timeout=TIMEOUT):
        page.show_preview()
    assert not first.exists()
    assert [p.name for p in page.preview_folder.iterdir()] == [page.previewed.file.path.name]


def test_save_writes_the_chosen_format(commune, make_page, keyboard, qtbot, dialogs):
    page = make_page(commune)
    _choose_by_keyboard(page, keyboard, "mo-hinh")
    _tab_to(keyboard, page.format)
    keyboard.press(Qt.Key.Key_Down)
    assert page.current_format() == "xlsx"
    with qtbot.waitSignal(page.report_saved, timeout=TIMEOUT) as saved:
        keyboard.press(Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    made = saved.args[0]
    assert dialogs.saved_to == [made.path] == [dialogs.folder / f"mo-hinh-{YEAR}.xlsx"]
    assert (made.kind, made.format, made.year) == ("mo-hinh", "xlsx", YEAR)
    assert made.path.read_bytes()[:2] == b"PK"
    assert str(made.path) in page.status.text()
    # Only the file: nothing half-written is left beside it.
    assert [p.name for p in dialogs.folder.iterdir()] == [made.path.name]


def test_print_sends_every_page_in_the_documents_orientation(
    commune, make_page, keyboard, qtbot, dialogs
):
    page = make_page(commune)
    _choose_by_keyboard(page, keyboard, "xoa-mu-chu")  # wide tables: landscape
    # Printing first makes the preview it prints.
    with qtbot.waitSignal(page.preview_shown, timeout=TIMEOUT):
        keyboard.press(Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: bool(dialogs.printed_to) and dialogs.printed_to[0].exists())
    printed = PdfReader(dialogs.printed_to[0])
    assert len(printed.pages) == page.previewed.file.pages
    box = printed.pages[0].mediabox
    assert float(box.width) > float(box.height)
    assert float(box.width) == pytest.approx(297 / 25.4 * 72, abs=2)
    assert "Đã gửi" in page.status.text()


def test_sign_as_admin_saves_signs_and_verifies(commune, make_page, keyboard, qtbot, dialogs):
    info = commune.signing.create_certificate(PASSWORD, key_type="ec")
    page = make_page(commune)
    _choose_by_keyboard(page, keyboard, "quyet-dinh")
    with qtbot.waitSignal(page.report_signed, timeout=TIMEOUT) as signed:
        keyboard.press(Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)
    assert dialogs.passwords_asked == 1
    path = dialogs.saved_to[0]
    assert path.name == f"quyet-dinh-{YEAR}.pdf"
    assert signed.args[0].intact
    checked = commune.signing.verify(path)
    assert checked.intact and checked.trusted
    text = page.last_message.text()
    assert "còn nguyên vẹn" in text
    assert info.fingerprint in text
    # The stamp is in the signature space of the decision, not on the list after it.
    reader = PdfReader(path)
    stamped = [
        number
        for number, pdf_page in enumerate(reader.pages)
        if any(a.get_object().get("/FT") == "/Sig" for a in pdf_page.get("/Annots", []))
    ]
    assert stamped == [page.saved.file.signature_page]
    assert stamped[0] < len(reader.pages) - 1


def test_a_wrong_password_is_said_in_vietnamese(commune, make_page, qtbot, dialogs):
    commune.signing.create_certificate(PASSWORD, key_type="ec")
    page = make_page(commune)
    dialogs.password = "sai"
    with qtbot.waitSignal(page.job_failed, timeout=TIMEOUT) as failed:
        page.sign_report()
    assert "mật khẩu" in failed.args[0].lower()
    path = dialogs.saved_to[0]
    assert commune.signing.verify(path).status.name == "UNSIGNED"


def test_a_data_entry_user_is_refused_signing(commune, make_page, qtbot, dialogs):
    commune.signing.create_certificate(PASSWORD, key_type="ec")
    clerk = open_context(commune.settings, Actor("test:data_entry", "data_entry"))
    try:
        page = make_page(clerk)
        assert "phê duyệt hoặc quản trị" in page.sign_button.toolTip()
        assert not page.sign_button.isEnabled()
        # Asked anyway (a shortcut, a stale button), the page still refuses.
        with qtbot.waitSignal(page.job_failed, timeout=TIMEOUT) as failed:
            page.sign_report()
        assert "Chỉ người dùng có vai trò phê duyệt hoặc quản trị" in failed.args[0]
        assert failed.args[0] in page.last_message.text()
        assert dialogs.passwords_asked == 0
        assert dialogs.saved_to == []
    finally:
        page.close()
        clerk.close()


def test_cancel_during_preview_leaves_no_file(commune, make_page, keyboard, qtbot):
    page = make_page(commune)
    _choose_by_keyboard(page, keyboard, "so-theo-doi")
    with qtbot.waitSignal(page.job_cancelled, timeout=TIMEOUT):
        assert page.show_preview()
        dialog = page.progress
        assert dialog is not None
        cancel = dialog.findChild(QPushButton)
        assert cancel.text() == "Hủy"
        cancel.click()
    assert page.progress is None and page.job is None
    assert list(page.preview_folder.iterdir()) == []
    assert page.previewed is None
    assert "Đã hủy" in page.status.text()
    assert page.preview_button.isEnabled()


def test_a_year_without_decisions_says_so(context, make_page, keyboard, qtbot):
    page = make_page(context)
    _choose_by_keyboard(page, keyboard, "quyet-dinh")
    decision = page.option_boxes["decision"]
    assert decision.currentText() == f"(năm {YEAR} chưa có)"
    with qtbot.waitSignal(page.job_failed, timeout=TIMEOUT) as failed:
        page.show_preview()
    assert "chưa có quyết định công nhận" in failed.args[0]
    assert list(page.preview_folder.iterdir()) == []


def test_changing_the_year_offers_that_years_decisions(commune, make_page, keyboard):
    page = make_page(commune)
    _choose_by_keyboard(page, keyboard, "quyet-dinh")
    decision = page.option_boxes["decision"]
    assert decision.count() == len(commune.learning_models.decisions(YEAR))
    _tab_to(keyboard, page.year)
    keyboard.press(Qt.Key.Key_Down)
    assert page.year.value() == YEAR - 1
    assert decision.currentText() == f"(năm {YEAR - 1} chưa có)"
    assert page.request().options == ()
