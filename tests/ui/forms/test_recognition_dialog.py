"""Recognising households by one decision; a refusal that says why; the override."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt
from sqlalchemy import select

from xhht_desktop.context import Actor
from xhht_desktop.core.models_cycle import DecisionDraft
from xhht_desktop.core.registers import HouseholdDraft, PersonDraft, VillageDraft
from xhht_desktop.services.learning_models import Evaluation
from xhht_desktop.store.model_queries import EntryFilter
from xhht_desktop.store.models import AuditEntry
from xhht_desktop.ui.forms.recognition_dialog import OutcomeDialog, RecognitionDialog

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support")

YEAR = 2026
TODAY = date(2026, 12, 20)
Key = Qt.Key


@pytest.fixture
def commune(context):
    """Thôn Đức An: H01–H10 passed; H11 failed; H12 registered only; H13 not registered."""
    village = context.villages.save(VillageDraft("thon", "Đức An")).id
    ids: dict[str, str] = {}
    for n in range(1, 14):
        code = f"H{n:02d}"
        household = context.households.save(HouseholdDraft(code, village, f"Chủ hộ {code}"))
        context.persons.save(PersonDraft(household.id, f"Người {code}", 1980, "F", "01"))
        ids[code] = household.id
    service = context.learning_models
    registered = [ids[f"H{n:02d}"] for n in range(1, 13)]
    service.register("gdht", YEAR, registered, date(2026, 1, 5), today=TODAY)
    lines = service.criteria("gdht").scored_fields
    evaluations = [
        Evaluation(ids[f"H{n:02d}"], {f.id: 9 for f in lines}, date(2026, 11, 20))
        for n in range(1, 11)
    ]
    evaluations.append(Evaluation(ids["H11"], {f.id: 5 for f in lines}, date(2026, 11, 20)))
    service.evaluate_many("gdht", YEAR, evaluations, today=TODAY)
    return ids


def _rows(context, ids, codes):
    flt = EntryFilter(subject_ids=tuple(ids[c] for c in codes))
    return context.learning_models.entries("gdht", YEAR, flt)


def _recognised(context) -> list[str]:
    rows = context.learning_models.entries("gdht", YEAR, EntryFilter(status="recognised"))
    return [row.subject.code for row in rows]


def test_ten_passed_households_are_recognised_by_one_decision(
    context, commune, show, keyboard, qtbot
):
    ten = [f"H{n:02d}" for n in range(1, 11)]
    dialog = show(
        RecognitionDialog(context, "gdht", YEAR, _rows(context, commune, ten), today=TODAY)
    )
    assert dialog.count_label.text() == "Danh sách đề nghị công nhận: 10 đối tượng"
    assert dialog.table.rowCount() == 10
    # The signer comes from the commune's settings.
    assert (dialog.signer_name.text(), dialog.signer_title.text()) == (
        "Nguyễn Văn Minh",
        "Chủ tịch",
    )
    assert keyboard.focused() is dialog.number
    keyboard.type("15/qd-ubnd")  # typed without Vietnamese keyboard: stored as 15/QĐ-UBND
    keyboard.press(Key.Key_Tab)
    dialog.decided_on.selectAll()
    keyboard.type("15/12/2026")
    with qtbot.waitSignal(dialog.recognised) as done:
        keyboard.press(Key.Key_Return)
    assert (done.args[0].changed, done.args[0].overridden) == (10, 0)

    (decision,) = context.learning_models.decisions(YEAR)
    assert (decision.number, decision.decided_on) == ("15/QĐ-UBND", date(2026, 12, 15))
    assert (decision.signer_name, decision.signer_title) == ("Nguyễn Văn Minh", "Chủ tịch")
    assert decision.summary == "Về việc công nhận danh hiệu “Gia đình học tập” năm 2026"
    annex = context.learning_models.decision_annex(decision.id)
    assert [row.subject.code for row in annex["gdht"]] == ten
    assert _recognised(context) == ten
    assert context.learning_models.counts(YEAR).model("gdht").recognised == 10


def test_a_refused_recognition_shows_why_and_stores_nothing(
    context, commune, show, keyboard, qtbot
):
    codes = ["H01", "H11", "H12", "H13"]
    dialog = show(
        RecognitionDialog(context, "gdht", YEAR, _rows(context, commune, codes), today=TODAY)
    )
    keyboard.type("16/QĐ-UBND")
    keyboard.press(Key.Key_Return)
    assert dialog.reason(commune["H01"]) == ""
    assert dialog.reason(commune["H11"]) == (
        "kết quả đánh giá chưa đạt theo bộ tiêu chí (50 điểm)."
    )
    assert dialog.reason(commune["H12"]) == "chưa được đánh giá năm 2026."
    assert dialog.reason(commune["H13"]) == ("chưa đăng ký năm 2026; chưa được đánh giá năm 2026.")
    assert dialog.message.text() == (
        "Chưa lưu gì: 3 trên 4 đối tượng chưa đủ điều kiện công nhận (lý do ở cột cuối)."
    )
    assert context.learning_models.decisions(YEAR) == []
    assert _recognised(context) == []

    # Recognise only the valid one: the offer has the focus, Enter takes it.
    assert dialog.valid_button.text() == "Chỉ công nhận 1 đối tượng đủ điều kiện"
    assert keyboard.focused() is dialog.valid_button
    with qtbot.waitSignal(dialog.recognised) as done:
        keyboard.press(Key.Key_Return)
    assert done.args[0].changed == 1
    assert {issue.field for issue in done.args[0].skipped} == {
        commune["H11"],
        commune["H12"],
        commune["H13"],
    }
    assert _recognised(context) == ["H01"]


def test_an_approver_overrides_with_a_reason_that_is_audited(
    context, commune, show, keyboard, qtbot
):
    context.actor = Actor("phe.duyet", "approver")
    dialog = show(
        RecognitionDialog(context, "gdht", YEAR, _rows(context, commune, ["H12"]), today=TODAY)
    )
    keyboard.type("17/QĐ-UBND")
    keyboard.press(Key.Key_Return)
    assert dialog.refusal.isVisible() and not dialog.valid_button.isVisible()
    assert keyboard.focused() is dialog.override_reason
    keyboard.press(Key.Key_Return)  # no reason yet
    assert dialog.message.text() == "Hãy ghi lý do công nhận khi chưa đủ điều kiện."
    keyboard.type("Gia đình tiêu biểu, Hội Khuyến học xã đề nghị")
    with qtbot.waitSignal(dialog.recognised) as done:
        keyboard.press(Key.Key_Return)
    assert (done.args[0].changed, done.args[0].overridden) == (1, 1)
    entry = context.learning_models.entry("gdht", YEAR, commune["H12"])
    assert entry.decision_number == "17/QĐ-UBND"
    assert entry.override_reason == "Gia đình tiêu biểu, Hội Khuyến học xã đề nghị"
    with context.reading() as session:
        logged = session.scalars(
            select(AuditEntry).where(
                AuditEntry.record_id == entry.entry_id, AuditEntry.field == "override_reason"
            )
        ).one()
    assert (logged.actor, logged.new_value) == ("phe.duyet", entry.override_reason)


def test_a_data_entry_user_cannot_override(context, commune, show, keyboard):
    context.actor = Actor("nhap.lieu", "data_entry")
    dialog = show(
        RecognitionDialog(context, "gdht", YEAR, _rows(context, commune, ["H12"]), today=TODAY)
    )
    keyboard.type("18/QĐ-UBND")
    keyboard.press(Key.Key_Return)
    assert not dialog.override_reason.isEnabled() and not dialog.override_button.isEnabled()
    assert dialog.override_note.text().startswith("Chỉ người phê duyệt hoặc quản trị")
    # Even asked directly, the service refuses and the dialog says so.
    dialog.override_reason.setText("Xin công nhận")
    assert dialog.recognise(override=True) is None
    assert "Chỉ người phê duyệt hoặc quản trị" in dialog.message.text()
    assert context.learning_models.decisions(YEAR) == []
    assert context.learning_models.entry("gdht", YEAR, commune["H12"]).decision_id is None


def test_a_wrong_decision_number_is_shown_beside_its_field(context, commune, show, keyboard):
    dialog = show(
        RecognitionDialog(context, "gdht", YEAR, _rows(context, commune, ["H01"]), today=TODAY)
    )
    keyboard.type("quyết định 15")
    keyboard.press(Key.Key_Return)
    assert "không đúng dạng" in dialog.fields.message("number")
    assert context.learning_models.decisions(YEAR) == []


def test_more_households_join_a_decision_already_stored(context, commune, show, keyboard, qtbot):
    decision = DecisionDraft("15/QĐ-UBND", date(2026, 12, 15), "Nguyễn Văn Minh", "Chủ tịch")
    context.learning_models.recognise("gdht", YEAR, [commune["H01"]], decision, today=TODAY)
    dialog = show(
        RecognitionDialog(context, "gdht", YEAR, _rows(context, commune, ["H02"]), today=TODAY)
    )
    dialog.decision.setFocus()
    keyboard.type("bo")  # "Bổ sung vào quyết định 15/QĐ-UBND ngày 15/12/2026"
    assert not dialog.number.isEnabled()
    with qtbot.waitSignal(dialog.recognised):
        keyboard.press(Key.Key_Return)
    (stored,) = context.learning_models.decisions(YEAR)
    assert stored.recognised == {"gdht": 2}


def test_a_recognition_is_revoked_and_another_refused_with_a_reason(
    context, commune, show, keyboard, qtbot
):
    decision = DecisionDraft("15/QĐ-UBND", date(2026, 12, 15), "Nguyễn Văn Minh", "Chủ tịch")
    context.learning_models.recognise("gdht", YEAR, [commune["H01"]], decision, today=TODAY)
    rows = _rows(context, commune, ["H01"])
    revoke = show(OutcomeDialog(context, "gdht", YEAR, rows, revoke=True, today=TODAY))
    assert keyboard.focused() is revoke.reason
    keyboard.press(Key.Key_Return)
    assert revoke.fields.message("reason") == "Hãy ghi lý do."
    keyboard.type("Gia đình vi phạm quy ước thôn")
    with qtbot.waitSignal(revoke.recorded):
        keyboard.press(Key.Key_Return)
    entry = context.learning_models.entry("gdht", YEAR, commune["H01"])
    assert (entry.revoked_on, entry.revocation_reason) == (TODAY, "Gia đình vi phạm quy ước thôn")

    # A passed household not recognised: the refusal is recorded with its reason.
    refuse = show(
        OutcomeDialog(
            context, "gdht", YEAR, _rows(context, commune, ["H02"]), revoke=False, today=TODAY
        )
    )
    keyboard.type("Chưa hoàn thành quỹ khuyến học")
    with qtbot.waitSignal(refuse.recorded):
        keyboard.press(Key.Key_Return)
    entry = context.learning_models.entry("gdht", YEAR, commune["H02"])
    assert entry.refusal_reason == "Chưa hoàn thành quỹ khuyến học"
