"""The learning models page: the year's counts, the list, and the cycle by keyboard.

The counts at the top must be the counting query's (``xhht models``), before
and after each action; every action goes through the real dialogs.
"""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt, QThreadPool

from xhht_desktop.core.models_cycle import ClanDraft, DecisionDraft
from xhht_desktop.core.registers import HouseholdDraft, PersonDraft, VillageDraft
from xhht_desktop.services.learning_models import Evaluation
from xhht_desktop.store.model_queries import EntryFilter
from xhht_desktop.ui.forms.evaluation_dialog import EvaluationDialog, QuickScoreDialog
from xhht_desktop.ui.forms.recognition_dialog import OutcomeDialog, RecognitionDialog
from xhht_desktop.ui.forms.registration_checklist import RegistrationChecklist
from xhht_desktop.ui.main_window import MainWindow
from xhht_desktop.ui.pages.learning_models import LearningModelsPage

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support")

YEAR = 2026
TODAY = date(2026, 12, 20)
Key = Qt.Key
Ctrl = Qt.KeyboardModifier.ControlModifier
Shift = Qt.KeyboardModifier.ShiftModifier


@pytest.fixture
def commune(context):
    """Thôn Đức An with twelve households, Bon Bu Prăng with three; one member each."""
    villages = {
        "duc_an": context.villages.save(VillageDraft("thon", "Đức An")).id,
        "bu_prang": context.villages.save(VillageDraft("bon", "Bu Prăng")).id,
    }
    ids: dict[str, str] = {}
    for n in range(1, 16):
        code = f"H{n:02d}"
        village = villages["duc_an"] if n <= 12 else villages["bu_prang"]
        household = context.households.save(HouseholdDraft(code, village, f"Chủ hộ {code}"))
        context.persons.save(PersonDraft(household.id, f"Người {code}", 1980, "M", "01"))
        ids[code] = household.id
    return {**villages, **ids}


@pytest.fixture
def page(context, commune, show, qtbot):
    widget = show(LearningModelsPage(context, today=TODAY))
    widget.resize(1100, 700)
    qtbot.waitUntil(lambda: not widget.is_busy())
    yield widget
    # The counts run on the thread pool; none may outlive the test's database.
    QThreadPool.globalInstance().waitForDone(5000)


def _wait_counts(qtbot, page) -> None:
    qtbot.waitUntil(lambda: not page.is_busy())


def _service_counts(context) -> dict[str, int]:
    figures = context.learning_models.counts(YEAR).model("gdht")
    return {
        name: getattr(figures, name)
        for name in ("in_scope", "registered", "evaluated", "passed", "recognised")
    }


def _codes(page) -> list[str]:
    return [page.model.row_at(n).subject.code for n in range(page.model.rowCount())]


def _pass(context, ids, share: int = 9) -> None:
    service = context.learning_models
    lines = service.criteria("gdht").scored_fields
    service.register("gdht", YEAR, ids, date(2026, 1, 5), today=TODAY)
    service.evaluate_many(
        "gdht",
        YEAR,
        [Evaluation(i, {f.id: share for f in lines}, date(2026, 11, 20)) for i in ids],
        today=TODAY,
    )


def test_the_counts_are_the_counting_querys(page, context, qtbot):
    assert page.figures("gdht") == _service_counts(context)
    assert page.figures("gdht")["in_scope"] == 15
    assert page.counts_model.text(0, 0) == "Gia đình học tập"
    assert page.count_label.text() == "15 hộ gia đình"
    assert page.model.headerData(0, Qt.Orientation.Horizontal) == "Hộ gia đình"


def test_a_village_is_registered_from_the_checklist(page, context, commune, keyboard, qtbot):
    # The village filter by keyboard: Tab from the model and the year, type its name.
    page.model_box.setFocus()
    keyboard.press(Key.Key_Tab)
    keyboard.press(Key.Key_Tab)
    assert keyboard.focused() is page.village
    keyboard.type("duc")
    assert page.current_village() == commune["duc_an"]
    assert page.count_label.text() == "12 / 15 hộ gia đình"

    page.table.setFocus()
    keyboard.press(Key.Key_D, Ctrl)
    dialog = page.findChild(RegistrationChecklist)
    assert dialog is not None and dialog.village_id() == commune["duc_an"]
    qtbot.waitUntil(dialog.isActiveWindow)
    keyboard.press(Key.Key_A, Ctrl)
    with qtbot.waitSignal(page.counts_shown):
        keyboard.press(Key.Key_Return)
    counts = _service_counts(context)
    assert counts["registered"] == 12
    assert page.figures("gdht") == counts
    assert page.message.text() == "Đã đăng ký thêm 12 hộ gia đình năm 2026."
    registered = context.learning_models.entries("gdht", YEAR, EntryFilter(status="registered"))
    assert {row.subject.village_id for row in registered} == {commune["duc_an"]}
    assert "Đức An: 12/12 đăng ký" in page.counts_caption.text()


def test_enter_scores_the_household_under_the_cursor(page, context, commune, keyboard, qtbot):
    context.learning_models.register("gdht", YEAR, [commune["H03"]], date(2026, 1, 5), today=TODAY)
    page.focus_search()
    keyboard.type("h03")
    keyboard.press(Key.Key_Return)
    assert _codes(page) == ["H03"]
    keyboard.press(Key.Key_Down)
    assert keyboard.focused() is page.table
    keyboard.press(Key.Key_Return)
    dialog = page.findChild(EvaluationDialog)
    assert dialog is not None and dialog.subject_id == commune["H03"]
    qtbot.waitUntil(dialog.isActiveWindow)
    keyboard.press(Key.Key_Return)  # the date
    keyboard.press(Key.Key_Return)  # the note
    for text in ["10", "9", "8", "10", "7,5", "9", "10", "8", "9"]:
        keyboard.type(text)
        keyboard.press(Key.Key_Return)
    keyboard.type("9,5")
    expected = context.learning_models.score("gdht", dialog.form.values())
    with qtbot.waitSignal(page.counts_shown):
        keyboard.press(Key.Key_Return)
    entry = context.learning_models.entry("gdht", YEAR, commune["H03"])
    assert (entry.total, entry.passed) == ("90", True) and expected.passed
    row = page.model.row_at(0)
    assert (row.subject.code, page.model.index(0, 3).data(), page.model.index(0, 4).data()) == (
        "H03",
        "90",
        "Đạt",
    )
    assert page.figures("gdht")["passed"] == 1


def test_the_fast_grid_opens_on_the_registered_households_of_the_village(
    page, context, commune, keyboard, qtbot
):
    codes = ["H01", "H02", "H03", "H04"]
    context.learning_models.register(
        "gdht", YEAR, [commune[c] for c in codes], date(2026, 1, 5), today=TODAY
    )
    page.village.set_value(commune["duc_an"])
    page.table.setFocus()
    keyboard.press(Key.Key_G, Ctrl)
    dialog = page.findChild(QuickScoreDialog)
    assert dialog is not None
    qtbot.waitUntil(dialog.isActiveWindow)
    assert [label for _, label in dialog.grid.grid.subjects] == [f"{c} – Chủ hộ {c}" for c in codes]
    for _row in range(3):
        for _line in range(10):
            keyboard.type("9")
            keyboard.press(Key.Key_Tab)
    with qtbot.waitSignal(page.counts_shown):
        keyboard.press(Key.Key_S, Ctrl)
    assert page.figures("gdht")["evaluated"] == 3 == _service_counts(context)["evaluated"]
    assert page.message.text() == "Đã lưu 3 đánh giá."


def test_ten_households_are_recognised_by_one_decision(page, context, commune, keyboard, qtbot):
    ten = [commune[f"H{n:02d}"] for n in range(1, 11)]
    _pass(context, ten)
    page.refresh()
    _wait_counts(qtbot, page)
    # The status filter by keyboard: "Đã đánh giá – đạt".
    page.status.setFocus()
    keyboard.type("da danh gia - dat")
    assert page.status.value() == "passed"
    assert len(_codes(page)) == 10
    page.table.setFocus()
    keyboard.press(Key.Key_A, Ctrl)  # every line of the list
    keyboard.press(Key.Key_K, Ctrl)
    dialog = page.findChild(RecognitionDialog)
    assert dialog is not None and len(dialog.entries) == 10
    qtbot.waitUntil(dialog.isActiveWindow)
    keyboard.type("15/QĐ-UBND")
    keyboard.press(Key.Key_Tab)
    dialog.decided_on.selectAll()
    keyboard.type("15/12/2026")
    with qtbot.waitSignal(page.counts_shown):
        keyboard.press(Key.Key_Return)
    assert page.message.text() == "Đã công nhận 10 hộ gia đình theo một quyết định."
    (decision,) = context.learning_models.decisions(YEAR)
    assert (decision.number, decision.decided_on, decision.recognised) == (
        "15/QĐ-UBND",
        date(2026, 12, 15),
        {"gdht": 10},
    )
    assert page.figures("gdht")["recognised"] == 10 == _service_counts(context)["recognised"]
    assert {page.model.index(n, 5).data() for n in range(page.model.rowCount())} == {"15/QĐ-UBND"}


def test_all_passed_households_of_a_village_in_one_go(page, context, commune, keyboard, qtbot):
    _pass(context, [commune["H01"], commune["H02"], commune["H13"]])
    _pass(context, [commune["H03"]], share=5)  # failed: not offered
    page.refresh()
    page.village.set_value(commune["duc_an"])
    page.table.setFocus()
    keyboard.press(Key.Key_K, Ctrl | Shift)
    dialog = page.findChild(RecognitionDialog)
    assert dialog is not None
    assert [e.subject.code for e in dialog.entries] == ["H01", "H02"]


def test_a_refused_recognition_on_the_page_shows_why(page, context, commune, keyboard, qtbot):
    _pass(context, [commune["H01"]])
    context.learning_models.register("gdht", YEAR, [commune["H02"]], date(2026, 1, 5), today=TODAY)
    page.refresh()
    page.table.setFocus()
    page.table.selectRow(0)
    keyboard.press(Key.Key_Down, Shift)  # H01 and H02
    keyboard.press(Key.Key_K, Ctrl)
    dialog = page.findChild(RecognitionDialog)
    assert [e.subject.code for e in dialog.entries] == ["H01", "H02"]
    qtbot.waitUntil(dialog.isActiveWindow)
    keyboard.type("20/QĐ-UBND")
    keyboard.press(Key.Key_Return)
    assert dialog.reason(commune["H02"]) == "chưa được đánh giá năm 2026."
    assert dialog.isVisible()
    assert context.learning_models.decisions(YEAR) == []
    assert page.figures("gdht")["recognised"] == 0


def test_a_recognition_is_revoked_from_the_page(page, context, commune, keyboard, qtbot):
    _pass(context, [commune["H01"]])
    decision = DecisionDraft("15/QĐ-UBND", date(2026, 12, 15), "Nguyễn Văn Minh")
    context.learning_models.recognise("gdht", YEAR, [commune["H01"]], decision, today=TODAY)
    page.refresh()
    page.table.setFocus()
    page.table.selectRow(0)
    keyboard.press(Key.Key_H, Ctrl)
    dialog = page.findChild(OutcomeDialog)
    assert dialog is not None and dialog.revoke
    qtbot.waitUntil(dialog.isActiveWindow)
    keyboard.type("Vi phạm quy ước")
    with qtbot.waitSignal(page.counts_shown):
        keyboard.press(Key.Key_Return)
    assert page.figures("gdht")["recognised"] == 0
    page.status.set_value("revoked")
    assert _codes(page) == ["H01"]
    assert page.model.index(0, 4).data() == "Đã thu hồi"
    assert "Vi phạm quy ước" in page.model.index(0, 4).data(Qt.ItemDataRole.ToolTipRole)


def test_clans_have_no_village_filter(page, context, keyboard):
    context.clans.save(ClanDraft("Họ Nguyễn", "Nguyễn Văn An"))
    page.refresh()
    page.model_box.setFocus()
    keyboard.type("dong")
    assert page.current_model() == "dhht"
    assert not page.village.isEnabled()
    assert page.model.headerData(0, Qt.Orientation.Horizontal) == "Dòng họ"
    assert _codes(page) == [""]
    assert page.model.row_at(0).subject.name == "Họ Nguyễn"


def test_the_main_window_opens_the_page_with_ctrl_7(context, commune, show, keyboard, qtbot):
    window = show(MainWindow(context))
    keyboard.press(Key.Key_7, Ctrl)
    page = window.page(window.current_index())
    assert isinstance(page, LearningModelsPage)
    qtbot.waitUntil(lambda: not page.is_busy())
    assert page.figures("gdht") == _service_counts(context)
    QThreadPool.globalInstance().waitForDone(5000)
