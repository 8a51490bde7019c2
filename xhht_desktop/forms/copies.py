"""Copies of a definition that a province or commune adapts.

Provinces adapt the national criteria (thresholds, wording, an extra
indicator). A copy starts from the original file's text, so the header
comment that cites the sources stays with it; only ``id``, ``title`` and
``version`` change, and ``copied_from`` records the original's key. The
copy is loaded once before it is returned, so a copy is always valid.
Where copies are saved (the user's data folder, which the loader reads
after the shipped one) is the caller's choice.
"""

from __future__ import annotations

import json
import tomllib

from xhht_desktop.core import text as vntext
from xhht_desktop.forms.definitions import Definition
from xhht_desktop.forms.loader import ID_PATTERN, load_text
from xhht_desktop.forms.locations import SourceMap


def toml_string(value: str) -> str:
    """``value`` as a TOML basic string (JSON's escapes are TOML's, but for DEL)."""
    return json.dumps(value, ensure_ascii=False).replace("\x7f", "\\u007f")


def _single_line(line: str) -> bool:
    try:
        tomllib.loads(line)
    except tomllib.TOMLDecodeError:
        return False
    return True


def copy_definition(definition: Definition, new_id: str, new_title: str) -> str:
    """The TOML text of a copy of ``definition`` with a new id and title, version 1.

    Raises:
        ValueError: when ``new_id`` is not a valid id (lower case letters,
            digits, '-' or '_'), the title is empty, or the original's
            ``id``/``title``/``version`` lines cannot be rewritten (written
            over several lines).
    """
    title = vntext.clean(new_title)
    if not ID_PATTERN.match(new_id):
        raise ValueError(
            f"Mã '{new_id}' không hợp lệ: chỉ dùng chữ thường không dấu, chữ số, '_' hoặc '-'."
        )
    if not title:
        raise ValueError("Hãy đặt tên cho bản sao.")
    if new_id == definition.id:
        raise ValueError("Bản sao cần một mã khác với bản gốc.")
    source_map = SourceMap(definition.text)
    lines = definition.text.splitlines(keepends=True)
    wanted = {
        "id": toml_string(new_id),
        "title": toml_string(title),
        "version": "1",
        "copied_from": toml_string(str(definition.key)),
    }
    for key, value in wanted.items():
        number = source_map.keys.get((key,))
        if number is None:
            continue
        if not _single_line(lines[number - 1]):
            raise ValueError(f"Không sao chép được: khóa '{key}' viết trên nhiều dòng.")
        lines[number - 1] = f"{key} = {value}\n"
    if ("copied_from",) not in source_map.keys:
        after = source_map.keys[("version",)]
        lines.insert(after, f"copied_from = {wanted['copied_from']}\n")
    banner = (
        f"# Bản sao của {definition.key} («{definition.title}»); sửa theo quy định của địa "
        "phương.\n"
    )
    text = banner + "".join(lines)
    copy, problems = load_text(text)
    if copy is None:
        raise ValueError("Bản sao không hợp lệ: " + "; ".join(str(p) for p in problems))
    return text
