"""Run-time settings: where the data lives and which database to open.

Built once by the bootstrap (``context.open_context``) and passed down; no
module reads the environment on its own.
"""

from __future__ import annotations

import getpass
import os
from dataclasses import dataclass, field
from pathlib import Path

import platformdirs

from xhht_desktop.store.engine import database_url, sqlite_path

APP_DIR_NAME = "XHHT Desktop"
DEFAULT_DB_NAME = "xhht.sqlite"
DEMO_DB_NAME = "xhht-demo.sqlite"


def default_data_dir() -> Path:
    override = os.environ.get("XHHT_DATA_DIR")
    if override:
        return Path(override).expanduser()
    return Path(platformdirs.user_data_dir(APP_DIR_NAME, appauthor=False))


def os_actor() -> str:
    """The operating-system user, as the audit log names the command line."""
    try:
        name = getpass.getuser()
    except (KeyError, OSError):
        name = "unknown"
    return f"os:{name}"


@dataclass(frozen=True)
class Settings:
    """Where this run reads and writes.

    Attributes:
        data_dir: The user's data folder (database, backups, logs).
        database_url: SQLAlchemy URL of the database.
        backups_kept: How many automatic backups to keep per database.
        database_key: The unlocked key of an encrypted SQLite database.
    """

    data_dir: Path
    database_url: str
    backups_kept: int = 10
    # The key of an encrypted database once unlocked (``services.encryption``);
    # kept out of repr so that no log or traceback prints it.
    database_key: bytes | None = field(default=None, repr=False, compare=False)

    @classmethod
    def resolve(cls, db: str | None = None, *, demo: bool = False) -> Settings:
        """Settings from ``--db``, then ``XHHT_DATABASE_URL``, then the default file."""
        data_dir = default_data_dir()
        if demo:
            chosen: str | Path = data_dir / DEMO_DB_NAME
        else:
            chosen = db or os.environ.get("XHHT_DATABASE_URL") or data_dir / DEFAULT_DB_NAME
        return cls(data_dir=data_dir, database_url=database_url(chosen))

    @property
    def database_file(self) -> Path | None:
        """The SQLite file, or ``None`` when the database is a server."""
        return sqlite_path(self.database_url)

    @property
    def backup_dir(self) -> Path:
        db_file = self.database_file
        if db_file is not None:
            return db_file.parent / "backups"
        return self.data_dir / "backups"
