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


CACHE_SIZE = -65536  # SQLite's unit: negative means KiB


def _sqlite_pragmas(dbapi_connection: Any, _record: object) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    # FULL: a transaction reported as committed survives a power cut too.
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.execute("PRAGMA busy_timeout=5000")
    # 64 MiB of page cache (the default is 2 MiB), taken only as pages are
    # read: an office's import of a commune's package changes index pages
    # all over the persons table, and with a small cache SQLite spills them
    # to the log mid-transaction and writes them again.
    cursor.execute(f"PRAGMA cache_size={CACHE_SIZE}")
    cursor.close()


def key_pragma(key: bytes) -> str:
    """The SQLCipher statement that keys a connection with a raw 256-bit key.

    A raw key (``x'…'``) skips SQLCipher's own PBKDF2: the key is already
    random, and the passwords are stretched where it is wrapped (``keystore``).
    """
    return f"PRAGMA key = \"x'{key.hex()}'\""


def connect_sqlcipher(path: Path, key: bytes, *, read_only: bool = False) -> Any:
    """A DB-API connection to an encrypted SQLite file, keyed before anything else."""
    import sqlcipher3.dbapi2 as sqlcipher

    target = f"file:{path}?mode=ro" if read_only else str(path)
    connection = sqlcipher.connect(target, uri=read_only, check_same_thread=False)
    # A wrong key is an error the caller explains; SQLCipher's own log lines
    # on stderr would only confuse the user of the command line.
    connection.execute("PRAGMA cipher_log_level = NONE")
    connection.execute(key_pragma(key))
    return connection


def make_engine(url: str, key: bytes | None = None) -> Engine:
    """Create the engine for ``url`` with the pragmas this app relies on.

    Args:
        url: The SQLAlchemy URL.
        key: The database key of an encrypted SQLite file (SQLCipher), or
            ``None`` for a plain one or a server. The key goes through a
            ``creator``, never into the URL, so no log or error shows it.
    """
    path = sqlite_path(url)
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
    if key is not None and path is not None:
        import sqlcipher3.dbapi2 as sqlcipher

        engine = create_engine(url, module=sqlcipher, creator=lambda: connect_sqlcipher(path, key))
    else:
        engine = create_engine(url)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    # Every unit of work is audited and, at an office, refuses edits of a
    # commune's records.
    ownership.install()
    return sessionmaker(engine, class_=audit.AuditedSession, expire_on_commit=False)
