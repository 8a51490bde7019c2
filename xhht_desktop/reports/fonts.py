"""Fonts of the reports: Times New Roman where the system has it, else Liberation Serif.

Nghị định 30/2020 asks for Times New Roman (Unicode). Windows ships it; other
systems usually do not, and its licence does not let us bundle it. Liberation
Serif (SIL Open Font License, in ``resources/fonts/`` with its licence) has
the same metrics, so lines break at the same places, and covers every
Vietnamese letter. A system font that lacks a Vietnamese letter is passed
over. Fonts are embedded (as subsets) in every PDF.
"""

from __future__ import annotations

import os
import sys
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from xhht_desktop.resources import resource

STYLES: tuple[str, ...] = ("regular", "bold", "italic", "bold_italic")

EXCEL_FONT = "Times New Roman"
"""The font an Excel file names: offices open it on Windows, which has it, and
LibreOffice substitutes the metric-compatible Liberation Serif."""

_VOWELS = "aăâeêioôơuưy"
_TONES = ("\u0300", "\u0309", "\u0303", "\u0301", "\u0323")  # huyền hỏi ngã sắc nặng


def _vietnamese_letters() -> str:
    lower = [
        *_VOWELS,
        *(unicodedata.normalize("NFC", vowel + tone) for vowel in _VOWELS for tone in _TONES),
        "đ",
    ]
    letters = [*lower, *(letter.upper() for letter in lower)]
    return "".join(letters)


VIETNAMESE_LETTERS = _vietnamese_letters()
"""Every vowel with and without each of the five tone marks, and Đ/đ, in both cases."""


@dataclass(frozen=True)
class FontFiles:
    """The four styles of one family, as TrueType files."""

    family: str
    regular: Path
    bold: Path
    italic: Path
    bold_italic: Path

    def path(self, style: str) -> Path:
        return getattr(self, style)  # type: ignore[no-any-return]


@dataclass(frozen=True)
class FontNames:
    """The names the four styles are registered under with reportlab."""

    family: str
    regular: str
    bold: str
    italic: str
    bold_italic: str

    def pick(self, bold: bool = False, italic: bool = False) -> str:
        if bold and italic:
            return self.bold_italic
        if bold:
            return self.bold
        return self.italic if italic else self.regular


def bundled() -> FontFiles:
    """Liberation Serif, shipped in ``resources/fonts/``."""
    folder = resource("fonts")
    return FontFiles(
        family="Liberation Serif",
        regular=folder / "LiberationSerif-Regular.ttf",
        bold=folder / "LiberationSerif-Bold.ttf",
        italic=folder / "LiberationSerif-Italic.ttf",
        bold_italic=folder / "LiberationSerif-BoldItalic.ttf",
    )


def _system_candidates() -> list[FontFiles]:
    folders: list[tuple[Path, tuple[str, str, str, str]]] = []
    if sys.platform == "win32":
        windir = Path(os.environ.get("WINDIR", r"C:\Windows"))
        folders.append(
            (windir / "Fonts", ("times.ttf", "timesbd.ttf", "timesi.ttf", "timesbi.ttf"))
        )
    elif sys.platform == "darwin":
        names = (
            "Times New Roman.ttf",
            "Times New Roman Bold.ttf",
            "Times New Roman Italic.ttf",
            "Times New Roman Bold Italic.ttf",
        )
        folders += [(Path("/Library/Fonts"), names), (Path("/Library/Fonts/Microsoft"), names)]
    else:
        names = (
            "Times_New_Roman.ttf",
            "Times_New_Roman_Bold.ttf",
            "Times_New_Roman_Italic.ttf",
            "Times_New_Roman_Bold_Italic.ttf",
        )
        folders.append((Path("/usr/share/fonts/truetype/msttcorefonts"), names))
    return [
        FontFiles("Times New Roman", *(folder / name for name in names))
        for folder, names in folders
    ]


def missing_letters(path: Path, letters: str = VIETNAMESE_LETTERS) -> str:
    """The letters of ``letters`` that the font file has no glyph for."""
    face = TTFont(f"probe-{path.name}", str(path)).face
    return "".join(ch for ch in letters if ord(ch) not in face.charToGlyph)


def _usable(files: FontFiles) -> bool:
    paths = [files.path(style) for style in STYLES]
    if not all(p.is_file() for p in paths):
        return False
    try:
        return not any(missing_letters(p) for p in paths)
    except Exception:  # a damaged or unreadable font file: use ours instead
        return False


@cache
def font_files() -> FontFiles:
    """Times New Roman when the system has all four styles with every Vietnamese letter."""
    for candidate in _system_candidates():
        if _usable(candidate):
            return candidate
    return bundled()


@cache
def registered(files: FontFiles | None = None) -> FontNames:
    """Register the four styles with reportlab (once) and return their names.

    Args:
        files: The family to register; :func:`font_files` when ``None``.
    """
    files = files or font_files()
    key = files.family.replace(" ", "")
    names = FontNames(
        family=key,
        regular=key,
        bold=f"{key}-Bold",
        italic=f"{key}-Italic",
        bold_italic=f"{key}-BoldItalic",
    )
    for style in STYLES:
        pdfmetrics.registerFont(TTFont(getattr(names, style), str(files.path(style))))
    # <b> and <i> in paragraphs pick the right face of the family.
    addMapping(key, 0, 0, names.regular)
    addMapping(key, 1, 0, names.bold)
    addMapping(key, 0, 1, names.italic)
    addMapping(key, 1, 1, names.bold_italic)
    return names


def text_width(text: str, size: float, bold: bool = False, italic: bool = False) -> float:
    """Width in points of one line of ``text`` in the report font."""
    return pdfmetrics.stringWidth(text, registered().pick(bold, italic), size)
