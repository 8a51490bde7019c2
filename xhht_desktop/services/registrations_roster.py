"""Registrations and evaluations of a learning model in Excel: template and import.

``xhht template registrations --model gdht`` writes a sheet listing every
subject of the model (households with their code, head and village; clans;
villages; units), with a column for the registration date, one per
indicator of the current criteria set (its title and maximum), the
evaluation date and a note; what is stored for the year is filled in
already. ``xhht import registrations`` reads it back with the persons
roster's machinery (:mod:`core.roster` finds the headers,
:func:`services.roster.read_sheet` reads the workbook and
:func:`services.roster.write_errors` marks a refused sheet) and the same
contract: every row is checked first; one bad row refuses the whole file
(row-numbered Vietnamese messages, nothing stored) unless ``valid_only``;
a valid file is stored in one transaction, and importing it again changes
nothing.
"""

from __future__ import annotations

import re
import warnings
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any
from xml.etree.ElementTree import ParseError

from xhht_desktop.core import models_cycle
from xhht_desktop.core import roster as sheet_rules
from xhht_desktop.core import text as vntext
from xhht_desktop.errors import FieldIssue, PermissionDenied, RosterRefused
from xhht_desktop.forms import Definition, format_number
from xhht_desktop.services.learning_models import (
    CheckedEvaluation,
    Evaluation,
    evaluation_values,
    stored_scores,
)
from xhht_desktop.services.roster import FILE_FIELD, read_sheet, write_errors
from xhht_desktop.store.audit import log_bulk
from xhht_desktop.store.files import write_atomically
from xhht_desktop.store.model_queries import EntryRow

if TYPE_CHECKING:
    from xhht_desktop.context import AppContext

SHEET_NAME = "Đăng ký, đánh giá"
INFO_SHEET = "Thông tin"
_HEADER_FILL = "1F4E78"
_SCORE_FILL = "E2EFDA"
_INFO_KEYS = {"model": "Mô hình", "year": "Năm", "criteria": "Bộ tiêu chí"}

# The columns that name the subject, per model; the first is the key matched on import.
_SUBJECT_COLUMNS: dict[str, tuple[sheet_rules.Column, ...]] = {
    "gdht": (
        sheet_rules.Column(
            "code",
            "Mã hộ",
            12,
            True,
            "Mã hộ gia đình trong sổ (không sửa).",
            "HGĐ-0001",
            ("Mã hộ gia đình", "Mã HGĐ"),
        ),
        sheet_rules.Column("name", "Chủ hộ", 24, False, "Chỉ để đối chiếu.", "Nguyễn Văn An"),
        sheet_rules.Column(
            "village", "Thôn/Tổ dân phố", 18, False, "Chỉ để đối chiếu.", "Thôn 1", ("Thôn",)
        ),
    ),
    "dhht": (
        sheet_rules.Column(
            "name",
            "Tên dòng họ",
            28,
            True,
            "Tên dòng họ trong sổ (không sửa).",
            "Họ Nguyễn",
            ("Dòng họ",),
        ),
    ),
    "cdht": (
        sheet_rules.Column(
            "name",
            "Thôn/Tổ dân phố",
            24,
            True,
            "Tên thôn/tổ dân phố trong sổ (không sửa).",
            "Thôn 1",
            ("Thôn", "Tên thôn"),
        ),
    ),
    "dvht": (
        sheet_rules.Column(
            "name",
            "Tên đơn vị",
            34,
            True,
            "Tên đơn vị trong sổ (không sửa).",
            "Trường Tiểu học Đức An",
            ("Đơn vị",),
        ),
        sheet_rules.Column(
            "village", "Thôn/Tổ dân phố", 18, False, "Chỉ để đối chiếu.", "Thôn 1", ("Thôn",)
        ),
    ),
}
_DATE_HELP = "ghi ngày/tháng/năm, ví dụ 15/01/2026"


@dataclass(frozen=True)
class Layout:
    """The columns of one model's sheet for one criteria set."""

    model: str
    criteria: Definition
    columns: tuple[sheet_rules.Column, ...]

    @property
    def score_keys(self) -> tuple[str, ...]:
        return tuple(f.id for f in self.criteria.scored_fields)


def layout(model: str, criteria: Definition) -> Layout:
    """The sheet's columns: the subject, registration, one per indicator, evaluation."""
    columns = list(_SUBJECT_COLUMNS[models_cycle.learning_model(model).code])
    columns += [
        sheet_rules.Column(
            "registered_on",
            "Ngày đăng ký",
            13,
            True,
            "Ngày đăng ký danh hiệu (ngày/tháng/năm). Để trống nếu chưa đăng ký.",
            "15/01/2026",
        ),
        sheet_rules.Column(
            "registered_by",
            "Người đăng ký",
            20,
            False,
            "Người đứng tên đăng ký (chủ hộ, trưởng họ, trưởng thôn, thủ trưởng đơn vị).",
            "Nguyễn Văn An",
        ),
    ]
    for field in criteria.scored_fields:
        maximum = getattr(field.type, "max", None)
        limit = f" (tối đa {format_number(maximum)} điểm)" if maximum is not None else ""
        columns.append(
            sheet_rules.Column(
                field.id,
                f"{field.label}{limit}",
                16,
                False,
                f"Điểm chấm: từ 0 đến {format_number(maximum)}."
                if maximum is not None
                else "Đạt hoặc Không đạt.",
                "8",
                (field.id,),
            )
        )
    columns += [
        sheet_rules.Column(
            "total", "Tổng điểm (tự tính)", 11, False, "Excel tự cộng; phần mềm tự chấm lại.", ""
        ),
        sheet_rules.Column(
            "evaluated_on",
            "Ngày đánh giá",
            13,
            False,
            "Bắt buộc khi có chấm điểm (ngày/tháng/năm).",
            "20/11/2026",
        ),
        sheet_rules.Column("note", "Ghi chú đánh giá", 30, False, "Không bắt buộc.", ""),
    ]
    return Layout(model, criteria, tuple(columns))


@dataclass(frozen=True)
class RegistrationsReport:
    """What an import did (or, in a dry run, would do).

    Attributes:
        rows: Rows with something to store (a date or a score).
        issues: Problems of the rows left out (``valid_only``).
        registered: Registrations created or changed.
        evaluated: Evaluations created or changed.
        unchanged: Registrations and evaluations already stored as the file says.
    """

    file: Path
    model: str
    year: int
    rows: int
    issues: tuple[FieldIssue, ...]
    registered: int
    evaluated: int
    unchanged: int
    dry_run: bool = False
    stored: bool = False
    errors_file: Path | None = None

    @property
    def invalid_rows(self) -> int:
        return len({issue.row for issue in self.issues if issue.row is not None})

    def as_dict(self) -> dict[str, Any]:
        from xhht_desktop.services.roster import issues_as_dicts

        return {
            "file": str(self.file),
            "model": self.model,
            "year": self.year,
            "dry_run": self.dry_run,
            "stored": self.stored,
            "rows": self.rows,
            "invalid_rows": self.invalid_rows,
            "registered": self.registered,
            "evaluated": self.evaluated,
            "unchanged": self.unchanged,
            "issues": issues_as_dicts(self.issues),
            "errors_file": str(self.errors_file) if self.errors_file else None,
        }


# -- cells ---------------------------------------------------------------------------

_DMY = re.compile(r"(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{4})")
_YMD = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")


def parse_date_cell(value: object, label: str) -> date:
    """A date from an Excel date cell or ``dd/mm/yyyy`` text.

    Raises:
        ValueError: with a Vietnamese message naming ``label``.
    """
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = sheet_rules.shown(value)
    for pattern, order in ((_DMY, "dmy"), (_YMD, "ymd")):
        match = pattern.fullmatch(text)
        if match:
            parts = dict(zip(order, (int(g) for g in match.groups()), strict=True))
            try:
                return date(parts["y"], parts["m"], parts["d"])
            except ValueError:
                raise ValueError(f"{label} «{text}» không có thật trên lịch.") from None
    raise ValueError(f"Không đọc được {label.lower()} «{text}»: {_DATE_HELP}.")


def _score_cell(value: object) -> object:
    # Numbers stay numbers; text ("7,5", "Đạt") goes to the field type to parse.
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value if not isinstance(value, str) else vntext.clean(value)


@dataclass(frozen=True)
class _Row:
    row: int
    subject_id: str
    registered_on: date | None
    registered_by: str
    evaluation: Evaluation | None


def _subject_key(model: str, value: object) -> str:
    text = sheet_rules.shown(value)
    return text.upper() if model == "gdht" else vntext.fold(text)


def _read_info(path: Path) -> dict[str, str]:
    """The template's "Thông tin" sheet: model code, year, criteria set (empty if none)."""
    from openpyxl import load_workbook

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            workbook = load_workbook(path, read_only=True, data_only=True)
    except (OSError, zipfile.BadZipFile, KeyError, ParseError, ValueError):
        return {}  # read_sheet says what is wrong with the file
    try:
        names = {vntext.fold(n): n for n in workbook.sheetnames}
        name = names.get(vntext.fold(INFO_SHEET))
        if name is None:
            return {}
        info: dict[str, str] = {}
        keys = {vntext.fold(label): key for key, label in _INFO_KEYS.items()}
        for row in workbook[name].iter_rows(min_row=1, max_row=20, values_only=True):
            if len(row) >= 3 and row[0] is not None and vntext.fold(str(row[0])) in keys:
                info[keys[vntext.fold(str(row[0]))]] = sheet_rules.shown(row[2])
        return info
    finally:
        workbook.close()


# -- the service --------------------------------------------------------------------------


class RegistrationsRosterService:
    """Template and import of a model's registrations and evaluations."""

    def __init__(self, context: AppContext) -> None:
        self.context = context

    def layout(self, model: str) -> Layout:
        return layout(model, self.context.learning_models.criteria(model))

    def write_template(self, model: str, path: Path, year: int | None = None) -> Path:
        """Write the sheet of ``model`` for ``year`` (the reporting year by default).

        Every subject in scope has a row; what is stored for the year
        (registration, scores, evaluation date) is filled in.
        """
        year = year or self.context.setup.require().year
        sheet_layout = self.layout(model)
        rows = self.context.learning_models.entries(model, year)
        workbook = _build_template(sheet_layout, year, rows)
        return write_atomically(Path(path), workbook.save)

    def import_registrations(
        self,
        path: Path,
        *,
        model: str | None = None,
        year: int | None = None,
        dry_run: bool = False,
        valid_only: bool = False,
        errors_out: Path | None = None,
        today: date | None = None,
    ) -> RegistrationsReport:
        """Import a filled sheet: registrations and evaluations, in one transaction.

        Args:
            path: The .xlsx file.
            model: The model, when the file is not the app's template (which says it).
            year: The programme year, likewise.
            dry_run: Check and count, store nothing.
            valid_only: Store the valid rows and list the others.
            errors_out: Where to save a copy with the bad cells in red.
            today: The day of the import (dates cannot be later).

        Raises:
            RosterRefused: the file cannot be read, is for another model or
                criteria set, or (without ``valid_only``) a row has a
                problem; nothing was stored.
            PermissionDenied: this copy is a consolidating office.
        """
        self.context.require("import_roster")
        info = self.context.setup.require()
        if info.role != "commune":
            raise PermissionDenied(
                "Cơ quan tổng hợp không nhập danh sách đăng ký: số liệu của xã đến từ gói dữ "
                "liệu xã gửi lên."
            )
        path = Path(path)
        today = today or date.today()
        meta = _read_info(path) if path.is_file() else {}
        model = model or meta.get("model")
        if model not in models_cycle.MODELS:
            raise RosterRefused(
                [
                    FieldIssue(
                        FILE_FIELD,
                        "Không biết tệp thuộc mô hình học tập nào: hãy dùng tệp mẫu của phần mềm "
                        "(xhht template registrations --model …) hoặc ghi rõ --model "
                        "gdht|dhht|cdht|dvht.",
                    )
                ]
            )
        year = year or int(meta.get("year") or info.year)
        sheet_layout = self.layout(model)
        criteria = sheet_layout.criteria
        if meta.get("criteria") and meta["criteria"] != str(criteria.key):
            raise RosterRefused(
                [
                    FieldIssue(
                        FILE_FIELD,
                        f"Tệp mẫu chấm theo bộ tiêu chí {meta['criteria']}, phần mềm đang dùng "
                        f"{criteria.key}. Hãy ghi tệp mẫu mới rồi điền lại.",
                    )
                ]
            )
        sheet = read_sheet(
            path,
            columns=sheet_layout.columns,
            sheet_name=SHEET_NAME,
            template_command=f"xhht template registrations --model {model}",
        )
        service = self.context.learning_models
        subjects = {
            _subject_key(model, row.subject.code if model == "gdht" else row.subject.name): row
            for row in service.entries(model, year)
        }
        rows, issues, count = self._parse(sheet, sheet_layout, subjects, year, today)
        if count == 0:
            raise RosterRefused(
                [
                    FieldIssue(
                        FILE_FIELD,
                        f"Trang «{sheet.title}» không có dòng nào ghi ngày đăng ký hoặc điểm.",
                    )
                ]
            )
        evaluations = [r.evaluation for r in rows if r.evaluation is not None]
        checked, problems = service.check_evaluations(criteria, year, evaluations, today)
        positions = [r.row for r in rows if r.evaluation is not None]
        issues += [
            FieldIssue(
                _field_label(sheet, sheet_layout, p.field),
                p.message,
                positions[(p.row or 1) - 1],
            )
            for p in problems
        ]
        by_id = {row.subject.id: row for row in subjects.values()}
        row_of = {r.subject_id: r.row for r in rows}
        # An evaluation the register already holds is left alone, even on a
        # recognised subject: a file filled from the template imports again.
        changing = [
            c
            for c in checked
            if any(
                getattr(by_id[c.evaluation.subject_id], key) != value
                for key, value in evaluation_values(criteria, c).items()
            )
        ]
        unit = self.context.reading() if dry_run else self.context.transaction()
        with unit as session:
            ids = [c.evaluation.subject_id for c in changing]
            blocked = service.evaluation_blockers(
                session, model, year, ids, {s: by_id[s].subject for s in ids}
            )
            key_label = sheet.header.label(sheet_layout.columns[0].key)
            issues += [
                FieldIssue(key_label, b.message, row_of[ids[(b.row or 1) - 1]]) for b in blocked
            ]
            issues.sort(key=lambda i: i.row or 0)
            bad = {issue.row for issue in issues}
            errors_file = None
            if issues and errors_out is not None:
                errors_file = write_errors(Path(errors_out), sheet, issues)
            if issues and not valid_only:
                refused = RosterRefused(issues, count, len(bad))
                refused.errors_file = str(errors_file) if errors_file else None
                raise refused
            good = {r.subject_id for r in rows if r.row not in bad}
            registrations = [
                (r.subject_id, r.registered_on, r.registered_by)
                for r in rows
                if r.row not in bad and r.registered_on is not None
            ]
            kept: list[CheckedEvaluation] = [c for c in changing if c.evaluation.subject_id in good]
            registered = evaluated = unchanged = 0
            if not dry_run:
                registered, same = service.register_in(
                    session, model, year, registrations, replace=True
                )
                unchanged += same
                evaluated, same = service.evaluate_in(session, model, year, criteria, kept)
                unchanged += same + len(checked) - len(changing)
                if registered or evaluated:
                    log_bulk(
                        session,
                        "model_entries",
                        "import",
                        registered + evaluated,
                        f"đăng ký/đánh giá {model} năm {year} từ tệp «{path.name}»: "
                        f"đăng ký {registered}, đánh giá {evaluated}",
                    )
            else:
                registered, evaluated = len(registrations), len(kept)
        return RegistrationsReport(
            file=path,
            model=model,
            year=year,
            rows=count,
            issues=tuple(issues),
            registered=registered,
            evaluated=evaluated,
            unchanged=unchanged,
            dry_run=dry_run,
            stored=not dry_run,
            errors_file=errors_file,
        )

    def _parse(
        self,
        sheet: Any,
        sheet_layout: Layout,
        subjects: dict[str, EntryRow],
        year: int,
        today: date,
    ) -> tuple[list[_Row], list[FieldIssue], int]:
        header = sheet.header
        positions = header.positions
        key_column = sheet_layout.columns[0].key
        scored = [k for k in sheet_layout.score_keys if k in positions]
        active_keys = ["registered_on", "evaluated_on", "note", *scored]
        rows: list[_Row] = []
        issues: list[FieldIssue] = []
        first_of: dict[str, int] = {}
        count = 0
        for number, cells in sheet.data_rows():

            def cell(key: str, cells: tuple[Any, ...] = cells) -> object:
                index = positions.get(key)
                return cells[index] if index is not None and index < len(cells) else None

            if all(sheet_rules.blank(cell(k)) for k in active_keys):
                continue
            count += 1
            bad: list[FieldIssue] = []

            def problem(
                key: str, message: str, bad: list[FieldIssue] = bad, row: int = number
            ) -> None:
                bad.append(FieldIssue(header.label(key), message, row))

            subject = None
            raw = cell(key_column)
            if sheet_rules.blank(raw):
                problem(key_column, f"«{header.label(key_column)}» không được để trống.")
            else:
                found = subjects.get(_subject_key(sheet_layout.model, raw))
                if found is None:
                    label = models_cycle.learning_model(sheet_layout.model).subject_label.lower()
                    problem(
                        key_column,
                        f"Không có {label} «{sheet_rules.shown(raw)}» trong sổ của xã "
                        "(hoặc đã bị xóa). Hãy dùng tệp mẫu mới.",
                    )
                else:
                    subject = found.subject
                    seen = first_of.setdefault(subject.id, number)
                    if seen != number:
                        problem(key_column, f"Trùng với dòng {seen}: cùng một đối tượng.")
            registered_on = None
            if not sheet_rules.blank(cell("registered_on")):
                try:
                    registered_on = parse_date_cell(cell("registered_on"), "Ngày đăng ký")
                    message = models_cycle.registration_date_issue(registered_on, year, today)
                    if message:
                        problem("registered_on", message)
                except ValueError as exc:
                    problem("registered_on", str(exc))
            registered_by = (
                ""
                if sheet_rules.blank(cell("registered_by"))
                else sheet_rules.shown(cell("registered_by"))
            )
            if len(registered_by) > 100:
                problem("registered_by", "Tên người đăng ký dài quá 100 ký tự.")
            scores = {k: _score_cell(cell(k)) for k in scored if not sheet_rules.blank(cell(k))}
            note = "" if sheet_rules.blank(cell("note")) else sheet_rules.shown(cell("note"))
            evaluation = None
            evaluated_on = None
            if scores or not sheet_rules.blank(cell("evaluated_on")) or note:
                if not sheet_rules.blank(cell("evaluated_on")):
                    try:
                        evaluated_on = parse_date_cell(cell("evaluated_on"), "Ngày đánh giá")
                    except ValueError as exc:
                        problem("evaluated_on", str(exc))
                if not scores:
                    problem(
                        "evaluated_on",
                        "Có ngày đánh giá hoặc ghi chú nhưng chưa chấm điểm chỉ số nào.",
                    )
                elif subject is not None and not any(
                    i.field == header.label("evaluated_on") for i in bad
                ):
                    evaluation = Evaluation(
                        subject.id, scores, evaluated_on, note=note, keep_notes=True
                    )
            if bad:
                issues += bad
                continue
            assert subject is not None
            rows.append(_Row(number, subject.id, registered_on, registered_by, evaluation))
        return rows, issues, count


def _field_label(sheet: Any, sheet_layout: Layout, field: str) -> str:
    """The column of a problem the forms engine found (an indicator, the date)."""
    if field in sheet.header.positions:
        return str(sheet.header.label(field))
    for column in sheet_layout.columns:
        if column.key == field:
            return column.header
    return field


# -- writing ------------------------------------------------------------------------------


def _build_template(sheet_layout: Layout, year: int, rows: Sequence[EntryRow]) -> Any:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    model = models_cycle.learning_model(sheet_layout.model)
    criteria = sheet_layout.criteria
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = SHEET_NAME
    title = f"DANH SÁCH ĐĂNG KÝ VÀ ĐÁNH GIÁ «{model.label.upper()}» NĂM {year}"
    sheet.cell(row=1, column=1, value=title).font = Font(bold=True, size=13)
    header_row = 2
    thin = Side(style="thin", color="808080")
    positions: dict[str, int] = {}
    for index, column in enumerate(sheet_layout.columns, start=1):
        positions[column.key] = index
        cell = sheet.cell(row=header_row, column=index, value=column.header)
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = PatternFill("solid", fgColor=_HEADER_FILL)
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cell.border = Border(left=thin, right=thin, top=thin, bottom=thin)
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = column.width + 2
        if column.key in {"code", "registered_on", "evaluated_on"}:
            sheet.column_dimensions[letter].number_format = "@"
    sheet.row_dimensions[header_row].height = 150
    sheet.freeze_panes = sheet.cell(row=header_row + 1, column=positions["registered_on"])
    score_keys = sheet_layout.score_keys
    first_score = get_column_letter(positions[score_keys[0]]) if score_keys else None
    last_score = get_column_letter(positions[score_keys[-1]]) if score_keys else None
    fill = PatternFill("solid", fgColor=_SCORE_FILL)
    for offset, entry in enumerate(rows, start=1):
        number = header_row + offset
        subject = entry.subject
        values: dict[str, object] = {
            "code": subject.code,
            "name": subject.name,
            "village": subject.village_name or "",
            "registered_on": entry.registered_on.strftime("%d/%m/%Y")
            if entry.registered_on
            else None,
            "registered_by": entry.registered_by or None,
        }
        if entry.criteria_id == criteria.id and entry.criteria_version == criteria.version:
            for key, value in stored_scores(entry.scores).items():
                values[key] = value if isinstance(value, bool) else float(value)
            values["evaluated_on"] = (
                entry.evaluated_on.strftime("%d/%m/%Y") if entry.evaluated_on else None
            )
            values["note"] = entry.evaluation_note or None
        for key, value in values.items():
            if key in positions and value is not None:
                cell = sheet.cell(row=number, column=positions[key], value=value)
                if isinstance(value, str) and key in {"code", "registered_on", "evaluated_on"}:
                    cell.number_format = "@"
        for key in score_keys:
            sheet.cell(row=number, column=positions[key]).fill = fill
        if first_score and criteria.scoring == "points":
            sheet.cell(
                row=number,
                column=positions["total"],
                value=f'=IF(COUNT({first_score}{number}:{last_score}{number})=0,"",'
                f"SUM({first_score}{number}:{last_score}{number}))",
            )
    last = header_row + max(1, len(rows)) + 200
    for key in score_keys:
        field = criteria.field(key)
        maximum = getattr(field.type, "max", None)
        if maximum is None:
            continue
        letter = get_column_letter(positions[key])
        validation = DataValidation(
            type="decimal",
            operator="between",
            formula1="0",
            formula2=format_number(maximum).replace(",", "."),
            allow_blank=True,
            showErrorMessage=True,
            errorStyle="warning",
            errorTitle="Điểm ngoài khoảng",
            error=f"Điểm từ 0 đến {format_number(maximum)}.",
        )
        sheet.add_data_validation(validation)
        validation.add(f"{letter}{header_row + 1}:{letter}{last}")

    info = workbook.create_sheet(INFO_SHEET)
    info.column_dimensions["A"].width = 16
    info.column_dimensions["B"].width = 60
    info.column_dimensions["C"].width = 16
    lines = [
        (_INFO_KEYS["model"], model.label, model.code),
        (_INFO_KEYS["year"], f"Năm {year}", year),
        (_INFO_KEYS["criteria"], criteria.title, str(criteria.key)),
    ]
    for number, (label, text, code) in enumerate(lines, start=1):
        info.cell(row=number, column=1, value=label).font = Font(bold=True)
        info.cell(row=number, column=2, value=text)
        info.cell(row=number, column=3, value=code)
    notes = (
        "Mỗi dòng của trang «Đăng ký, đánh giá» là một đối tượng trong sổ của xã; không sửa "
        "cột tên/mã, không thêm đối tượng mới ở đây (thêm trong phần mềm rồi ghi tệp mẫu mới).",
        "Ghi ngày đăng ký cho đối tượng đăng ký; để trống nếu chưa đăng ký.",
        "Chấm đủ điểm mọi chỉ số và ghi ngày đánh giá cho đối tượng được đánh giá; phần mềm "
        f"tự tính tổng điểm và kết quả theo bộ tiêu chí «{criteria.title}».",
        "Nhập bằng lệnh «xhht import registrations TỆP.xlsx». Nếu có dòng sai, cả tệp bị từ "
        "chối và chưa có gì được lưu; phần mềm liệt kê lỗi theo số dòng và tên cột.",
        "Không sửa các ô ở trang này: phần mềm đọc mô hình, năm và bộ tiêu chí từ đây.",
    )
    for number, note in enumerate(notes, start=len(lines) + 2):
        info.cell(row=number, column=1, value=f"• {note}")
        info.merge_cells(start_row=number, start_column=1, end_row=number, end_column=3)
        info.cell(row=number, column=1).alignment = Alignment(wrap_text=True, vertical="top")
        info.row_dimensions[number].height = 45
    workbook.active = 0
    return workbook
