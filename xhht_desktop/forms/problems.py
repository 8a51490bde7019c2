"""The catalogue of definition errors: code, how to fix it, and where.

A definition file that is wrong does not stop the app: the loader reports a
:class:`DefinitionProblem` for each mistake and keeps every definition that
is right. Codes are stable (tests and support notes use them); messages are
Vietnamese and say what to change in the file.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

# Each code with the template of its message. Templates are filled with
# ``str.format`` from the keyword arguments that :func:`problem` receives.
CATALOGUE: dict[str, str] = {
    "F001": "Tệp không đúng cú pháp TOML: {detail}. Hãy sửa dòng này (thường là thiếu dấu "
    "ngoặc kép, dấu '=' hoặc một khóa bị lặp).",
    "F002": "Thiếu khóa bắt buộc '{key}' {where}. Hãy thêm dòng {key} = … vào đây.",
    "F003": "Khóa '{key}' không được dùng {where}. Hãy xóa hoặc sửa lỗi chính tả; các khóa "
    "được dùng: {allowed}.",
    "F004": "Khóa '{key}' {where} phải là {expected}, nhưng đang là {actual}.",
    "F005": 'Loại định nghĩa \'{value}\' không có. Hãy dùng kind = "form", "criteria" '
    'hoặc "aggregate".',
    "F006": "Mã '{value}' {where} không hợp lệ. Chỉ dùng chữ thường không dấu, chữ số, '_' "
    "hoặc '-', bắt đầu bằng chữ (ví dụ: gdht-448).",
    "F007": "Định nghĩa '{id}' phiên bản {version} đã có trong tệp {other}. Hãy đổi id hoặc "
    "tăng version của một trong hai tệp.",
    "F008": "Không đọc được tệp: {detail}. Tệp phải là văn bản UTF-8.",
    "F009": "Giá trị '{value}' của khóa '{key}' không có. Hãy dùng một trong: {allowed}.",
    "F010": "Loại trường '{value}' không có. Hãy dùng một trong: {allowed}.",
    "F011": "Mã '{value}' bị trùng (đã dùng ở dòng {other}). Mỗi trường, tiêu chí và chỉ số "
    "cần một mã riêng.",
    "F012": "Quy tắc '{key}' không áp dụng cho trường loại '{type}'. Các quy tắc của loại "
    "này: {allowed}.",
    "F013": "Quy tắc {where} sai: {detail}.",
    "F020": "Phép so sánh '{value}' trong điều kiện không có. Hãy dùng một trong: {allowed}.",
    "F021": "Điều kiện nhắc tới trường '{value}' nhưng định nghĩa không có trường này. Hãy "
    "sửa lại mã trường.",
    "F022": 'Điều kiện viết sai: {detail}. Ví dụ đúng: {{ field = "cu_tru", equals = '
    '"tam_tru" }} hoặc {{ all = [ … ] }}.',
    "F023": "Giá trị so sánh với trường '{field}' không hợp lệ: {detail}.",
    "F030": "Tiêu chí '{value}' có điểm tối đa {declared} nhưng các chỉ số cộng lại được "
    "{actual}. Hãy sửa điểm tối đa của tiêu chí hoặc của các chỉ số.",
    "F031": "Bộ tiêu chí khai báo tổng điểm {declared} nhưng các tiêu chí cộng lại được "
    "{actual}. Hãy sửa 'total' hoặc điểm tối đa của các tiêu chí.",
    "F032": "Quy tắc công nhận sai: {detail}.",
    "F033": "Bộ tiêu chí chưa có tiêu chí nào. Hãy thêm ít nhất một bảng [[criteria]].",
    "F040": "Mức công nhận sai: {detail}.",
}


@dataclass(frozen=True)
class DefinitionProblem:
    """One mistake in one definition file.

    Attributes:
        code: The catalogue code, e.g. ``F011``.
        message: What is wrong and how to fix it, in Vietnamese.
        path: The file, or ``None`` for text that came from no file.
        line: The 1-based line the mistake is on, when it can be found.
    """

    code: str
    message: str
    path: Path | None
    line: int | None

    @property
    def where(self) -> str:
        """``file:line`` as editors and compilers print it."""
        name = str(self.path) if self.path is not None else "<văn bản>"
        return f"{name}:{self.line}" if self.line is not None else name

    def __str__(self) -> str:
        return f"{self.where}: [{self.code}] {self.message}"

    def as_dict(self) -> dict[str, object]:
        return {
            "file": str(self.path) if self.path is not None else None,
            "line": self.line,
            "code": self.code,
            "message": self.message,
        }


def problem(code: str, path: Path | None, line: int | None, **details: object) -> DefinitionProblem:
    """Build the problem ``code`` from the catalogue, filling in ``details``."""
    return DefinitionProblem(code, CATALOGUE[code].format(**details), path, line)
