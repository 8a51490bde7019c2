"""The literacy survey: rates, the commune's standards, the statistical table, lists.

Every literacy figure on screen, on the command line and in a report comes
from here, and every one is computed the same way: one grouped SQL query
(``store.literacy_queries``) and the rules of ``core.literacy``. The bands,
the upper age of the target group and the commune's especially difficult
conditions are settings stored with the data (``settings`` /
``save_settings``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from xhht_desktop.core import literacy
from xhht_desktop.core.literacy import (
    LiteracyReport,
    LiteracySettings,
    Standards,
    VillageTable,
)
from xhht_desktop.errors import FieldIssue, ValidationFailed
from xhht_desktop.store import app_settings
from xhht_desktop.store.literacy_queries import ListQuery, LiteracyQueries
from xhht_desktop.store.repositories import PersonRow

if TYPE_CHECKING:
    from xhht_desktop.context import AppContext

SETTINGS_KEY = "literacy"
DEFAULT_PAGE = 1000


@dataclass(frozen=True)
class QualityWarning:
    """One contradiction in one person's record (a person may have several)."""

    person_id: str
    full_name: str
    household_code: str
    village_id: str
    village_name: str
    birth_year: int
    grade: int
    literacy_stage: int
    message: str


class LiteracyService:
    def __init__(self, context: AppContext) -> None:
        self.context = context

    # -- settings -------------------------------------------------------

    def settings(self) -> LiteracySettings:
        """The stored literacy settings, or the defaults when none are stored.

        Raises:
            ValidationFailed: the stored value is damaged (edited by hand).
        """
        with self.context.reading() as session:
            try:
                stored = app_settings.read(session, SETTINGS_KEY)
            except ValueError as exc:
                raise _damaged(str(exc)) from exc
        if stored is None:
            return LiteracySettings()
        try:
            return LiteracySettings.from_json(stored)
        except ValueError as exc:
            raise _damaged(str(exc)) from exc

    def save_settings(self, settings: LiteracySettings) -> LiteracySettings:
        """Check and store new settings (the change is in the audit log).

        Raises:
            ValidationFailed: with a Vietnamese message per problem.
        """
        problems = literacy.settings_problems(settings)
        if problems:
            raise ValidationFailed([FieldIssue(name, message) for name, message in problems])
        with self.context.transaction() as session:
            app_settings.write(session, SETTINGS_KEY, settings.to_json())
        return settings

    # -- figures --------------------------------------------------------

    def _year(self, year: int | None) -> int:
        info = self.context.setup.require()
        return info.year if year is None else year

    def rates(self, year: int | None = None) -> LiteracyReport:
        """Every band × sex × level rate, overall and per ethnicity, and the standards.

        Args:
            year: Survey year; the installation's reporting year when ``None``.
        """
        year = self._year(year)
        settings = self.settings()
        first, last = literacy.birth_year_range(settings.report_bands(), year)
        with self.context.reading() as session:
            groups = LiteracyQueries(session).groups(first, last)
        return literacy.build_report(groups, year, settings)

    def standards(self, year: int | None = None) -> Standards:
        """The commune's level 1 and level 2 verdicts (Art. 20, 21)."""
        return self.rates(year).standards

    def by_village(self, year: int | None = None) -> VillageTable:
        """The survey's statistical table: a line per village and the total."""
        year = self._year(year)
        settings = self.settings()
        with self.context.reading() as session:
            queries = LiteracyQueries(session)
            groups = queries.village_groups(year, literacy.age_segments(settings.bands))
            villages = queries.villages()
        return literacy.village_table(groups, year, settings.bands, villages)

    # -- lists for action ------------------------------------------------

    def _list_query(self, year: int | None, village_id: str | None) -> ListQuery:
        return ListQuery(self._year(year), self.settings().target_band, village_id)

    def not_literate_count(self, year: int | None = None, village_id: str | None = None) -> int:
        query = self._list_query(year, village_id)
        with self.context.reading() as session:
            return LiteracyQueries(session).not_literate_count(query)

    def not_literate(
        self,
        year: int | None = None,
        village_id: str | None = None,
        offset: int = 0,
        limit: int = DEFAULT_PAGE,
    ) -> list[PersonRow]:
        """Not-literate people of the target group, by village then name.

        Who to invite to literacy classes: counted residents aged 15 to the
        upper age who reach no level and are not exempt.
        """
        query = self._list_query(year, village_id)
        with self.context.reading() as session:
            return LiteracyQueries(session).not_literate(query, offset, limit)

    def exempt_count(self, year: int | None = None, village_id: str | None = None) -> int:
        query = self._list_query(year, village_id)
        with self.context.reading() as session:
            return LiteracyQueries(session).exempt_count(query)

    def exempt(
        self,
        year: int | None = None,
        village_id: str | None = None,
        offset: int = 0,
        limit: int = DEFAULT_PAGE,
    ) -> list[PersonRow]:
        """Exempt people of the target group (a disability that prevents learning)."""
        query = self._list_query(year, village_id)
        with self.context.reading() as session:
            return LiteracyQueries(session).exempt(query, offset, limit)

    def quality_warnings(self, year: int | None = None) -> list[QualityWarning]:
        """Records of counted residents that contradict themselves, by village then name."""
        year = self._year(year)
        with self.context.reading() as session:
            candidates = LiteracyQueries(session).quality_candidates(year)
        return [
            _warning(person, message)
            for person in candidates
            for message in literacy.quality_issues(
                birth_year=person.birth_year,
                grade=person.grade,
                stage=person.literacy_stage,
                year=year,
            )
        ]


def _warning(person: PersonRow, message: str) -> QualityWarning:
    return QualityWarning(
        person_id=person.id,
        full_name=person.full_name,
        household_code=person.household_code,
        village_id=person.village_id,
        village_name=person.village_name,
        birth_year=person.birth_year,
        grade=person.grade,
        literacy_stage=person.literacy_stage,
        message=message,
    )


def _damaged(detail: str) -> ValidationFailed:
    return ValidationFailed(
        [
            FieldIssue(
                SETTINGS_KEY,
                "Cài đặt xóa mù chữ lưu trong cơ sở dữ liệu bị hỏng "
                f"({detail}). Hãy lưu lại cài đặt xóa mù chữ.",
            )
        ]
    )
