"""The literacy survey: rates, the commune's standards, the statistical table, lists.

Every literacy figure on screen, on the command line and in a report comes
from here, and every one is computed the same way: one grouped SQL query
(``store.literacy_queries``) and the rules of ``core.literacy``. The bands,
the upper age of the target group and the commune's especially difficult
conditions are settings stored with the data (``settings`` /
``save_settings``).

At a consolidating office every figure can be asked for one commune
(``commune_code``): the same queries, restricted to that commune's persons,
with the settings that commune sent in its package (the office keeps them
per commune), so that the office computes exactly what the commune computes
for itself.
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
from xhht_desktop.exchange.ledger import Ledger
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

    def settings(self, commune_code: str | None = None) -> LiteracySettings:
        """The stored literacy settings, or the defaults when none are stored.

        Args:
            commune_code: At an office, another commune's settings, as its
                last package carried them (the defaults when it sent none);
                ``None`` or this unit's own code: this unit's settings.

        Raises:
            ValidationFailed: the stored value is damaged (edited by hand).
        """
        if commune_code is not None and not self._own(commune_code):
            return self._commune_settings(commune_code)
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

    def _own(self, commune_code: str) -> bool:
        info = self.context.setup.installation()
        return info is None or info.owner_code == commune_code

    def _commune_settings(self, commune_code: str) -> LiteracySettings:
        with self.context.reading() as session:
            partner = Ledger(session).partner(commune_code)
        stored = None if partner is None else partner.settings.get(SETTINGS_KEY)
        if stored is None:
            return LiteracySettings()
        try:
            return LiteracySettings.from_json(stored)
        except ValueError:
            # The commune itself falls back to the defaults on a damaged
            # setting when it exports (it never travels); this only guards
            # a package from a buggy installation.
            return LiteracySettings()

    def save_settings(self, settings: LiteracySettings) -> LiteracySettings:
        """Check and store new settings (the change is in the audit log).

        Raises:
            ValidationFailed: with a Vietnamese message per problem.
        """
        self.context.require("change_settings")
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

    def rates(self, year: int | None = None, commune_code: str | None = None) -> LiteracyReport:
        """Every band × sex × level rate, overall and per ethnicity, and the standards.

        Args:
            year: Survey year; the installation's reporting year when ``None``.
            commune_code: Only this commune's persons, with its settings (at
                an office); every person, with this unit's settings, when
                ``None``.
        """
        year = self._year(year)
        settings = self.settings(commune_code)
        first, last = literacy.birth_year_range(settings.report_bands(), year)
        with self.context.reading() as session:
            groups = LiteracyQueries(session).groups(first, last, commune_code)
        return literacy.build_report(groups, year, settings)

    def standards(self, year: int | None = None, commune_code: str | None = None) -> Standards:
        """The commune's level 1 and level 2 verdicts (Art. 20, 21)."""
        return self.rates(year, commune_code).standards

    def by_village(self, year: int | None = None, commune_code: str | None = None) -> VillageTable:
        """The survey's statistical table: a line per village and the total."""
        year = self._year(year)
        settings = self.settings(commune_code)
        with self.context.reading() as session:
            queries = LiteracyQueries(session)
            groups = queries.village_groups(
                year, literacy.age_segments(settings.bands), commune_code
            )
            villages = queries.villages(commune_code)
        return literacy.village_table(groups, year, settings.bands, villages)

    # -- lists for action ------------------------------------------------

    def _list_query(
        self, year: int | None, village_id: str | None, commune_code: str | None = None
    ) -> ListQuery:
        band = self.settings(commune_code).target_band
        return ListQuery(self._year(year), band, village_id, commune_code)

    def not_literate_count(
        self,
        year: int | None = None,
        village_id: str | None = None,
        commune_code: str | None = None,
    ) -> int:
        query = self._list_query(year, village_id, commune_code)
        with self.context.reading() as session:
            return LiteracyQueries(session).not_literate_count(query)

    def not_literate(
        self,
        year: int | None = None,
        village_id: str | None = None,
        offset: int = 0,
        limit: int = DEFAULT_PAGE,
        commune_code: str | None = None,
    ) -> list[PersonRow]:
        """Not-literate people of the target group, by village then name.

        Who to invite to literacy classes: counted residents aged 15 to the
        upper age who reach no level and are not exempt.
        """
        query = self._list_query(year, village_id, commune_code)
        with self.context.reading() as session:
            return LiteracyQueries(session).not_literate(query, offset, limit)

    def exempt_count(
        self,
        year: int | None = None,
        village_id: str | None = None,
        commune_code: str | None = None,
    ) -> int:
        query = self._list_query(year, village_id, commune_code)
        with self.context.reading() as session:
            return LiteracyQueries(session).exempt_count(query)

    def exempt(
        self,
        year: int | None = None,
        village_id: str | None = None,
        offset: int = 0,
        limit: int = DEFAULT_PAGE,
        commune_code: str | None = None,
    ) -> list[PersonRow]:
        """Exempt people of the target group (a disability that prevents learning)."""
        query = self._list_query(year, village_id, commune_code)
        with self.context.reading() as session:
            return LiteracyQueries(session).exempt(query, offset, limit)

    def quality_warnings(
        self, year: int | None = None, commune_code: str | None = None
    ) -> list[QualityWarning]:
        """Records of counted residents that contradict themselves, by village then name."""
        year = self._year(year)
        with self.context.reading() as session:
            candidates = LiteracyQueries(session).quality_candidates(year, commune_code)
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
