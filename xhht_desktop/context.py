"""The application context: settings, engine and services, built in one place.

``open_context`` is the only bootstrap. It opens the database, refuses one
from a newer version, backs up and upgrades an older one, and hands back the
services that the CLI and the UI call. Tests build their own context on a
temporary folder; nothing is global.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from xhht_desktop.errors import DatabaseTooNew
from xhht_desktop.settings import Settings
from xhht_desktop.store import migrate
from xhht_desktop.store.engine import make_engine, make_session_factory


@dataclass
class Actor:
    """Who is acting: the logged-in user, or the OS user on the command line."""

    name: str
    role: str = "admin"
    user_id: str | None = None


@dataclass
class AppContext:
    settings: Settings
    engine: Engine
    sessions: sessionmaker[Session]
    actor: Actor
    migrated_from: str | None = field(default=None)

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """One unit of work: commit if the block ends normally, else roll back."""
        session = self.sessions()
        session.info["actor"] = self.actor.name
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()

    @contextmanager
    def reading(self) -> Iterator[Session]:
        """A session for queries only; never commits."""
        session = self.sessions()
        try:
            yield session
        finally:
            # close() ends the transaction without expiring what was read.
            session.close()

    # Services are built on first use, so that a command that needs one
    # service does not pay for the others.
    @property
    def setup(self) -> SetupService:
        from xhht_desktop.services.setup import SetupService

        return SetupService(self)

    @property
    def users(self) -> UserService:
        from xhht_desktop.services.users import UserService

        return UserService(self)

    @property
    def villages(self) -> VillageService:
        from xhht_desktop.services.villages import VillageService

        return VillageService(self)

    @property
    def households(self) -> HouseholdService:
        from xhht_desktop.services.households import HouseholdService

        return HouseholdService(self)

    @property
    def persons(self) -> PersonService:
        from xhht_desktop.services.persons import PersonService

        return PersonService(self)

    @property
    def backups(self) -> BackupService:
        from xhht_desktop.services.backups import BackupService

        return BackupService(self)

    @property
    def literacy(self) -> LiteracyService:
        from xhht_desktop.services.literacy import LiteracyService

        return LiteracyService(self)

    @property
    def roster(self) -> RosterService:
        from xhht_desktop.services.roster import RosterService

        return RosterService(self)

    @property
    def clans(self) -> ClanService:
        from xhht_desktop.services.clans import ClanService

        return ClanService(self)

    @property
    def units(self) -> UnitService:
        from xhht_desktop.services.units import UnitService

        return UnitService(self)

    @property
    def learning_models(self) -> LearningModelService:
        from xhht_desktop.services.learning_models import LearningModelService

        return LearningModelService(self)

    @property
    def aggregates(self) -> AggregateService:
        from xhht_desktop.services.aggregates import AggregateService

        return AggregateService(self)

    @property
    def registrations_roster(self) -> RegistrationsRosterService:
        from xhht_desktop.services.registrations_roster import RegistrationsRosterService

        return RegistrationsRosterService(self)

    @property
    def signing(self) -> SigningService:
        from xhht_desktop.services.signing import SigningService

        return SigningService(self)

    @property
    def reports(self) -> ReportService:
        from xhht_desktop.services.reports import ReportService

        return ReportService(self)

    @property
    def indicators(self) -> IndicatorService:
        from xhht_desktop.services.indicators import IndicatorService

        return IndicatorService(self)

    @property
    def plans(self) -> PlanService:
        from xhht_desktop.services.plans import PlanService

        return PlanService(self)

    @property
    def data_checks(self) -> DataCheckService:
        from xhht_desktop.services.data_checks import DataCheckService

        return DataCheckService(self)

    @property
    def exchange(self) -> ExchangeService:
        from xhht_desktop.services.exchange import ExchangeService

        return ExchangeService(self)

    def close(self) -> None:
        self.engine.dispose()


def open_context(settings: Settings, actor: Actor) -> AppContext:
    """Open (and if needed create or upgrade) the database of ``settings``."""
    engine = make_engine(settings.database_url)
    context = AppContext(settings, engine, make_session_factory(engine), actor)
    state = migrate.schema_state(engine)
    if state is migrate.SchemaState.NEWER:
        revision = migrate.current_revision(engine) or "?"
        engine.dispose()
        raise DatabaseTooNew(revision)
    if state is migrate.SchemaState.OLDER:
        context.migrated_from = migrate.current_revision(engine)
        context.backups.automatic("truoc-nang-cap")
    if state is not migrate.SchemaState.CURRENT:
        migrate.upgrade(engine)
    return context


if TYPE_CHECKING:
    from xhht_desktop.services.aggregates import AggregateService
    from xhht_desktop.services.backups import BackupService
    from xhht_desktop.services.clans import ClanService
    from xhht_desktop.services.data_checks import DataCheckService
    from xhht_desktop.services.exchange import ExchangeService
    from xhht_desktop.services.households import HouseholdService
    from xhht_desktop.services.indicators import IndicatorService
    from xhht_desktop.services.learning_models import LearningModelService
    from xhht_desktop.services.literacy import LiteracyService
    from xhht_desktop.services.persons import PersonService
    from xhht_desktop.services.plans import PlanService
    from xhht_desktop.services.registrations_roster import RegistrationsRosterService
    from xhht_desktop.services.reports import ReportService
    from xhht_desktop.services.roster import RosterService
    from xhht_desktop.services.setup import SetupService
    from xhht_desktop.services.signing import SigningService
    from xhht_desktop.services.units import UnitService
    from xhht_desktop.services.users import UserService
    from xhht_desktop.services.villages import VillageService
