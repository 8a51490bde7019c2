"""Database engines: SQLite by default, any SQLAlchemy URL by setting."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from xhht_desktop.store import audit, ownership


def database_url(path_or_url: str | Path) -> str:
    """Turn what ``--db`` or ``XHHT_DATABASE_URL`` says into an SQLAlchemy URL.

    A value with ``://`` is a URL already; anything else is a file path.
    """
    value = str(path_or_url)
    if "://" in value:
        return value
    return f"sqlite:///{Path(value).expanduser().resolve()}"


def sqlite_path(url: str) -> Path | None:
    """Return the file behind an SQLite URL, or ``None`` for other databases."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or not parsed.database:
        return None
    if parsed.database == ":memory:":
        return None
    return Path(parsed.database)


def _sqlite_pragmas(dbapi_connection: Any, _record: object) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    # FULL: a transaction reported as committed survives a power cut too.
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.close()


def make_engine(url: str) -> Engine:
    """Create the engine for ``url`` with the pragmas this app relies on."""
    path = sqlite_path(url)
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    # Every unit of work is audited and, at an office, refuses edits of a
    # commune's records.
    ownership.install()
    return sessionmaker(engine, class_=audit.AuditedSession, expire_on_commit=False)
