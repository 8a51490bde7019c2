"""Vietnam's 54 ethnic groups and their official statistical codes.

Two code tables are in use and they disagree on most codes, so a code means
nothing without its table:

* **2008** — *Danh mục các dân tộc Việt Nam* issued with Quyết định số
  1019/QĐ-TCTK of 12 November 2008. The 2009 and 2019 censuses and current
  GSO surveys use it, and it is the default here. Groups are numbered by their
  population in the 1999 census (04 Mường, 05 Khơ Me, 06 Hoa, …, 54 Ơ Đu).
* **1979** — *Danh mục các thành phần dân tộc Việt Nam* issued with Quyết
  định số 121-TCTK/PPCĐ of 2 March 1979 (04 Hoa, 05 Khơ-me, 06 Mường,
  11 Ngái, …, 54 Rơ-măm). Many administrative systems still use it.

The tables agree on 08 (Mông) and 20 (Mnông), among a few others.

Display names follow the spellings of the 2009 and 2019 census publications,
with every syllable capitalised as current government usage does ("Ê Đê",
"Gia Rai"). The 1979 spellings ("Ê-đê", "Gia-rai", "HMông", "Gié Triêng"…) and
other common spellings are kept as aliases. :func:`lookup` ignores case,
diacritics, spaces, hyphens, apostrophes and dots, so "H'Mông", "HMông",
"hmong" and "Mông" are the same key.

"Mèo" is not accepted for the Mông: both tables list it only as a former
name, and it is pejorative today. Other exonyms that would fold to another
group's key (e.g. "Thổ", a former name of both the Tày and the Khơ Me) are
left out too.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Literal

__all__ = [
    "ETHNICITIES",
    "FOREIGNER_CODE",
    "FOREIGNER_NAME",
    "Ethnicity",
    "Table",
    "by_code",
    "choices",
    "lookup",
]

Table = Literal["2008", "1979"]


@dataclass(frozen=True)
class Ethnicity:
    """One of Vietnam's 54 officially recognised ethnic groups.

    Attributes:
        code: Two-digit code in the 2008 table (QĐ 1019/QĐ-TCTK), e.g. ``"08"``.
        name: Display name in NFC, e.g. ``"Mông"``.
        code_1979: Two-digit code in the 1979 table (QĐ 121-TCTK/PPCĐ), or
            ``None`` if unknown.
        aliases: Other accepted spellings, including the 1979 table's.
    """

    code: str
    name: str
    code_1979: str | None
    aliases: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        """Return the drop-down label, e.g. ``"08 – Mông"``."""
        return f"{self.code} – {self.name}"


def _e(code: str, name: str, code_1979: str | None, *aliases: str) -> Ethnicity:
    return Ethnicity(code=code, name=name, code_1979=code_1979, aliases=aliases)


# Codes 01-20 of the 2008 table were checked against the published text of
# QĐ 1019/QĐ-TCTK. It does NOT keep the 1979 order from 10 on: Ê Đê is 11,
# Ba Na 12, Sán Chay 13, Chăm 14, Cơ Ho 15, Xơ Đăng 16, Sán Dìu 17, Hrê 18,
# Ra Glai 19 (the 1979 table has Ngái at 11 and Xơ-Đăng at 14). Codes 21-54
# follow the same 1999-census population order and match the order of the
# 2009 and 2019 census tables; the near-ties La Chí/Kháng (36/37) and
# Cơ Lao/Bố Y (47/48) are the ones to recheck first against the printed text.
# The 1979 codes were checked against the table of QĐ 121-TCTK/PPCĐ and
# every group's is known.
ETHNICITIES: tuple[Ethnicity, ...] = (
    _e("01", "Kinh", "01", "Việt", "Kinh (Việt)"),
    _e("02", "Tày", "02"),
    _e("03", "Thái", "03"),
    _e("04", "Mường", "06"),
    _e("05", "Khơ Me", "05", "Khơ-me", "Khơ me", "Khơme", "Khmer"),
    _e("06", "Hoa", "04", "Hán", "Hoa (Hán)"),
    _e("07", "Nùng", "07"),
    _e("08", "Mông", "08", "H'Mông", "HMông", "Hmông", "H’Mông", "Hmong"),
    _e("09", "Dao", "09"),
    _e("10", "Gia Rai", "10", "Gia-rai", "Giarai", "Giơ-rai", "Jrai", "Jarai"),
    _e("11", "Ê Đê", "12", "Ê-đê", "Êđê", "Ede", "Rhade", "Ra-đê"),
    _e("12", "Ba Na", "13", "Ba-na", "Ba na", "Bana", "Bahnar"),
    _e("13", "Sán Chay", "15", "Cao Lan", "Sán Chỉ", "Cao Lan-Sán Chỉ"),
    _e("14", "Chăm", "17", "Chàm"),
    _e("15", "Cơ Ho", "16", "Cơ-ho", "K'Ho", "K’Ho", "Koho", "Kơ Ho"),
    _e("16", "Xơ Đăng", "14", "Xơ-Đăng", "Xơ-đăng", "Sedang"),
    _e("17", "Sán Dìu", "18"),
    _e("18", "Hrê", "19", "H'rê", "H're"),
    _e("19", "Ra Glai", "21", "Ra-glai", "Raglai", "Roglai"),
    _e("20", "Mnông", "20", "M'Nông", "M’Nông", "Mơ Nông", "Mnong"),
    _e("21", "Thổ", "24"),
    _e("22", "Xtiêng", "22", "X'Tiêng", "X’Tiêng", "Stiêng", "Stieng"),
    _e("23", "Khơ Mú", "29", "Khơ-mú", "Khơmú", "Khmu", "Kmhmu"),
    _e("24", "Bru Vân Kiều", "23", "Bru-Vân Kiều", "Vân Kiều", "Bru"),
    _e("25", "Cơ Tu", "26", "Cơ-tu", "Katu", "Ca Tu", "Kơ Tu"),
    _e("26", "Giáy", "25"),
    _e("27", "Tà Ôi", "31", "Tà-ôi", "Pa Cô", "Pa-cô"),
    _e("28", "Mạ", "28"),
    _e("29", "Giẻ Triêng", "27", "Gié Triêng", "Gié-Triêng", "Giẻ-Triêng", "Gié", "Giẻ"),
    _e("30", "Co", "30", "Cor"),
    _e("31", "Chơ Ro", "32", "Chơ-ro", "Châu Ro"),
    _e("32", "Xinh Mun", "34", "Xinh-mun"),
    _e("33", "Hà Nhì", "35", "Hani"),
    _e("34", "Chu Ru", "36", "Chu-ru", "Chu ru", "Churu"),
    _e("35", "Lào", "37"),
    _e("36", "La Chí", "38"),
    _e("37", "Kháng", "33"),
    _e("38", "Phù Lá", "40"),
    _e("39", "La Hủ", "41"),
    _e("40", "La Ha", "39"),
    _e("41", "Pà Thẻn", "46"),
    _e("42", "Lự", "42", "Lữ"),
    _e("43", "Ngái", "11"),
    _e("44", "Chứt", "44"),
    _e("45", "Lô Lô", "43"),
    _e("46", "Mảng", "45"),
    _e("47", "Cơ Lao", "47", "Co Lao", "Cờ Lao"),
    _e("48", "Bố Y", "49"),
    _e("49", "Cống", "48"),
    _e("50", "Si La", "50"),
    _e("51", "Pu Péo", "51"),
    _e("52", "Rơ Măm", "54", "Rơ-măm"),
    _e("53", "Brâu", "52", "Brao"),
    _e("54", "Ơ Đu", "53", "Ơ-đu", "Tày Hạt"),
)

# Census and survey forms, and the national population database, code a
# foreign national as 55. That is not an ethnic group, so it is kept apart:
# by_code() and lookup() never return it.
FOREIGNER_CODE = "55"
FOREIGNER_NAME = "Người nước ngoài"

# "Ð" (U+00D0, Icelandic eth) is a common stand-in for "Đ" in legacy text.
_D_LETTERS = frozenset("đĐðÐ")
# Leading words that imported spreadsheets often put before the name.
_PREFIXES = ("dantoc", "nguoi")
# "08 – Mông", "08 - Mông", "08. Mông", "08 Mông": a code followed by a name.
_LABEL = re.compile(r"^\s*(\d{1,2})(?:\s*[-–—.:)]\s*|\s+)(\S.*)$")


def _fold(text: str) -> str:
    """Return a matching key: no diacritics, đ→d, lower case, letters and digits only."""
    decomposed = unicodedata.normalize("NFD", text)
    kept = "".join(
        "d" if ch in _D_LETTERS else ch for ch in decomposed if not unicodedata.combining(ch)
    )
    return "".join(ch for ch in kept.casefold() if ch.isalnum())


def _build_index(groups: tuple[Ethnicity, ...]) -> dict[str, Ethnicity]:
    index: dict[str, Ethnicity] = {}
    for group in groups:
        for spelling in (group.name, *group.aliases):
            key = _fold(spelling)
            if not key:
                raise ValueError(f"{spelling!r} ({group.name}) folds to an empty key")
            other = index.setdefault(key, group)
            if other is not group:
                raise ValueError(f"{spelling!r} folds to {key!r}, already {other.name}")
    return index


_BY_KEY = _build_index(ETHNICITIES)
_BY_CODE: dict[str, Ethnicity] = {group.code: group for group in ETHNICITIES}
_BY_CODE_1979: dict[str, Ethnicity] = {
    group.code_1979: group for group in ETHNICITIES if group.code_1979 is not None
}


def _normalise_code(code: str) -> str | None:
    text = code.strip()
    if not (1 <= len(text) <= 2 and text.isascii() and text.isdigit()):
        return None
    return text.zfill(2)


def by_code(code: str, table: Table = "2008") -> Ethnicity | None:
    """Return the group with ``code`` in ``table``.

    Args:
        code: One or two ASCII digits, optionally surrounded by white space:
            ``"8"``, ``"08"`` and ``" 08 "`` are the same code.
        table: ``"2008"`` for QĐ 1019/QĐ-TCTK (default) or ``"1979"`` for
            QĐ 121-TCTK/PPCĐ.

    Returns:
        The group, or ``None`` if ``code`` is not a code of that table
        (including 55, foreign nationals; see :data:`FOREIGNER_CODE`).

    Raises:
        ValueError: If ``table`` is neither ``"2008"`` nor ``"1979"``.
    """
    if table == "2008":
        codes = _BY_CODE
    elif table == "1979":
        codes = _BY_CODE_1979
    else:
        raise ValueError(f"unknown code table {table!r}; expected '2008' or '1979'")
    key = _normalise_code(code)
    return None if key is None else codes.get(key)


def _by_name(text: str) -> Ethnicity | None:
    key = _fold(text)
    found = _BY_KEY.get(key)
    if found is None:
        for prefix in _PREFIXES:
            if key.startswith(prefix) and len(key) > len(prefix):
                return _BY_KEY.get(key[len(prefix) :])
    return found


def lookup(text: str) -> Ethnicity | None:
    """Find a group from what a user typed or a cell of an imported file.

    Accepts a code of the 2008 table (``"8"``, ``"08"``), a name or alias
    matched without regard to case, diacritics, spaces, hyphens, apostrophes
    or dots (``"H'Mông"``, ``"hmong"``, ``"Ê Đê"``, ``"ede"``), optionally
    after "dân tộc" or "người", in NFC or NFD; or a drop-down label such as
    ``"08 – Mông"`` whose code and name must agree.

    Args:
        text: The text to resolve.

    Returns:
        The group, or ``None`` if nothing matches.
    """
    if _normalise_code(text) is not None:
        return by_code(text)
    label = _LABEL.match(text)
    if label is not None:
        coded = by_code(label.group(1))
        return coded if coded is not None and _by_name(label.group(2)) is coded else None
    return _by_name(text)


def choices() -> list[tuple[str, str]]:
    """Return ``(code, label)`` pairs for a drop-down, in 2008-code order.

    Example: ``("08", "08 – Mông")``.
    """
    return [(group.code, group.label) for group in ETHNICITIES]
