"""The four learning models and the rules of their yearly cycle (pure: no database).

Quyết định 281/QĐ-TTg (2014) asked every commune to build four learning
models; Hội Khuyến học Việt Nam issued their criteria (Quyết định
448/QĐ-KHVN, 2015). Each model has, per year and per subject:

1. registration (đăng ký) at the start of the year;
2. evaluation (đánh giá) against a versioned criteria set at its end, scored
   by the forms engine (``forms.score``), never by hand;
3. an outcome: recognition (công nhận) by a decision, or refusal; and later,
   perhaps, revocation (thu hồi).

The rule that matters: no recognition without a registration and a passed
evaluation in that year, unless an approver overrides with a reason. This
module says what a subject's state allows and why not; the services apply it
and store what happened.

Clans and units, the two registers this cycle adds, have their drafts and
field rules here too, as villages and households have theirs in
:mod:`core.registers`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date

from xhht_desktop.core import text as vntext
from xhht_desktop.errors import FieldIssue, PermissionDenied

APPROVER_ROLES = frozenset({"approver", "admin"})
"""Roles that may recognise a subject the rule would refuse (with a reason)."""

MAX_REASON = 500
MAX_STAFF = 100_000


@dataclass(frozen=True)
class LearningModel:
    """One learning model (mô hình học tập).

    Attributes:
        code: ``gdht``, ``dhht``, ``cdht`` or ``dvht`` (the criteria sets' ``model``).
        label: Its current name.
        subject: What one subject is, as the forms engine names it
            (``household``, ``clan``, ``village``, ``unit``).
        subject_label: That, in Vietnamese.
        older_labels: Earlier names, for reports of older plans
            ("Gia đình hiếu học" in the 2011 Đông Triều plan).
    """

    code: str
    label: str
    subject: str
    subject_label: str
    older_labels: tuple[str, ...] = ()


MODELS: dict[str, LearningModel] = {
    "gdht": LearningModel(
        "gdht", "Gia đình học tập", "household", "Hộ gia đình", ("Gia đình hiếu học",)
    ),
    "dhht": LearningModel(
        "dhht", "Dòng họ học tập", "clan", "Dòng họ", ("Dòng họ hiếu học", "Dòng họ khuyến học")
    ),
    "cdht": LearningModel(
        "cdht", "Cộng đồng học tập cấp thôn", "village", "Thôn/tổ dân phố", ("Cộng đồng học tập",)
    ),
    "dvht": LearningModel("dvht", "Đơn vị học tập", "unit", "Đơn vị", ("Đơn vị hiếu học",)),
}
MODEL_CODES: tuple[str, ...] = tuple(MODELS)


def learning_model(code: str) -> LearningModel:
    """The model ``code``.

    Raises:
        ValueError: naming the four codes, when ``code`` is not one of them.
    """
    found = MODELS.get(code)
    if found is None:
        raise ValueError(f"Không có mô hình học tập '{code}': dùng gdht, dhht, cdht hoặc dvht.")
    return found


# -- clans and units ------------------------------------------------------------

UNIT_KINDS: dict[str, str] = {
    "co_quan": "Cơ quan",
    "truong_hoc": "Trường học",
    "doanh_nghiep": "Doanh nghiệp",
    "hop_tac_xa": "Hợp tác xã",
    "luc_luong_vu_trang": "Đơn vị lực lượng vũ trang",
    "khac": "Khác",
}


@dataclass(frozen=True)
class ClanDraft:
    name: str
    contact_person: str = ""
    note: str = ""


@dataclass(frozen=True)
class UnitDraft:
    name: str
    kind: str
    address: str = ""
    head_name: str = ""
    staff_count: int = 0
    village_id: str | None = None


def normalise_clan(draft: ClanDraft) -> ClanDraft:
    return replace(
        draft,
        name=vntext.clean(draft.name),
        contact_person=vntext.clean(draft.contact_person),
        note=vntext.clean(draft.note),
    )


def _text_issues(
    field: str, value: str, label: str, limit: int, required: bool
) -> list[FieldIssue]:
    if required and not value:
        return [FieldIssue(field, f"{label} không được để trống.")]
    if len(value) > limit:
        return [FieldIssue(field, f"{label} dài quá {limit} ký tự.")]
    return []


def validate_clan(draft: ClanDraft) -> list[FieldIssue]:
    issues = _text_issues("name", draft.name, "Tên dòng họ", 100, True)
    issues += _text_issues("contact_person", draft.contact_person, "Người liên hệ", 100, False)
    issues += _text_issues("note", draft.note, "Ghi chú", 500, False)
    return issues


def normalise_unit(draft: UnitDraft) -> UnitDraft:
    return replace(
        draft,
        name=vntext.clean(draft.name),
        address=vntext.clean(draft.address),
        head_name=vntext.clean(draft.head_name),
        village_id=draft.village_id or None,
    )


def validate_unit(draft: UnitDraft) -> list[FieldIssue]:
    issues = _text_issues("name", draft.name, "Tên đơn vị", 200, True)
    if draft.kind not in UNIT_KINDS:
        kinds = ", ".join(label.lower() for label in UNIT_KINDS.values())
        issues.append(FieldIssue("kind", f"Hãy chọn loại đơn vị: {kinds}."))
    issues += _text_issues("address", draft.address, "Địa chỉ", 200, False)
    issues += _text_issues("head_name", draft.head_name, "Người đứng đầu", 100, False)
    if not 0 <= draft.staff_count <= MAX_STAFF:
        issues.append(
            FieldIssue("staff_count", f"Số cán bộ, người lao động phải từ 0 đến {MAX_STAFF}.")
        )
    return issues


# -- dates of the cycle -----------------------------------------------------------


def registration_date_issue(registered_on: date | None, year: int, today: date) -> str | None:
    """Why a registration date does not fit ``year``; ``None`` when it does.

    Subjects register at the start of the year, some already in the last
    months of the year before.
    """
    if registered_on is None:
        return "Hãy ghi ngày đăng ký."
    if registered_on > today:
        return "Ngày đăng ký không được ở tương lai."
    if registered_on.year not in (year - 1, year):
        return f"Ngày đăng ký cho năm {year} phải trong năm {year - 1} hoặc {year}."
    return None


def evaluation_date_issue(evaluated_on: date | None, year: int, today: date) -> str | None:
    """Why an evaluation date does not fit ``year`` (the year, or early the next)."""
    if evaluated_on is None:
        return "Hãy ghi ngày đánh giá."
    if evaluated_on > today:
        return "Ngày đánh giá không được ở tương lai."
    if evaluated_on.year not in (year, year + 1):
        return f"Ngày đánh giá cho năm {year} phải trong năm {year} hoặc {year + 1}."
    return None


# -- decisions --------------------------------------------------------------------

# "15/QĐ-UBND", "120/2024/QĐ-UBND", "07/QĐ-HKH": a number, perhaps a year, the
# document type and the issuing body (Nghị định 30/2020, Phụ lục VI).
_DECISION_NUMBER = re.compile(r"^\d{1,5}(/\d{4})?/QĐ(-[A-ZĐ0-9&]+)+$")


@dataclass(frozen=True)
class DecisionDraft:
    """A recognition decision as entered: number, date, signer.

    Attributes:
        number: As written on the decision, e.g. ``15/QĐ-UBND``.
        decided_on: The date it was signed.
        signer_name: Who signed it.
        signer_title: Their title ("Chủ tịch", "KT. Chủ tịch – Phó Chủ tịch").
        summary: What it is about ("Về việc công nhận danh hiệu …").
    """

    number: str
    decided_on: date | None
    signer_name: str
    signer_title: str = ""
    summary: str = ""


def normalise_decision(draft: DecisionDraft) -> DecisionDraft:
    number = vntext.clean(draft.number).replace(" ", "").upper()
    # People type "QD" for "QĐ" when the keyboard is not set to Vietnamese.
    number = re.sub(r"/QD(?=-|$)", "/QĐ", number)
    return replace(
        draft,
        number=number,
        signer_name=vntext.clean(draft.signer_name),
        signer_title=vntext.clean(draft.signer_title),
        summary=vntext.clean(draft.summary),
    )


def validate_decision(draft: DecisionDraft, year: int, today: date) -> list[FieldIssue]:
    """Every problem of a normalised decision recognising models of ``year``."""
    issues: list[FieldIssue] = []
    if not draft.number:
        issues.append(FieldIssue("number", "Hãy ghi số quyết định, ví dụ 15/QĐ-UBND."))
    elif len(draft.number) > 50 or not _DECISION_NUMBER.match(draft.number):
        issues.append(
            FieldIssue(
                "number",
                f"Số quyết định «{draft.number}» không đúng dạng: ghi như 15/QĐ-UBND "
                "hoặc 120/2024/QĐ-UBND.",
            )
        )
    if draft.decided_on is None:
        issues.append(FieldIssue("decided_on", "Hãy ghi ngày ký quyết định."))
    elif draft.decided_on > today:
        issues.append(FieldIssue("decided_on", "Ngày ký quyết định không được ở tương lai."))
    elif draft.decided_on.year not in (year, year + 1):
        issues.append(
            FieldIssue(
                "decided_on",
                f"Quyết định công nhận năm {year} phải ký trong năm {year} hoặc {year + 1}.",
            )
        )
    issues += _text_issues("signer_name", draft.signer_name, "Họ tên người ký", 100, True)
    issues += _text_issues("signer_title", draft.signer_title, "Chức vụ người ký", 100, False)
    issues += _text_issues("summary", draft.summary, "Trích yếu", 300, False)
    return issues


# -- the state of one entry and what it allows ------------------------------------


@dataclass(frozen=True)
class EntryState:
    """Where one subject stands in one model and year.

    Attributes:
        registered: It registered for the year.
        evaluated: It has an evaluation.
        passed: Its evaluation passed the set's rule (``None``: not evaluated).
        decision_number: The decision that recognised it, if any.
        revoked: Its recognition was revoked.
        refused: Recognition was refused.
        total: The evaluation's total, as shown ("87,5"), for messages.
    """

    registered: bool = False
    evaluated: bool = False
    passed: bool | None = None
    decision_number: str | None = None
    revoked: bool = False
    refused: bool = False
    total: str = ""

    @property
    def recognised(self) -> bool:
        """Recognised and not revoked: what the counts call recognised."""
        return self.decision_number is not None and not self.revoked


@dataclass(frozen=True)
class RecognitionCheck:
    """Whether one subject may be recognised, and on what ground.

    Attributes:
        allowed: It may be recognised now.
        overridden: Only because an approver overrides the rule.
        reasons: Why the rule alone does not allow it (empty when it does).
    """

    allowed: bool
    overridden: bool
    reasons: tuple[str, ...]


def rule_reasons(state: EntryState, year: int) -> list[str]:
    """Why the rule refuses recognition (no registration, no passed evaluation)."""
    reasons: list[str] = []
    if not state.registered:
        reasons.append(f"chưa đăng ký năm {year}")
    if not state.evaluated:
        reasons.append(f"chưa được đánh giá năm {year}")
    elif not state.passed:
        shown = f" ({state.total} điểm)" if state.total else ""
        reasons.append(f"kết quả đánh giá chưa đạt theo bộ tiêu chí{shown}")
    return reasons


def clean_reason(reason: str | None) -> str:
    return vntext.clean(reason or "")


def check_override(override_reason: str | None, role: str) -> str:
    """The cleaned override reason, if the actor may override.

    Raises:
        PermissionDenied: an override asked by a role that is not an approver.
        ValueError: the reason is longer than :data:`MAX_REASON` (Vietnamese message).
    """
    reason = clean_reason(override_reason)
    if not reason:
        return ""
    if role not in APPROVER_ROLES:
        raise PermissionDenied(
            "Chỉ người phê duyệt hoặc quản trị mới được công nhận khi chưa đủ điều kiện "
            "(chưa đăng ký hoặc chưa đạt). Hãy nhờ người phê duyệt xem xét."
        )
    if len(reason) > MAX_REASON:
        raise ValueError(f"Lý do dài quá {MAX_REASON} ký tự.")
    return reason


def check_recognition(state: EntryState, year: int, override_reason: str = "") -> RecognitionCheck:
    """Whether a subject in ``state`` may be recognised for ``year``.

    A subject already recognised (and not revoked) is never recognised
    twice, override or not. Otherwise the rule needs a registration and a
    passed evaluation; an override reason (already checked against the
    actor's role by :func:`check_override`) lifts that.
    """
    if state.recognised:
        return RecognitionCheck(
            False, False, (f"đã được công nhận theo quyết định {state.decision_number}",)
        )
    reasons = tuple(rule_reasons(state, year))
    if not reasons:
        return RecognitionCheck(True, False, ())
    return RecognitionCheck(bool(override_reason), bool(override_reason), reasons)


def evaluation_blocker(state: EntryState) -> str | None:
    """Why a subject cannot be (re-)evaluated now, if it cannot."""
    if state.recognised:
        return (
            f"đã được công nhận theo quyết định {state.decision_number}; muốn đánh giá lại "
            "hãy thu hồi công nhận trước"
        )
    return None


def refusal_blocker(state: EntryState) -> str | None:
    """Why recognition cannot be refused now, if it cannot."""
    if state.recognised:
        return (
            f"đã được công nhận theo quyết định {state.decision_number}; "
            "hãy thu hồi thay vì từ chối"
        )
    if state.refused:
        return "đã có quyết định không công nhận"
    return None


def revocation_blocker(state: EntryState) -> str | None:
    """Why a recognition cannot be revoked, if it cannot."""
    if state.decision_number is None:
        return "chưa được công nhận nên không có gì để thu hồi"
    if state.revoked:
        return "công nhận đã bị thu hồi trước đó"
    return None


def status_label(state: EntryState) -> str:
    """One word for a list: where the subject stands."""
    if state.revoked:
        return "Đã thu hồi"
    if state.recognised:
        return "Đã công nhận"
    if state.refused:
        return "Không công nhận"
    if state.evaluated:
        return "Đạt" if state.passed else "Chưa đạt"
    if state.registered:
        return "Đã đăng ký"
    return "Chưa đăng ký"
