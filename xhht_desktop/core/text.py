"""Vietnamese text: normalisation, diacritic-free search keys and collation.

Everything a user types is stored in NFC with single spaces. Search compares
*folded* keys (no diacritics, đ→d, lower case), stored beside the text so that
the database can filter without Python. Sorting follows the Vietnamese
alphabet (a ă â b c d đ e ê …) and, at equal letters, the tone order
ngang < huyền < hỏi < ngã < sắc < nặng; the key is an ASCII string so that any
database orders it the same way with a plain ``ORDER BY``.
"""

from __future__ import annotations

import functools
import re
import unicodedata

_SPACES = re.compile(r"\s+")

_TONE_MARKS = {
    "\u0300": 1,  # huyền
    "\u0309": 2,  # hỏi
    "\u0303": 3,  # ngã
    "\u0301": 4,  # sắc
    "\u0323": 5,  # nặng
}
# Letters of the Vietnamese alphabet in dictionary order; f j w z sort where
# Latin puts them so that foreign names still land somewhere sensible.
_ALPHABET = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"
_DIGITS = "0123456789"
_BASE36 = "0123456789abcdefghijklmnopqrstuvwxyz"


def _code(rank: int) -> str:
    return _BASE36[rank // 36] + _BASE36[rank % 36]


# Rank 0 ("00") ends a word and is lower than every character's code, so that
# "an" sorts before "anh"; rank 1 is the space between words.
_RANKS: dict[str, str] = {" ": _code(1)}
for _i, _ch in enumerate(_DIGITS + _ALPHABET):
    _RANKS[_ch] = _code(2 + _i)
_UNKNOWN = "zz"


def clean(text: str | None) -> str:
    """Return ``text`` in NFC with runs of white space folded to one space.

    Args:
        text: What the user typed or a cell read from a file; ``None`` is ``""``.
    """
    if text is None:
        return ""
    return _SPACES.sub(" ", unicodedata.normalize("NFC", str(text))).strip()


def fold(text: str | None) -> str:
    """Return the search key of ``text``: lower case, no diacritics, đ→d.

    >>> fold("  Xã  Đăk Song ")
    'xa dak song'
    """
    decomposed = unicodedata.normalize("NFD", clean(text).lower())
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return stripped.replace("đ", "d")


def search_key(*parts: str | None) -> str:
    """Return one search key for several fields: their folded texts, space-separated.

    >>> search_key("HGĐ-01", "Lê Thị Hà", "")
    'hgd-01 le thi ha'
    """
    return " ".join(key for key in map(fold, parts) if key)


def search_tokens(query: str | None) -> list[str]:
    """Split a search query into folded words; every word must match."""
    return [token for token in fold(query).split(" ") if token]


@functools.lru_cache(maxsize=4096)
def _letter_and_tone(char: str) -> tuple[str, str]:
    """The collation code of one character's letter, and its tone digit ("" for a space).

    Cached: a register has a few hundred distinct characters and sorting
    keys are computed for every name saved or imported.
    """
    tone = 0
    kept = []
    for part in unicodedata.normalize("NFD", char):
        if part in _TONE_MARKS:
            tone = _TONE_MARKS[part]
        else:
            kept.append(part)
    letter = unicodedata.normalize("NFC", "".join(kept))
    return _RANKS.get(letter, _UNKNOWN), ("" if letter == " " else str(tone))


def sort_key(text: str | None) -> str:
    """Return an ASCII key that orders strings by Vietnamese collation.

    Letters compare first (with ă, â, đ, ê, ô, ơ, ư as letters of their
    own); only when all letters are equal do the tones decide.
    """
    letters: list[str] = []
    tones: list[str] = []
    for char in clean(text).lower():
        letter, tone = _letter_and_tone(char)
        letters.append(letter)
        if tone:
            tones.append(tone)
    return "".join(letters) + "00" + "".join(tones)


def given_name(full_name: str) -> str:
    """Return the given name (tên): the last word of a Vietnamese full name."""
    words = clean(full_name).split(" ")
    return words[-1] if words else ""


def person_sort_key(full_name: str) -> str:
    """Order people as Vietnamese registers do: by given name, then full name."""
    return sort_key(given_name(full_name)) + "0" + sort_key(full_name)
