"""Tests of xhht_desktop.core.models_cycle: the rules of the learning models' year."""

from __future__ import annotations

from datetime import date

import pytest

from xhht_desktop.core.models_cycle import (
    MODELS,
    ClanDraft,
    DecisionDraft,
    EntryState,
    UnitDraft,
    check_override,
    check_recognition,
    evaluation_blocker,
    evaluation_date_issue,
    learning_model,
    normalise_decision,
    normalise_unit,
    refusal_blocker,
    registration_date_issue,
    revocation_blocker,
    status_label,
    validate_clan,
    validate_decision,
    validate_unit,
)
from xhht_desktop.errors import PermissionDenied

TODAY = date(2026, 12, 20)
PASSED = EntryState(registered=True, evaluated=True, passed=True, total="90")


def test_the_four_models_with_their_subjects_and_older_names():
    assert [(m.code, m.subject) for m in MODELS.values()] == [
        ("gdht", "household"),
        ("dhht", "clan"),
        ("cdht", "village"),
        ("dvht", "unit"),
    ]
    assert "Gia đình hiếu học" in learning_model("gdht").older_labels
    assert "Đơn vị hiếu học" in learning_model("dvht").older_labels
    with pytest.raises(ValueError, match="gdht, dhht, cdht hoặc dvht"):
        learning_model("xyz")


def test_registered_and_passed_may_be_recognised():
    check = check_recognition(PASSED, 2026)
    assert check.allowed and not check.overridden and check.reasons == ()


@pytest.mark.parametrize(
    ("state", "expected"),
    [
        (EntryState(), ["chưa đăng ký năm 2026", "chưa được đánh giá năm 2026"]),
        (EntryState(evaluated=True, passed=True), ["chưa đăng ký năm 2026"]),
        (EntryState(registered=True), ["chưa được đánh giá năm 2026"]),
        (
            EntryState(registered=True, evaluated=True, passed=False, total="65"),
            ["kết quả đánh giá chưa đạt theo bộ tiêu chí (65 điểm)"],
        ),
    ],
)
def test_no_recognition_without_registration_and_a_passed_evaluation(state, expected):
    check = check_recognition(state, 2026)
    assert not check.allowed
    assert list(check.reasons) == expected


def test_an_override_lifts_the_rule_but_never_recognises_twice():
    lifted = check_recognition(EntryState(), 2026, "Gia đình tiêu biểu, UBND xã đề nghị")
    assert lifted.allowed and lifted.overridden
    twice = check_recognition(
        EntryState(registered=True, evaluated=True, passed=True, decision_number="15/QĐ-UBND"),
        2026,
        "lý do",
    )
    assert not twice.allowed
    assert twice.reasons == ("đã được công nhận theo quyết định 15/QĐ-UBND",)


def test_only_approvers_may_override():
    assert check_override("  Có   lý do ", "approver") == "Có lý do"
    assert check_override("Có lý do", "admin") == "Có lý do"
    assert check_override("", "data_entry") == ""
    assert check_override(None, "data_entry") == ""
    with pytest.raises(PermissionDenied, match="người phê duyệt"):
        check_override("Tôi muốn", "data_entry")
    with pytest.raises(ValueError, match="500"):
        check_override("x" * 501, "admin")


def test_revoked_recognition_counts_as_not_recognised():
    revoked = EntryState(
        registered=True, evaluated=True, passed=True, decision_number="15/QĐ-UBND", revoked=True
    )
    assert not revoked.recognised
    assert check_recognition(revoked, 2026).allowed
    assert revocation_blocker(revoked) == "công nhận đã bị thu hồi trước đó"
    assert status_label(revoked) == "Đã thu hồi"


def test_blockers_of_evaluation_refusal_and_revocation():
    recognised = EntryState(
        registered=True, evaluated=True, passed=True, decision_number="15/QĐ-UBND"
    )
    assert "thu hồi công nhận trước" in (evaluation_blocker(recognised) or "")
    assert evaluation_blocker(PASSED) is None
    assert "thu hồi thay vì từ chối" in (refusal_blocker(recognised) or "")
    assert refusal_blocker(EntryState(refused=True)) == "đã có quyết định không công nhận"
    assert revocation_blocker(PASSED) == "chưa được công nhận nên không có gì để thu hồi"
    assert revocation_blocker(recognised) is None


@pytest.mark.parametrize(
    ("state", "label"),
    [
        (EntryState(), "Chưa đăng ký"),
        (EntryState(registered=True), "Đã đăng ký"),
        (PASSED, "Đạt"),
        (EntryState(registered=True, evaluated=True, passed=False), "Chưa đạt"),
        (EntryState(refused=True, evaluated=True), "Không công nhận"),
        (EntryState(decision_number="1/QĐ-UBND"), "Đã công nhận"),
    ],
)
def test_status_labels(state, label):
    assert status_label(state) == label


def test_dates_of_the_cycle_fit_the_year():
    assert registration_date_issue(date(2025, 12, 20), 2026, TODAY) is None
    assert registration_date_issue(date(2026, 1, 5), 2026, TODAY) is None
    assert "2025 hoặc 2026" in (registration_date_issue(date(2024, 1, 5), 2026, TODAY) or "")
    assert "tương lai" in (registration_date_issue(date(2026, 12, 21), 2026, TODAY) or "")
    assert registration_date_issue(None, 2026, TODAY) == "Hãy ghi ngày đăng ký."
    assert evaluation_date_issue(date(2026, 11, 20), 2026, TODAY) is None
    assert "2026 hoặc 2027" in (evaluation_date_issue(date(2025, 11, 20), 2026, TODAY) or "")


def test_decision_number_date_and_signer():
    draft = normalise_decision(
        DecisionDraft(" 15/qd-ubnd ", date(2026, 12, 15), " Nguyễn  Văn Minh ", "Chủ tịch")
    )
    assert draft.number == "15/QĐ-UBND"
    assert draft.signer_name == "Nguyễn Văn Minh"
    assert validate_decision(draft, 2026, TODAY) == []
    assert (
        validate_decision(
            normalise_decision(DecisionDraft("120/2026/QĐ-UBND", date(2027, 1, 5), "A")),
            2026,
            date(2027, 2, 1),
        )
        == []
    )
    bad = validate_decision(DecisionDraft("QĐ 15", date(2025, 5, 1), ""), 2026, TODAY)
    assert {issue.field for issue in bad} == {"number", "decided_on", "signer_name"}
    assert "15/QĐ-UBND" in bad[0].message


def test_clan_and_unit_fields():
    assert validate_clan(ClanDraft("Họ Nguyễn")) == []
    assert [i.field for i in validate_clan(ClanDraft(""))] == ["name"]
    unit = normalise_unit(UnitDraft("  Trường  THCS Đức An ", "truong_hoc", village_id=""))
    assert unit.name == "Trường THCS Đức An" and unit.village_id is None
    assert validate_unit(unit) == []
    issues = validate_unit(UnitDraft("X", "nha_may", staff_count=-1))
    assert {i.field for i in issues} == {"kind", "staff_count"}
