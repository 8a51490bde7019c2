"""The report fonts: every Vietnamese letter in every style, the system font only when complete."""

from __future__ import annotations

import io
import shutil
import unicodedata
from datetime import date
from pathlib import Path

import pytest
import reportlab
from pypdf import PdfReader

from xhht_desktop.reports import fonts, pdf
from xhht_desktop.reports.document import (
    Closing,
    Column,
    Document,
    Letterhead,
    Paragraph,
    Signer,
    Table,
)

VERA = Path(reportlab.__file__).parent / "fonts"


@pytest.fixture
def fresh_font_choice():
    fonts.font_files.cache_clear()
    yield
    fonts.font_files.cache_clear()


def test_the_letters_are_every_vowel_with_every_tone_and_d_with_stroke():
    letters = fonts.VIETNAMESE_LETTERS
    # 12 vowels × (no mark + 5 tones) + đ, in lower and upper case.
    assert len(letters) == len(set(letters)) == (12 * 6 + 1) * 2
    for ch in "ăâêôơưđĐ" + "ảãạấầẩẫậắằẳẵặ" + "ỨỪỬỮỰ" + "ỳỷỹýỵ" + "ÝỲỶỸỴ":
        assert ch in letters
    assert all(unicodedata.is_normalized("NFC", ch) and len(ch) == 1 for ch in letters)


@pytest.mark.parametrize("style", fonts.STYLES)
def test_bundled_font_has_every_vietnamese_letter(style):
    path = fonts.bundled().path(style)
    assert path.is_file()
    assert fonts.missing_letters(path) == ""


def test_bundled_font_carries_its_licence():
    licence = fonts.bundled().regular.parent / "LICENSE-LiberationSerif.txt"
    assert "SIL OPEN FONT LICENSE Version 1.1" in licence.read_text(encoding="utf-8")


def test_a_system_font_without_vietnamese_letters_is_passed_over(monkeypatch, fresh_font_choice):
    vera = fonts.FontFiles(
        "Times New Roman",
        VERA / "Vera.ttf",
        VERA / "VeraBd.ttf",
        VERA / "VeraIt.ttf",
        VERA / "VeraBI.ttf",
    )
    assert "ơ" in fonts.missing_letters(vera.regular)
    monkeypatch.setattr(fonts, "_system_candidates", lambda: [vera])
    assert fonts.font_files() == fonts.bundled()


def test_a_complete_system_times_new_roman_is_preferred(monkeypatch, tmp_path, fresh_font_choice):
    names = ("times.ttf", "timesbd.ttf", "timesi.ttf", "timesbi.ttf")
    for style, name in zip(fonts.STYLES, names, strict=True):
        shutil.copy(fonts.bundled().path(style), tmp_path / name)
    system = fonts.FontFiles("Times New Roman", *(tmp_path / name for name in names))
    monkeypatch.setattr(fonts, "_system_candidates", lambda: [system])
    assert fonts.font_files() == system
    # A style missing: the family is not used.
    (tmp_path / "timesbi.ttf").unlink()
    fonts.font_files.cache_clear()
    assert fonts.font_files() == fonts.bundled()


def test_windows_looks_in_the_windows_fonts_folder(monkeypatch):
    monkeypatch.setattr(fonts.sys, "platform", "win32")
    monkeypatch.setenv("WINDIR", r"D:\Windows")
    (candidate,) = fonts._system_candidates()
    assert candidate.family == "Times New Roman"
    assert candidate.regular == Path(r"D:\Windows") / "Fonts" / "times.ttf"
    assert candidate.bold_italic.name == "timesbi.ttf"


def test_every_style_is_embedded_in_the_pdf():
    document = Document(
        Letterhead(("ỦY BAN NHÂN DÂN", "XÃ ĐỨC AN"), "Đức An", date(2026, 1, 5), "Số: /BC"),
        "BÁO CÁO",
        "Thử phông chữ",
        (
            Paragraph("Chữ thường: " + fonts.VIETNAMESE_LETTERS),
            Table((Column("Cột", 50),), [("Ửng",)]),
        ),
        Closing((Signer(("CHỦ TỊCH",), "Lò Thị Ửng"),), ("Sở GD&ĐT",)),
    )
    out = io.BytesIO()
    pdf.render(document, out)
    reader = PdfReader(out)
    embedded = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descriptor = font["/FontDescriptor"].get_object()
            assert "/FontFile2" in descriptor, font["/BaseFont"]
            embedded.add(str(font["/BaseFont"]).split("+")[-1])
    family = fonts.registered().family
    assert embedded == {family, f"{family}-Bold", f"{family}-Italic", f"{family}-BoldItalic"}
    assert fonts.VIETNAMESE_LETTERS in reader.pages[0].extract_text().replace("\n", "")
