"""The persons roster in Excel: the blank template, and importing a filled one.

Communes keep the literacy survey in Excel; this is how it comes in. The
template carries the exact columns, drop-down lists and an instructions
sheet. An import reads the sheet (:mod:`core.roster` knows the cells), and
either stores every row in one transaction or stores nothing and lists each
problem by row and column; ``valid_only`` stores the valid rows and lists the
others. Re-importing a file updates the persons it already brought in
(same household code, same name without diacritics, same birth year) and
rewrites nobody whose data did not change.
"""

from __future__ import annotations

import warnings
import zipfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any
from xml.etree.ElementTree import ParseError

from sqlalchemy import select
from sqlalchemy.orm import Session

from xhht_desktop.core import ethnicity
from xhht_desktop.core import roster as rules
from xhht_desktop.core import text as vntext
from xhht_desktop.core.registers import RELATIONSHIPS, RESIDENCES, SEXES, VILLAGE_KINDS
from xhht_desktop.errors import FieldIssue, ImportCancelled, PermissionDenied, RosterRefused
from xhht_desktop.store.audit import insert_records, log_bulk
from xhht_desktop.store.files import write_atomically
from xhht_desktop.store.models import Household, Person, Village, new_id

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

    from xhht_desktop.context import AppContext

LISTS_SHEET = "Danh mục"
GUIDE_SHEET = "Hướng dẫn"
FILE_FIELD = "Tệp"
# Data validations cover the sheet to Excel's last row; they create no cells.
_LAST_ROW = 1_048_576
_CHUNK = 500  # ids per IN (...) query: well under SQLite's variable limit
# How often (in sheet rows) a long import reports progress and looks for a
# cancel: often enough for a responsive bar, rarely enough to cost nothing.
_PROGRESS_EVERY = 250

ProgressFunction = Callable[[int, int], None]
"""Told ``(rows done, rows in all)`` while an import checks the sheet's rows."""

CancelledFunction = Callable[[], bool]
"""Asked now and then during an import; True stops it (:class:`ImportCancelled`)."""

_HEADER_FILL = "1F4E78"
_BAD_FILL = "FFC7CE"
_BAD_FONT = "9C0006"


@dataclass(frozen=True)
class ImportReport:
    """What an import did (or, in a dry run, would do).

    Attributes:
        file: The imported file.
        sheet: The sheet that was read.
        rows: Non-empty data rows in the sheet.
        issues: Problems of the rows that were not imported (row, column, message).
        villages_created: Names of the villages created.
        households_created: Households created.
        households_updated: Existing households whose head changed.
        persons_created: Persons added.
        persons_updated: Existing persons with at least one changed field.
        persons_unchanged: Persons in the file whose record already said the same.
        ignored_columns: Headers of columns the import did not read.
        dry_run: True when nothing was stored on purpose.
        stored: True when the changes were committed.
        errors_file: The marked copy of the sheet, when one was written.
    """

    file: Path
    sheet: str
    rows: int
    issues: tuple[FieldIssue, ...]
    villages_created: tuple[str, ...]
    households_created: int
    households_updated: int
    persons_created: int
    persons_updated: int
    persons_unchanged: int
    ignored_columns: tuple[str, ...] = ()
    dry_run: bool = False
    stored: bool = False
    errors_file: Path | None = None

    @property
    def invalid_rows(self) -> int:
        return len({issue.row for issue in self.issues if issue.row is not None})

    @property
    def imported_rows(self) -> int:
        return self.persons_created + self.persons_updated + self.persons_unchanged

    def as_dict(self) -> dict[str, Any]:
        """A JSON-ready summary (``xhht import --json``)."""
        return {
            "file": str(self.file),
            "sheet": self.sheet,
            "dry_run": self.dry_run,
            "stored": self.stored,
            "rows": self.rows,
            "valid_rows": self.rows - self.invalid_rows,
            "invalid_rows": self.invalid_rows,
            "villages": {"created": len(self.villages_created), "names": [*self.villages_created]},
            "households": {"created": self.households_created, "updated": self.households_updated},
            "persons": {
                "created": self.persons_created,
                "updated": self.persons_updated,
                "unchanged": self.persons_unchanged,
            },
            "ignored_columns": [*self.ignored_columns],
            "issues": issues_as_dicts(self.issues),
            "errors_file": str(self.errors_file) if self.errors_file else None,
        }


def issues_as_dicts(issues: Sequence[FieldIssue]) -> list[dict[str, Any]]:
    """Issues as ``{"row", "column", "message"}`` objects for JSON."""
    return [{"row": i.row, "column": i.field, "message": i.message} for i in issues]


# -- reading ------------------------------------------------------------------


@dataclass
class _Sheet:
    title: str
    epoch: date
    cells: list[tuple[Any, ...]]  # every row from row 1, as values
    header: rules.HeaderMap
    # The sheet's columns: the persons roster's, or another list's (registrations).
    columns: Sequence[rules.Column] = rules.COLUMNS

    def data_rows(self) -> Iterator[tuple[int, tuple[Any, ...]]]:
        for number in range(self.header.row + 1, len(self.cells) + 1):
            yield number, self.cells[number - 1]


def _unreadable(path: Path, why: str) -> RosterRefused:
    return RosterRefused([FieldIssue(FILE_FIELD, f"Không đọc được tệp «{path.name}»: {why}")])


def _pick_sheet(workbook: Any, sheet_name: str = rules.SHEET_NAME) -> Any:
    for name in workbook.sheetnames:
        if vntext.fold(name) == vntext.fold(sheet_name):
            return workbook[name]
    # A commune's own file: its first sheet ("Sheet1", "DS nhân khẩu"…).
    return workbook.worksheets[0]


def _stop_if(cancelled: CancelledFunction | None) -> None:
    if cancelled is not None and cancelled():
        raise ImportCancelled


def read_sheet(
    path: Path,
    cancelled: CancelledFunction | None = None,
    *,
    columns: Sequence[rules.Column] = rules.COLUMNS,
    sheet_name: str = rules.SHEET_NAME,
    template_command: str = "xhht template persons",
) -> _Sheet:
    """Read the roster sheet of ``path`` (values only) and find its header.

    Args:
        path: The .xlsx file.
        cancelled: Asked every few hundred rows; True stops the reading.
        columns: The sheet's columns (another list than the persons roster
            brings its own, with ``sheet_name`` and ``template_command``).
        sheet_name: The sheet to read when the workbook has it; else the first.
        template_command: The command that writes the blank template.

    Raises:
        RosterRefused: The file is missing, not an .xlsx workbook, or its
            headers are wrong.
        ImportCancelled: ``cancelled`` said so.
    """
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    path = Path(path)
    if not path.is_file():
        raise _unreadable(path, "không tìm thấy tệp.")
    not_xlsx = (
        "đây không phải tệp Excel .xlsx (hoặc tệp bị hỏng). Tệp .xls cũ: hãy mở bằng Excel "
        "và «Lưu thành» Sổ làm việc Excel (.xlsx)."
    )
    try:
        # openpyxl warns about Excel features it drops (extensions, styles);
        # they do not matter for reading values.
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            workbook = load_workbook(path, read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, ParseError, ValueError):
        raise _unreadable(path, not_xlsx) from None
    except OSError as exc:
        raise _unreadable(path, f"{exc.strerror or exc}.") from None
    try:
        sheet = _pick_sheet(workbook, sheet_name)
        # Some programs write a wrong sheet size; read what is really there.
        sheet.reset_dimensions()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            cells = []
            for row in sheet.iter_rows(min_row=1, values_only=True):
                cells.append(tuple(row))
                if len(cells) % _PROGRESS_EVERY == 0:
                    _stop_if(cancelled)
        epoch = workbook.epoch
        title = sheet.title
    except (zipfile.BadZipFile, KeyError, ParseError, ValueError, TypeError):
        raise _unreadable(path, not_xlsx) from None
    finally:
        workbook.close()
    header = rules.find_header(
        cells[: rules.HEADER_SEARCH_ROWS], columns=columns, template_command=template_command
    )
    epoch_day = epoch.date() if isinstance(epoch, datetime) else epoch
    return _Sheet(title, epoch_day, cells, header, columns)


def _reporting(
    sheet: _Sheet, progress: ProgressFunction | None, cancelled: CancelledFunction | None
) -> Iterator[tuple[int, tuple[Any, ...]]]:
    """The sheet's data rows, telling ``progress`` and asking ``cancelled`` on the way."""
    total = max(0, len(sheet.cells) - sheet.header.row)
    if progress is not None:
        progress(0, total)
    for done, item in enumerate(sheet.data_rows(), start=1):
        yield item
        if done % _PROGRESS_EVERY == 0 and done < total:
            _stop_if(cancelled)
            if progress is not None:
                progress(done, total)
    _stop_if(cancelled)
    if progress is not None:
        progress(total, total)


# -- the register as it stands ------------------------------------------------

_PERSON_FIELDS = (
    "full_name",
    "relationship_to_head",
    "birth_date",
    "sex",
    "ethnicity_code",
    "grade",
    "literacy_stage",
    "disabled",
    "residence",
)


@dataclass
class _Existing:
    """The commune's live villages, households and persons, loaded once."""

    villages: dict[str, str]  # folded name -> id
    village_names: dict[str, str]  # id -> name
    households: dict[str, tuple[str, str, str]]  # code -> (id, village id, head name)
    persons: dict[tuple[str, str, int], tuple[Any, ...]]  # key -> (id, *_PERSON_FIELDS)

    @classmethod
    def load(cls, session: Session, owner: str) -> _Existing:
        villages: dict[str, str] = {}
        names: dict[str, str] = {}
        for village_id, name in session.execute(
            select(Village.id, Village.name).where(
                Village.commune_code == owner, Village.deleted_at.is_(None)
            )
        ):
            villages.setdefault(vntext.fold(name), village_id)
            names[village_id] = name
        households = {
            code: (household_id, village_id, head)
            for household_id, code, village_id, head in session.execute(
                select(
                    Household.id, Household.code, Household.village_id, Household.head_name
                ).where(Household.commune_code == owner, Household.deleted_at.is_(None))
            )
        }
        persons: dict[tuple[str, str, int], tuple[Any, ...]] = {}
        columns = [getattr(Person, name) for name in _PERSON_FIELDS]
        # Oldest first: if the register already holds a person twice, the
        # import keeps updating the first one, as it always did.
        for code, birth_year, person_id, *values in session.execute(
            select(Household.code, Person.birth_year, Person.id, *columns)
            .join(Household, Household.id == Person.household_id)
            .where(
                Person.commune_code == owner,
                Person.deleted_at.is_(None),
                Household.deleted_at.is_(None),
            )
            .order_by(Person.created_at, Person.id)
        ):
            key = rules.roster_key(code, values[0], birth_year)
            persons.setdefault(key, (person_id, *values))
        return cls(villages, names, households, persons)

    def conflicts(self, rows: list[rules.RosterRow], header: rules.HeaderMap) -> list[FieldIssue]:
        """Rows that put a household of the register in another village."""
        issues = []
        for row in rows:
            known = self.households.get(row.household_code)
            if known is None:
                continue
            if self.villages.get(vntext.fold(row.village)) != known[1]:
                issues.append(
                    FieldIssue(
                        header.label("village"),
                        f"Hộ {row.household_code} đã có trong sổ, thuộc "
                        f"«{self.village_names.get(known[1], '?')}». Hãy sửa tên thôn cho đúng, "
                        "hoặc chuyển hộ sang thôn mới trong phần mềm trước khi nhập.",
                        row.row,
                    )
                )
        return issues


@dataclass
class _Plan:
    # New records as column values (written in bulk), changes by record id.
    villages: dict[str, dict[str, Any]] = field(default_factory=dict)  # folded name -> new
    households: list[dict[str, Any]] = field(default_factory=list)
    head_changes: dict[str, str] = field(default_factory=dict)  # household id -> head
    persons: list[dict[str, Any]] = field(default_factory=list)
    person_changes: dict[str, dict[str, Any]] = field(default_factory=dict)
    unchanged: int = 0


def _values(row: rules.RosterRow, stored: tuple[Any, ...] | None) -> dict[str, Any]:
    """The fields a row sets; optional columns absent from the sheet keep what is stored."""
    old = dict(zip(_PERSON_FIELDS, stored[1:], strict=True)) if stored else {}
    return {
        "full_name": row.full_name,
        # A bare year in the sheet does not erase a full date already known.
        "birth_date": row.birth_date or old.get("birth_date"),
        "sex": row.sex,
        "ethnicity_code": row.ethnicity_code,
        "grade": row.grade,
        "literacy_stage": row.literacy_stage,
        "relationship_to_head": (
            row.relationship
            if row.relationship is not None
            else old.get("relationship_to_head", "")
        ),
        "disabled": row.disabled if row.disabled is not None else old.get("disabled", False),
        "residence": (
            row.residence if row.residence is not None else old.get("residence", "thuong_tru")
        ),
    }


def _plan(existing: _Existing, rows: list[rules.RosterRow], owner: str) -> _Plan:
    plan = _Plan()
    village_ids = dict(existing.villages)
    for row in rows:
        folded = vntext.fold(row.village)
        if folded not in village_ids:
            village = {
                "id": new_id(),
                "commune_code": owner,
                "kind": rules.guess_village_kind(row.village),
                "name": row.village,
            }
            plan.villages[folded] = village
            village_ids[folded] = village["id"]

    household_ids = {code: known[0] for code, known in existing.households.items()}
    heads = rules.household_heads(rows)
    for code, head in rules.explicit_heads(rows).items():
        known = existing.households.get(code)
        if known is not None and known[2] != head:
            plan.head_changes[known[0]] = head
    for row in rows:
        if row.household_code in household_ids:
            continue
        household = {
            "id": new_id(),
            "commune_code": owner,
            "code": row.household_code,
            "village_id": village_ids[vntext.fold(row.village)],
            "head_name": heads[row.household_code],
            "address": "",
        }
        plan.households.append(household)
        household_ids[row.household_code] = household["id"]

    for row in rows:
        stored = existing.persons.get(row.key)
        values = _values(row, stored)
        if stored is None:
            plan.persons.append(
                {
                    "id": new_id(),
                    "commune_code": owner,
                    "household_id": household_ids[row.household_code],
                    "birth_year": row.birth_year,
                    **values,
                }
            )
            continue
        old = dict(zip(_PERSON_FIELDS, stored[1:], strict=True))
        changes = {name: value for name, value in values.items() if old[name] != value}
        if changes:
            plan.person_changes[stored[0]] = changes
        else:
            plan.unchanged += 1
    return plan


def _chunks(ids: list[str]) -> Iterator[list[str]]:
    for start in range(0, len(ids), _CHUNK):
        yield ids[start : start + _CHUNK]


def _apply(session: Session, plan: _Plan) -> None:
    # New records in bulk, parents first; insert_records stamps and logs them
    # as the audit hook would.
    insert_records(session, Village, list(plan.villages.values()))
    insert_records(session, Household, plan.households)
    insert_records(session, Person, plan.persons)
    # Changes go through ORM objects so that the audit hook logs each field.
    for chunk in _chunks(list(plan.head_changes)):
        for household in session.scalars(select(Household).where(Household.id.in_(chunk))):
            household.head_name = plan.head_changes[household.id]
    for chunk in _chunks(list(plan.person_changes)):
        for person in session.scalars(select(Person).where(Person.id.in_(chunk))):
            for name, value in plan.person_changes[person.id].items():
                setattr(person, name, value)


# -- the service ----------------------------------------------------------------


class RosterService:
    """Template and import of the persons roster (``xhht template/import persons``)."""

    def __init__(self, context: AppContext) -> None:
        self.context = context

    def write_template(self, path: Path) -> Path:
        """Write the blank roster workbook to ``path`` (atomically).

        The "Nhân khẩu" sheet has the roster's headers in order, drop-down
        lists (villages already registered, relationship, sex, the 54 ethnic
        groups, grade, stage, disability, residence) fed from a hidden
        "Danh mục" sheet, and a "Hướng dẫn" sheet explains every column.
        """
        villages = [v.name for v in self.context.villages.list()]
        workbook = build_template(villages)
        return write_atomically(Path(path), workbook.save)

    def import_persons(
        self,
        path: Path,
        *,
        dry_run: bool = False,
        valid_only: bool = False,
        errors_out: Path | None = None,
        today: date | None = None,
        progress: ProgressFunction | None = None,
        cancelled: CancelledFunction | None = None,
    ) -> ImportReport:
        """Import a filled roster into the commune's registers, in one transaction.

        Args:
            path: The .xlsx file.
            dry_run: Check and count what would change, store nothing.
            valid_only: Store the valid rows even if others have problems
                (which the report lists); by default one bad row refuses all.
            errors_out: Where to save a copy of the sheet with the bad cells
                in red and a "Lỗi" column, when there are problems.
            today: The day of the import (birth dates cannot be later).
            progress: Told ``(rows checked, rows in the sheet)``: ``(0, n)``
                once the file is read, then every few hundred rows, then
                ``(n, n)``; storing follows the last call. Called on the
                thread that imports.
            cancelled: Asked while the file is read, while its rows are
                checked, and before and after the changes are written (still
                inside the transaction); True stops the import.

        Returns:
            What was (or, in a dry run, would be) created, updated, unchanged,
            and the problems of the rows left out.

        Raises:
            RosterRefused: The file cannot be read, its headers are wrong, it
                has no data rows, or (without ``valid_only``) any row has a
                problem. Nothing is stored; ``issues`` lists every problem.
            ImportCancelled: ``cancelled`` said so; nothing is stored.
            PermissionDenied: This copy is a consolidating office.
            NotSetUp: The database is not set up.
        """
        self.context.require("import_roster")
        info = self.context.setup.require()
        if info.role != "commune":
            raise PermissionDenied(
                "Cơ quan tổng hợp không nhập danh sách nhân khẩu: số liệu của xã đến từ gói dữ "
                "liệu xã gửi lên."
            )
        owner = info.owner_code
        path = Path(path)
        today = today or date.today()
        sheet = read_sheet(path, cancelled)
        parsed = rules.parse_rows(
            sheet.header, _reporting(sheet, progress, cancelled), today, sheet.epoch
        )
        if parsed.row_count == 0:
            raise RosterRefused(
                [
                    FieldIssue(
                        FILE_FIELD,
                        f"Trang «{sheet.title}» không có dòng dữ liệu nào dưới dòng tiêu đề "
                        f"(dòng {sheet.header.row}).",
                    )
                ]
            )
        unit = self.context.reading() if dry_run else self.context.transaction()
        with unit as session:
            existing = _Existing.load(session, owner)
            conflicts = existing.conflicts(parsed.rows, sheet.header)
            issues = sorted([*parsed.issues, *conflicts], key=lambda i: i.row or 0)
            bad_rows = {issue.row for issue in issues}
            rows = [row for row in parsed.rows if row.row not in bad_rows]
            errors_file = None
            if issues and errors_out is not None:
                errors_file = write_errors(Path(errors_out), sheet, issues)
            if issues and not valid_only:
                refused = RosterRefused(issues, parsed.row_count, len(bad_rows))
                refused.errors_file = str(errors_file) if errors_file else None
                raise refused
            plan = _plan(existing, rows, owner)
            changed = len(plan.persons) + len(plan.person_changes)
            _stop_if(cancelled)
            if not dry_run:
                _apply(session, plan)
                if changed or plan.households or plan.head_changes or plan.villages:
                    log_bulk(
                        session,
                        "persons",
                        "import",
                        changed,
                        f"nhân khẩu từ tệp «{path.name}»: thêm {len(plan.persons)}, "
                        f"sửa {len(plan.person_changes)}",
                    )
                # Last chance, before the commit: a cancel while writing rolls
                # the whole import back.
                _stop_if(cancelled)
        return ImportReport(
            file=path,
            sheet=sheet.title,
            rows=parsed.row_count,
            issues=tuple(issues),
            villages_created=tuple(v["name"] for v in plan.villages.values()),
            households_created=len(plan.households),
            households_updated=len(plan.head_changes),
            persons_created=len(plan.persons),
            persons_updated=len(plan.person_changes),
            persons_unchanged=plan.unchanged,
            ignored_columns=sheet.header.ignored,
            dry_run=dry_run,
            stored=not dry_run,
            errors_file=errors_file,
        )


# -- writing ------------------------------------------------------------------


def _lists(villages: Sequence[str]) -> list[tuple[str, list[Any]]]:
    """The drop-down lists, one column each on the hidden sheet."""
    return [
        ("village", list(villages)),
        ("relationship", list(RELATIONSHIPS)),
        ("sex", list(SEXES.values())),
        ("ethnicity", [group.name for group in ethnicity.ETHNICITIES]),
        ("grade", list(range(rules.MAX_GRADE + 1))),
        ("stage", [0, 1, 2]),
        ("disabled", ["Có"]),
        ("residence", list(RESIDENCES.values())),
    ]


# Free-text columns whose list only suggests; the others warn on other values
# (the import still reads "nu", "H'Mông"… that a strict list would refuse).
_SUGGESTED_ONLY = frozenset({"village", "relationship", "disabled"})


def build_template(villages: Sequence[str]) -> Any:
    """The blank roster workbook (not yet saved).

    Args:
        villages: Names of the commune's villages, for the first column's list.
    """
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter, quote_sheetname
    from openpyxl.worksheet.datavalidation import DataValidation

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = rules.SHEET_NAME
    guide = workbook.create_sheet(GUIDE_SHEET)
    lists = workbook.create_sheet(LISTS_SHEET)
    lists.sheet_state = "hidden"

    thin = Side(style="thin", color="808080")
    for index, column in enumerate(rules.COLUMNS, start=1):
        cell = sheet.cell(row=1, column=index, value=column.header)
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = PatternFill("solid", fgColor=_HEADER_FILL)
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cell.border = Border(left=thin, right=thin, top=thin, bottom=thin)
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = column.width + 4
        if column.key in {"household", "birth"}:
            # Text cells: Excel then keeps "001" and "05/09/1987" as typed,
            # instead of dropping zeros or swapping day and month by locale.
            sheet.column_dimensions[letter].number_format = "@"
    sheet.row_dimensions[1].height = 48
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(rules.COLUMNS))}1"

    positions = {column.key: index for index, column in enumerate(rules.COLUMNS, start=1)}
    lists_ref = quote_sheetname(LISTS_SHEET)
    sources: dict[str, str] = {}
    for list_index, (key, values) in enumerate(_lists(villages), start=1):
        column = rules.COLUMNS[positions[key] - 1]
        lists.cell(row=1, column=list_index, value=column.header).font = Font(bold=True)
        for offset, value in enumerate(values, start=2):
            lists.cell(row=offset, column=list_index, value=value)
        if values:
            source = get_column_letter(list_index)
            sources[key] = f"{lists_ref}!${source}$2:${source}${len(values) + 1}"
    for index, column in enumerate(rules.COLUMNS, start=1):
        # One validation per column (Excel allows one per cell): the list if
        # the column has one, and the input message Excel shows when a cell
        # is selected (at most 255 characters).
        validation = DataValidation(
            type="list" if column.key in sources else None,
            formula1=sources.get(column.key),
            allow_blank=True,
            showInputMessage=len(column.accepts) <= 255,
            promptTitle=column.header[:32],
            prompt=column.accepts if len(column.accepts) <= 255 else None,
            showErrorMessage=column.key in sources and column.key not in _SUGGESTED_ONLY,
            errorStyle="warning",
            errorTitle="Giá trị ngoài danh sách" if column.key in sources else None,
            error=(
                f"«{column.header}»: hãy chọn trong danh sách. Vẫn giữ giá trị này?"
                if column.key in sources
                else None
            ),
        )
        sheet.add_data_validation(validation)
        letter = get_column_letter(index)
        validation.add(f"{letter}2:{letter}{_LAST_ROW}")

    _write_guide(guide)
    workbook.active = 0
    return workbook


_GUIDE_NOTES = (
    "Mỗi dòng của trang «Nhân khẩu» là một người. Giữ nguyên dòng tiêu đề (dòng 1); "
    "có thể thêm một dòng tên danh sách phía trên nếu cần.",
    "Các thành viên cùng một hộ ghi cùng một mã hộ; một hộ chỉ thuộc một thôn/tổ dân phố.",
    "Nhập bằng lệnh «xhht import persons TỆP.xlsx» hoặc chức năng nhập từ Excel của phần mềm.",
    "Nếu có dòng sai, cả tệp bị từ chối và chưa có gì được lưu: phần mềm liệt kê từng lỗi "
    "theo số dòng và tên cột (có thể lưu thành tệp Excel với ô sai tô đỏ). Có thể chọn chỉ "
    "nhập các dòng hợp lệ.",
    "Nhập lại cùng tệp, hoặc tệp đã sửa, sẽ cập nhật người đã có — cùng mã hộ, cùng họ tên "
    "(không phân biệt dấu, hoa thường) và cùng năm sinh — không tạo người trùng.",
    "Cột «Mã hộ» và «Ngày sinh» đã định dạng kiểu chữ để Excel không bỏ số 0 ở đầu mã hộ "
    "và không đảo ngày với tháng.",
    "Tuổi trong điều tra xóa mù chữ tính theo năm sinh: tuổi = năm điều tra − năm sinh.",
)


def _write_guide(guide: Worksheet) -> None:
    from openpyxl.styles import Alignment, Font, PatternFill

    wrap = Alignment(wrap_text=True, vertical="top")
    guide.column_dimensions["A"].width = 30
    guide.column_dimensions["B"].width = 10
    guide.column_dimensions["C"].width = 80
    guide.column_dimensions["D"].width = 22
    guide["A1"] = "HƯỚNG DẪN ĐIỀN DANH SÁCH NHÂN KHẨU (ĐIỀU TRA XÓA MÙ CHỮ)"
    guide["A1"].font = Font(bold=True, size=14)
    row = 3
    for note in _GUIDE_NOTES:
        guide.cell(row=row, column=1, value=f"• {note}")
        guide.merge_cells(start_row=row, start_column=1, end_row=row, end_column=4)
        guide.cell(row=row, column=1).alignment = wrap
        guide.row_dimensions[row].height = 32
        row += 1
    row += 1
    heading_fill = PatternFill("solid", fgColor="DDEBF7")
    for col, text in enumerate(("Cột", "Bắt buộc", "Cách ghi", "Ví dụ"), start=1):
        cell = guide.cell(row=row, column=col, value=text)
        cell.font = Font(bold=True)
        cell.fill = heading_fill
    row += 1
    for column in rules.COLUMNS:
        values = (
            column.header,
            "Có" if column.required else "Không",
            column.accepts,
            column.example,
        )
        for col, text in enumerate(values, start=1):
            guide.cell(row=row, column=col, value=text).alignment = wrap
        row += 1
    row += 1
    guide.cell(row=row, column=1, value="Danh mục 54 dân tộc (mã theo QĐ 1019/QĐ-TCTK năm 2008)")
    guide.cell(row=row, column=1).font = Font(bold=True)
    row += 1
    for col, text in enumerate(("Dân tộc", "Mã", "Cách viết khác cũng được nhận"), start=1):
        cell = guide.cell(row=row, column=col, value=text)
        cell.font = Font(bold=True)
        cell.fill = heading_fill
    row += 1
    for group in ethnicity.ETHNICITIES:
        guide.cell(row=row, column=1, value=group.name)
        guide.cell(row=row, column=2, value=group.code)
        guide.cell(row=row, column=3, value=", ".join(group.aliases)).alignment = wrap
        row += 1
    kinds = ", ".join(VILLAGE_KINDS.values())
    guide.cell(row=row + 1, column=1, value=f"Loại thôn nhận biết theo chữ đầu tên: {kinds}.")


def write_errors(target: Path, sheet: _Sheet, issues: Sequence[FieldIssue]) -> Path:
    """Save a copy of ``sheet`` with the bad cells in red and a last "Lỗi" column.

    Rows keep their numbers, so "dòng 12" in the report is row 12 here; the
    copy can be corrected and imported again (the "Lỗi" column is ignored).
    """
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font, PatternFill

    header_cells = sheet.cells[sheet.header.row - 1]
    error_col = next(
        (i for i, v in enumerate(header_cells) if v is not None and _is_errors_header(v)),
        max(len(row) for row in sheet.cells),
    )
    columns = {label: sheet.header.positions[key] for key, label in sheet.header.labels.items()}
    bad: dict[int, set[int]] = {}
    messages: dict[int, list[str]] = {}
    for issue in issues:
        if issue.row is None:
            continue
        if issue.field in columns:
            bad.setdefault(issue.row, set()).add(columns[issue.field])
        messages.setdefault(issue.row, []).append(f"{issue.field}: {issue.message}")

    workbook = Workbook(write_only=True)
    out = workbook.create_sheet(sheet.title)
    out.freeze_panes = f"A{sheet.header.row + 1}"
    for key, index in sheet.header.positions.items():
        width = next(c.width for c in sheet.columns if c.key == key) + 4
        out.column_dimensions[_letter(index)].width = width
    out.column_dimensions[_letter(error_col)].width = 60
    fill = PatternFill("solid", fgColor=_BAD_FILL)
    bad_font = Font(color=_BAD_FONT)
    bold = Font(bold=True)
    wrap = Alignment(wrap_text=True, vertical="top")
    for number, values in enumerate(sheet.cells, start=1):
        row = list(values) + [None] * (error_col + 1 - len(values))
        row[error_col] = None
        cells = []
        for index, value in enumerate(row):
            cell = WriteOnlyCell(out, value=value)
            if isinstance(value, str) and value.startswith("="):
                cell.data_type = "s"  # text that looks like a formula stays text
            if isinstance(value, datetime | date):
                cell.number_format = "dd/mm/yyyy"
            if number == sheet.header.row:
                cell.font = bold
            elif index in bad.get(number, ()):
                cell.fill = fill
                cell.font = bad_font
            cells.append(cell)
        if number == sheet.header.row:
            cells[error_col] = WriteOnlyCell(out, value=rules.ERRORS_HEADER)
            cells[error_col].font = bold
        elif number in messages:
            cells[error_col] = WriteOnlyCell(out, value="\n".join(messages[number]))
            cells[error_col].font = bad_font
            cells[error_col].alignment = wrap
        out.append(cells)
    return write_atomically(target, workbook.save)


def _is_errors_header(value: object) -> bool:
    return vntext.fold(str(value)) == vntext.fold(rules.ERRORS_HEADER)


def _letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(index + 1)
