"""Queries of the learning models: clans, units, subjects, yearly entries, counts.

Like :mod:`store.repositories`, these read and hand back plain rows; the
services own the transactions. :func:`count_models` is *the* counting query:
every figure of registered, evaluated, passed and recognised subjects (the
``xhht models`` command, the dashboard, the reports) comes from it, as one
SQL statement grouped by model and village.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import (
    ColumnElement,
    Select,
    and_,
    case,
    exists,
    func,
    literal,
    null,
    select,
    union_all,
)
from sqlalchemy.orm import Session

from xhht_desktop.core import text as vntext
from xhht_desktop.core.models_cycle import MODEL_CODES, EntryState
from xhht_desktop.store.models import (
    Clan,
    Decision,
    Household,
    ModelEntry,
    Person,
    Unit,
    Village,
)

_CHUNK = 500


@dataclass(frozen=True)
class ClanRow:
    id: str
    name: str
    contact_person: str
    note: str
    households: int
    revision: int


@dataclass(frozen=True)
class UnitRow:
    id: str
    name: str
    kind: str
    address: str
    head_name: str
    staff_count: int
    village_id: str | None
    village_name: str | None
    revision: int


@dataclass(frozen=True)
class SubjectRow:
    """A household, clan, village or unit as a learning model's subject.

    Attributes:
        code: The household code (gdht); empty for the others.
        name: The head of household, or the clan's, village's or unit's name.
        village_id: The subject's village (a clan has none).
    """

    model: str
    id: str
    code: str
    name: str
    village_id: str | None
    village_name: str | None


@dataclass(frozen=True)
class EntryRow:
    """A subject and its entry of one model and year (the entry fields are empty without one)."""

    subject: SubjectRow
    year: int
    entry_id: str | None = None
    registered_on: date | None = None
    registered_by: str = ""
    criteria_id: str | None = None
    criteria_version: int | None = None
    scores: str = ""
    score_notes: str = ""
    total: str = ""
    passed: bool | None = None
    evaluated_on: date | None = None
    evaluation_note: str = ""
    decision_id: str | None = None
    decision_number: str | None = None
    decided_on: date | None = None
    override_reason: str = ""
    refused_on: date | None = None
    refusal_reason: str = ""
    revoked_on: date | None = None
    revocation_reason: str = ""
    revision: int = 0

    @property
    def state(self) -> EntryState:
        return EntryState(
            registered=self.registered_on is not None,
            evaluated=self.criteria_id is not None,
            passed=self.passed,
            decision_number=self.decision_number,
            revoked=self.revoked_on is not None,
            refused=self.refused_on is not None,
            total=self.total,
        )


@dataclass(frozen=True)
class DecisionRow:
    id: str
    year: int
    number: str
    decided_on: date
    signer_name: str
    signer_title: str
    summary: str
    recognised: dict[str, int]
    """Subjects it recognises (revoked ones included), per model code."""
    revision: int


@dataclass(frozen=True)
class ModelCount:
    """One row of the counting query: a model in one village (or in none)."""

    model: str
    village_id: str | None
    village_name: str | None
    in_scope: int
    registered: int
    evaluated: int
    passed: int
    recognised: int


def _live(model: type) -> ColumnElement[bool]:
    return model.deleted_at.is_(None)  # type: ignore[attr-defined, no-any-return]


def _match_all(column: object, query: str) -> list[ColumnElement[bool]]:
    conditions = []
    for token in vntext.search_tokens(query):
        escaped = token.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        conditions.append(column.like(f"%{escaped}%", escape="\\"))  # type: ignore[attr-defined]
    return conditions


# -- clans and units ----------------------------------------------------------------


def clan_rows(
    session: Session, search: str = "", clan_ids: Sequence[str] | None = None
) -> list[ClanRow]:
    members = (
        select(Household.clan_id, func.count().label("n"))
        .where(_live(Household), Household.clan_id.is_not(None))
        .group_by(Household.clan_id)
        .subquery()
    )
    stmt = (
        select(Clan, func.coalesce(members.c.n, 0))
        .outerjoin(members, members.c.clan_id == Clan.id)
        .where(_live(Clan), *_match_all(Clan.name_key, search))
        .order_by(Clan.sort_key, Clan.id)
    )
    if clan_ids is not None:
        stmt = stmt.where(Clan.id.in_(list(clan_ids)))
    return [
        ClanRow(c.id, c.name, c.contact_person, c.note, n, c.revision)
        for c, n in session.execute(stmt).all()
    ]


def live_clan(session: Session, clan_id: str) -> Clan | None:
    clan = session.get(Clan, clan_id)
    return clan if clan is not None and clan.deleted_at is None else None


def clan_by_name(session: Session, commune_code: str, name: str) -> Clan | None:
    """The live clan with this name, letter case aside.

    Diacritics count: "Họ Ma" and "Họ Mã" are two clans. The folded key
    narrows the candidates; the comparison keeps the tone marks.
    """
    wanted = vntext.clean(name).casefold()
    candidates = session.scalars(
        select(Clan).where(
            Clan.commune_code == commune_code, Clan.name_key == vntext.fold(name), _live(Clan)
        )
    )
    return next((clan for clan in candidates if clan.name.casefold() == wanted), None)


def unit_rows(
    session: Session, search: str = "", unit_ids: Sequence[str] | None = None
) -> list[UnitRow]:
    stmt = (
        select(Unit, Village.name)
        .outerjoin(Village, Village.id == Unit.village_id)
        .where(_live(Unit), *_match_all(Unit.name_key, search))
        .order_by(Unit.sort_key, Unit.id)
    )
    if unit_ids is not None:
        stmt = stmt.where(Unit.id.in_(list(unit_ids)))
    return [
        UnitRow(
            u.id,
            u.name,
            u.kind,
            u.address,
            u.head_name,
            u.staff_count,
            u.village_id,
            village_name,
            u.revision,
        )
        for u, village_name in session.execute(stmt).all()
    ]


def live_unit(session: Session, unit_id: str) -> Unit | None:
    unit = session.get(Unit, unit_id)
    return unit if unit is not None and unit.deleted_at is None else None


def unit_by_name(session: Session, commune_code: str, name: str) -> Unit | None:
    return session.scalars(
        select(Unit).where(
            Unit.commune_code == commune_code, Unit.name_key == vntext.fold(name), _live(Unit)
        )
    ).first()


# -- subjects -------------------------------------------------------------------------


def _has_members() -> ColumnElement[bool]:
    return exists().where(Person.household_id == Household.id, _live(Person))


def _subjects(model: str) -> Select[tuple[str, str, str, str | None, str, str, str]]:
    """The subjects of ``model`` in scope, as labelled columns.

    Columns: ``id, code, name, village_id, sort_key, search_key, commune_code``.
    """
    if model == "gdht":
        return select(
            Household.id.label("id"),
            Household.code.label("code"),
            Household.head_name.label("name"),
            Household.village_id.label("village_id"),
            Household.sort_key.label("sort_key"),
            Household.search_key.label("search_key"),
            Household.commune_code.label("commune_code"),
        ).where(_live(Household), _has_members())
    if model == "dhht":
        return select(
            Clan.id.label("id"),
            literal("").label("code"),
            Clan.name.label("name"),
            null().label("village_id"),
            Clan.sort_key.label("sort_key"),
            Clan.name_key.label("search_key"),
            Clan.commune_code.label("commune_code"),
        ).where(_live(Clan))
    if model == "cdht":
        return select(
            Village.id.label("id"),
            literal("").label("code"),
            Village.name.label("name"),
            Village.id.label("village_id"),
            Village.sort_key.label("sort_key"),
            Village.name_key.label("search_key"),
            Village.commune_code.label("commune_code"),
        ).where(_live(Village))
    if model == "dvht":
        return select(
            Unit.id.label("id"),
            literal("").label("code"),
            Unit.name.label("name"),
            Unit.village_id.label("village_id"),
            Unit.sort_key.label("sort_key"),
            Unit.name_key.label("search_key"),
            Unit.commune_code.label("commune_code"),
        ).where(_live(Unit))
    raise ValueError(f"unknown model {model!r}")


@dataclass(frozen=True)
class EntryFilter:
    """Which subjects an entries list shows; empty fields mean all.

    Attributes:
        status: ``registered``, ``evaluated``, ``passed``, ``recognised``,
            ``not_registered``, ``not_recognised``, ``failed`` (evaluated,
            not passed), ``refused`` (recognition refused) or ``revoked``
            (recognition revoked).
    """

    search: str = ""
    village_id: str | None = None
    status: str | None = None
    subject_ids: tuple[str, ...] | None = None


_STATUSES = (
    "registered",
    "evaluated",
    "passed",
    "recognised",
    "not_registered",
    "not_recognised",
    "failed",
    "refused",
    "revoked",
)


_ENTRY_COLUMNS = (
    "id",
    "registered_on",
    "registered_by",
    "criteria_id",
    "criteria_version",
    "scores",
    "score_notes",
    "total",
    "passed",
    "evaluated_on",
    "evaluation_note",
    "decision_id",
    "override_reason",
    "refused_on",
    "refusal_reason",
    "revoked_on",
    "revocation_reason",
    "revision",
)


def _entries_stmt(model: str, year: int, flt: EntryFilter) -> tuple[Select, object]:  # type: ignore[type-arg]
    subjects = _subjects(model).subquery()
    entry = (
        select(ModelEntry)
        .where(ModelEntry.model == model, ModelEntry.year == year, _live(ModelEntry))
        .subquery()
    )
    stmt = (
        select(
            subjects,
            Village.name.label("village_name"),
            *(entry.c[name].label(f"entry_{name}") for name in _ENTRY_COLUMNS),
            Decision.number.label("decision_number"),
            Decision.decided_on.label("decided_on"),
        )
        .outerjoin(Village, Village.id == subjects.c.village_id)
        .outerjoin(entry, entry.c.subject_id == subjects.c.id)
        .outerjoin(Decision, Decision.id == entry.c.decision_id)
    )
    conditions: list[ColumnElement[bool]] = _match_all(subjects.c.search_key, flt.search)
    if flt.village_id:
        conditions.append(subjects.c.village_id == flt.village_id)
    if flt.subject_ids is not None:
        conditions.append(subjects.c.id.in_(list(flt.subject_ids)))
    status = flt.status
    if status is not None:
        if status not in _STATUSES:
            raise ValueError(f"unknown status {status!r}")
        recognised = and_(entry.c.decision_id.is_not(None), entry.c.revoked_on.is_(None))
        conditions.append(
            {
                "registered": entry.c.registered_on.is_not(None),
                "evaluated": entry.c.criteria_id.is_not(None),
                "passed": entry.c.passed.is_(True),
                "recognised": recognised,
                "not_registered": entry.c.registered_on.is_(None),
                "not_recognised": ~recognised | entry.c.id.is_(None),
                "failed": and_(entry.c.criteria_id.is_not(None), entry.c.passed.is_(False)),
                "refused": entry.c.refused_on.is_not(None),
                "revoked": entry.c.revoked_on.is_not(None),
            }[status]
        )
    return stmt.where(*conditions), subjects


def count_entries(session: Session, model: str, year: int, flt: EntryFilter) -> int:
    stmt, _ = _entries_stmt(model, year, flt)
    return int(session.scalar(select(func.count()).select_from(stmt.subquery())) or 0)


def entry_rows(
    session: Session,
    model: str,
    year: int,
    flt: EntryFilter | None = None,
    offset: int = 0,
    limit: int | None = None,
) -> list[EntryRow]:
    """The subjects of ``model`` in scope with their entry of ``year``, in list order."""
    flt = flt or EntryFilter()
    stmt, subjects = _entries_stmt(model, year, flt)
    stmt = stmt.order_by(subjects.c.sort_key, subjects.c.id).offset(offset)  # type: ignore[attr-defined]
    if limit is not None:
        stmt = stmt.limit(limit)
    rows = []
    for found in session.execute(stmt).mappings():
        subject = SubjectRow(
            model,
            found["id"],
            found["code"],
            found["name"],
            found["village_id"],
            found["village_name"],
        )
        if found["entry_id"] is None:
            rows.append(EntryRow(subject, year))
            continue
        values = {name: found[f"entry_{name}"] for name in _ENTRY_COLUMNS if name != "id"}
        rows.append(
            EntryRow(
                subject=subject,
                year=year,
                entry_id=found["entry_id"],
                decision_number=found["decision_number"],
                decided_on=found["decided_on"],
                **values,
            )
        )
    return rows


def entries_of(
    session: Session, model: str, year: int, subject_ids: Sequence[str]
) -> dict[str, ModelEntry]:
    """The live entries (ORM objects, to change) of these subjects, by subject id."""
    found: dict[str, ModelEntry] = {}
    ids = list(dict.fromkeys(subject_ids))
    for start in range(0, len(ids), _CHUNK):
        chunk = ids[start : start + _CHUNK]
        for entry in session.scalars(
            select(ModelEntry).where(
                ModelEntry.model == model,
                ModelEntry.year == year,
                ModelEntry.subject_id.in_(chunk),
                _live(ModelEntry),
            )
        ):
            found[entry.subject_id] = entry
    return found


def subject_rows(session: Session, model: str, subject_ids: Sequence[str]) -> dict[str, SubjectRow]:
    """The subjects in scope among ``subject_ids``, by id (missing ones are not in scope)."""
    found: dict[str, SubjectRow] = {}
    ids = list(dict.fromkeys(subject_ids))
    for start in range(0, len(ids), _CHUNK):
        chunk = ids[start : start + _CHUNK]
        subjects = _subjects(model).subquery()
        for row in session.execute(
            select(subjects, Village.name.label("village_name"))
            .outerjoin(Village, Village.id == subjects.c.village_id)
            .where(subjects.c.id.in_(chunk))
        ).mappings():
            found[row["id"]] = SubjectRow(
                model, row["id"], row["code"], row["name"], row["village_id"], row["village_name"]
            )
    return found


def decision_numbers(session: Session, decision_ids: Sequence[str]) -> dict[str, str]:
    ids = [i for i in dict.fromkeys(decision_ids) if i]
    if not ids:
        return {}
    return dict(
        session.execute(select(Decision.id, Decision.number).where(Decision.id.in_(ids))).all()
    )


def decision_rows(session: Session, year: int | None = None) -> list[DecisionRow]:
    counts: dict[str, dict[str, int]] = {}
    for decision_id, model, n in session.execute(
        select(ModelEntry.decision_id, ModelEntry.model, func.count())
        .where(ModelEntry.decision_id.is_not(None), _live(ModelEntry))
        .group_by(ModelEntry.decision_id, ModelEntry.model)
    ):
        counts.setdefault(decision_id, {})[model] = n
    stmt = select(Decision).where(_live(Decision)).order_by(Decision.decided_on, Decision.number)
    if year is not None:
        stmt = stmt.where(Decision.year == year)
    return [
        DecisionRow(
            d.id,
            d.year,
            d.number,
            d.decided_on,
            d.signer_name,
            d.signer_title,
            d.summary,
            counts.get(d.id, {}),
            d.revision,
        )
        for d in session.scalars(stmt)
    ]


# -- the counting query ------------------------------------------------------------------


def count_models(session: Session, year: int, commune_code: str | None = None) -> list[ModelCount]:
    """Subjects in scope, registered, evaluated, passed and recognised, by model and village.

    One SQL statement: the subjects of the four models (live households with
    at least one live member, live clans, live villages, live units) as one
    ``UNION ALL``, joined to their live entries of ``year``, grouped by model
    and village. Recognised means recognised by a decision and not revoked.
    A clan has no village, nor a unit entered without one: their rows have
    ``village_id`` ``None``.

    Args:
        session: Any session.
        year: The programme year.
        commune_code: Only this commune's subjects (a consolidating office
            holds many); all when ``None``.
    """
    parts = []
    for model in MODEL_CODES:
        scope = _subjects(model).subquery()
        part = select(
            literal(model).label("model"),
            scope.c.id.label("subject_id"),
            scope.c.village_id.label("village_id"),
        )
        if commune_code is not None:
            part = part.where(scope.c.commune_code == commune_code)
        parts.append(part)
    subjects = union_all(*parts).subquery("subjects")
    entry = ModelEntry

    def flag(condition: ColumnElement[bool]) -> ColumnElement[int]:
        return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)

    stmt = (
        select(
            subjects.c.model,
            subjects.c.village_id,
            Village.name,
            func.count().label("in_scope"),
            flag(entry.registered_on.is_not(None)),
            flag(entry.criteria_id.is_not(None)),
            flag(entry.passed.is_(True)),
            flag(and_(entry.decision_id.is_not(None), entry.revoked_on.is_(None))),
        )
        .select_from(subjects)
        .outerjoin(
            entry,
            and_(
                entry.model == subjects.c.model,
                entry.year == year,
                entry.subject_id == subjects.c.subject_id,
                _live(ModelEntry),
            ),
        )
        .outerjoin(Village, Village.id == subjects.c.village_id)
        .group_by(subjects.c.model, subjects.c.village_id, Village.name, Village.sort_key)
        .order_by(subjects.c.model, Village.sort_key.is_(None), Village.sort_key)
    )
    return [ModelCount(*row) for row in session.execute(stmt)]
