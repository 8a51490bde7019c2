"""Definitions of forms/ rendered as widgets: every field type, conditions,
messages, live scoring, and the keyboard grid, all driven by the keyboard.
"""

from __future__ import annotations

import textwrap
from datetime import date
from decimal import Decimal

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from xhht_desktop.forms import (
    FIELD_TYPES,
    format_number,
    load_definitions,
    load_text,
    score,
    validate,
)
from xhht_desktop.resources import forms_dir
from xhht_desktop.ui.forms.definition_form import EDITORS, DefinitionForm, line_numbers
from xhht_desktop.ui.forms.field_row import ChoiceBox, MultiChoiceList, ScoreEdit
from xhht_desktop.ui.forms.score_grid import ScoreGrid

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support")

EVERY_TYPE = """
    id = "moi-loai"
    version = 1
    kind = "form"
    title = "Biểu thử mọi loại trường"

    [[fields]]
    id = "ho_ten"
    type = "text"
    label = "Họ và tên"
    required = true

    [[fields]]
    id = "so_nguoi"
    type = "integer"
    label = "Số người"
    min = 0

    [[fields]]
    id = "he_so"
    type = "decimal"
    label = "Hệ số"
    places = 2

    [[fields]]
    id = "cu_tru"
    type = "choice"
    label = "Cư trú"
    choices = { thuong_tru = "Thường trú", tam_tru = "Tạm trú" }

    [[fields]]
    id = "noi_dung"
    type = "multi_choice"
    label = "Nội dung đã học"
    choices = { tin_hoc = "Tin học", ngoai_ngu = "Ngoại ngữ", nghe = "Nghề" }

    [[fields]]
    id = "ngay_dang_ky"
    type = "date"
    label = "Ngày đăng ký"

    [[fields]]
    id = "nam"
    type = "year"
    label = "Năm"

    [[fields]]
    id = "dat"
    type = "yes_no"
    label = "Đạt chuẩn"

    [[fields]]
    id = "diem"
    type = "score"
    label = "Điểm tự đánh giá"
    max = 30
    step = 0.5

    [[fields]]
    id = "thon"
    type = "reference"
    label = "Thôn"
    to = "village"
    """

VILLAGES = [("v-1", "Thôn 1"), ("v-2", "Thôn 2"), ("v-3", "Bon Bu Prăng")]


def _load(text: str):
    definition, problems = load_text(textwrap.dedent(text).lstrip("\n"))
    assert problems == [], [str(p) for p in problems]
    return definition


def _references(target: str) -> list[tuple[str, str]]:
    assert target == "village"
    return VILLAGES


def _shipped(definition_id: str):
    definitions, problems = load_definitions()
    assert problems == []
    return definitions.get(definition_id)


def test_every_field_type_has_an_editor():
    assert set(EDITORS) == set(FIELD_TYPES)


def test_every_field_type_renders_and_round_trips_its_values(qtbot):
    form = DefinitionForm(_load(EVERY_TYPE), references=_references)
    qtbot.addWidget(form)
    record = {
        "ho_ten": "Nguyễn Thị Hoa",
        "so_nguoi": 1250,
        "he_so": Decimal("7.5"),
        "cu_tru": "tam_tru",
        "noi_dung": ("tin_hoc", "nghe"),
        "ngay_dang_ky": date(2026, 9, 5),
        "nam": 2026,
        "dat": False,
        "diem": Decimal("27.5"),
        "thon": "v-3",
    }
    with qtbot.waitSignal(form.values_changed) as changed:
        form.set_values(record)
    assert changed.args == [record]
    assert form.values() == record
    assert validate(form.definition, form.values()) == []

    # Each type shows its value as officials write it.
    assert form.editor("so_nguoi").text() == "1250"
    assert form.editor("he_so").text() == "7,5"
    assert form.editor("ngay_dang_ky").text() == "05/09/2026"
    assert form.editor("dat").currentText() == "Không"
    assert form.editor("thon").currentText() == "Bon Bu Prăng"
    assert isinstance(form.editor("noi_dung"), MultiChoiceList)
    score_editor = form.row("diem").editor
    assert isinstance(score_editor, ScoreEdit) and score_editor.maximum.text() == "/30"
    assert form.editor("diem").text() == "27,5"

    form.set_values({})
    assert set(form.values().values()) == {None}


def test_every_field_type_is_entered_by_keyboard_only(qtbot, show, keyboard):
    form = show(DefinitionForm(_load(EVERY_TYPE), references=_references))
    form.setFocus()
    assert keyboard.focused() is form.editor("ho_ten")
    keyboard.type("Nguyễn Thị Hoa")
    keyboard.press(Qt.Key.Key_Tab)
    keyboard.type("1.250")
    keyboard.press(Qt.Key.Key_Return)  # Enter moves on like Tab
    keyboard.type("7,5")
    keyboard.press(Qt.Key.Key_Tab)
    assert keyboard.focused() is form.editor("cu_tru")
    keyboard.type("tam")
    keyboard.press(Qt.Key.Key_Tab)
    assert keyboard.focused() is form.editor("noi_dung")
    keyboard.press(Qt.Key.Key_Space)  # Tin học
    keyboard.press(Qt.Key.Key_Down)
    keyboard.press(Qt.Key.Key_Down)
    keyboard.press(Qt.Key.Key_Space)  # Nghề
    keyboard.press(Qt.Key.Key_Return)
    keyboard.type("05/09/2026")
    keyboard.press(Qt.Key.Key_Tab)
    keyboard.type("2026")
    keyboard.press(Qt.Key.Key_Tab)
    keyboard.type("k")
    keyboard.press(Qt.Key.Key_Tab)
    keyboard.type("27,5")
    keyboard.press(Qt.Key.Key_Tab)
    assert keyboard.focused() is form.editor("thon")
    keyboard.type("bon")
    with qtbot.waitSignal(form.submitted) as submitted:
        keyboard.press(Qt.Key.Key_Return)
    assert submitted.args == [
        {
            "ho_ten": "Nguyễn Thị Hoa",
            "so_nguoi": 1250,
            "he_so": Decimal("7.5"),
            "cu_tru": "tam_tru",
            "noi_dung": ("tin_hoc", "nghe"),
            "ngay_dang_ky": date(2026, 9, 5),
            "nam": 2026,
            "dat": False,
            "diem": Decimal("27.5"),
            "thon": "v-3",
        }
    ]


CONDITIONAL = """
    id = "cu-tru"
    version = 1
    kind = "form"
    title = "Cư trú"

    [[fields]]
    id = "cu_tru"
    type = "choice"
    label = "Cư trú"
    required = true
    choices = { thuong_tru = "Thường trú", tam_tru = "Tạm trú" }

    [[fields]]
    id = "noi_thuong_tru"
    type = "text"
    label = "Nơi thường trú"
    visible_if = { field = "cu_tru", equals = "tam_tru" }
    required = true

    [[fields]]
    id = "ghi_chu"
    type = "text"
    label = "Ghi chú"
    """


def test_a_visible_if_field_appears_and_disappears_as_the_condition_changes(qtbot, show, keyboard):
    form = show(DefinitionForm(_load(CONDITIONAL)))
    form.setFocus()
    row = form.row("noi_thuong_tru")
    assert not form.is_shown("noi_thuong_tru") and not row.editor.isVisible()

    keyboard.type("tam")
    assert form.is_shown("noi_thuong_tru") and row.editor.isVisible()
    keyboard.press(Qt.Key.Key_Tab)
    assert keyboard.focused() is form.editor("noi_thuong_tru")
    keyboard.type("Xã Trường Xuân")
    assert form.values()["noi_thuong_tru"] == "Xã Trường Xuân"

    keyboard.press(Qt.Key.Key_Backtab)
    keyboard.press(Qt.Key.Key_Up)  # Thường trú
    assert not form.is_shown("noi_thuong_tru") and not row.editor.isVisible()
    # A hidden field holds nothing and is not validated; Enter skips it.
    assert form.values() == {"cu_tru": "thuong_tru", "noi_thuong_tru": None, "ghi_chu": None}
    keyboard.press(Qt.Key.Key_Return)
    assert keyboard.focused() is form.editor("ghi_chu")


def test_a_bad_value_shows_the_engines_message_beside_the_field(qtbot, show, keyboard):
    definition = _shipped("cong-nhan-lao-dong")
    form = show(DefinitionForm(definition))
    form.setFocus()
    keyboard.type("120")
    keyboard.press(Qt.Key.Key_Tab)
    keyboard.type("150")
    expected = validate(definition, form.values())
    assert [issue.field for issue in expected] == ["cong_nhan_thpt", "cong_nhan_dao_tao_nghe"]
    # Only what was typed is judged while typing: the untouched field stays quiet.
    assert form.message("cong_nhan_thpt") == expected[0].message
    assert "không được lớn hơn" in form.message("cong_nhan_thpt")
    assert form.row("cong_nhan_thpt").message.isVisible()
    assert form.message("cong_nhan_dao_tao_nghe") == ""

    keyboard.press(Qt.Key.Key_Tab)
    keyboard.type("1O")  # a letter O for a zero
    assert form.message("cong_nhan_dao_tao_nghe").startswith("Chỉ nhập số nguyên")

    # Enter on the last field does not submit a wrong record: it goes to the first fault.
    submitted: list[dict] = []
    form.submitted.connect(submitted.append)
    keyboard.press(Qt.Key.Key_Return)
    assert submitted == []
    assert keyboard.focused() is form.editor("cong_nhan_thpt")

    keyboard.type("90")  # the faulty text was selected: this replaces it
    form.editor("cong_nhan_dao_tao_nghe").setFocus()
    keyboard.press(Qt.Key.Key_End)
    keyboard.press(Qt.Key.Key_Backspace)
    keyboard.press(Qt.Key.Key_Backspace)
    keyboard.type("95")
    assert form.message("cong_nhan_thpt") == form.message("cong_nhan_dao_tao_nghe") == ""
    with qtbot.waitSignal(form.submitted) as done:
        keyboard.press(Qt.Key.Key_Return)
    assert done.args == [{"cong_nhan": 120, "cong_nhan_thpt": 90, "cong_nhan_dao_tao_nghe": 95}]


def _typed_scores(keyboard, scores: list[str]) -> None:
    for text in scores:
        keyboard.type(text)
        keyboard.press(Qt.Key.Key_Tab)


def test_a_criteria_set_is_scored_live_by_the_engine(qtbot, show, keyboard):
    definition = _shipped("gdht-448")
    form = show(DefinitionForm(definition))
    form.setFocus()
    lines = [field.id for field in definition.scored_fields]
    assert len(lines) == 10
    assert form.row("tc1_1").label.text().startswith("1.1. ")
    assert form.row("tc1_1").editor.maximum.text() == "/10"

    scores = ["10", "9", "8", "10", "7,5", "9", "10", "8", "9", "9,5"]
    for number, text in enumerate(scores, start=1):
        keyboard.type(text)
        expected = score(definition, form.values())
        assert form.result() == expected
        assert form.total.text() == f"Tổng điểm: {format_number(expected.total)}/100"
        subtotal = form.findChild(type(form.total), "tc1_subtotal")
        assert subtotal.text() == f"{format_number(expected.criterion('tc1').score)}/30 điểm"
        if number < len(scores):
            assert form.verdict.text() == "Chưa chấm xong"
            keyboard.press(Qt.Key.Key_Tab)
    assert form.result().total == Decimal("90")
    assert form.verdict.text() == "Đạt" and form.result().passed

    # Lowering a score below the pass mark fails the evaluation, and says why.
    form.editor("tc2_1").setFocus(Qt.FocusReason.TabFocusReason)
    keyboard.type("0")  # Tab focus selected the text; this replaces it
    form.editor("tc3_1").setFocus(Qt.FocusReason.TabFocusReason)
    keyboard.type("0")
    assert form.result() == score(definition, form.values())
    assert form.result().total == Decimal("70")
    assert form.verdict.text() == "Không đạt"
    assert "thấp hơn mức cần đạt 80" in form.reasons.text()


def test_a_criterion_added_to_a_copy_appears_in_the_form_and_the_total(qtbot, show, keyboard):
    text = (forms_dir() / "criteria" / "gia_dinh_hoc_tap.toml").read_text(encoding="utf-8")
    text = text.replace('id = "gdht-448"', 'id = "gdht-tinh"').replace("total = 100", "total = 110")
    text += textwrap.dedent("""
        [[criteria]]
        id = "tc5"
        title = "Ứng dụng công nghệ thông tin trong học tập"
        max = 10

          [[criteria.indicators]]
          id = "tc5_1"
          title = "Gia đình có người dùng Internet để học tập, tra cứu"
          max = 10
        """)
    definition, problems = load_text(text)
    assert problems == [] and definition is not None

    form = show(DefinitionForm(definition))
    row = form.row("tc5_1")
    assert row.label.text() == "5.1. Gia đình có người dùng Internet để học tập, tra cứu"
    assert row.editor.maximum.text() == "/10"
    assert form.findChild(type(form.total), "tc5_subtotal").text() == "0/10 điểm"

    form.setFocus()
    _typed_scores(keyboard, ["8"] * 10)
    assert form.result().total == Decimal("80") and not form.result().complete
    assert keyboard.focused() is form.editor("tc5_1")
    keyboard.type("10")
    assert form.total.text() == "Tổng điểm: 90/110"
    assert form.result() == score(definition, form.values())
    assert form.result().passed and form.verdict.text() == "Đạt"


def test_a_pass_fail_set_counts_indicators_passed(qtbot, show, keyboard):
    definition = _shipped("cdht-xa-tt25")
    form = show(DefinitionForm(definition))
    form.setFocus()
    keyboard.type("d")  # Đạt
    assert form.values()["tc1_1"] is True
    expected = score(definition, form.values())
    assert form.total.text() == f"Số chỉ tiêu đạt: 1/{format_number(expected.maximum)}"
    assert form.findChild(type(form.total), "tc1_subtotal").text() == "1/3 chỉ tiêu đạt"
    # While scores are missing, only that is said, not every indicator "not passed".
    assert form.reasons.text() == expected.reasons[0]


# --- the grid ------------------------------------------------------------------

SUBJECTS = [
    ("h-1", "Nguyễn Văn An"),
    ("h-2", "Trần Thị Bình"),
    ("h-3", "Lê Văn Cường"),
]


def test_the_grid_model_passes_the_model_tester(qtmodeltester):
    grid = ScoreGrid(_shipped("gdht-448"), SUBJECTS)
    grid.set_values({"h-1": {"tc1_1": 10, "tc1_2": "7,5"}, "h-2": {"tc1_1": "x"}})
    qtmodeltester.check(grid.model())
    grid.deleteLater()


def test_the_grid_is_filled_by_keyboard_and_its_totals_are_the_engines(qtbot, show, keyboard):
    definition = _shipped("gdht-448")
    grid = show(ScoreGrid(definition, SUBJECTS))
    grid.setFocus()
    model = grid.grid
    lines = [field.id for field in definition.scored_fields]
    numbers = line_numbers(definition)
    assert [model.headerData(c, Qt.Orientation.Horizontal) for c in range(2)] == [
        f"{numbers['tc1_1']}\n/10",
        f"{numbers['tc1_2']}\n/10",
    ]

    # Row by row with Tab: Tab after the last criterion goes on to the next row.
    first = ["10", "9", "8", "10", "7,5", "9", "10", "8", "9", "9,5"]
    second = ["5", "5", "5", "5", "5", "5", "5", "5", "5", "5"]
    for text in [*first, *second]:
        keyboard.type(text)
        keyboard.press(Qt.Key.Key_Tab)
    assert (grid.currentIndex().row(), grid.currentIndex().column()) == (2, 0)

    # The third household, one column at a time with Enter; an Enter on the
    # last row goes to the top of the next column.
    for column, text in enumerate(["10", "10", "10", "10", "10", "10", "10", "10", "10", "1O"]):
        grid.setCurrentIndex(model.index(2, column))
        keyboard.type(text)
        keyboard.press(Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: grid.state() != grid.State.EditingState)
    assert (grid.currentIndex().row(), grid.currentIndex().column()) == (2, 9)

    values = grid.values()
    assert values["h-1"]["tc2_2"] == Decimal("7.5")
    assert values["h-3"]["tc4_2"] == "1O"  # kept as typed, shown in red
    for row, (subject_id, _) in enumerate(SUBJECTS):
        expected = score(definition, values[subject_id])
        assert grid.result(subject_id) == expected
        total = model.data(model.index(row, model.total_column))
        assert total == f"{format_number(expected.total)}/100"
        verdict = model.data(model.index(row, model.result_column))
        assert (verdict == "Đạt") is expected.passed
    assert [model.verdict(r) for r in range(3)] == ["Đạt", "Không đạt", "Chưa chấm xong"]
    bad = model.index(2, lines.index("tc4_2"))
    assert model.data(bad, Qt.ItemDataRole.BackgroundRole) is not None
    issue = next(i for i in score(definition, values["h-3"]).issues if i.field == "tc4_2")
    assert model.data(bad, Qt.ItemDataRole.ToolTipRole) == issue.message

    # Fixing the red cell completes the household; Delete empties a cell.
    grid.setCurrentIndex(bad)
    keyboard.type("10")
    keyboard.press(Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: grid.state() != grid.State.EditingState)
    assert grid.result("h-3").passed and grid.result("h-3").total == Decimal("100")
    grid.setCurrentIndex(bad)
    keyboard.press(Qt.Key.Key_Delete)
    assert "tc4_2" not in grid.values()["h-3"]
    assert grid.result("h-3") == score(definition, grid.values()["h-3"])


def test_the_grid_refuses_what_is_not_a_criteria_set(qtbot):
    with pytest.raises(ValueError, match="not a criteria set"):
        ScoreGrid(_shipped("truong-mam-non"), SUBJECTS)


def test_an_aggregate_form_submits_its_figures(qtbot, show, keyboard):
    definition = _shipped("chi-hoi-khuyen-hoc")
    form = show(DefinitionForm(definition))
    form.setFocus()
    assert isinstance(form.editor("co_chi_hoi_khuyen_hoc"), ChoiceBox)
    keyboard.type("co")
    keyboard.press(Qt.Key.Key_Return)
    keyboard.type("312")
    keyboard.press(Qt.Key.Key_Return)
    keyboard.type("1.204")
    with qtbot.waitSignal(form.submitted) as done:
        keyboard.press(Qt.Key.Key_Return)
    assert done.args == [
        {"co_chi_hoi_khuyen_hoc": True, "so_hoi_vien_khuyen_hoc": 312, "dan_so": 1204}
    ]
    assert QApplication.focusWidget() is form.editor("dan_so")
