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

from xhht_desktop.errors import DatabaseLocked, DatabaseTooNew, ReadOnlyDatabase
from xhht_desktop.settings import Settings
from xhht_desktop.store import files, health, migrate
from xhht_desktop.store.engine import make_engine, make_session_factory
from xhht_desktop.store.lock import WriterLock


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
    # Another copy of the app holds the writer lock: every write is refused.
    read_only: bool = field(default=False)
    writer_lock: WriterLock | None = field(default=None, repr=False)

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

    def require(self, action: str) -> None:
        """Refuse ``action`` (a code of ``core.permissions``) unless the actor's role may.

        Raises:
            PermissionDenied: with a Vietnamese message saying who may.
        """
        from xhht_desktop.core import permissions

        permissions.require(self.actor.role, action)

    def may(self, action: str) -> bool:
        """Whether the actor's role may do ``action`` (the UI hides what it may not)."""
        from xhht_desktop.core import permissions

        return permissions.allowed(self.actor.role, action)

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
    def audit(self) -> AuditService:
        from xhht_desktop.services.audit import AuditService

        return AuditService(self)

    @property
    def exchange(self) -> ExchangeService:
        from xhht_desktop.services.exchange import ExchangeService

        return ExchangeService(self)

    @property
    def consolidation(self) -> ConsolidationService:
        from xhht_desktop.services.consolidation import ConsolidationService

        return ConsolidationService(self)

    @property
    def encryption(self) -> EncryptionService:
        from xhht_desktop.services.encryption import EncryptionService

        return EncryptionService(self)

    def reopen(self, settings: Settings) -> None:
        """Go on with the same data under new settings (now encrypted): a new engine."""
        self.engine.dispose()
        self.settings = settings
        self.engine = make_engine(settings.database_url, key=settings.database_key)
        self.sessions = make_session_factory(self.engine)
        if settings.database_file is not None:
            # The same hooks as ``_guard`` gave the old engine; the lock stays held.
            health.install(self.engine, self.sessions, read_only=self.read_only)

    def close(self) -> None:
        self.engine.dispose()
        if self.writer_lock is not None:
            self.writer_lock.release()


def open_context(settings: Settings, actor: Actor) -> AppContext:
    """Open (and if needed create or upgrade) the database of ``settings``."""
    if settings.database_key is None:
        from xhht_desktop.services.encryption import is_encrypted

        # Said plainly before anything reads the file: without its key an
        # encrypted file would look damaged.
        if is_encrypted(settings):
            raise DatabaseLocked()
    engine = make_engine(settings.database_url, key=settings.database_key)
    context = AppContext(settings, engine, make_session_factory(engine), actor)
    _guard(context)
    state = migrate.schema_state(engine)
    if context.read_only and state is not migrate.SchemaState.CURRENT:
        context.close()
        raise ReadOnlyDatabase()
    if state is migrate.SchemaState.NEWER:
        revision = migrate.current_revision(engine) or "?"
        context.close()  # also gives the writer lock back
        raise DatabaseTooNew(revision)
    if state is migrate.SchemaState.OLDER:
        context.migrated_from = migrate.current_revision(engine)
        context.backups.automatic("truoc-nang-cap")
    if state is not migrate.SchemaState.CURRENT:
        migrate.upgrade(engine)
    return context


def _guard(context: AppContext) -> None:
    """One writer, a sound file: take the writer lock, check the file, tidy up.

    SQLite only: a database server keeps its own writers apart and checks
    its own files.
    """
    database = context.settings.database_file
    if database is None:
        return
    context.writer_lock = WriterLock(database)
    context.read_only = not context.writer_lock.acquired
    health.install(context.engine, context.sessions, read_only=context.read_only)
    if database.exists():
        try:
            health.check(context.engine, database)
        except BaseException:
            context.close()
            raise
    if not context.read_only:
        # Temporary files of writes a crash or a power cut interrupted.
        files.clean_leftovers(database.parent)
        if context.settings.data_dir != database.parent:
            files.clean_leftovers(context.settings.data_dir)


if TYPE_CHECKING:
    from xhht_desktop.services.aggregates import AggregateService
    from xhht_desktop.services.audit import AuditService
    from xhht_desktop.services.backups import BackupService
    from xhht_desktop.services.clans import ClanService
    from xhht_desktop.services.consolidation import ConsolidationService
    from xhht_desktop.services.data_checks import DataCheckService
    from xhht_desktop.services.encryption import EncryptionService
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
