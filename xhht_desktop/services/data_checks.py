"""Cross-record checks: problems that would make a figure wrong ("Kiểm tra dữ liệu").

Each form validates its own record; these checks look across records, where
a figure can be wrong although every record is valid on its own: a
household without members (left out of Gia đình học tập), a head of
household who is not among the members, a recognition without a passed
evaluation, a person whose schooling contradicts their age, an aggregate
figure whose numerator exceeds its denominator (entered under an older or
adapted form), a village form some villages have not entered, a
registration of a subject that was deleted since.

Every problem says what is wrong in Vietnamese and where to go to fix it:
the entity and the record id (the page opens that record).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import and_, func, select
from sqlalchemy.orm import Session

from xhht_desktop.core import indicators as registry
from xhht_desktop.core import text as vntext
from xhht_desktop.core.indicators import AggregatePair, format_count
from xhht_desktop.core.literacy import age
from xhht_desktop.core.models_cycle import MODELS
from xhht_desktop.forms import Definitions
from xhht_desktop.services.aggregates import COMMUNE_LABEL
from xhht_desktop.services.indicators import live_villages, stored_aggregates
from xhht_desktop.services.learning_models import current_definitions
from xhht_desktop.store import model_queries as queries
from xhht_desktop.store.literacy_queries import counted_conditions
from xhht_desktop.store.models import Clan, Household, ModelEntry, Person, Unit, Village

if TYPE_CHECKING:
    from xhht_desktop.context import AppContext

ERROR = "error"
WARNING = "warning"
INFO = "info"

CHECKS: dict[str, str] = {
    "household_without_members": "Hộ không có nhân khẩu",
    "head_not_member": "Chủ hộ không có trong danh sách nhân khẩu",
    "recognised_without_pass": "Công nhận khi chưa đăng ký hoặc chưa đánh giá đạt",
    "schooling_contradiction": "Trình độ học vấn mâu thuẫn",
    "aggregate_over_denominator": "Tử số lớn hơn mẫu số trong biểu tổng hợp",
    "aggregate_village_missing": "Biểu theo thôn còn thiếu thôn",
    "aggregate_register_mismatch": "Số trong biểu khác số đếm trong sổ",
    "entry_subject_deleted": "Đăng ký, đánh giá của đối tượng đã xóa",
}
"""Every check's code and title, in the order the page lists them."""

_SUBJECT_TABLES: dict[str, Any] = {
    "gdht": Household,
    "dhht": Clan,
    "cdht": Village,
    "dvht": Unit,
}
_SUBJECT_ENTITIES = {"gdht": "household", "dhht": "clan", "cdht": "village", "dvht": "unit"}


@dataclass(frozen=True)
class DataProblem:
    """One cross-record problem and the record to open to fix it.

    Attributes:
        check: Key of :data:`CHECKS`.
        severity: ``error`` (a figure is wrong), ``warning`` (a figure may be
            wrong) or ``info`` (allowed, listed for review: an override).
        message: What is wrong and what to do, in Vietnamese.
        entity: What to open: ``household``, ``person``, ``clan``,
            ``village``, ``unit``, ``model_entry`` or ``aggregate``.
        record_id: Its id (for ``aggregate``: the stored row, or the form id
            when a village's row is missing).
    """

    check: str
    severity: str
    message: str
    entity: str
    record_id: str
    village_id: str | None = None
    village_name: str = ""
    model: str | None = None
    form_id: str | None = None
    year: int | None = None

    @property
    def title(self) -> str:
        return CHECKS[self.check]

    def as_dict(self) -> dict[str, Any]:
        return {
            "check": self.check,
            "title": self.title,
            "severity": self.severity,
            "message": self.message,
            "entity": self.entity,
            "record_id": self.record_id,
            "village_id": self.village_id,
            "village": self.village_name,
            "model": self.model,
            "form_id": self.form_id,
            "year": self.year,
        }


@dataclass(frozen=True)
class DataCheckReport:
    """Every problem found for a year, in the order of :data:`CHECKS`."""

    year: int
    problems: tuple[DataProblem, ...]

    def counts(self) -> dict[str, int]:
        """How many problems each check found (every check present, maybe 0)."""
        found = dict.fromkeys(CHECKS, 0)
        for item in self.problems:
            found[item.check] += 1
        return found

    def of(self, check: str) -> list[DataProblem]:
        return [p for p in self.problems if p.check == check]

    def as_dict(self) -> dict[str, Any]:
        return {
            "year": self.year,
            "counts": self.counts(),
            "problems": [p.as_dict() for p in self.problems],
        }


class DataCheckService:
    """Runs the cross-record checks of a year."""

    def __init__(self, context: AppContext) -> None:
        self.context = context

    def run(self, year: int | None = None) -> DataCheckReport:
        """Every check for ``year`` (the reporting year by default)."""
        year = self.context.setup.require().year if year is None else year
        problems: list[DataProblem] = []
        with self.context.reading() as session:
            villages = dict(live_villages(session))
            problems += self._households(session)
            problems += self._recognitions(session, year)
            definitions = current_definitions(self.context.settings.data_dir)
            problems += self._aggregates(session, year, definitions, villages)
            problems += self._deleted_subjects(session, year)
        problems += self._schooling(year)
        order = list(CHECKS)
        return DataCheckReport(year, tuple(sorted(problems, key=lambda p: order.index(p.check))))

    # -- households --------------------------------------------------------------------

    def _households(self, session: Session) -> list[DataProblem]:
        names: dict[str, set[str]] = defaultdict(set)
        for household_id, name_key in session.execute(
            select(Person.household_id, Person.name_key).where(Person.deleted_at.is_(None))
        ):
            names[household_id].add(name_key)
        problems = []
        for household, village_name in session.execute(
            select(Household, Village.name)
            .join(Village, Village.id == Household.village_id)
            .where(Household.deleted_at.is_(None))
            .order_by(Village.sort_key, Household.code)
        ):
            where = f"Hộ {household.code} ({household.head_name}), {village_name}"
            members = names.get(household.id)
            if not members:
                problems.append(
                    DataProblem(
                        "household_without_members",
                        ERROR,
                        f"{where}: chưa có nhân khẩu nào. Hộ không được tính trong mô hình "
                        "Gia đình học tập; hãy nhập nhân khẩu hoặc xóa hộ.",
                        "household",
                        household.id,
                        household.village_id,
                        village_name,
                    )
                )
            elif vntext.fold(household.head_name) not in members:
                problems.append(
                    DataProblem(
                        "head_not_member",
                        WARNING,
                        f"{where}: chủ hộ «{household.head_name}» không có tên trong danh "
                        "sách nhân khẩu của hộ. Hãy sửa tên chủ hộ hoặc nhập chủ hộ là một "
                        "nhân khẩu.",
                        "household",
                        household.id,
                        household.village_id,
                        village_name,
                    )
                )
        return problems

    # -- learning models ----------------------------------------------------------------

    def _recognitions(self, session: Session, year: int) -> list[DataProblem]:
        entries = session.scalars(
            select(ModelEntry)
            .where(
                ModelEntry.year == year,
                ModelEntry.deleted_at.is_(None),
                ModelEntry.decision_id.is_not(None),
                ModelEntry.revoked_on.is_(None),
            )
            .where((ModelEntry.passed.is_not(True)) | ModelEntry.registered_on.is_(None))
        ).all()
        by_model: dict[str, list[ModelEntry]] = defaultdict(list)
        for entry in entries:
            by_model[entry.model].append(entry)
        numbers = queries.decision_numbers(session, [e.decision_id or "" for e in entries])
        problems = []
        for model, mine in by_model.items():
            subjects = queries.subject_rows(session, model, [e.subject_id for e in mine])
            label = MODELS[model].label
            for entry in mine:
                subject = subjects.get(entry.subject_id)
                if subject is None:
                    continue  # a deleted subject: listed by its own check
                missing = []
                if entry.registered_on is None:
                    missing.append("chưa đăng ký")
                if entry.criteria_id is None:
                    missing.append("chưa đánh giá")
                elif entry.passed is not True:
                    missing.append("đánh giá không đạt")
                decision = numbers.get(entry.decision_id or "", "?")
                name = _subject_name(subject)
                if entry.override_reason:
                    message = (
                        f"{name}: được công nhận {label} năm {year} (quyết định {decision}) "
                        f"khi {', '.join(missing)}, theo ngoại lệ của người phê duyệt. Lý do: "
                        f"{entry.override_reason}"
                    )
                    severity = INFO
                else:
                    message = (
                        f"{name}: được công nhận {label} năm {year} (quyết định {decision}) "
                        f"khi {', '.join(missing)}, không có lý do ngoại lệ. Hãy kiểm tra "
                        "lại đăng ký, đánh giá hoặc quyết định."
                    )
                    severity = ERROR
                problems.append(
                    DataProblem(
                        "recognised_without_pass",
                        severity,
                        message,
                        _SUBJECT_ENTITIES[model],
                        entry.subject_id,
                        subject.village_id,
                        subject.village_name or "",
                        model=model,
                        year=year,
                    )
                )
        return problems

    def _deleted_subjects(self, session: Session, year: int) -> list[DataProblem]:
        problems = []
        for model, table in _SUBJECT_TABLES.items():
            live = select(table.id).where(table.deleted_at.is_(None))
            rows = session.execute(
                select(ModelEntry, table.name if model != "gdht" else Household.head_name)
                .outerjoin(table, table.id == ModelEntry.subject_id)
                .where(
                    ModelEntry.model == model,
                    ModelEntry.year == year,
                    ModelEntry.deleted_at.is_(None),
                    ModelEntry.subject_id.not_in(live),
                )
            ).all()
            label = MODELS[model]
            for entry, name in rows:
                what = []
                if entry.registered_on is not None:
                    what.append("đăng ký")
                if entry.criteria_id is not None:
                    what.append("đánh giá")
                if entry.decision_id is not None:
                    what.append("công nhận")
                subject = f"{label.subject_label} «{name}»" if name else label.subject_label
                problems.append(
                    DataProblem(
                        "entry_subject_deleted",
                        WARNING,
                        f"{subject} đã bị xóa nhưng vẫn còn {', '.join(what) or 'mục'} "
                        f"{label.label} năm {year}. Mục này không được tính; hãy hủy đăng "
                        "ký hoặc khôi phục đối tượng.",
                        "model_entry",
                        entry.id,
                        model=model,
                        year=year,
                    )
                )
        return problems

    # -- persons ---------------------------------------------------------------------------

    def _schooling(self, year: int) -> list[DataProblem]:
        return [
            DataProblem(
                "schooling_contradiction",
                WARNING,
                f"{w.full_name} (hộ {w.household_code}, sinh năm {w.birth_year}): {w.message}",
                "person",
                w.person_id,
                w.village_id,
                w.village_name,
                year=year,
            )
            for w in self.context.literacy.quality_warnings(year)
        ]

    # -- aggregate forms ---------------------------------------------------------------------

    def _aggregates(
        self,
        session: Session,
        year: int,
        definitions: Definitions,
        villages: dict[str, str],
    ) -> list[DataProblem]:
        owner = self.context.setup.require().owner_code
        rows = stored_aggregates(session, year, definitions, villages, owner)
        pairs = list(
            dict.fromkeys(
                i.spec for i in registry.REGISTRY.values() if isinstance(i.spec, AggregatePair)
            )
        )
        problems = []
        for row in rows:
            definition = definitions.get(row.definition_id, row.definition_version)
            definition = definition or definitions.get(row.definition_id)
            assert definition is not None
            scope = villages.get(row.village_id or "", COMMUNE_LABEL)
            for pair in pairs:
                if pair.form != row.definition_id:
                    continue
                numerator, denominator = pair.pair(row.values)
                if numerator is None or denominator is None or numerator <= denominator:
                    continue
                problems.append(
                    DataProblem(
                        "aggregate_over_denominator",
                        ERROR,
                        f"Biểu «{definition.title}» năm {year}, {scope}: "
                        f"{_label(definition, pair.numerator)} ({format_count(numerator)}) "
                        f"lớn hơn {_label(definition, pair.denominator)} "
                        f"({format_count(denominator)}). Tỷ lệ sẽ trên 100%; hãy sửa số liệu.",
                        "aggregate",
                        row.entry_id,
                        row.village_id,
                        "" if row.village_id is None else scope,
                        form_id=row.definition_id,
                        year=year,
                    )
                )
        problems += self._missing_villages(rows, year, definitions, villages)
        problems += self._women_mismatch(session, rows, year)
        return problems

    def _missing_villages(
        self,
        rows: Iterable[Any],
        year: int,
        definitions: Definitions,
        villages: dict[str, str],
    ) -> list[DataProblem]:
        entered: dict[str, set[str]] = defaultdict(set)
        for row in rows:
            if row.village_id is not None:
                entered[row.definition_id].add(row.village_id)
        problems = []
        for form_id, done in entered.items():
            definition = definitions.get(form_id)
            title = definition.title if definition is not None else form_id
            for village_id, name in villages.items():
                if village_id in done:
                    continue
                problems.append(
                    DataProblem(
                        "aggregate_village_missing",
                        WARNING,
                        f"Biểu «{title}» năm {year}: {name} chưa nhập số liệu. Các chỉ tiêu "
                        "tính theo thôn coi thôn này là chưa có; hãy nhập đủ các thôn.",
                        "aggregate",
                        form_id,
                        village_id,
                        name,
                        form_id=form_id,
                        year=year,
                    )
                )
        return problems

    def _women_mismatch(
        self, session: Session, rows: Iterable[Any], year: int
    ) -> list[DataProblem]:
        # The form enters the women under 40 made literate through classes so
        # that "numerator ≤ denominator" is checked while typing; the register
        # can count them too (its header comment asks for this comparison).
        form, field = "phu-nu-sau-xoa-mu-chu", "phu_nu_duoi_40_da_xmc"
        entered = next((r for r in rows if r.definition_id == form and r.village_id is None), None)
        value = None if entered is None else entered.values.get(field)
        if not isinstance(value, int) or isinstance(value, bool):
            return []
        first, last = year - 39, year - 15
        counted = session.scalar(
            select(func.count())
            .select_from(Person)
            .join(Household, Household.id == Person.household_id)
            .where(
                *counted_conditions(),
                Household.deleted_at.is_(None),
                and_(Person.sex == "F", Person.literacy_stage > 0, Person.disabled.is_(False)),
                Person.birth_year.between(first, last),
            )
        )
        counted = int(counted or 0)
        if counted == value:
            return []
        return [
            DataProblem(
                "aggregate_register_mismatch",
                WARNING,
                f"Biểu «Phụ nữ dưới 40 tuổi học chương trình sau xóa mù chữ» năm {year} ghi "
                f"{format_count(value)} phụ nữ dưới 40 tuổi đã được xóa mù chữ qua lớp xóa mù "
                f"chữ, còn sổ nhân khẩu có {format_count(counted)} người (nữ "
                f"{age(last, year)}–{age(first, year)} tuổi, đã hoàn thành giai đoạn 1 hoặc 2 "
                "xóa mù chữ). Hãy đối chiếu lại.",
                "aggregate",
                entered.entry_id if entered is not None else form,
                form_id=form,
                year=year,
            )
        ]


def _label(definition: Any, field_id: str) -> str:
    try:
        label = str(definition.field(field_id).label)
    except (KeyError, StopIteration):
        return field_id
    return label.removeprefix("Trong đó: ").removeprefix("Trong đó ")


def _subject_name(subject: queries.SubjectRow) -> str:
    if subject.model == "gdht":
        return f"Hộ {subject.code} ({subject.name})"
    return f"{MODELS[subject.model].subject_label} «{subject.name}»"
