"""Aggregate forms: figures entered per village or for the whole commune, per year.

Some plan targets are counts that no register computes (villages with a
chi hội khuyến học, members of the Hội Khuyến học, officials trained…).
Each is an aggregate form in ``forms/aggregates/*.toml``; this service stores
its values for one year and one scope (a village, when the form's ``scope``
is ``village``; else the commune as a whole), validated by the forms engine
(:func:`xhht_desktop.forms.validate`: types, bounds, "numerator not above its
denominator" checks), and keeps the definition's id and version with them.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.orm import Session

from xhht_desktop.errors import FieldIssue, NotFound, StaleRecord, ValidationFailed
from xhht_desktop.forms import Definition
from xhht_desktop.forms.fieldtypes import (
    DecimalType,
    IntegerType,
    YearType,
    YesNoType,
    is_empty,
)
from xhht_desktop.forms.validation import check_record, typed_values
from xhht_desktop.services.learning_models import current_definitions
from xhht_desktop.store.models import AggregateValue, utcnow
from xhht_desktop.store.repositories import VillageRepository

if TYPE_CHECKING:
    from xhht_desktop.context import AppContext

COMMUNE_LABEL = "Toàn xã"


@dataclass(frozen=True)
class AggregateRow:
    """The values of one aggregate form for one year and scope.

    Attributes:
        village_id: The village, or ``None`` for the whole commune.
        values: Field id → typed value (``None`` when empty).
        entry_id: The stored record, or ``None`` when nothing was entered yet.
    """

    definition_id: str
    definition_version: int
    year: int
    village_id: str | None
    scope_label: str
    values: dict[str, object]
    entry_id: str | None = None
    revision: int = 0


def by_village(definition: Definition) -> bool:
    """Whether the form is entered once per village (else once for the commune)."""
    return definition.scope == "village"


def entered_here(definition: Definition, role: str) -> bool:
    """Whether an installation of ``role`` enters the figures of ``definition``.

    A commune enters its villages' and its own forms; a consolidating office
    only the forms about itself, since it never edits a commune's figures.
    """
    if role == "office":
        return definition.scope == "office"
    return definition.scope in ("village", "commune")


def column_totals(
    definition: Definition, rows: Sequence[Mapping[str, object]]
) -> dict[str, int | Decimal | None]:
    """The totals row of a grid: counts summed, yes/no answers counted as the yeses.

    Values that do not read as the field's type are left out (the grid shows
    them in red); a column without any value, or of another type, is ``None``.
    """
    totals: dict[str, int | Decimal | None] = {}
    typed_rows = [typed_values(definition, row)[0] for row in rows]
    for field in definition.fields:
        present = [row[field.id] for row in typed_rows if not is_empty(row.get(field.id))]
        if not present:
            totals[field.id] = None
        elif isinstance(field.type, YesNoType):
            totals[field.id] = sum(1 for value in present if value is True)
        elif isinstance(field.type, IntegerType | DecimalType) and not isinstance(
            field.type, YearType
        ):
            totals[field.id] = sum(present, start=0)  # type: ignore[arg-type]
        else:
            totals[field.id] = None
    return totals


def stored_figures(definition: Definition, values: Mapping[str, object]) -> str:
    text = {
        field.id: field.type.format(values[field.id])
        for field in definition.fields
        if not is_empty(values.get(field.id))
    }
    return json.dumps(text, ensure_ascii=False, sort_keys=True)


def _typed(definition: Definition, figures: str) -> dict[str, object]:
    typed, _errors = typed_values(definition, json.loads(figures or "{}"))
    return typed


class AggregateService:
    """Read and store the figures of aggregate forms."""

    def __init__(self, context: AppContext) -> None:
        self.context = context

    def forms(self) -> list[Definition]:
        """The latest version of every aggregate form, by title."""
        definitions = current_definitions(self.context.settings.data_dir)
        return sorted(definitions.latest(kind="aggregate"), key=lambda d: (d.title, d.id))

    def entry_forms(self) -> list[Definition]:
        """The forms this installation enters (see :func:`entered_here`), by title."""
        role = self.context.setup.require().role
        return [d for d in self.forms() if entered_here(d, role)]

    def totals(
        self, definition_id: str, rows: Sequence[Mapping[str, object]]
    ) -> dict[str, int | Decimal | None]:
        """The totals row of the form's grid for ``rows`` (see :func:`column_totals`)."""
        return column_totals(self.form(definition_id), rows)

    def form(self, definition_id: str, version: int | None = None) -> Definition:
        """The aggregate form ``definition_id`` (its latest version by default).

        Raises:
            NotFound: no aggregate form of that id (and version) loads.
        """
        found = current_definitions(self.context.settings.data_dir).get(definition_id, version)
        if found is None or found.kind != "aggregate":
            raise NotFound(f"Không có biểu tổng hợp «{definition_id}» trong thư mục forms/.")
        return found

    def scopes(self, definition_id: str) -> list[tuple[str | None, str]]:
        """The rows of the form's grid: ``(village id, name)``, or the commune alone."""
        if not by_village(self.form(definition_id)):
            return [(None, COMMUNE_LABEL)]
        return [(v.id, v.name) for v in self.context.villages.list()]

    def check(self, definition_id: str, values: Mapping[str, object]) -> list[FieldIssue]:
        """Problems of ``values`` under the form, without storing (messages while typing)."""
        return check_record(self.form(definition_id), values).issues

    def values(self, definition_id: str, year: int) -> list[AggregateRow]:
        """Every row of the form's grid for ``year``, entered or not, in grid order."""
        definition = self.form(definition_id)
        with self.context.reading() as session:
            stored = {row.village_id: row for row in self._rows(session, definition_id, year)}
        rows = []
        for village_id, label in self.scopes(definition_id):
            found = stored.get(village_id)
            if found is None:
                empty = {field.id: None for field in definition.fields}
                rows.append(
                    AggregateRow(definition.id, definition.version, year, village_id, label, empty)
                )
                continue
            used = self._definition_of(found) or definition
            rows.append(
                AggregateRow(
                    found.definition_id,
                    found.definition_version,
                    year,
                    village_id,
                    label,
                    _typed(used, found.figures),
                    found.id,
                    found.revision,
                )
            )
        return rows

    def get(self, definition_id: str, year: int, village_id: str | None = None) -> AggregateRow:
        """One row of the form's grid (empty values when nothing was entered)."""
        for row in self.values(definition_id, year):
            if row.village_id == village_id:
                return row
        raise NotFound("Không tìm thấy thôn/tổ dân phố này trong biểu (có thể đã bị xóa).")

    def save(
        self,
        definition_id: str,
        year: int,
        values: Mapping[str, object],
        village_id: str | None = None,
        expected_revision: int | None = None,
    ) -> AggregateRow:
        """Validate and store the values of one scope.

        Raises:
            ValidationFailed: a value breaks the form's rules, or the scope
                does not fit the form; nothing was stored.
            StaleRecord: someone changed it since ``expected_revision``.
        """
        self.context.require("edit_registers")
        self.save_grid(definition_id, year, [(village_id, values)], expected_revision)
        return self.get(definition_id, year, village_id)

    def save_grid(
        self,
        definition_id: str,
        year: int,
        rows: Sequence[tuple[str | None, Mapping[str, object]]],
        expected_revision: int | None = None,
    ) -> int:
        """Validate and store several scopes' values (a grid), all or nothing.

        Args:
            definition_id: The aggregate form.
            year: The period.
            rows: ``(village id or None, values)``; each issue's ``row`` is
                its 1-based position here.
            expected_revision: For a single row: refuse if someone changed it.

        Returns:
            How many scopes were created or changed.
        """
        self.context.require("edit_registers")
        definition = self.form(definition_id)
        owner = self.context.setup.require().owner_code
        issues: list[FieldIssue] = []
        if not 1900 <= year <= 2100:
            issues.append(FieldIssue("year", "Năm phải từ 1900 đến 2100."))
        checked: list[tuple[str | None, dict[str, object]]] = []
        seen: dict[str | None, int] = {}
        with self.context.transaction() as session:
            villages = VillageRepository(session)
            for index, (village_id, values) in enumerate(rows, start=1):
                if by_village(definition):
                    if not village_id:
                        issues.append(
                            FieldIssue("village_id", "Biểu này nhập theo từng thôn.", index)
                        )
                    elif villages.get(village_id) is None:
                        issues.append(
                            FieldIssue(
                                "village_id", "Thôn/tổ dân phố này không còn tồn tại.", index
                            )
                        )
                elif village_id:
                    issues.append(
                        FieldIssue("village_id", "Biểu này nhập một dòng cho toàn xã.", index)
                    )
                first = seen.setdefault(village_id, index)
                if first != index:
                    issues.append(FieldIssue("village_id", f"Trùng với dòng {first}.", index))
                record = check_record(definition, values)
                issues += [FieldIssue(i.field, i.message, index) for i in record.issues]
                checked.append((village_id, record.values))
            if issues:
                raise ValidationFailed(issues)
            stored = {row.village_id: row for row in self._rows(session, definition_id, year)}
            changed = 0
            for village_id, typed in checked:
                figures = stored_figures(definition, typed)
                row = stored.get(village_id)
                if row is None:
                    session.add(
                        AggregateValue(
                            commune_code=owner,
                            definition_id=definition.id,
                            definition_version=definition.version,
                            year=year,
                            village_id=village_id,
                            figures=figures,
                        )
                    )
                    changed += 1
                    continue
                if expected_revision is not None and row.revision != expected_revision:
                    raise StaleRecord()
                if row.figures != figures or row.definition_version != definition.version:
                    row.figures = figures
                    row.definition_version = definition.version
                    changed += 1
        return changed

    def delete(self, definition_id: str, year: int, village_id: str | None = None) -> None:
        """Clear one scope's values (a tombstone, so the office learns of it)."""
        self.context.require("edit_registers")
        with self.context.transaction() as session:
            for row in self._rows(session, definition_id, year):
                if row.village_id == village_id:
                    row.deleted_at = utcnow()
                    return
        raise NotFound("Chưa có số liệu để xóa.")

    def _rows(self, session: Session, definition_id: str, year: int) -> list[AggregateValue]:
        # This unit's own rows only: an office also holds every commune's.
        owner = self.context.setup.require().owner_code
        return list(
            session.scalars(
                select(AggregateValue).where(
                    AggregateValue.definition_id == definition_id,
                    AggregateValue.year == year,
                    AggregateValue.deleted_at.is_(None),
                    AggregateValue.commune_code == owner,
                )
            )
        )

    def _definition_of(self, row: AggregateValue) -> Definition | None:
        return current_definitions(self.context.settings.data_dir).get(
            row.definition_id, row.definition_version
        )
