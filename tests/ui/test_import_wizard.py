"""Tests of xhht_desktop.ui.import_wizard: check, problems, errors file, import, cancel."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from openpyxl import load_workbook
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWizard

from xhht_desktop.core.roster import HEADERS, SHEET_NAME
from xhht_desktop.errors import FieldIssue, ImportCancelled
from xhht_desktop.store.repositories import PersonFilter
from xhht_desktop.ui.import_wizard import (
    PAGE_CHECK,
    PAGE_FILE,
    PAGE_IMPORT,
    ImportWizard,
    IssuesModel,
    typed_path,
)

Key = Qt.Key
SHOTS = Path("/tmp/shots")

# Rows 2-7 of a filled template.
GOOD = [
    ("Thôn 1", "H01", "Nguyễn Văn An", "Chủ hộ", "05/09/1980", "Nam", "Kinh", 9, 0, None, None),
    ("Thôn 1", "H01", "Hờ Thị Mai", "Vợ", 1987, "Nữ", "H'Mông", 3, 1, None, "Tạm trú"),
    ("Thôn 1", "H01", "Nguyễn Hờ Lan", "Con", 2015, "nữ", "08", 5, 0, None, None),
    ("Bon Bu Bir", "H02", "Điểu K'Lứt", "Chủ hộ", 1975, "Nam", "M'Nông", 0, 2, "x", None),
    ("Bon Bu Bir", "H02", "Thị Hơn", "Vợ", "12/10/1978", "Nữ", "Mnông", 0, 0, None, None),
    ("Tổ dân phố 2", "H03", "Y Bhim Niê", "", 1990, "Nam", "Ê-đê", 12, 0, "Có", None),
]
# The same sheet with three bad rows: 3 (sex), 5 (birth year), 6 (grade).
BAD = [list(row) for row in GOOD]
BAD[1][5] = "X"
BAD[3][4] = 2999
BAD[4][7] = 15
BAD_CELLS = [("3", "Giới tính"), ("5", "Ngày sinh"), ("6", "Lớp cao nhất đã hoàn thành")]
# Who is already in the register before each test's import.
EARLIER = [("Thôn 9", "H90", "Lê Thị Cũ", "Chủ hộ", 1960, "Nữ", "Kinh", 5, 0, None, None)]


class SavePaths:
    """Stands in for the user at the save-file dialog."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self.asked: list[tuple[str, Path]] = []

    def __call__(self, _parent, title: str, suggested: Path) -> Path | None:
        self.asked.append((title, suggested))
        return self.path


@pytest.fixture
def fill(context, tmp_path):
    """Write rows into a copy of the blank template, as an official does in Excel."""
    template = tmp_path / "mau.xlsx"
    context.roster.write_template(template)

    def write(rows, name="danh-sach.xlsx"):
        workbook = load_workbook(template)
        sheet = workbook[SHEET_NAME]
        for row in rows:
            sheet.append(list(row))
        path = tmp_path / name
        workbook.save(path)
        return path

    return write


@pytest.fixture
def register(context, fill):
    """The commune with one person imported earlier: what must not change."""
    context.roster.import_persons(fill(EARLIER, "truoc.xlsx"))
    return context


def _dump(context):
    return sorted(
        (p.household_code, p.full_name, p.birth_year, p.sex, p.grade, p.revision)
        for p in context.persons.page(PersonFilter(), 0, 10_000)
    )


def _state(context):
    return context.setup.counts(), _dump(context)


def _shot(widget, name: str) -> Path:
    SHOTS.mkdir(parents=True, exist_ok=True)
    path = SHOTS / name
    assert widget.grab().save(str(path))
    return path


def _problems(wizard: ImportWizard) -> list[tuple[str, str]]:
    model = wizard.check_page.issues
    return [(model.index(r, 0).data(), model.index(r, 1).data()) for r in range(model.rowCount())]


def _open(show, context, save_paths: SavePaths | None = None, choose_file=None) -> ImportWizard:
    wizard = ImportWizard(context, choose_save_path=save_paths, choose_file=choose_file)
    return show(wizard)


def _check(wizard, keyboard, qtbot, path: Path, signal: str):
    """Type the file's path on the first page and press Enter: the check runs."""
    assert wizard.currentId() == PAGE_FILE
    assert keyboard.focused() is wizard.file_page.path_edit
    keyboard.type(str(path))
    with qtbot.waitSignal(getattr(wizard.check_page.task, signal), timeout=20_000) as checked:
        keyboard.press(Key.Key_Return)
    assert wizard.currentId() == PAGE_CHECK
    return checked.args[0]


def test_a_bad_file_lists_its_problems_stores_nothing_then_imports_the_valid_rows(
    register, fill, show, keyboard, qtbot, tmp_path
):
    path = fill(BAD)
    before = _state(register)
    save_paths = SavePaths(tmp_path / "danh-sach-loi.xlsx")
    wizard = _open(show, register, save_paths)

    refused = _check(wizard, keyboard, qtbot, path, "failed")

    page = wizard.check_page
    assert _problems(wizard) == BAD_CELLS
    messages = [page.issues.issue(row).message for row in range(3)]
    assert "Nam hoặc Nữ" in messages[0] and "tương lai" in messages[1] and "12" in messages[2]
    assert (refused.rows, refused.invalid_rows) == (6, 3)
    assert "3 lỗi ở 3 trên 6 dòng" in page.count.text()
    assert page.table.isVisible() and not page.summary.isVisible()
    # Nothing to import until the user chooses the valid rows explicitly.
    assert not page.valid_only.isChecked()
    assert page.valid_only.text() == "&Chỉ nhập 3 dòng hợp lệ, bỏ qua 3 dòng có lỗi"
    assert not wizard.button(QWizard.WizardButton.CommitButton).isEnabled()
    assert _state(register) == before
    assert keyboard.focused() is page.table

    # Tab to «Lưu tệp lỗi…»: the service writes the copy with the bad cells marked.
    keyboard.press(Key.Key_Tab)
    assert keyboard.focused() is page.save_button
    with qtbot.waitSignal(page.task.failed, timeout=20_000):
        keyboard.press(Key.Key_Space)
    assert save_paths.asked == [("Lưu tệp lỗi", tmp_path / "danh-sach-loi.xlsx")]
    assert str(tmp_path / "danh-sach-loi.xlsx") in page.saved.text()
    sheet = load_workbook(tmp_path / "danh-sach-loi.xlsx")[SHEET_NAME]
    header = [c.value for c in sheet[1]]
    assert header == [*HEADERS, "Lỗi"]
    marked = {
        (str(cell.row), header[cell.column - 1])
        for row in sheet.iter_rows(min_row=2)
        for cell in row
        if cell.fill.fill_type == "solid"
    }
    assert marked == set(BAD_CELLS)
    assert _problems(wizard) == BAD_CELLS
    assert _state(register) == before
    _shot(wizard, "import-wizard-problems.png")

    # Tab, Tab to the choice, Space to take it, Enter to import the valid rows.
    keyboard.press(Key.Key_Tab)
    keyboard.press(Key.Key_Tab)
    assert keyboard.focused() is page.valid_only
    keyboard.press(Key.Key_Space)
    commit = wizard.button(QWizard.WizardButton.CommitButton)
    assert commit.isEnabled() and commit.text() == "&Nhập 3 dòng hợp lệ"
    with qtbot.waitSignal(wizard.import_finished, timeout=20_000) as finished:
        keyboard.press(Key.Key_Return)

    report = finished.args[0]
    assert wizard.currentId() == PAGE_IMPORT
    assert (report.persons_created, report.invalid_rows) == (3, 3)
    names = {p.full_name for p in register.persons.page(PersonFilter(), 0, 100)}
    assert names == {"Lê Thị Cũ", "Nguyễn Văn An", "Nguyễn Hờ Lan", "Y Bhim Niê"}
    result = wizard.import_page.result
    assert result.value("persons") == "thêm mới 3 · cập nhật 0 · không đổi 0"
    assert result.value("skipped") == "3 dòng có lỗi, không nhập"
    _shot(wizard, "import-wizard-result-valid-only.png")


def test_a_good_file_is_summarised_then_imported(register, fill, show, keyboard, qtbot):
    path = fill(GOOD)
    before = _state(register)
    wizard = _open(show, register)

    report = _check(wizard, keyboard, qtbot, path, "succeeded")

    summary = wizard.check_page.summary
    assert report.dry_run and summary.isVisible()
    assert summary.value("rows") == "6 dòng có dữ liệu"
    assert summary.value("villages") == "tạo mới 3: Thôn 1, Bon Bu Bir, Tổ dân phố 2"
    assert summary.value("households") == "tạo mới 3 · đổi chủ hộ 0"
    assert summary.value("persons") == "thêm mới 6 · cập nhật 0 · không đổi 0"
    assert summary.value("skipped") == ""
    assert _state(register) == before  # the check stores nothing
    commit = wizard.button(QWizard.WizardButton.CommitButton)
    assert commit.text() == "&Nhập dữ liệu"
    assert keyboard.focused() is commit
    _shot(wizard, "import-wizard-summary.png")

    with qtbot.waitSignal(wizard.import_finished, timeout=20_000) as finished:
        keyboard.press(Key.Key_Return)

    stored = finished.args[0]
    assert stored.stored and stored.persons_created == 6
    assert register.setup.counts() == {"villages": 4, "households": 4, "persons": 7}
    assert register.persons.count(PersonFilter()) == len(_dump(register)) == 7
    assert wizard.import_page.result.value("persons") == "thêm mới 6 · cập nhật 0 · không đổi 0"
    assert wizard.import_page.result.heading.text() == "Đã nhập xong và lưu vào cơ sở dữ liệu."
    _shot(wizard, "import-wizard-result.png")

    # Enter on «Xong» closes the wizard.
    assert keyboard.focused() is wizard.button(QWizard.WizardButton.FinishButton)
    keyboard.press(Key.Key_Return)
    assert not wizard.isVisible()
    assert wizard.result() == QWizard.DialogCode.Accepted


def test_reimporting_the_same_file_says_nothing_changes(register, fill, show, keyboard, qtbot):
    path = fill(GOOD)
    register.roster.import_persons(path)
    wizard = _open(show, register)
    _check(wizard, keyboard, qtbot, path, "succeeded")
    summary = wizard.check_page.summary
    assert summary.value("persons") == "thêm mới 0 · cập nhật 0 · không đổi 6"
    assert "không thay đổi gì" in summary.heading.text()


def _blocking_at_first_progress(panel):
    """Hold the worker at its first progress report until the test lets it go."""
    reached = threading.Event()
    proceed = threading.Event()

    def hold(_done: int, _total: int) -> None:
        if not reached.is_set():
            reached.set()
            proceed.wait(20)

    # Direct: runs on the worker thread, inside the service's progress call.
    panel.progress_reported.connect(hold, Qt.ConnectionType.DirectConnection)
    return reached, proceed


def test_cancelling_the_import_leaves_the_database_unchanged(register, fill, show, keyboard, qtbot):
    path = fill(GOOD)
    before = _state(register)
    wizard = _open(show, register)
    _check(wizard, keyboard, qtbot, path, "succeeded")
    panel = wizard.import_page.task
    reached, proceed = _blocking_at_first_progress(panel)
    finished = []
    wizard.import_finished.connect(finished.append)

    keyboard.press(Key.Key_Return)  # «Nhập dữ liệu»
    qtbot.waitUntil(reached.is_set, timeout=20_000)
    assert wizard.currentId() == PAGE_IMPORT
    assert panel.isVisible() and panel.cancel_button.text() == "&Hủy nhập"
    assert keyboard.focused() is panel.cancel_button
    assert not wizard.button(QWizard.WizardButton.FinishButton).isEnabled()
    with qtbot.waitSignal(panel.failed, timeout=20_000) as failed:
        keyboard.press(Key.Key_Space)  # the worker is held: the cancel comes first
        assert panel.status.text() == "Đang hủy…"
        proceed.set()

    assert isinstance(failed.args[0], ImportCancelled)
    assert wizard.import_page.message.text() == "Đã hủy nhập. Cơ sở dữ liệu không thay đổi."
    assert not wizard.import_page.result.isVisible()
    assert finished == []
    assert _state(register) == before
    assert wizard.button(QWizard.WizardButton.FinishButton).isEnabled()
    _shot(wizard, "import-wizard-cancelled.png")


def test_escape_during_the_check_cancels_it_and_closes(register, fill, show, keyboard, qtbot):
    path = fill(GOOD)
    before = _state(register)
    wizard = _open(show, register)
    reached, proceed = _blocking_at_first_progress(wizard.check_page.task)
    keyboard.type(str(path))
    keyboard.press(Key.Key_Return)
    qtbot.waitUntil(reached.is_set, timeout=20_000)
    assert keyboard.focused() is wizard.check_page.task.cancel_button
    _shot(wizard, "import-wizard-checking.png")

    keyboard.press(Key.Key_Escape)
    # The worker still runs: the window waits for it instead of vanishing under it.
    assert wizard.isVisible() and wizard.is_busy()
    proceed.set()
    qtbot.waitUntil(lambda: not wizard.isVisible(), timeout=20_000)
    assert not wizard.is_busy()
    assert wizard.result() == QWizard.DialogCode.Rejected
    assert _state(register) == before


def test_going_back_from_a_refused_file_and_checking_the_fixed_one(
    register, fill, show, keyboard, qtbot
):
    path = fill(BAD)
    wizard = _open(show, register)
    _check(wizard, keyboard, qtbot, path, "failed")
    fill(GOOD)  # the official fixes the file in Excel and saves it
    wizard.back()
    assert wizard.currentId() == PAGE_FILE
    assert keyboard.focused() is wizard.file_page.path_edit
    with qtbot.waitSignal(wizard.check_page.task.succeeded, timeout=20_000):
        keyboard.press(Key.Key_Return)
    assert not wizard.check_page.problems.isVisible()
    assert wizard.check_page.summary.value("persons") == "thêm mới 6 · cập nhật 0 · không đổi 0"
    assert wizard.button(QWizard.WizardButton.CommitButton).text() == "&Nhập dữ liệu"


def test_the_template_button_writes_a_blank_template_and_offers_it(
    context, show, keyboard, qtbot, tmp_path
):
    target = tmp_path / "mau" / "nhan-khau.xlsx"
    save_paths = SavePaths(target)
    wizard = _open(show, context, save_paths)
    keyboard.press(Key.Key_Tab)
    assert keyboard.focused() is wizard.file_page.browse_button
    keyboard.press(Key.Key_Tab)
    assert keyboard.focused() is wizard.file_page.template_button
    keyboard.press(Key.Key_Space)

    assert save_paths.asked[0][1].name == "mau-danh-sach-nhan-khau.xlsx"
    assert [c.value for c in load_workbook(target)[SHEET_NAME][1]] == list(HEADERS)
    assert wizard.file_page.path() == target
    assert str(target) in wizard.file_page.message.text()
    _shot(wizard, "import-wizard-file.png")

    # Checked as it is, the blank template has no rows: refused, nothing to choose.
    wizard.file_page.path_edit.setFocus()
    with qtbot.waitSignal(wizard.check_page.task.failed, timeout=20_000):
        keyboard.press(Key.Key_Return)
    page = wizard.check_page
    assert [(row, column) for row, column in _problems(wizard)] == [("", "Tệp")]
    assert "không có dòng dữ liệu" in page.issues.issue(0).message
    assert not page.valid_only.isVisible() and not page.save_button.isVisible()
    assert not wizard.button(QWizard.WizardButton.CommitButton).isEnabled()


def test_a_missing_file_and_a_cancelled_template_dialog(context, show, keyboard, qtbot, tmp_path):
    save_paths = SavePaths(None)
    wizard = _open(show, context, save_paths)
    assert not wizard.button(QWizard.WizardButton.NextButton).isEnabled()
    assert wizard.file_page.create_template() is None
    assert list(tmp_path.iterdir()) == [tmp_path / "data"]
    failed = _check(wizard, keyboard, qtbot, tmp_path / "khong-co.xlsx", "failed")
    assert "không tìm thấy tệp" in failed.message
    assert "không tìm thấy tệp" in wizard.check_page.issues.issue(0).message


def test_the_file_button_asks_the_file_dialog(context, show, keyboard, tmp_path):
    chosen = tmp_path / "ds.xlsx"
    asked = []

    def choose_file(_parent, folder):
        asked.append(folder)
        return chosen

    wizard = _open(show, context, choose_file=choose_file)
    keyboard.press(Key.Key_Tab)
    keyboard.press(Key.Key_Space)
    assert asked == [Path.home()]
    assert wizard.file_page.path() == chosen
    assert keyboard.focused() is wizard.file_page.path_edit


def test_a_path_copied_from_windows_explorer_is_read_without_quotes():
    assert typed_path('  "D:\\Số liệu\\ds.xlsx" ') == Path("D:\\Số liệu\\ds.xlsx")
    assert typed_path("   ") is None


def test_the_issues_model(qtmodeltester):
    model = IssuesModel()
    model.set_issues(
        [FieldIssue("Giới tính", "Giới tính «X» không hợp lệ.", 3), FieldIssue("Tệp", "Hỏng.")]
    )
    qtmodeltester.check(model)
    assert [model.headerData(c, Qt.Orientation.Horizontal) for c in range(3)] == [
        "Dòng",
        "Cột",
        "Lỗi",
    ]
    assert model.index(0, 0).data() == "3" and model.index(1, 0).data() == ""
    assert model.index(0, 2).data(Qt.ItemDataRole.ToolTipRole) == "Giới tính «X» không hợp lệ."


def test_the_main_window_opens_the_wizard_and_refreshes_its_pages(
    register, fill, show, keyboard, qtbot
):
    from xhht_desktop.ui.main_window import MainWindow

    path = fill(GOOD)
    window = show(MainWindow(register))
    window.go_to_page(3)
    persons_page = window.page(3)
    assert persons_page.count_label.text() == "1 người"

    keyboard.press(Key.Key_I, Qt.KeyboardModifier.ControlModifier)
    wizard = window.findChild(ImportWizard)
    assert wizard is not None
    qtbot.waitUntil(wizard.isActiveWindow)
    _check(wizard, keyboard, qtbot, path, "succeeded")
    with qtbot.waitSignal(wizard.import_finished, timeout=20_000):
        keyboard.press(Key.Key_Return)

    assert persons_page.count_label.text() == "7 người"
    assert "6" in window.statusBar().currentMessage()
    keyboard.press(Key.Key_Return)
    qtbot.waitUntil(lambda: window.findChild(ImportWizard) is None)


def test_the_file_menu_writes_the_template(context, show, tmp_path, monkeypatch):
    from xhht_desktop.ui.main_window import MainWindow

    window = show(MainWindow(context))
    assert window.import_action.shortcut().toString() == "Ctrl+I"
    assert window.import_action.isEnabled() and window.template_action.isEnabled()
    messages = []
    monkeypatch.setattr(window, "message", lambda *args: messages.append(args))
    made = window.create_roster_template(tmp_path / "mau.xlsx")
    assert made == tmp_path / "mau.xlsx"
    assert [c.value for c in load_workbook(made)[SHEET_NAME][1]] == list(HEADERS)
    assert str(made) in messages[0][2]


def test_an_errors_file_that_cannot_be_written_keeps_the_problems_on_screen(
    register, fill, show, keyboard, qtbot, tmp_path
):
    folder = tmp_path / "a-folder.xlsx"
    folder.mkdir()
    wizard = _open(show, register, SavePaths(folder))
    _check(wizard, keyboard, qtbot, fill(BAD), "failed")
    page = wizard.check_page
    with qtbot.waitSignal(page.task.failed, timeout=20_000):
        page.save_button.click()
    assert page.saved.text().startswith("«a-folder.xlsx» trong «")
    assert "là một thư mục, không phải tệp" in page.saved.text()
    assert _problems(wizard) == BAD_CELLS and page.problems.isVisible()
    assert page.save_button.isEnabled()
    assert keyboard.focused() is page.save_button
