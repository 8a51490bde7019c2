"""Scoring a household by keyboard, and a village's households in the fast grid."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from xhht_desktop.core.models_cycle import DecisionDraft
from xhht_desktop.core.registers import HouseholdDraft, PersonDraft, VillageDraft
from xhht_desktop.forms import format_number, score
from xhht_desktop.services.learning_models import Evaluation
from xhht_desktop.store.model_queries import EntryFilter
from xhht_desktop.ui.forms.evaluation_dialog import EvaluationDialog, QuickScoreDialog

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support")

YEAR = 2026
TODAY = date(2026, 12, 20)
Key = Qt.Key
Ctrl = Qt.KeyboardModifier.ControlModifier
SCORES = ["10", "9", "8", "10", "7,5", "9", "10", "8", "9", "9,5"]  # 90: passes at 80


@pytest.fixture
def households(context):
    """Thôn Đức An: H01–H04, one member each, all registered for 2026."""
    village = context.villages.save(VillageDraft("thon", "Đức An")).id
    ids = {}
    for code in ("H01", "H02", "H03", "H04"):
        household = context.households.save(HouseholdDraft(code, village, f"Chủ hộ {code}"))
        context.persons.save(PersonDraft(household.id, f"Người {code}", 1980, "F", "01"))
        ids[code] = household.id
    context.learning_models.register(
        "gdht", YEAR, list(ids.values()), date(2026, 1, 5), today=TODAY
    )
    return {"village": village, **ids}


def _entry(context, subject_id):
    return context.learning_models.entry("gdht", YEAR, subject_id)


def test_one_household_is_scored_by_keyboard(context, households, show, keyboard, qtbot):
    dialog = show(EvaluationDialog(context, "gdht", YEAR, households["H01"], today=TODAY))
    criteria = context.learning_models.criteria("gdht")
    assert dialog.criteria_caption.text() == (
        f"Bộ tiêu chí {criteria.id}, phiên bản {criteria.version}"
    )
    assert dialog.subject_caption.text() == "H01 – Chủ hộ H01 · Đức An"
    assert keyboard.focused() is dialog.evaluated_on
    keyboard.type("15/12/2026")
    keyboard.press(Key.Key_Return)
    assert keyboard.focused() is dialog.note
    keyboard.type("Gia đình gương mẫu")
    keyboard.press(Key.Key_Return)
    lines = [field.id for field in criteria.scored_fields]
    assert keyboard.focused() is dialog.form.editor(lines[0])

    # The first score, then Tab to its note; Enter in a note goes to the next score.
    keyboard.type(SCORES[0])
    keyboard.press(Key.Key_Tab)
    assert keyboard.focused() is dialog.notes[lines[0]]
    keyboard.type("Hai con học giỏi")
    keyboard.press(Key.Key_Return)
    assert keyboard.focused() is dialog.form.editor(lines[1])
    for text in SCORES[1:-1]:
        keyboard.type(text)
        keyboard.press(Key.Key_Return)
    keyboard.type(SCORES[-1])
    expected = context.learning_models.score("gdht", dialog.form.values())
    assert dialog.form.result() == expected
    assert dialog.form.total.text() == f"Tổng điểm: {format_number(expected.total)}/100"
    assert dialog.form.verdict.text() == "Đạt"

    with qtbot.waitSignal(dialog.evaluation_saved):
        keyboard.press(Key.Key_Return)  # Enter on the last score saves
    entry = _entry(context, households["H01"])
    assert (entry.criteria_id, entry.criteria_version) == (criteria.id, criteria.version)
    assert Decimal(entry.total) == expected.total == Decimal("90")
    assert entry.passed is expected.passed is True
    assert entry.evaluated_on == date(2026, 12, 15)
    assert entry.evaluation_note == "Gia đình gương mẫu"
    assert json.loads(entry.score_notes) == {lines[0]: "Hai con học giỏi"}
    assert json.loads(entry.scores)[lines[4]] == "7.5"
    assert not dialog.isVisible()

    # Opened again, the dialog shows what was stored.
    again = show(EvaluationDialog(context, "gdht", YEAR, households["H01"], today=TODAY))
    assert again.form.result() == expected
    assert again.notes[lines[0]].text() == "Hai con học giỏi"
    assert again.evaluated_on.text() == "15/12/2026"


def test_a_failing_score_is_stored_as_not_passed(context, households, show, keyboard, qtbot):
    dialog = show(EvaluationDialog(context, "gdht", YEAR, households["H02"], today=TODAY))
    keyboard.press(Key.Key_Return)  # the default date: the day of entry
    keyboard.press(Key.Key_Return)  # no note
    for _ in range(9):
        keyboard.type("5")
        keyboard.press(Key.Key_Return)
    keyboard.type("5")
    assert dialog.form.verdict.text() == "Không đạt"
    with qtbot.waitSignal(dialog.evaluation_saved):
        keyboard.press(Key.Key_S, Ctrl)
    entry = _entry(context, households["H02"])
    assert (entry.total, entry.passed, entry.evaluated_on) == ("50", False, TODAY)


def test_an_unfinished_evaluation_is_not_saved(context, households, show, keyboard):
    dialog = show(EvaluationDialog(context, "gdht", YEAR, households["H02"], today=TODAY))
    keyboard.press(Key.Key_Return)
    keyboard.press(Key.Key_Return)
    keyboard.type("11")  # over the maximum of 10
    keyboard.press(Key.Key_S, Ctrl)
    first = context.learning_models.criteria("gdht").scored_fields[0].id
    assert dialog.form.message(first)  # the engine's message beside the score
    assert dialog.isVisible()
    assert _entry(context, households["H02"]).criteria_id is None


def test_a_future_date_is_refused_beside_the_field(context, households, show, keyboard):
    dialog = show(EvaluationDialog(context, "gdht", YEAR, households["H03"], today=TODAY))
    keyboard.type("21/12/2026")
    dialog.form.set_values({f.id: 9 for f in dialog.definition.scored_fields})
    keyboard.press(Key.Key_S, Ctrl)
    assert dialog.fields.message("evaluated_on") == "Ngày đánh giá không được ở tương lai."
    assert _entry(context, households["H03"]).criteria_id is None


def test_a_recognised_household_is_not_scored_again(context, households, show):
    service = context.learning_models
    scores = {f.id: 9 for f in service.criteria("gdht").scored_fields}
    service.evaluate("gdht", YEAR, Evaluation(households["H04"], scores, TODAY), today=TODAY)
    decision = DecisionDraft("15/QĐ-UBND", date(2026, 12, 15), "Nguyễn Văn Minh")
    service.recognise("gdht", YEAR, [households["H04"]], decision, today=TODAY)
    dialog = show(EvaluationDialog(context, "gdht", YEAR, households["H04"], today=TODAY))
    assert "thu hồi công nhận trước" in dialog.notice.text()
    assert not dialog.save_button.isEnabled()


# --- the grid -----------------------------------------------------------------------


def test_the_fast_grid_scores_three_rows_all_or_nothing(context, households, show, keyboard, qtbot):
    dialog = show(QuickScoreDialog(context, "gdht", YEAR, households["village"], today=TODAY))
    grid = dialog.grid
    assert grid.grid.subjects == [
        (households[c], f"{c} – Chủ hộ {c}") for c in ("H01", "H02", "H03", "H04")
    ]
    assert keyboard.focused() is grid
    rows = [SCORES, ["5"] * 10, ["10"] * 9 + ["1O"]]  # the last typo is a letter O
    for row in rows:
        for text in row:
            keyboard.type(text)
            keyboard.press(Key.Key_Tab)
    # One bad cell refuses the batch: nothing stored, the problem listed by row.
    keyboard.press(Key.Key_S, Ctrl)
    messages = [dialog.messages.item(n).text() for n in range(dialog.messages.count())]
    assert messages[0] == "Chưa lưu gì: 1 lỗi, hãy sửa rồi lưu lại."
    assert messages[1].startswith("H03 – Chủ hộ H03, chỉ số 4.2: ")
    assert context.learning_models.count_entries("gdht", YEAR, EntryFilter(status="evaluated")) == 0
    assert (grid.currentIndex().row(), grid.currentIndex().column()) == (2, 9)

    keyboard.type("10")
    keyboard.press(Key.Key_Return)
    # The grid commits what an Enter ends in the next turn of the event loop.
    qtbot.waitUntil(lambda: grid.state() != grid.State.EditingState)
    with qtbot.waitSignal(dialog.evaluations_saved) as saved:
        keyboard.press(Key.Key_S, Ctrl)
    assert saved.args[0].changed == 3
    assert dialog.result_label.text() == "Đã lưu 3 đánh giá."
    definition = context.learning_models.criteria("gdht")
    for code, row in zip(("H01", "H02", "H03"), rows, strict=True):
        entry = _entry(context, households[code])
        typed = {f.id: text for f, text in zip(definition.scored_fields, row, strict=True)}
        if code == "H03":
            typed[definition.scored_fields[-1].id] = "10"
        expected = score(definition, typed)
        assert Decimal(entry.total) == expected.total == grid.result(households[code]).total
        assert entry.passed is expected.passed
        assert entry.evaluated_on == TODAY
    assert [(_entry(context, households[c]).passed) for c in ("H01", "H02", "H03")] == [
        True,
        False,
        True,
    ]
    assert _entry(context, households["H04"]).criteria_id is None


def test_closing_the_grid_with_unsaved_scores_asks_first(
    context, households, show, keyboard, monkeypatch, qtbot
):
    asked: list[str] = []

    def question(_parent, _title, text, *_args, **_kwargs):
        asked.append(text)
        return QMessageBox.StandardButton.No

    monkeypatch.setattr(QMessageBox, "question", staticmethod(question))
    dialog = show(QuickScoreDialog(context, "gdht", YEAR, households["village"], today=TODAY))
    keyboard.type("9")
    keyboard.press(Key.Key_Return)
    qtbot.waitUntil(lambda: dialog.grid.state() != dialog.grid.State.EditingState)
    keyboard.press(Key.Key_Escape)
    assert asked == ["Có 1 dòng đã nhập điểm mà chưa lưu. Bỏ các điểm này?"]
    assert dialog.isVisible()
