"""The persons roster sheet: its columns, and how its cells are read and checked.

Communes keep the literacy survey in Excel. This module knows the roster's
columns (the template's headers, in order, with the spellings of them that
people actually use), finds the header row of a sheet, reads each cell the way
officials type it (Excel dates, ``dd/mm/yyyy`` text, a bare year; ``Nam``,
``nu``, ``F``; ``H'Mông`` or ``08``…) and checks each row with the same rules
as the persons form (:func:`core.registers.validate_person`).

Everything here is pure: rows come in as tuples of cell values, problems go
out as :class:`FieldIssue` with the Excel row number the official sees and the
column header as written in the file. The service reads and writes the files
and talks to the database.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any

from xhht_desktop.core import ethnicity
from xhht_desktop.core import text as vntext
from xhht_desktop.core.registers import (
    EARLIEST_BIRTH_YEAR,
    LITERACY_STAGES,
    MAX_GRADE,
    RELATIONSHIPS,
    RESIDENCES,
    PersonDraft,
    normalise_person,
    validate_person,
)
from xhht_desktop.errors import FieldIssue, RosterRefused

__all__ = [
    "COLUMNS",
    "ERRORS_HEADER",
    "EXCEL_EPOCH_1900",
    "HEADERS",
    "HEADER_SEARCH_ROWS",
    "HEAD_RELATIONSHIP",
    "SHEET_NAME",
    "Column",
    "HeaderMap",
    "ParsedRoster",
    "RosterRow",
    "blank",
    "explicit_heads",
    "find_header",
    "guess_village_kind",
    "household_heads",
    "match_key",
    "parse_birth_cell",
    "parse_disabled",
    "parse_ethnicity",
    "parse_grade",
    "parse_household_code",
    "parse_residence",
    "parse_rows",
    "parse_sex",
    "parse_stage",
    "roster_key",
    "shown",
    "whole_number",
]

SHEET_NAME = "Nhân khẩu"
ERRORS_HEADER = "Lỗi"
HEAD_RELATIONSHIP = "Chủ hộ"
# A title ("DANH SÁCH NHÂN KHẨU THÔN 3") and a blank line or two often sit
# above the headers; look this far down for them.
HEADER_SEARCH_ROWS = 10
MAX_HOUSEHOLD_CODE = 32
MAX_VILLAGE_NAME = 100
# Excel counts days from 30/12/1899 (the 1900 system); Mac files may use 1904.
EXCEL_EPOCH_1900 = date(1899, 12, 30)


@dataclass(frozen=True)
class Column:
    """One column of the roster sheet.

    Attributes:
        key: Stable id used by the code (``"birth"``).
        header: The header the template writes, exactly.
        width: Column width in the template (characters).
        required: Whether a sheet without this column is refused.
        accepts: What the cells may hold, for the instructions sheet.
        example: An example value, for the instructions sheet.
        aliases: Other headers that mean this column ("Năm sinh").
    """

    key: str
    header: str
    width: int
    required: bool
    accepts: str
    example: str
    aliases: tuple[str, ...] = ()


COLUMNS: tuple[Column, ...] = (
    Column(
        "village",
        "Thôn/Tổ dân phố",
        20,
        True,
        "Tên thôn, bon, buôn, bản, làng, ấp hoặc tổ dân phố. Thôn chưa có trong phần mềm "
        "sẽ được tạo mới (loại đoán theo chữ đầu: Thôn, Bon, Buôn, Bản, Làng, Ấp, Tổ dân phố).",
        "Thôn 3; Bon Bu Prăng",
        (
            "Thôn",
            "Thôn/TDP",
            "Thôn, tổ dân phố",
            "Tổ dân phố",
            "Thôn/Bon",
            "Thôn/Buôn",
            "Thôn/Bản",
            "Thôn/Làng",
            "Thôn/Ấp",
            "Thôn/Tổ",
            "Thôn/Bon/Buôn",
        ),
    ),
    Column(
        "household",
        "Mã hộ",
        10,
        True,
        "Mã hộ gia đình, bắt buộc; các thành viên cùng hộ ghi cùng một mã. Hộ chưa có sẽ "
        "được tạo mới, chủ hộ là người ghi «Chủ hộ» (không có thì lấy người đầu tiên).",
        "H001",
        ("Mã hộ gia đình", "Mã HGĐ", "Mã số hộ"),
    ),
    Column(
        "name",
        "Họ và tên",
        26,
        True,
        "Họ và tên đầy đủ, bắt buộc, có dấu.",
        "Nguyễn Thị Hoa",
        ("Họ tên", "Họ, tên"),
    ),
    Column(
        "relationship",
        "Quan hệ với chủ hộ",
        14,
        False,
        "Chủ hộ, Vợ, Chồng, Con, Cháu… (chọn trong danh sách hoặc tự ghi).",
        "Chủ hộ",
        ("Quan hệ", "Quan hệ với CH", "QH với chủ hộ"),
    ),
    Column(
        "birth",
        "Ngày sinh",
        12,
        True,
        "Ngày/tháng/năm (05/09/1987) hoặc chỉ năm sinh (1987); từ năm "
        f"{EARLIEST_BIRTH_YEAR} đến nay.",
        "05/09/1987; 1987",
        (
            "Năm sinh",
            "Ngày/tháng/năm sinh",
            "Ngày tháng năm sinh",
            "Ngày, tháng, năm sinh",
            "Ngày sinh/Năm sinh",
            "Ngày, năm sinh",
        ),
    ),
    Column(
        "sex",
        "Giới tính",
        9,
        True,
        "Nam hoặc Nữ (viết hoa, thường, có dấu hay không dấu đều được; M/F cũng được).",
        "Nữ",
        ("Giới", "Nam/Nữ", "Nam, Nữ"),
    ),
    Column(
        "ethnicity",
        "Dân tộc",
        14,
        True,
        "Tên dân tộc (Kinh, Tày, Mông, H'Mông, Ê Đê, M'Nông…) hoặc mã 2 chữ số theo danh "
        "mục của Tổng cục Thống kê năm 2008 (QĐ 1019/QĐ-TCTK): 01 Kinh, 08 Mông, 20 Mnông…",
        "Mông; 08",
        ("Dân tộc (mã)", "Mã dân tộc"),
    ),
    Column(
        "grade",
        "Lớp cao nhất đã hoàn thành",
        12,
        True,
        f"Số từ 0 đến {MAX_GRADE} (hệ 12 năm; ghi 9/12 cũng được). "
        "Để trống là 0 (chưa học xong lớp 1).",
        "5",
        ("Lớp", "Lớp đã hoàn thành", "Học hết lớp", "Trình độ văn hóa", "Trình độ học vấn"),
    ),
    Column(
        "stage",
        "Giai đoạn XMC đã hoàn thành",
        12,
        True,
        "Giai đoạn chương trình xóa mù chữ đã học xong: 0, 1 hoặc 2. Để trống là 0.",
        "1",
        (
            "Giai đoạn XMC",
            "Giai đoạn xóa mù chữ",
            "Giai đoạn xóa mù chữ đã hoàn thành",
            "XMC",
            "Giai đoạn",
        ),
    ),
    Column(
        "disabled",
        "Khuyết tật không có khả năng học",
        14,
        False,
        "Ghi «Có» hoặc «x» nếu người này khuyết tật không có khả năng học (không tính vào "
        "tỷ lệ biết chữ); để trống nếu không.",
        "x",
        ("Khuyết tật", "Khuyết tật không có khả năng học tập", "Khuyết tật không có khả năng"),
    ),
    Column(
        "residence",
        "Tình trạng cư trú",
        14,
        False,
        "Thường trú, Tạm trú, Chuyển đi hoặc Đã mất. Để trống là Thường trú.",
        "Tạm trú",
        ("Cư trú", "Tình trạng"),
    ),
)

HEADERS: tuple[str, ...] = tuple(column.header for column in COLUMNS)
_BY_KEY: dict[str, Column] = {column.key: column for column in COLUMNS}

# Columns that commune sheets often carry and that mean nothing to the import.
_IGNORED_HEADERS = ("STT", "TT", "Số TT", "Số thứ tự", "Ghi chú", ERRORS_HEADER)


def _key(text: object) -> str:
    """Matching key of a header or a short answer: folded, letters and digits only."""
    return "".join(ch for ch in vntext.fold(str(text)) if ch.isalnum())


def _header_index(columns: Sequence[Column]) -> dict[str, str]:
    """Matching key of every spelling of every column → the column's key."""
    index: dict[str, str] = {}
    for column in columns:
        for spelling in (column.header, *column.aliases):
            index[_key(spelling)] = column.key
    return index


_HEADER_INDEX: dict[str, str] = _header_index(COLUMNS)
_IGNORED_KEYS = frozenset(_key(h) for h in _IGNORED_HEADERS)


@dataclass(frozen=True)
class HeaderMap:
    """Where the roster's columns are in one sheet.

    Attributes:
        row: Excel row number of the header row.
        positions: Column key → 0-based column index.
        labels: Column key → the header as written in the file (cleaned).
        ignored: Headers of columns the import does not read.
        headers: Column key → the template's header, for sheets other than
            the persons roster (see ``find_header``'s ``columns``).
    """

    row: int
    positions: dict[str, int]
    labels: dict[str, str]
    ignored: tuple[str, ...] = ()
    headers: dict[str, str] = field(default_factory=dict)

    def label(self, key: str) -> str:
        """The file's header for ``key``, or the template's if the column is absent."""
        if key in self.labels:
            return self.labels[key]
        return self.headers[key] if key in self.headers else _BY_KEY[key].header


def _classify(
    cells: Sequence[object], index: Mapping[str, str] = _HEADER_INDEX
) -> tuple[dict[str, list[int]], list[str], list[str]]:
    """Known columns (key → indexes), unknown headers, ignored headers of one row."""
    known: dict[str, list[int]] = {}
    unknown: list[str] = []
    ignored: list[str] = []
    for position, cell in enumerate(cells):
        text = vntext.clean(cell) if cell is not None else ""
        if not text:
            continue
        key = _key(text)
        if key in index:
            known.setdefault(index[key], []).append(position)
        elif key in _IGNORED_KEYS:
            ignored.append(text)
        else:
            unknown.append(text)
    return known, unknown, ignored


def find_header(
    rows: Sequence[Sequence[object]],
    first_row: int = 1,
    columns: Sequence[Column] = COLUMNS,
    template_command: str = "xhht template persons",
) -> HeaderMap:
    """Find the header row among the first rows of a sheet and map its columns.

    Headers match whatever their case, diacritics, spaces or punctuation
    ("HỌ VÀ TÊN", "Ho va ten", "Năm sinh" for "Ngày sinh").

    Args:
        rows: The first rows of the sheet (up to :data:`HEADER_SEARCH_ROWS`).
        first_row: Excel row number of ``rows[0]``.
        columns: The sheet's columns: the persons roster's by default;
            other sheets (the registrations list) bring their own.
        template_command: The command that writes this sheet's template,
            for the message when no header is found.

    Returns:
        The header row and where each column is.

    Raises:
        RosterRefused: No header row, a required column missing, or a column
            given twice; the message names the missing and unknown columns.
    """
    header_index = _HEADER_INDEX if columns is COLUMNS else _header_index(columns)
    by_key = {column.key: column for column in columns}
    best: tuple[int, int] | None = None  # (how many known columns, row index)
    for index, cells in enumerate(rows[:HEADER_SEARCH_ROWS]):
        known, _, _ = _classify(cells, header_index)
        if known and (best is None or len(known) > best[0]):
            best = (len(known), index)
    expected = ", ".join(f"«{c.header}»" for c in columns if c.required)
    if best is None:
        raise RosterRefused(
            [
                FieldIssue(
                    "Tiêu đề cột",
                    f"Không tìm thấy dòng tiêu đề cột trong {HEADER_SEARCH_ROWS} dòng đầu. "
                    f"Trang tính phải có các cột: {expected}. Hãy dùng tệp mẫu "
                    f"({template_command}).",
                )
            ]
        )
    index = best[1]
    header_row = first_row + index
    known, unknown, ignored = _classify(rows[index], header_index)
    issues: list[FieldIssue] = []
    missing = [c.header for c in columns if c.required and c.key not in known]
    if missing:
        message = "Thiếu cột " + ", ".join(f"«{h}»" for h in missing) + "."
        if unknown:
            message += " Các cột không nhận ra: " + ", ".join(f"«{h}»" for h in unknown) + "."
        message += f" Các cột cần có: {expected}."
        issues.append(FieldIssue("Tiêu đề cột", message, header_row))
    cells = rows[index]
    for key, indexes in known.items():
        if len(indexes) > 1:
            written = ", ".join(f"«{vntext.clean(cells[i])}»" for i in indexes)
            issues.append(
                FieldIssue(
                    "Tiêu đề cột",
                    f"Cột «{by_key[key].header}» có {len(indexes)} lần ({written}); "
                    "hãy giữ một cột.",
                    header_row,
                )
            )
    if issues:
        raise RosterRefused(issues)
    positions = {key: indexes[0] for key, indexes in known.items()}
    labels = {key: vntext.clean(cells[i]) for key, i in positions.items()}
    headers = {} if columns is COLUMNS else {c.key: c.header for c in columns}
    return HeaderMap(header_row, positions, labels, tuple(unknown + ignored), headers)


# -- cells ------------------------------------------------------------------


def blank(value: object) -> bool:
    """Whether a cell is empty (nothing, or only spaces)."""
    return _blank(value)


def shown(value: object) -> str:
    """The cell as the official sees it, for messages (``05/09/1987``, ``12``)."""
    return _shown(value)


def whole_number(value: object) -> int | None:
    """An int from an int, an integral float or numeric text; else ``None``."""
    return _whole_number(value)


def match_key(text: object) -> str:
    """Matching key of a header or a short answer: folded, letters and digits only."""
    return _key(text)


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _shown(value: object) -> str:
    """The cell as the official sees it, for messages."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    return vntext.clean(str(value))


def _whole_number(value: object) -> int | None:
    """An int from an int, an integral float or numeric text; else ``None``."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return int(value) if value.is_integer() else None
    text = vntext.clean(str(value))
    match = re.fullmatch(r"([+-]?\d+)(?:[.,]0+)?", text)
    return int(match.group(1)) if match else None


_DAY_MONTH_YEAR = re.compile(r"(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{4})")
_YEAR_MONTH_DAY = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_MONTH_YEAR = re.compile(r"(\d{1,2})\s*[/.\-]\s*(\d{4})")
_BIRTH_HELP = "ghi ngày/tháng/năm (05/09/1987) hoặc chỉ năm sinh (1987)"


def parse_birth_cell(
    value: object, today: date, epoch: date = EXCEL_EPOCH_1900
) -> tuple[date | None, int]:
    """Read a birth cell: an Excel date, ``dd/mm/yyyy`` text, or a bare year.

    A year typed into a date-formatted cell reaches us as a date in 1905
    (1987 days after the epoch); a date that is exactly a plausible year's
    number of days after the epoch is read as that year, since nobody on a
    survey roster was born in the first months of 1905.

    Args:
        value: The cell value (``datetime``, ``date``, number or text).
        today: The day of the import; only used for the 1905 case.
        epoch: Day zero of the workbook's date system.

    Returns:
        The birth date (``None`` for a bare year) and the birth year.

    Raises:
        ValueError: With a Vietnamese message when the cell is not a date.
    """
    if _blank(value):
        raise ValueError(f"Ngày sinh không được để trống: {_BIRTH_HELP}.")
    if isinstance(value, datetime | date):
        day = value.date() if isinstance(value, datetime) else value
        serial = (day - epoch).days
        if EARLIEST_BIRTH_YEAR <= serial <= today.year:
            return None, serial
        return day, day.year
    if isinstance(value, time):
        raise ValueError(f"Ô ngày sinh chứa giờ ({value}), không phải ngày: {_BIRTH_HELP}.")
    shown = _shown(value)
    year = _whole_number(value)
    if year is not None and 1000 <= year <= 9999:
        return None, year
    if isinstance(value, str):
        text = vntext.clean(value)
        for pattern, order in ((_DAY_MONTH_YEAR, "dmy"), (_YEAR_MONTH_DAY, "ymd")):
            match = pattern.fullmatch(text)
            if match:
                parts = dict(zip(order, (int(g) for g in match.groups()), strict=True))
                try:
                    return date(parts["y"], parts["m"], parts["d"]), parts["y"]
                except ValueError:
                    raise ValueError(
                        f"Ngày sinh «{shown}» không có thật trên lịch: {_BIRTH_HELP}."
                    ) from None
        match = _MONTH_YEAR.fullmatch(text)
        if match and 1 <= int(match.group(1)) <= 12:
            return None, int(match.group(2))
    raise ValueError(f"Không đọc được ngày sinh «{shown}»: {_BIRTH_HELP}.")


_SEXES = {"nam": "M", "m": "M", "male": "M", "nu": "F", "f": "F", "female": "F"}


def parse_sex(value: object) -> str:
    """``"M"`` or ``"F"`` from Nam/Nữ in any case, with or without diacritics, or M/F."""
    if _blank(value):
        raise ValueError("Giới tính không được để trống: ghi Nam hoặc Nữ.")
    found = _SEXES.get(_key(value))
    if found is None:
        raise ValueError(f"Giới tính «{_shown(value)}» không hợp lệ: ghi Nam hoặc Nữ.")
    return found


def parse_ethnicity(value: object) -> str:
    """The 2008 code of an ethnic group from its name, a common spelling or its code."""
    if _blank(value):
        raise ValueError("Dân tộc không được để trống: ghi tên dân tộc hoặc mã 2 chữ số.")
    number = _whole_number(value) if not isinstance(value, str) else None
    found = ethnicity.lookup(str(number) if number is not None else vntext.clean(str(value)))
    if found is None:
        raise ValueError(
            f"Không nhận ra dân tộc «{_shown(value)}»: ghi tên trong danh mục 54 dân tộc "
            "(ví dụ Kinh, Mông, Ê Đê, Mnông) hoặc mã 2 chữ số (01 Kinh, 08 Mông…)."
        )
    return found.code


_GRADE_TEXT = re.compile(r"(?:lop\s*)?(\d{1,2})(?:\s*/\s*12)?")


def parse_grade(value: object) -> int:
    """The highest grade completed: a number, numeric text, ``9/12`` or ``lớp 9``.

    An empty cell is 0. The range (0–12) is checked with the other rules.
    """
    if _blank(value):
        return 0
    number = _whole_number(value)
    if number is not None:
        return number
    if isinstance(value, str):
        match = _GRADE_TEXT.fullmatch(vntext.fold(value))
        if match:
            return int(match.group(1))
    raise ValueError(
        f"Lớp «{_shown(value)}» không hợp lệ: ghi một số từ 0 đến {MAX_GRADE} (ví dụ 5 hoặc 9/12)."
    )


_STAGE_TEXT = re.compile(r"(?:giai\s*doan|gd)\s*(\d)")
_STAGE_NAMES = {_key(name): stage for stage, name in LITERACY_STAGES.items()}


def parse_stage(value: object) -> int:
    """The literacy-programme stage completed: 0, 1 or 2, as a number or text.

    Accepts "Giai đoạn 1", "GĐ2" and "Chưa học" too. An empty cell is 0.
    """
    if _blank(value):
        return 0
    number = _whole_number(value)
    if number is not None:
        return number
    if isinstance(value, str):
        if _key(value) in _STAGE_NAMES:
            return _STAGE_NAMES[_key(value)]
        match = _STAGE_TEXT.fullmatch(vntext.fold(value))
        if match:
            return int(match.group(1))
    raise ValueError(f"Giai đoạn XMC «{_shown(value)}» không hợp lệ: ghi 0, 1 hoặc 2.")


_YES = frozenset({"x", "co", "1", "kt", "khuyettat", "yes", "true"})
_NO = frozenset({"khong", "k", "0", "no", "false"})


def parse_disabled(value: object) -> bool:
    """Whether a disability prevents learning: ``x``/``Có`` yes, empty/``Không`` no."""
    if _blank(value):
        return False
    if isinstance(value, bool):
        return value
    key = _key(value)
    if key in _YES:
        return True
    if key in _NO:
        return False
    raise ValueError(
        f"Cột khuyết tật ghi «{_shown(value)}»: ghi «Có» hoặc «x» nếu có, để trống nếu không."
    )


_RESIDENCES = {_key(label): code for code, label in RESIDENCES.items()} | {
    "chuyen": "chuyen_di",
    "dachuyendi": "chuyen_di",
    "dachuyen": "chuyen_di",
    "mat": "da_mat",
    "chet": "da_mat",
    "dachet": "da_mat",
    "quadoi": "da_mat",
    "daquadoi": "da_mat",
}
_RESIDENCES.update({_key(code): code for code in RESIDENCES})


def parse_residence(value: object) -> str:
    """The residence status code; an empty cell is thường trú."""
    if _blank(value):
        return "thuong_tru"
    found = _RESIDENCES.get(_key(value))
    if found is None:
        raise ValueError(
            f"Tình trạng cư trú «{_shown(value)}» không hợp lệ: ghi Thường trú, Tạm trú, "
            "Chuyển đi hoặc Đã mất (để trống là Thường trú)."
        )
    return found


def parse_household_code(value: object) -> str:
    """A household code as stored: text, single spaces, upper case (``h01`` is ``H01``)."""
    if _blank(value):
        raise ValueError("Mã hộ không được để trống.")
    code = _shown(value).upper()
    if len(code) > MAX_HOUSEHOLD_CODE:
        raise ValueError(f"Mã hộ dài quá {MAX_HOUSEHOLD_CODE} ký tự.")
    return code


def _parse_village(value: object) -> str:
    if _blank(value):
        raise ValueError("Thôn/tổ dân phố không được để trống.")
    name = _shown(value)
    if len(name) > MAX_VILLAGE_NAME:
        raise ValueError(f"Tên thôn/tổ dân phố dài quá {MAX_VILLAGE_NAME} ký tự.")
    return name


_RELATIONSHIPS = {_key(name): name for name in RELATIONSHIPS}


def _parse_relationship(value: object) -> str:
    # Free text, but the usual words are stored with the form's spelling so
    # that "chủ hộ", "CHỦ HỘ" and "Chu ho" are the same head.
    if _blank(value):
        return ""
    return _RELATIONSHIPS.get(_key(value), _shown(value))


def guess_village_kind(name: str) -> str:
    """The kind of a village from the first word(s) of its name; ``thon`` by default."""
    words = vntext.fold(name).replace("-", " ").split()
    if words[:3] == ["to", "dan", "pho"] or words[:1] == ["tdp"]:
        return "to_dan_pho"
    first = words[0] if words else ""
    return first if first in {"thon", "bon", "buon", "ban", "lang", "ap"} else "thon"


# -- rows -------------------------------------------------------------------


@dataclass(frozen=True)
class RosterRow:
    """One valid row of the roster, parsed and normalised.

    Optional columns absent from the sheet are ``None``: an import then
    keeps what the register holds instead of overwriting it with a default.
    """

    row: int
    village: str
    household_code: str
    full_name: str
    birth_date: date | None
    birth_year: int
    sex: str
    ethnicity_code: str
    grade: int
    literacy_stage: int
    relationship: str | None = None
    disabled: bool | None = None
    residence: str | None = None

    @property
    def key(self) -> tuple[str, str, int]:
        """Identity of a person across imports: household, folded name, birth year."""
        return roster_key(self.household_code, self.full_name, self.birth_year)


def roster_key(household_code: str, full_name: str, birth_year: int) -> tuple[str, str, int]:
    """The identity an import matches persons by (see :attr:`RosterRow.key`)."""
    return household_code, vntext.fold(full_name), birth_year


@dataclass
class ParsedRoster:
    """What a sheet holds: its valid rows and every problem of the others.

    Attributes:
        header: Where the columns are.
        rows: Valid rows, in sheet order.
        issues: Problems, in sheet order (row, then column order).
        row_count: Non-empty data rows (valid and invalid).
    """

    header: HeaderMap
    rows: list[RosterRow] = field(default_factory=list)
    issues: list[FieldIssue] = field(default_factory=list)
    row_count: int = 0

    @property
    def invalid_rows(self) -> set[int]:
        return {issue.row for issue in self.issues if issue.row is not None}


# The form's field ids, as validate_person names them, to the sheet's columns.
_FIELD_COLUMNS = {
    "full_name": "name",
    "birth": "birth",
    "sex": "sex",
    "ethnicity_code": "ethnicity",
    "grade": "grade",
    "literacy_stage": "stage",
    "residence": "residence",
    "relationship_to_head": "relationship",
}


def _parse_row(
    number: int, cells: Sequence[object], header: HeaderMap, today: date, epoch: date
) -> RosterRow | list[FieldIssue]:
    def cell(key: str) -> object:
        index = header.positions.get(key)
        return cells[index] if index is not None and index < len(cells) else None

    bad: dict[str, str] = {}

    def read(key: str, parse: Any, fallback: Any) -> Any:
        try:
            return parse(cell(key))
        except ValueError as exc:
            bad[key] = str(exc)
            return fallback

    village = read("village", _parse_village, "")
    code = read("household", parse_household_code, "")
    full_name = vntext.clean(cell("name")) if not _blank(cell("name")) else ""
    birth_date, birth_year = read(
        "birth", lambda v: parse_birth_cell(v, today, epoch), (None, today.year)
    )
    sex = read("sex", parse_sex, "M")
    ethnicity_code = read("ethnicity", parse_ethnicity, "01")
    grade = read("grade", parse_grade, 0)
    stage = read("stage", parse_stage, 0)
    present = header.positions
    relationship = _parse_relationship(cell("relationship")) if "relationship" in present else None
    disabled = read("disabled", parse_disabled, False) if "disabled" in present else None
    residence = read("residence", parse_residence, "thuong_tru") if "residence" in present else None

    # The form's rules decide what a valid person is; the import only reads cells.
    draft = normalise_person(
        PersonDraft(
            household_id="(import)",
            full_name=full_name,
            birth_year=birth_year,
            sex=sex,
            ethnicity_code=ethnicity_code,
            birth_date=birth_date,
            relationship_to_head=relationship or "",
            grade=grade,
            literacy_stage=stage,
            disabled=bool(disabled),
            residence=residence or "thuong_tru",
        )
    )
    for issue in validate_person(draft, today):
        key = _FIELD_COLUMNS.get(issue.field)
        if key is not None and key not in bad:
            bad[key] = issue.message
    if bad:
        order = [c.key for c in COLUMNS]
        return [
            FieldIssue(header.label(key), bad[key], number) for key in sorted(bad, key=order.index)
        ]
    return RosterRow(
        row=number,
        village=village,
        household_code=code,
        full_name=draft.full_name,
        birth_date=birth_date,
        birth_year=birth_year,
        sex=sex,
        ethnicity_code=draft.ethnicity_code,
        grade=grade,
        literacy_stage=stage,
        relationship=draft.relationship_to_head if relationship is not None else None,
        disabled=disabled,
        residence=residence,
    )


def _cross_row_issues(rows: list[RosterRow], header: HeaderMap) -> list[FieldIssue]:
    """A person listed twice; a household code put in two villages."""
    issues: list[FieldIssue] = []
    first_of: dict[tuple[str, str, int], int] = {}
    village_of: dict[str, tuple[str, str, int]] = {}
    for row in rows:
        seen = first_of.setdefault(row.key, row.row)
        if seen != row.row:
            issues.append(
                FieldIssue(
                    header.label("name"),
                    f"Trùng với dòng {seen}: cùng mã hộ {row.household_code}, cùng họ tên và "
                    f"năm sinh {row.birth_year}. Hãy xóa một dòng hoặc sửa lại.",
                    row.row,
                )
            )
        village_key = vntext.fold(row.village)
        known = village_of.setdefault(row.household_code, (village_key, row.village, row.row))
        if known[0] != village_key:
            issues.append(
                FieldIssue(
                    header.label("village"),
                    f"Hộ {row.household_code} đã ghi ở «{known[1]}» (dòng {known[2]}); "
                    "một hộ chỉ thuộc một thôn.",
                    row.row,
                )
            )
    return issues


def parse_rows(
    header: HeaderMap,
    rows: Iterable[tuple[int, Sequence[object]]],
    today: date,
    epoch: date = EXCEL_EPOCH_1900,
) -> ParsedRoster:
    """Read and check the data rows below the header.

    Rows whose roster columns are all empty are skipped (a sheet has blank
    lines, and an errors file has a "Lỗi" column that is not ours).

    Args:
        header: The sheet's header map (from :func:`find_header`).
        rows: ``(excel row number, cell values)`` of the rows below the header.
        today: The day of the import (birth dates cannot be later).
        epoch: Day zero of the workbook's date system.

    Returns:
        The valid rows and every problem, each with its row number and the
        column header as written in the file.
    """
    parsed = ParsedRoster(header)
    indexes = sorted(header.positions.values())
    candidates: list[RosterRow] = []
    for number, cells in rows:
        if all(_blank(cells[i]) for i in indexes if i < len(cells)):
            continue
        parsed.row_count += 1
        result = _parse_row(number, cells, header, today, epoch)
        if isinstance(result, RosterRow):
            candidates.append(result)
        else:
            parsed.issues.extend(result)
    cross = _cross_row_issues(candidates, header)
    if cross:
        parsed.issues.extend(cross)
        parsed.issues.sort(key=lambda issue: issue.row or 0)  # stable: columns stay in order
    invalid = parsed.invalid_rows
    parsed.rows = [row for row in candidates if row.row not in invalid]
    return parsed


def household_heads(rows: Iterable[RosterRow]) -> dict[str, str]:
    """Head of each household code: the member marked «Chủ hộ», else the first listed."""
    heads: dict[str, str] = {}
    marked: set[str] = set()
    for row in rows:
        if row.relationship == HEAD_RELATIONSHIP and row.household_code not in marked:
            heads[row.household_code] = row.full_name
            marked.add(row.household_code)
        else:
            heads.setdefault(row.household_code, row.full_name)
    return heads


def explicit_heads(rows: Iterable[RosterRow]) -> dict[str, str]:
    """Household code → the first member marked «Chủ hộ» (only where one is)."""
    heads: dict[str, str] = {}
    for row in rows:
        if row.relationship == HEAD_RELATIONSHIP:
            heads.setdefault(row.household_code, row.full_name)
    return heads
