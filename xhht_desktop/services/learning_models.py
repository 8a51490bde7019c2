"""The yearly cycle of the four learning models: register, evaluate, recognise.

Every write is one transaction of ORM objects, so the audit hook logs each
field (who registered, every score, the decision, an override's reason).
Bulk actions are what officials do: register the households ticked on a
village's checklist, evaluate the rows of a grid, recognise many subjects by
one decision. Each is all or nothing: one bad row refuses the batch with
every problem listed (``valid_only`` stores the good ones and lists the rest).

Evaluations are scored by the forms engine (:func:`xhht_desktop.forms.score`)
against the model's current criteria set, and keep that set's id and
version. One evaluation per subject, model and year is current: evaluating
again replaces it, and the audit log keeps what it replaced. (Keeping every
round as rows would make "passed" ambiguous in every count and report; the
programme recognises on the last evaluation of the year.)

The rule — no recognition without a registration and a passed evaluation of
that year — lives in :mod:`core.models_cycle`; an approver may override it
with a reason, which is stored on the entry and so audited.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from xhht_desktop.core import models_cycle as rules
from xhht_desktop.core import text as vntext
from xhht_desktop.core.models_cycle import DecisionDraft, LearningModel
from xhht_desktop.errors import (
    FieldIssue,
    NotFound,
    RecognitionRefused,
    ValidationFailed,
)
from xhht_desktop.forms import Definition, Definitions, ScoreResult, load_definitions, score
from xhht_desktop.forms.loader import definition_files, definition_roots
from xhht_desktop.forms.validation import check_record
from xhht_desktop.store import app_settings
from xhht_desktop.store import model_queries as queries
from xhht_desktop.store.models import Decision, ModelEntry, utcnow

if TYPE_CHECKING:
    from xhht_desktop.context import AppContext

CRITERIA_SETTING = "learning_models.criteria"
"""App setting: model code → id of the criteria set the commune evaluates with."""


# -- definitions, loaded once per change of the files --------------------------------

_CACHE: dict[tuple[Path, ...], tuple[tuple[tuple[str, float], ...], Definitions]] = {}


def current_definitions(data_dir: Path | None) -> Definitions:
    """Every form definition (shipped and the user's copies), reloaded when a file changes.

    Definition files with problems are left out here; ``xhht forms --check``
    and the start-up check report them.
    """
    roots = definition_roots(data_dir)
    stamp = tuple(
        (str(path), path.stat().st_mtime) for root in roots for path in definition_files(root)
    )
    cached = _CACHE.get(roots)
    if cached is not None and cached[0] == stamp:
        return cached[1]
    definitions, _problems = load_definitions(*roots)
    _CACHE[roots] = (stamp, definitions)
    return definitions


def plain_number(value: Decimal) -> str:
    """A Decimal as machine text: ``7.5``, ``10`` (never ``1E+1``)."""
    return format(value.normalize(), "f") if value != 0 else "0"


def _json(values: Mapping[str, object]) -> str:
    return json.dumps(values, ensure_ascii=False, sort_keys=True) if values else ""


def stored_scores(entry_scores: str) -> dict[str, object]:
    """The scores an entry holds: indicator id → ``Decimal`` points or ``bool`` mark."""
    if not entry_scores:
        return {}
    raw = json.loads(entry_scores)
    return {k: v if isinstance(v, bool) else Decimal(str(v)) for k, v in raw.items()}


# -- what the service takes and gives ------------------------------------------------


@dataclass(frozen=True)
class Evaluation:
    """One evaluation as entered (one row of the grid).

    Attributes:
        subject_id: The household, clan, village or unit evaluated.
        scores: Indicator id → points (number or text as typed, "7,5") or
            pass mark (``True``/``False``, "Đạt").
        evaluated_on: The day of the evaluation.
        notes: Indicator id → a note on that score.
        note: A note on the whole evaluation.
    """

    subject_id: str
    scores: Mapping[str, object]
    evaluated_on: date | None
    notes: Mapping[str, str] = field(default_factory=dict)
    note: str = ""
    keep_notes: bool = False
    """Keep the notes stored per indicator when ``notes`` is empty (imports)."""


@dataclass(frozen=True)
class CheckedEvaluation:
    """An evaluation that passed validation, with its score and typed values."""

    evaluation: Evaluation
    result: ScoreResult
    values: dict[str, object]


@dataclass(frozen=True)
class BulkResult:
    """What a bulk action did.

    Attributes:
        changed: Subjects whose entry was created or changed.
        unchanged: Subjects that already were as asked (registered twice…).
        skipped: With ``valid_only``: the subjects left out, and why.
        decision_id: The decision of a recognition.
        overridden: Subjects recognised only by an approver's override.
    """

    changed: int
    unchanged: int = 0
    skipped: tuple[FieldIssue, ...] = ()
    decision_id: str | None = None
    overridden: int = 0


@dataclass(frozen=True)
class ModelFigures:
    """The counts of one model, in all and by village (from the counting query)."""

    model: LearningModel
    in_scope: int
    registered: int
    evaluated: int
    passed: int
    recognised: int
    by_village: tuple[queries.ModelCount, ...]

    def as_dict(self) -> dict[str, Any]:
        return {
            "model": self.model.code,
            "label": self.model.label,
            "subject": self.model.subject,
            "in_scope": self.in_scope,
            "registered": self.registered,
            "evaluated": self.evaluated,
            "passed": self.passed,
            "recognised": self.recognised,
            "by_village": [
                {
                    "village_id": row.village_id,
                    "village": row.village_name,
                    "in_scope": row.in_scope,
                    "registered": row.registered,
                    "evaluated": row.evaluated,
                    "passed": row.passed,
                    "recognised": row.recognised,
                }
                for row in self.by_village
            ],
        }


@dataclass(frozen=True)
class ModelsReport:
    year: int
    models: tuple[ModelFigures, ...]

    def model(self, code: str) -> ModelFigures:
        return next(m for m in self.models if m.model.code == code)

    def as_dict(self) -> dict[str, Any]:
        return {"year": self.year, "models": [m.as_dict() for m in self.models]}


def figures(year: int, rows: Sequence[queries.ModelCount]) -> ModelsReport:
    """Totals per model from the counting query's rows (every model, even without subjects)."""
    models = []
    for code, model in rules.MODELS.items():
        mine = tuple(row for row in rows if row.model == code)
        models.append(
            ModelFigures(
                model=model,
                in_scope=sum(r.in_scope for r in mine),
                registered=sum(r.registered for r in mine),
                evaluated=sum(r.evaluated for r in mine),
                passed=sum(r.passed for r in mine),
                recognised=sum(r.recognised for r in mine),
                by_village=mine,
            )
        )
    return ModelsReport(year, tuple(models))


def evaluation_values(definition: Definition, item: CheckedEvaluation) -> dict[str, object]:
    """The entry's evaluation columns as ``item`` sets them (not the per-indicator notes)."""
    scores = {
        f.id: (
            item.values[f.id]
            if isinstance(item.values[f.id], bool)
            else plain_number(item.values[f.id])  # type: ignore[arg-type]
        )
        for f in definition.scored_fields
    }
    return {
        "criteria_id": item.result.definition.id,
        "criteria_version": item.result.definition.version,
        "scores": _json(scores),
        "total": plain_number(item.result.total),
        "passed": item.result.passed,
        "evaluated_on": item.evaluation.evaluated_on,
        "evaluation_note": vntext.clean(item.evaluation.note),
    }


def _state(entry: ModelEntry | None, numbers: Mapping[str, str]) -> rules.EntryState:
    if entry is None:
        return rules.EntryState()
    return rules.EntryState(
        registered=entry.registered_on is not None,
        evaluated=entry.criteria_id is not None,
        passed=entry.passed,
        decision_number=numbers.get(entry.decision_id or "", None) if entry.decision_id else None,
        revoked=entry.revoked_on is not None,
        refused=entry.refused_on is not None,
        total=entry.total.replace(".", ","),
    )


def _subject_name(subject: queries.SubjectRow) -> str:
    if subject.model == "gdht":
        return f"Hộ {subject.code} ({subject.name})"
    return subject.name


# -- the service -----------------------------------------------------------------------


class LearningModelService:
    """Registration, evaluation, recognition, refusal and revocation; and the counts."""

    def __init__(self, context: AppContext) -> None:
        self.context = context

    # Models and criteria sets

    def models(self) -> list[LearningModel]:
        return list(rules.MODELS.values())

    def definitions(self) -> Definitions:
        return current_definitions(self.context.settings.data_dir)

    def criteria_sets(self, model: str) -> list[Definition]:
        """The latest version of every criteria set of ``model`` (shipped and copies)."""
        rules.learning_model(model)
        return sorted(
            self.definitions().latest(kind="criteria", model=model),
            key=lambda d: (d.copied_from is not None, d.id),
        )

    def criteria(self, model: str) -> Definition:
        """The criteria set new evaluations of ``model`` use (latest version).

        The commune's choice (:meth:`choose_criteria`) if it still loads, else
        the shipped set.

        Raises:
            NotFound: no criteria set of ``model`` loads.
        """
        with self.context.reading() as session:
            chosen = app_settings.read(session, CRITERIA_SETTING) or {}
        definitions = self.definitions()
        wanted = chosen.get(model) if isinstance(chosen, dict) else None
        found = definitions.get(wanted) if wanted else None
        if found is not None and found.kind == "criteria" and found.model == model:
            return found
        sets = self.criteria_sets(model)
        if not sets:
            raise NotFound(
                f"Không có bộ tiêu chí nào cho mô hình «{rules.learning_model(model).label}» "
                "trong thư mục forms/. Hãy chạy 'xhht forms --check'."
            )
        return sets[0]

    def choose_criteria(self, model: str, criteria_id: str) -> Definition:
        """Make ``criteria_id`` the set new evaluations of ``model`` use."""
        found = self.definitions().get(criteria_id)
        if found is None or found.kind != "criteria" or found.model != model:
            raise ValidationFailed(
                [
                    FieldIssue(
                        "criteria_id",
                        f"Không có bộ tiêu chí «{criteria_id}» của mô hình "
                        f"«{rules.learning_model(model).label}».",
                    )
                ]
            )
        with self.context.transaction() as session:
            chosen = app_settings.read(session, CRITERIA_SETTING) or {}
            app_settings.write(session, CRITERIA_SETTING, {**chosen, model: criteria_id})  # type: ignore[dict-item]
        return found

    def score(self, model: str, scores: Mapping[str, object]) -> ScoreResult:
        """Score ``scores`` by the current criteria set, storing nothing (for a live total)."""
        return score(self.criteria(model), scores)

    # Lists

    def entries(
        self,
        model: str,
        year: int,
        flt: queries.EntryFilter | None = None,
        offset: int = 0,
        limit: int | None = None,
    ) -> list[queries.EntryRow]:
        """The subjects of ``model`` in scope, each with its entry of ``year``, in list order."""
        rules.learning_model(model)
        with self.context.reading() as session:
            return queries.entry_rows(session, model, year, flt, offset, limit)

    def count_entries(self, model: str, year: int, flt: queries.EntryFilter | None = None) -> int:
        rules.learning_model(model)
        with self.context.reading() as session:
            return queries.count_entries(session, model, year, flt or queries.EntryFilter())

    def entry(self, model: str, year: int, subject_id: str) -> queries.EntryRow:
        """One subject's entry of ``year``.

        Raises:
            NotFound: the subject is not in the model's scope (deleted, an empty household).
        """
        rows = self.entries(model, year, queries.EntryFilter(subject_ids=(subject_id,)))
        if not rows:
            raise NotFound("Không tìm thấy đối tượng này (có thể đã bị xóa).")
        return rows[0]

    def subjects(
        self, model: str, village_id: str | None = None, search: str = ""
    ) -> list[queries.SubjectRow]:
        """The subjects of ``model`` in scope (a village's checklist, a template's rows)."""
        flt = queries.EntryFilter(search=search, village_id=village_id)
        return [row.subject for row in self.entries(model, 0, flt)]

    def decisions(self, year: int | None = None) -> list[queries.DecisionRow]:
        with self.context.reading() as session:
            return queries.decision_rows(session, year)

    def decision_annex(self, decision_id: str) -> dict[str, list[queries.EntryRow]]:
        """The subjects a decision recognised, by model code (its annex)."""
        with self.context.reading() as session:
            decision = session.get(Decision, decision_id)
            if decision is None or decision.deleted_at is not None:
                raise NotFound("Không tìm thấy quyết định này.")
            linked = session.execute(
                select(ModelEntry.model, ModelEntry.subject_id).where(
                    ModelEntry.decision_id == decision_id, ModelEntry.deleted_at.is_(None)
                )
            ).all()
            year = decision.year
        annex: dict[str, list[queries.EntryRow]] = {}
        for model in rules.MODEL_CODES:
            ids = tuple(subject for m, subject in linked if m == model)
            if ids:
                annex[model] = self.entries(model, year, queries.EntryFilter(subject_ids=ids))
        return annex

    def counts(self, year: int) -> ModelsReport:
        """The counting query's figures of ``year`` for the four models."""
        with self.context.reading() as session:
            rows = queries.count_models(session, year)
        return figures(year, rows)

    # Writes

    def _scope(
        self, session: Session, model: str, subject_ids: Sequence[str]
    ) -> tuple[dict[str, queries.SubjectRow], list[FieldIssue]]:
        rules.learning_model(model)
        subjects = queries.subject_rows(session, model, subject_ids)
        label = rules.learning_model(model).subject_label.lower()
        issues = [
            FieldIssue(
                subject_id, f"Không tìm thấy {label} này (có thể đã bị xóa hoặc chưa có ai).", index
            )
            for index, subject_id in enumerate(subject_ids, start=1)
            if subject_id not in subjects
        ]
        return subjects, issues

    def _new_entry(self, model: str, year: int, subject_id: str) -> ModelEntry:
        owner = self.context.setup.require().owner_code
        return ModelEntry(commune_code=owner, model=model, year=year, subject_id=subject_id)

    def register(
        self,
        model: str,
        year: int,
        subject_ids: Sequence[str],
        registered_on: date | None,
        registered_by: str = "",
        today: date | None = None,
    ) -> BulkResult:
        """Register subjects for ``year`` in one transaction (a village's checklist).

        A subject registered already keeps its registration (counted as unchanged).

        Raises:
            ValidationFailed: the date does not fit the year, or a subject is
                gone; nothing was stored.
        """
        self.context.require("edit_registers")
        today = today or date.today()
        registered_by = vntext.clean(registered_by)
        issues: list[FieldIssue] = []
        problem = rules.registration_date_issue(registered_on, year, today)
        if problem:
            issues.append(FieldIssue("registered_on", problem))
        if len(registered_by) > 100:
            issues.append(FieldIssue("registered_by", "Tên người đăng ký dài quá 100 ký tự."))
        with self.context.transaction() as session:
            _subjects, missing = self._scope(session, model, subject_ids)
            if issues or missing:
                raise ValidationFailed(issues + missing)
            assert registered_on is not None
            items = [(s, registered_on, registered_by) for s in dict.fromkeys(subject_ids)]
            changed, unchanged = self.register_in(session, model, year, items, replace=False)
        return BulkResult(changed, unchanged)

    def register_in(
        self,
        session: Session,
        model: str,
        year: int,
        items: Sequence[tuple[str, date, str]],
        *,
        replace: bool,
    ) -> tuple[int, int]:
        """Store checked registrations inside the caller's unit of work.

        Args:
            session: The caller's transaction.
            model: The model code.
            year: The programme year.
            items: ``(subject id, date, who registered)``, already checked.
            replace: Change the date and name of a registration already
                stored (an import); else keep it (a checklist).

        Returns:
            How many entries changed, and how many were already so.
        """
        existing = queries.entries_of(session, model, year, [item[0] for item in items])
        changed = unchanged = 0
        for subject_id, registered_on, registered_by in items:
            entry = existing.get(subject_id)
            if entry is not None and entry.registered_on is not None:
                same = (entry.registered_on, entry.registered_by) == (
                    registered_on,
                    registered_by,
                )
                if not replace or same:
                    unchanged += 1
                    continue
            if entry is None:
                entry = self._new_entry(model, year, subject_id)
                session.add(entry)
                existing[subject_id] = entry
            entry.registered_on = registered_on
            entry.registered_by = registered_by
            changed += 1
        return changed, unchanged

    def unregister(self, model: str, year: int, subject_ids: Sequence[str]) -> BulkResult:
        """Withdraw registrations; refused for a subject already evaluated or decided.

        An entry left with nothing is deleted (a tombstone).
        """
        self.context.require("edit_registers")
        with self.context.transaction() as session:
            existing = queries.entries_of(session, model, year, subject_ids)
            issues = []
            for index, subject_id in enumerate(subject_ids, start=1):
                entry = existing.get(subject_id)
                if entry is not None and (
                    entry.criteria_id or entry.decision_id or entry.refused_on
                ):
                    issues.append(
                        FieldIssue(
                            subject_id,
                            "Đã đánh giá hoặc đã có quyết định: không hủy đăng ký được.",
                            index,
                        )
                    )
            if issues:
                raise ValidationFailed(issues)
            changed = 0
            for entry in existing.values():
                if entry.registered_on is None:
                    continue
                entry.registered_on = None
                entry.registered_by = ""
                if not entry.override_reason:
                    entry.deleted_at = utcnow()
                changed += 1
        return BulkResult(changed, len(set(subject_ids)) - changed)

    def _checked_evaluation(
        self,
        definition: Definition,
        evaluation: Evaluation,
        year: int,
        today: date,
        row: int | None,
    ) -> tuple[ScoreResult | None, dict[str, object], list[FieldIssue]]:
        issues: list[FieldIssue] = []
        problem = rules.evaluation_date_issue(evaluation.evaluated_on, year, today)
        if problem:
            issues.append(FieldIssue("evaluated_on", problem, row))
        checked = check_record(definition, evaluation.scores)
        issues += [FieldIssue(i.field, i.message, row) for i in checked.issues]
        notes = {k: vntext.clean(v) for k, v in evaluation.notes.items() if vntext.clean(v)}
        known = {f.id for f in definition.scored_fields}
        for key, note in notes.items():
            if key not in known:
                issues.append(FieldIssue(key, "Ghi chú cho một chỉ số không có trong bộ.", row))
            elif len(note) > 500:
                issues.append(FieldIssue(key, "Ghi chú dài quá 500 ký tự.", row))
        if len(vntext.clean(evaluation.note)) > 500:
            issues.append(FieldIssue("note", "Ghi chú dài quá 500 ký tự.", row))
        if issues:
            return None, {}, issues
        result = score(definition, checked.values)
        return result, checked.values, [FieldIssue(i.field, i.message, row) for i in result.issues]

    def evaluate(
        self, model: str, year: int, evaluation: Evaluation, today: date | None = None
    ) -> queries.EntryRow:
        """Store one evaluation (see :meth:`evaluate_many`) and return the entry."""
        self.context.require("edit_registers")
        self.evaluate_many(model, year, [evaluation], today=today)
        return self.entry(model, year, evaluation.subject_id)

    def evaluate_many(
        self,
        model: str,
        year: int,
        evaluations: Sequence[Evaluation],
        today: date | None = None,
    ) -> BulkResult:
        """Score and store evaluations (a grid's rows), all or nothing.

        Each row is validated against the model's current criteria set and
        scored by it (``forms.score``); the entry keeps the set's id and
        version, every score, the total and whether it passed. A subject
        evaluated before is evaluated again (the audit log keeps the old one).

        Raises:
            ValidationFailed: any row is wrong (its ``row`` is the 1-based
                position in ``evaluations``); nothing was stored.
        """
        self.context.require("edit_registers")
        today = today or date.today()
        definition = self.criteria(model)
        checked, issues = self.check_evaluations(definition, year, evaluations, today)
        with self.context.transaction() as session:
            ids = [e.subject_id for e in evaluations]
            subjects, missing = self._scope(session, model, ids)
            issues += self.evaluation_blockers(session, model, year, ids, subjects)
            issues = sorted([*issues, *missing], key=lambda i: i.row or 0)
            if issues:
                raise ValidationFailed(issues)
            changed, _same = self.evaluate_in(session, model, year, definition, checked)
        return BulkResult(changed)

    def check_evaluations(
        self,
        definition: Definition,
        year: int,
        evaluations: Sequence[Evaluation],
        today: date,
    ) -> tuple[list[CheckedEvaluation], list[FieldIssue]]:
        """Validate and score evaluations without the database.

        Returns:
            The valid ones, scored; and every problem, ``row`` being the
            1-based position in ``evaluations``.
        """
        issues: list[FieldIssue] = []
        checked: list[CheckedEvaluation] = []
        seen: dict[str, int] = {}
        for index, evaluation in enumerate(evaluations, start=1):
            first = seen.setdefault(evaluation.subject_id, index)
            if first != index:
                issues.append(
                    FieldIssue("subject_id", f"Trùng với dòng {first}: cùng một đối tượng.", index)
                )
                continue
            result, values, problems = self._checked_evaluation(
                definition, evaluation, year, today, index
            )
            issues += problems
            if result is not None and not problems:
                checked.append(CheckedEvaluation(evaluation, result, values))
        return checked, issues

    def evaluation_blockers(
        self,
        session: Session,
        model: str,
        year: int,
        subject_ids: Sequence[str],
        subjects: Mapping[str, queries.SubjectRow],
    ) -> list[FieldIssue]:
        """Subjects that cannot be evaluated now (already recognised), by position."""
        existing = queries.entries_of(session, model, year, list(subjects))
        numbers = queries.decision_numbers(
            session, [e.decision_id or "" for e in existing.values()]
        )
        issues = []
        for index, subject_id in enumerate(subject_ids, start=1):
            blocker = rules.evaluation_blocker(_state(existing.get(subject_id), numbers))
            if blocker and subject_id in subjects:
                name = _subject_name(subjects[subject_id])
                issues.append(FieldIssue("subject_id", f"{name}: {blocker}.", index))
        return issues

    def evaluate_in(
        self,
        session: Session,
        model: str,
        year: int,
        definition: Definition,
        checked: Sequence[CheckedEvaluation],
    ) -> tuple[int, int]:
        """Store checked evaluations inside the caller's unit of work.

        Returns:
            How many entries changed, and how many already held the same evaluation.
        """
        existing = queries.entries_of(
            session, model, year, [c.evaluation.subject_id for c in checked]
        )
        changed = unchanged = 0
        for item in checked:
            evaluation = item.evaluation
            entry = existing.get(evaluation.subject_id)
            if entry is None:
                entry = self._new_entry(model, year, evaluation.subject_id)
                session.add(entry)
                existing[evaluation.subject_id] = entry
            new = evaluation_values(definition, item)
            notes = {k: vntext.clean(v) for k, v in evaluation.notes.items() if vntext.clean(v)}
            # Notes not given (an import has none) keep those entered in the app.
            if notes or not evaluation.keep_notes:
                new["score_notes"] = _json(notes)
            if all(getattr(entry, key) == value for key, value in new.items()):
                unchanged += 1
                continue
            for key, value in new.items():
                setattr(entry, key, value)
            # A new evaluation answers a refusal made on the old one.
            entry.refused_on = None
            entry.refusal_reason = ""
            changed += 1
        return changed, unchanged

    def recognise(
        self,
        model: str,
        year: int,
        subject_ids: Sequence[str],
        decision: DecisionDraft | str,
        *,
        override_reason: str | None = None,
        valid_only: bool = False,
        today: date | None = None,
    ) -> BulkResult:
        """Recognise subjects by one decision, in one transaction.

        Args:
            model: The model code.
            year: The programme year.
            subject_ids: The subjects to recognise.
            decision: A new decision (number, date, signer), or the id of one
                already stored (a decision may recognise several models).
            override_reason: Recognise also subjects the rule refuses (not
                registered, not passed): an approver's decision, with its reason.
            valid_only: Recognise those the rule allows and list the others
                in ``skipped``, instead of refusing the batch.
            today: The day of entry (a decision cannot be dated later).

        Raises:
            PermissionDenied: an override asked by a data-entry user.
            RecognitionRefused: some subjects cannot be recognised (every
                reason listed); nothing was stored.
            ValidationFailed: the decision's number, date or signer is wrong.
        """
        self.context.require("recognise")
        if rules.clean_reason(override_reason):
            self.context.require("approve_override")
        today = today or date.today()
        try:
            reason = rules.check_override(override_reason, self.context.actor.role)
        except ValueError as exc:
            raise ValidationFailed([FieldIssue("override_reason", str(exc))]) from None
        if not subject_ids:
            raise ValidationFailed(
                [FieldIssue("subject_id", "Hãy chọn ít nhất một đối tượng để công nhận.")]
            )
        owner = self.context.setup.require().owner_code
        with self.context.transaction() as session:
            subjects, missing = self._scope(session, model, subject_ids)
            if missing:
                raise ValidationFailed(missing)
            record = self._decision(session, decision, year, today, owner)
            existing = queries.entries_of(session, model, year, list(subjects))
            numbers = queries.decision_numbers(
                session, [e.decision_id or "" for e in existing.values()]
            )
            allowed: list[tuple[str, bool]] = []
            refused: list[FieldIssue] = []
            for index, subject_id in enumerate(dict.fromkeys(subject_ids), start=1):
                check = rules.check_recognition(
                    _state(existing.get(subject_id), numbers), year, reason
                )
                if check.allowed:
                    allowed.append((subject_id, check.overridden))
                else:
                    name = _subject_name(subjects[subject_id])
                    refused.append(
                        FieldIssue(subject_id, f"{name}: {'; '.join(check.reasons)}.", index)
                    )
            if refused and not valid_only:
                raise RecognitionRefused(refused)
            if not allowed:
                raise RecognitionRefused(refused)
            session.flush()
            overridden = 0
            for subject_id, by_override in allowed:
                entry = existing.get(subject_id)
                if entry is None:
                    entry = self._new_entry(model, year, subject_id)
                    session.add(entry)
                entry.decision_id = record.id
                entry.refused_on = None
                entry.refusal_reason = ""
                entry.revoked_on = None
                entry.revocation_reason = ""
                entry.override_reason = reason if by_override else ""
                overridden += by_override
            decision_id = record.id
        return BulkResult(len(allowed), 0, tuple(refused), decision_id, overridden)

    def _decision(
        self, session: Session, decision: DecisionDraft | str, year: int, today: date, owner: str
    ) -> Decision:
        if isinstance(decision, str):
            found = session.get(Decision, decision)
            if found is None or found.deleted_at is not None:
                raise NotFound("Không tìm thấy quyết định này (có thể đã bị xóa).")
            if found.year != year:
                raise ValidationFailed(
                    [
                        FieldIssue(
                            "decision",
                            f"Quyết định {found.number} công nhận cho năm {found.year}, "
                            f"không phải năm {year}.",
                        )
                    ]
                )
            return found
        draft = rules.normalise_decision(decision)
        issues = rules.validate_decision(draft, year, today)
        if not issues and draft.decided_on is not None:
            same = session.scalars(
                select(Decision).where(
                    Decision.commune_code == owner,
                    Decision.number == draft.number,
                    Decision.deleted_at.is_(None),
                )
            ).all()
            if any(d.decided_on.year == draft.decided_on.year for d in same):
                issues.append(
                    FieldIssue(
                        "number",
                        f"Đã có quyết định số {draft.number} năm {draft.decided_on.year}; "
                        "hãy chọn quyết định đó để bổ sung, hoặc sửa số.",
                    )
                )
        if issues:
            raise ValidationFailed(issues)
        assert draft.decided_on is not None
        record = Decision(
            commune_code=owner,
            year=year,
            number=draft.number,
            decided_on=draft.decided_on,
            signer_name=draft.signer_name,
            signer_title=draft.signer_title,
            summary=draft.summary,
        )
        session.add(record)
        return record

    def refuse(
        self,
        model: str,
        year: int,
        subject_ids: Sequence[str],
        reason: str,
        refused_on: date | None,
        today: date | None = None,
    ) -> BulkResult:
        """Record that recognition was refused (không công nhận), all or nothing."""
        self.context.require("recognise")
        return self._close(model, year, subject_ids, reason, refused_on, today, revoke=False)

    def revoke(
        self,
        model: str,
        year: int,
        subject_ids: Sequence[str],
        reason: str,
        revoked_on: date | None,
        today: date | None = None,
    ) -> BulkResult:
        """Revoke recognitions (thu hồi), with the reason, all or nothing."""
        self.context.require("recognise")
        return self._close(model, year, subject_ids, reason, revoked_on, today, revoke=True)

    def _close(
        self,
        model: str,
        year: int,
        subject_ids: Sequence[str],
        reason: str,
        when: date | None,
        today: date | None,
        *,
        revoke: bool,
    ) -> BulkResult:
        today = today or date.today()
        reason = vntext.clean(reason)
        issues: list[FieldIssue] = []
        if not reason:
            issues.append(FieldIssue("reason", "Hãy ghi lý do."))
        elif len(reason) > rules.MAX_REASON:
            issues.append(FieldIssue("reason", f"Lý do dài quá {rules.MAX_REASON} ký tự."))
        if when is None:
            issues.append(FieldIssue("date", "Hãy ghi ngày."))
        elif when > today:
            issues.append(FieldIssue("date", "Ngày không được ở tương lai."))
        with self.context.transaction() as session:
            subjects, missing = self._scope(session, model, subject_ids)
            existing = queries.entries_of(session, model, year, list(subjects))
            numbers = queries.decision_numbers(
                session, [e.decision_id or "" for e in existing.values()]
            )
            for index, subject_id in enumerate(subject_ids, start=1):
                if subject_id not in subjects:
                    continue
                state = _state(existing.get(subject_id), numbers)
                blocker = (
                    rules.revocation_blocker(state) if revoke else rules.refusal_blocker(state)
                )
                if blocker:
                    name = _subject_name(subjects[subject_id])
                    issues.append(FieldIssue(subject_id, f"{name}: {blocker}.", index))
            if issues or missing:
                raise ValidationFailed(issues + missing)
            for subject_id in dict.fromkeys(subject_ids):
                entry = existing.get(subject_id)
                if entry is None:
                    entry = self._new_entry(model, year, subject_id)
                    session.add(entry)
                if revoke:
                    entry.revoked_on, entry.revocation_reason = when, reason
                else:
                    entry.refused_on, entry.refusal_reason = when, reason
        return BulkResult(len(set(subject_ids)))
