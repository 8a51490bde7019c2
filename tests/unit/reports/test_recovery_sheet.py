"""The recovery sheet: one page with the unit, the date, the key and what to do."""

from __future__ import annotations

import io
import re
from datetime import date

from pypdf import PdfReader

from xhht_desktop.core.recovery import RecoveryKey, parse
from xhht_desktop.reports import recovery_sheet


def test_the_sheet_carries_the_key_and_the_instructions(tmp_path) -> None:
    key = RecoveryKey.generate()
    path = recovery_sheet.write(tmp_path / "to.pdf", key, "Xã Đức An, Lâm Đồng", date(2026, 11, 23))
    reader = PdfReader(path)
    assert len(reader.pages) == 1
    text = reader.pages[0].extract_text()
    assert "TỜ KHÓA KHÔI PHỤC DỮ LIỆU" in text
    assert "Xã Đức An, Lâm Đồng" in text and "23/11/2026" in text
    assert "tủ (két) có khóa" in text and "không thể đọc lại được nữa" in text
    assert parse(" ".join(re.findall(r"\b[0-9A-Z]{5}\b", text)[-10:])) == key
    # The text is in the bundled Liberation Serif, embedded as a subset.
    fonts = reader.pages[0]["/Resources"]["/Font"]
    names = [str(font.get_object()["/BaseFont"]) for font in fonts.values()]
    assert any("LiberationSerif" in name for name in names), names


def test_the_same_input_gives_the_same_bytes() -> None:
    key = RecoveryKey(bytes(25))
    first = recovery_sheet.render(key, "Xã A", date(2026, 1, 1))
    assert first == recovery_sheet.render(key, "Xã A", date(2026, 1, 1))
    assert PdfReader(io.BytesIO(first)).pages
