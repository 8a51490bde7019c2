"""Line numbers for places in a TOML file, found by reading its text.

``tomllib`` returns plain dictionaries without positions, so a mistake found
after parsing (a duplicate field id, an unknown rule) has no line yet. The
:class:`SourceMap` scans the text once for table headers (``[pass]``,
``[[fields]]``, ``[[criteria.indicators]]``) and ``key =`` lines, numbering
arrays of tables the way TOML does, and answers "which line holds this
path?". Paths are tuples of keys and array indexes, e.g.
``("fields", 2, "type")`` for the ``type`` key of the third ``[[fields]]``.
A path into an inline table or a multi-line value resolves to the line of
the key that starts it, which is where a person would look.
"""

from __future__ import annotations

import re

PathPart = str | int
KeyPath = tuple[PathPart, ...]

_BARE = r"[A-Za-z0-9_-]+"
_BASIC = r'"(?:[^"\\]|\\.)*"'
_LITERAL = r"'[^']*'"
_SIMPLE = rf"(?:{_BARE}|{_BASIC}|{_LITERAL})"
_DOTTED = rf"{_SIMPLE}(?:\s*\.\s*{_SIMPLE})*"
_HEADER = re.compile(rf"^\s*(\[\[?)\s*({_DOTTED})\s*\]\]?\s*(?:#.*)?$")
_KEY = re.compile(rf"^\s*({_DOTTED})\s*=")
_PART = re.compile(_SIMPLE)


def _parts(dotted: str) -> list[str]:
    parts = []
    for match in _PART.finditer(dotted):
        token = match.group(0)
        if token[0] in "\"'":
            token = token[1:-1]
        parts.append(token)
    return parts


class SourceMap:
    """Where each table header and each key of a TOML text is.

    Args:
        text: The TOML source, as read from the file.
    """

    def __init__(self, text: str) -> None:
        self.tables: dict[KeyPath, int] = {(): 1}
        self.keys: dict[KeyPath, int] = {}
        self._arrays: dict[KeyPath, int] = {}
        self._scan(text)

    def line_of(self, path: KeyPath) -> int:
        """The line of ``path``, or of its nearest ancestor that the text shows.

        The root table is line 1: a key missing at the top is reported there.
        """
        probe = tuple(path)
        while probe:
            if probe in self.keys:
                return self.keys[probe]
            if probe in self.tables:
                return self.tables[probe]
            probe = probe[:-1]
        return self.tables[()]

    def _resolve(self, parts: list[str], is_array: bool) -> KeyPath:
        path: KeyPath = ()
        for index, part in enumerate(parts):
            path = (*path, part)
            if is_array and index == len(parts) - 1:
                element = self._arrays.get(path, -1) + 1
                self._arrays[path] = element
                path = (*path, element)
            elif path in self._arrays:
                path = (*path, self._arrays[path])
        return path

    def _scan(self, text: str) -> None:
        table: KeyPath = ()
        depth = 0  # open [ and { of a value that continues on later lines
        open_string: str | None = None  # the delimiter of a multi-line string
        for number, line in enumerate(text.splitlines(), start=1):
            at_statement = depth == 0 and open_string is None
            code, open_string = _code_of(line, open_string)
            if not at_statement:
                depth += _balance(code)
                continue
            header = _HEADER.match(line)
            if header:
                table = self._resolve(_parts(header.group(2)), header.group(1) == "[[")
                self.tables.setdefault(table, number)
                continue
            key = _KEY.match(line)
            if key:
                parts = _parts(key.group(1))
                for end in range(1, len(parts) + 1):
                    self.keys.setdefault((*table, *parts[:end]), number)
                depth = max(0, _balance(code))


def _balance(code: str) -> int:
    return code.count("[") + code.count("{") - code.count("]") - code.count("}")


def _code_of(line: str, open_string: str | None) -> tuple[str, str | None]:
    """The line without its strings and comment, and the string left open."""
    kept: list[str] = []
    index = 0
    while index < len(line):
        if open_string is not None:
            end = line.find(open_string, index)
            if end < 0:
                return "".join(kept), open_string
            index = end + 3
            open_string = None
            continue
        char = line[index]
        if char == "#":
            break
        if line.startswith(('"""', "'''"), index):
            open_string = line[index : index + 3]
            index += 3
        elif char == '"':
            index += 1
            while index < len(line) and line[index] != '"':
                index += 2 if line[index] == "\\" else 1
            index += 1
        elif char == "'":
            end = line.find("'", index + 1)
            index = len(line) if end < 0 else end + 1
        else:
            kept.append(char)
            index += 1
    return "".join(kept), open_string
