"""The registers' records as plain values, their vocabularies and their rules.

A *draft* is what a user (or an imported row) proposes; ``validate_*`` returns
every problem with a Vietnamese message naming the field, so the form can show
each one beside its field. Rules that need the database (a household code is
already taken) live in the services; these need only the record and today.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date

from xhht_desktop.core import ethnicity
from xhht_desktop.core import text as vntext
from xhht_desktop.errors import FieldIssue

EARLIEST_BIRTH_YEAR = 1900
MAX_GRADE = 12

VILLAGE_KINDS: dict[str, str] = {
    "thon": "Thôn",
    "bon": "Bon",
    "buon": "Buôn",
    "ban": "Bản",
    "lang": "Làng",
    "ap": "Ấp",
    "to_dan_pho": "Tổ dân phố",
}

SEXES: dict[str, str] = {"M": "Nam", "F": "Nữ"}

RESIDENCES: dict[str, str] = {
    "thuong_tru": "Thường trú",
    "tam_tru": "Tạm trú",
    "chuyen_di": "Chuyển đi",
    "da_mat": "Đã mất",
}
# Moved away or died: kept in the register, never counted.
COUNTED_RESIDENCES = frozenset({"thuong_tru", "tam_tru"})

LITERACY_STAGES: dict[int, str] = {
    0: "Chưa học",
    1: "Giai đoạn 1",
    2: "Giai đoạn 2",
}

RELATIONSHIPS: tuple[str, ...] = (
    "Chủ hộ",
    "Vợ",
    "Chồng",
    "Con",
    "Con dâu",
    "Con rể",
    "Cháu",
    "Cha",
    "Mẹ",
    "Ông",
    "Bà",
    "Anh",
    "Chị",
    "Em",
    "Khác",
)

_BIRTH_DATE = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})$")
_BIRTH_YEAR = re.compile(r"^\d{4}$")


@dataclass(frozen=True)
class VillageDraft:
    kind: str
    name: str


@dataclass(frozen=True)
class HouseholdDraft:
    code: str
    village_id: str
    head_name: str
    address: str = ""


@dataclass(frozen=True)
class PersonDraft:
    household_id: str
    full_name: str
    birth_year: int | None
    sex: str
    ethnicity_code: str
    birth_date: date | None = None
    relationship_to_head: str = ""
    grade: int = 0
    literacy_stage: int = 0
    disabled: bool = False
    residence: str = "thuong_tru"


def parse_birth(value: str) -> tuple[date | None, int]:
    """Read a birth date as officials write it: ``dd/mm/yyyy`` or a bare year.

    Raises:
        ValueError: with a Vietnamese message, when the text is neither.
    """
    cleaned = vntext.clean(value)
    if _BIRTH_YEAR.match(cleaned):
        return None, int(cleaned)
    match = _BIRTH_DATE.match(cleaned)
    if match:
        day, month, year = (int(g) for g in match.groups())
        try:
            return date(year, month, day), year
        except ValueError:
            raise ValueError(f"Ngày sinh '{cleaned}' không có thật trên lịch.") from None
    raise ValueError("Ngày sinh phải là ngày/tháng/năm (ví dụ 05/09/1987) hoặc chỉ năm (1987).")


def format_birth(birth_date: date | None, birth_year: int | None) -> str:
    if birth_date is not None:
        return birth_date.strftime("%d/%m/%Y")
    return str(birth_year) if birth_year else ""


def normalise_village(draft: VillageDraft) -> VillageDraft:
    return replace(draft, name=vntext.clean(draft.name))


def normalise_household(draft: HouseholdDraft) -> HouseholdDraft:
    return replace(
        draft,
        code=vntext.clean(draft.code).upper(),
        head_name=vntext.clean(draft.head_name),
        address=vntext.clean(draft.address),
    )


def normalise_person(draft: PersonDraft) -> PersonDraft:
    birth_year = draft.birth_date.year if draft.birth_date is not None else draft.birth_year
    return replace(
        draft,
        full_name=vntext.clean(draft.full_name),
        relationship_to_head=vntext.clean(draft.relationship_to_head),
        birth_year=birth_year,
        ethnicity_code=(draft.ethnicity_code or "").strip().zfill(2),
    )


def _name_issues(field: str, value: str, label: str, limit: int = 100) -> list[FieldIssue]:
    if not value:
        return [FieldIssue(field, f"{label} không được để trống.")]
    if len(value) > limit:
        return [FieldIssue(field, f"{label} dài quá {limit} ký tự.")]
    return []


def validate_village(draft: VillageDraft) -> list[FieldIssue]:
    issues = _name_issues("name", draft.name, "Tên thôn/tổ dân phố")
    if draft.kind not in VILLAGE_KINDS:
        issues.append(
            FieldIssue("kind", "Hãy chọn loại: thôn, bon, buôn, bản, làng, ấp hoặc tổ dân phố.")
        )
    return issues


def validate_household(draft: HouseholdDraft) -> list[FieldIssue]:
    issues = _name_issues("code", draft.code, "Mã hộ", limit=32)
    issues += _name_issues("head_name", draft.head_name, "Họ tên chủ hộ")
    if not draft.village_id:
        issues.append(FieldIssue("village_id", "Hãy chọn thôn/tổ dân phố của hộ."))
    if len(draft.address) > 200:
        issues.append(FieldIssue("address", "Địa chỉ dài quá 200 ký tự."))
    return issues


def validate_person(draft: PersonDraft, today: date) -> list[FieldIssue]:
    """Every problem of a normalised person draft, one per field at most."""
    issues = _name_issues("full_name", draft.full_name, "Họ và tên")
    if not draft.household_id:
        issues.append(FieldIssue("household_id", "Hãy chọn hộ gia đình."))
    if draft.birth_date is not None and draft.birth_date > today:
        issues.append(FieldIssue("birth", "Ngày sinh không được ở tương lai."))
    elif draft.birth_year is None:
        issues.append(FieldIssue("birth", "Hãy nhập ngày sinh hoặc năm sinh."))
    elif draft.birth_year > today.year:
        issues.append(FieldIssue("birth", "Năm sinh không được ở tương lai."))
    elif draft.birth_year < EARLIEST_BIRTH_YEAR:
        issues.append(FieldIssue("birth", f"Năm sinh không được trước {EARLIEST_BIRTH_YEAR}."))
    if draft.sex not in SEXES:
        issues.append(FieldIssue("sex", "Giới tính phải là Nam hoặc Nữ."))
    if ethnicity.by_code(draft.ethnicity_code) is None:
        issues.append(FieldIssue("ethnicity_code", "Hãy chọn dân tộc trong danh mục 54 dân tộc."))
    if not 0 <= draft.grade <= MAX_GRADE:
        issues.append(FieldIssue("grade", f"Lớp cao nhất đã hoàn thành phải từ 0 đến {MAX_GRADE}."))
    if draft.literacy_stage not in LITERACY_STAGES:
        issues.append(FieldIssue("literacy_stage", "Giai đoạn xóa mù chữ phải là 0, 1 hoặc 2."))
    if draft.residence not in RESIDENCES:
        issues.append(FieldIssue("residence", "Tình trạng cư trú không hợp lệ."))
    if len(draft.relationship_to_head) > 32:
        issues.append(FieldIssue("relationship_to_head", "Quan hệ với chủ hộ dài quá 32 ký tự."))
    return issues
