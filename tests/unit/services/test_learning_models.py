"""Tests of the learning models' yearly cycle (services/learning_models.py)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import select

from xhht_desktop.context import Actor
from xhht_desktop.core.models_cycle import ClanDraft, DecisionDraft, UnitDraft
from xhht_desktop.core.registers import HouseholdDraft, PersonDraft, VillageDraft
from xhht_desktop.errors import NotFound, PermissionDenied, RecognitionRefused, ValidationFailed
from xhht_desktop.services.learning_models import Evaluation
from xhht_desktop.store.models import AuditEntry, ModelEntry

YEAR = 2026
TODAY = date(2026, 12, 20)
DECISION = DecisionDraft("15/QĐ-UBND", date(2026, 12, 15), "Nguyễn Văn Minh", "Chủ tịch")


def _household(context, village_id, code, people=1):
    row = context.households.save(HouseholdDraft(code, village_id, f"Chủ hộ {code}"))
    for n in range(people):
        context.persons.save(PersonDraft(row.id, f"Người {code} {n}", 1980 + n, "M", "01"))
    return row.id


@pytest.fixture
def commune(context):
    """Two villages, four households with members, one empty household, a clan, a unit."""
    one = context.villages.save(VillageDraft("thon", "Thôn 1")).id
    two = context.villages.save(VillageDraft("bon", "Bon Bu Bir")).id
    ids = {
        "h1": _household(context, one, "H01"),
        "h2": _household(context, one, "H02", 3),
        "h3": _household(context, two, "H03"),
        "h4": _household(context, two, "H04", 2),
        "empty": _household(context, two, "H05", 0),
    }
    clan = context.clans.save(ClanDraft("Họ Nguyễn", "Nguyễn Văn An")).id
    unit = context.units.save(UnitDraft("Trường Tiểu học Đức An", "truong_hoc", village_id=one)).id
    return {"v1": one, "v2": two, "clan": clan, "unit": unit, **ids}


def _scores(context, model="gdht", share=0.9):
    """Every indicator scored at ``share`` of its maximum (0.9 passes, 0.5 fails)."""
    criteria = context.learning_models.criteria(model)
    return {field.id: field.type.max * Decimal(str(share)) for field in criteria.scored_fields}


def _evaluate(context, subject, share=0.9, model="gdht"):
    return context.learning_models.evaluate(
        model,
        YEAR,
        Evaluation(subject, _scores(context, model, share), date(2026, 11, 20)),
        today=TODAY,
    )


def _register(context, subjects, model="gdht"):
    return context.learning_models.register(
        model, YEAR, subjects, date(2026, 1, 10), "Người đăng ký", today=TODAY
    )


def test_register_a_village_checklist_in_one_go(context, commune):
    result = _register(context, [commune["h1"], commune["h2"]])
    assert (result.changed, result.unchanged) == (2, 0)
    again = _register(context, [commune["h1"], commune["h2"], commune["h3"]])
    assert (again.changed, again.unchanged) == (1, 2)
    rows = context.learning_models.entries("gdht", YEAR)
    assert [r.subject.code for r in rows if r.registered_on] == ["H01", "H02", "H03"]
    assert {r.registered_by for r in rows if r.registered_on} == {"Người đăng ký"}


def test_the_empty_household_is_not_in_scope(context, commune):
    codes = [s.code for s in context.learning_models.subjects("gdht")]
    assert "H05" not in codes and len(codes) == 4
    with pytest.raises(ValidationFailed, match="Không tìm thấy hộ gia đình"):
        _register(context, [commune["h1"], commune["empty"]])
    assert not any(r.registered_on for r in context.learning_models.entries("gdht", YEAR))


def test_a_registration_date_outside_the_year_is_refused(context, commune):
    with pytest.raises(ValidationFailed, match="2025 hoặc 2026"):
        context.learning_models.register(
            "gdht", YEAR, [commune["h1"]], date(2024, 1, 1), today=TODAY
        )


def test_evaluation_is_scored_by_the_forms_engine_and_keeps_the_set(context, commune):
    criteria = context.learning_models.criteria("gdht")
    scores = _scores(context, share=0.8)
    scores[criteria.scored_fields[0].id] = "7,5"
    row = context.learning_models.evaluate(
        "gdht",
        YEAR,
        Evaluation(commune["h1"], scores, date(2026, 11, 20), notes={"tc1_1": "Một cháu ốm"}),
        today=TODAY,
    )
    expected = 8 * (len(criteria.scored_fields) - 1) + 7.5
    assert float(row.total) == expected
    assert row.passed is (expected >= 80)
    assert (row.criteria_id, row.criteria_version) == (criteria.id, criteria.version)
    assert '"tc1_1": "7.5"' in row.scores and "Một cháu ốm" in row.score_notes


def test_evaluate_many_is_all_or_nothing_with_row_numbers(context, commune):
    criteria = context.learning_models.criteria("gdht")
    good = Evaluation(commune["h1"], _scores(context), date(2026, 11, 20))
    missing = dict(_scores(context))
    del missing[criteria.scored_fields[2].id]
    too_high = {**_scores(context), criteria.scored_fields[0].id: 11}
    rows = [
        good,
        Evaluation(commune["h2"], missing, date(2026, 11, 20)),
        Evaluation(commune["h3"], too_high, date(2026, 11, 20)),
        Evaluation(commune["h4"], _scores(context), None),
    ]
    with pytest.raises(ValidationFailed) as refused:
        context.learning_models.evaluate_many("gdht", YEAR, rows, today=TODAY)
    assert {issue.row for issue in refused.value.issues} == {2, 3, 4}
    assert any("Hãy chấm điểm" in i.message for i in refused.value.issues if i.row == 2)
    assert any("ngày đánh giá" in i.message for i in refused.value.issues if i.row == 4)
    assert not any(r.criteria_id for r in context.learning_models.entries("gdht", YEAR))
    result = context.learning_models.evaluate_many(
        "gdht",
        YEAR,
        [good, Evaluation(commune["h2"], _scores(context, share=0.5), date(2026, 11, 21))],
        today=TODAY,
    )
    assert result.changed == 2
    passed = {r.subject.code: r.passed for r in context.learning_models.entries("gdht", YEAR)}
    assert passed == {"H01": True, "H02": False, "H03": None, "H04": None}


def test_re_evaluation_replaces_the_current_one_and_the_audit_log_keeps_the_old(context, commune):
    first = _evaluate(context, commune["h1"], 0.9)
    second = _evaluate(context, commune["h1"], 0.6)
    assert (first.total, second.total) == ("90", "60")
    with context.reading() as session:
        changes = session.scalars(
            select(AuditEntry).where(
                AuditEntry.record_id == second.entry_id, AuditEntry.field == "total"
            )
        ).all()
    assert [(c.old_value, c.new_value) for c in changes] == [(None, "90"), ("90", "60")]


def test_recognition_by_one_decision(context, commune):
    subjects = [commune["h1"], commune["h2"]]
    _register(context, subjects)
    for subject in subjects:
        _evaluate(context, subject)
    result = context.learning_models.recognise("gdht", YEAR, subjects, DECISION, today=TODAY)
    assert result.changed == 2 and result.overridden == 0
    decisions = context.learning_models.decisions(YEAR)
    assert [(d.number, d.recognised) for d in decisions] == [("15/QĐ-UBND", {"gdht": 2})]
    annex = context.learning_models.decision_annex(result.decision_id)
    assert [r.subject.code for r in annex["gdht"]] == ["H01", "H02"]
    assert context.learning_models.counts(YEAR).model("gdht").recognised == 2


def test_recognition_refused_without_registration_or_pass_lists_every_reason(context, commune):
    _register(context, [commune["h1"], commune["h3"]])
    _evaluate(context, commune["h1"])  # registered and passed
    _evaluate(context, commune["h2"])  # passed, never registered
    _evaluate(context, commune["h3"], 0.5)  # registered, failed
    subjects = [commune["h1"], commune["h2"], commune["h3"], commune["h4"]]
    with pytest.raises(RecognitionRefused) as refused:
        context.learning_models.recognise("gdht", YEAR, subjects, DECISION, today=TODAY)
    reasons = {issue.field: issue.message for issue in refused.value.issues}
    assert set(reasons) == {commune["h2"], commune["h3"], commune["h4"]}
    assert "chưa đăng ký năm 2026" in reasons[commune["h2"]]
    assert "chưa đạt theo bộ tiêu chí (50 điểm)" in reasons[commune["h3"]]
    assert "H04" in reasons[commune["h4"]] and "chưa được đánh giá" in reasons[commune["h4"]]
    assert context.learning_models.decisions() == []
    assert context.learning_models.counts(YEAR).model("gdht").recognised == 0


def test_valid_only_recognises_the_good_ones_and_lists_the_rest(context, commune):
    _register(context, [commune["h1"]])
    _evaluate(context, commune["h1"])
    result = context.learning_models.recognise(
        "gdht", YEAR, [commune["h1"], commune["h2"]], DECISION, valid_only=True, today=TODAY
    )
    assert result.changed == 1
    assert [issue.field for issue in result.skipped] == [commune["h2"]]


def test_an_approver_overrides_with_a_reason_and_it_is_audited(context, commune):
    context.actor = Actor("pheduyet", "approver")
    result = context.learning_models.recognise(
        "gdht",
        YEAR,
        [commune["h2"]],
        DECISION,
        override_reason="Gia đình tiêu biểu, Hội Khuyến học đề nghị",
        today=TODAY,
    )
    assert result.overridden == 1
    row = context.learning_models.entry("gdht", YEAR, commune["h2"])
    assert row.decision_number == "15/QĐ-UBND"
    assert row.override_reason == "Gia đình tiêu biểu, Hội Khuyến học đề nghị"
    with context.reading() as session:
        logged = session.scalars(
            select(AuditEntry).where(
                AuditEntry.record_id == row.entry_id, AuditEntry.field == "override_reason"
            )
        ).one()
    assert logged.actor == "pheduyet"
    assert logged.new_value == row.override_reason


def test_a_data_entry_user_cannot_override(context, commune):
    context.actor = Actor("nhaplieu", "data_entry")
    with pytest.raises(PermissionDenied):
        context.learning_models.recognise(
            "gdht", YEAR, [commune["h2"]], DECISION, override_reason="Xin công nhận", today=TODAY
        )
    assert context.learning_models.decisions() == []


def test_a_recognised_subject_is_not_re_evaluated_until_revoked(context, commune):
    _register(context, [commune["h1"]])
    _evaluate(context, commune["h1"])
    context.learning_models.recognise("gdht", YEAR, [commune["h1"]], DECISION, today=TODAY)
    with pytest.raises(ValidationFailed, match="thu hồi công nhận trước"):
        _evaluate(context, commune["h1"], 0.5)
    with pytest.raises(ValidationFailed, match="lý do"):
        context.learning_models.revoke("gdht", YEAR, [commune["h1"]], " ", TODAY, today=TODAY)
    context.learning_models.revoke(
        "gdht", YEAR, [commune["h1"]], "Vi phạm quy ước thôn", TODAY, today=TODAY
    )
    row = context.learning_models.entry("gdht", YEAR, commune["h1"])
    assert row.revocation_reason == "Vi phạm quy ước thôn"
    assert context.learning_models.counts(YEAR).model("gdht").recognised == 0
    assert _evaluate(context, commune["h1"], 0.5).passed is False


def test_refusal_is_recorded_and_answered_by_a_new_evaluation(context, commune):
    _register(context, [commune["h3"]])
    _evaluate(context, commune["h3"], 0.5)
    context.learning_models.refuse(
        "gdht", YEAR, [commune["h3"]], "Chưa đạt điểm", date(2026, 12, 10), today=TODAY
    )
    assert context.learning_models.entry("gdht", YEAR, commune["h3"]).refused_on is not None
    with pytest.raises(ValidationFailed, match="đã có quyết định không công nhận"):
        context.learning_models.refuse(
            "gdht", YEAR, [commune["h3"]], "Lần nữa", date(2026, 12, 10), today=TODAY
        )
    again = _evaluate(context, commune["h3"], 0.9)
    assert again.refused_on is None and again.passed


def test_decision_numbers_are_unique_per_year_and_a_decision_can_be_reused(context, commune):
    for model, subject in (("gdht", commune["h1"]), ("dhht", commune["clan"])):
        _register(context, [subject], model)
        _evaluate(context, subject, model=model)
    first = context.learning_models.recognise("gdht", YEAR, [commune["h1"]], DECISION, today=TODAY)
    with pytest.raises(ValidationFailed, match="Đã có quyết định số 15/QĐ-UBND"):
        context.learning_models.recognise("dhht", YEAR, [commune["clan"]], DECISION, today=TODAY)
    context.learning_models.recognise(
        "dhht", YEAR, [commune["clan"]], first.decision_id, today=TODAY
    )
    decision = context.learning_models.decisions(YEAR)[0]
    assert decision.recognised == {"gdht": 1, "dhht": 1}


def test_the_four_models_and_their_subjects(context, commune):
    service = context.learning_models
    assert [m.code for m in service.models()] == ["gdht", "dhht", "cdht", "dvht"]
    assert [s.name for s in service.subjects("dhht")] == ["Họ Nguyễn"]
    assert [s.name for s in service.subjects("cdht")] == ["Bon Bu Bir", "Thôn 1"]
    assert [s.village_name for s in service.subjects("dvht")] == ["Thôn 1"]
    for model in ("dhht", "cdht", "dvht"):
        assert service.criteria(model).model == model
    with pytest.raises(NotFound):
        service.entry("gdht", YEAR, commune["empty"])


def test_choosing_a_criteria_set_needs_one_of_that_model(context):
    with pytest.raises(ValidationFailed, match="Không có bộ tiêu chí"):
        context.learning_models.choose_criteria("gdht", "dhht-448")
    chosen = context.learning_models.choose_criteria("gdht", "gdht-448")
    assert context.learning_models.criteria("gdht").id == chosen.id


def test_unregister_withdraws_only_what_was_not_evaluated(context, commune):
    _register(context, [commune["h1"], commune["h2"]])
    _evaluate(context, commune["h2"])
    with pytest.raises(ValidationFailed, match="không hủy đăng ký"):
        context.learning_models.unregister("gdht", YEAR, [commune["h1"], commune["h2"]])
    assert context.learning_models.unregister("gdht", YEAR, [commune["h1"]]).changed == 1
    with context.reading() as session:
        entry = session.scalars(
            select(ModelEntry).where(ModelEntry.subject_id == commune["h1"])
        ).one()
    assert entry.deleted_at is not None
