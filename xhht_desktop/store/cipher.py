"""SQLCipher files: a verified encrypted copy of a plain SQLite file, swapped in.

The steps are what makes encrypting an existing database safe: the copy is
written beside the original (``sqlcipher_export``), checked (integrity, same
row counts and the same checksum of every row), flushed, and only then renamed
over the original, so a crash leaves either the plain file or the encrypted
one under the database's name. The plain content is then overwritten (see
``_overwrite`` for what that can and cannot reach).
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
from pathlib import Path
from typing import Any

from xhht_desktop.errors import EncryptionFailed
from xhht_desktop.store import backup
from xhht_desktop.store.engine import connect_sqlcipher

ENCRYPTING = ".encrypting"


def _dump_digest(connection: Any) -> tuple[dict[str, int], str]:
    """Row counts per table and a SHA-256 of every row, to compare two copies."""
    tables = [
        row[0]
        for row in connection.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' "
            "AND name NOT LIKE 'sqlite_%' ORDER BY name"
        )
    ]
    digest = hashlib.sha256()
    counts = {}
    for table in tables:
        rows = connection.execute(f'SELECT * FROM "{table}" ORDER BY rowid').fetchall()
        counts[table] = len(rows)
        digest.update(table.encode("utf-8"))
        for row in rows:
            digest.update(repr(row).encode("utf-8"))
    return counts, digest.hexdigest()


def content_digest(path: Path, key: bytes | None = None) -> tuple[dict[str, int], str]:
    """Row counts per table and a checksum of all rows of a database file."""
    if key is None:
        connection: Any = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    else:
        connection = connect_sqlcipher(path, key, read_only=True)
    try:
        return _dump_digest(connection)
    finally:
        connection.close()


def checkpoint(path: Path) -> None:
    # Moves the WAL into the main file and empties it where no reader is in
    # the way. Not needed for the export (which reads through the WAL) but it
    # leaves less plain text in a WAL file that is removed afterwards.
    connection = sqlite3.connect(path)
    try:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        connection.close()


def export_encrypted(plain: Path, target: Path, key: bytes) -> None:
    """Write an encrypted copy of the plain SQLite file ``plain`` into ``target``.

    The copy is checked (integrity, same rows) and flushed to the disk before
    this returns; ``plain`` is not changed.

    Raises:
        EncryptionFailed: The copy could not be made or does not verify.
    """
    import sqlcipher3.dbapi2 as sqlcipher

    target.unlink(missing_ok=True)
    expected = content_digest(plain)
    source = sqlcipher.connect(str(plain))
    try:
        source.execute("PRAGMA cipher_log_level = NONE")
        source.execute(
            f"ATTACH DATABASE ? AS encrypted KEY \"x'{key.hex()}'\"",
            (str(target),),
        )
        source.execute("SELECT sqlcipher_export('encrypted')")
        version = source.execute("PRAGMA main.user_version").fetchone()[0]
        source.execute(f"PRAGMA encrypted.user_version = {int(version)}")
        source.execute("DETACH DATABASE encrypted")
    except backup.DATABASE_ERRORS as exc:
        target.unlink(missing_ok=True)
        raise EncryptionFailed(
            f"Không mã hóa được dữ liệu ({exc}); dữ liệu chưa mã hóa vẫn còn nguyên."
        ) from exc
    finally:
        source.close()
    checked = connect_sqlcipher(target, key, read_only=True)
    try:
        integrity = checked.execute("PRAGMA integrity_check").fetchone()
        found = _dump_digest(checked)
    except backup.DATABASE_ERRORS as exc:
        integrity, found = (str(exc),), ({}, "")
    finally:
        checked.close()
    if not integrity or integrity[0] != "ok" or found != expected:
        target.unlink(missing_ok=True)
        raise EncryptionFailed(
            "Bản mã hóa không khớp với dữ liệu gốc nên đã bị bỏ; dữ liệu chưa mã hóa vẫn "
            "còn nguyên. Hãy báo cho cán bộ kỹ thuật."
        )
    with target.open("rb+") as handle:
        os.fsync(handle.fileno())


def _overwrite(handle: Any, size: int) -> None:
    # Zeros over the plain content before the file is let go. On a hard disk
    # this destroys it; on an SSD or a memory stick the controller writes the
    # zeros elsewhere (wear levelling) and the old cells keep the plain pages
    # until they are erased some day, and a copy-on-write file system, a
    # snapshot or an earlier copy (a backup on a stick, the recycle bin) is
    # out of reach anyway. Only whole-disk encryption (BitLocker) closes that;
    # this step keeps the plain data out of reach of ordinary undelete tools.
    handle.seek(0)
    block = b"\0" * (1 << 20)
    remaining = size
    while remaining > 0:
        handle.write(block[: min(remaining, len(block))])
        remaining -= min(remaining, len(block))
    handle.flush()
    os.fsync(handle.fileno())


def replace_with_encrypted(plain: Path, encrypted: Path) -> None:
    """Put the verified ``encrypted`` file in place of ``plain``, then wipe the plain one.

    The rename is atomic: a crash leaves either the plain file or the
    encrypted one under the database's name, never neither.
    """
    for suffix in ("-wal", "-shm", "-journal"):
        plain.with_name(plain.name + suffix).unlink(missing_ok=True)
    size = plain.stat().st_size
    if os.name == "posix":
        # The open handle keeps the old (plain) file reachable after the
        # rename, to overwrite it where it lies.
        with plain.open("rb+") as handle:
            os.replace(encrypted, plain)
            backup._fsync_dir(plain.parent)
            _overwrite(handle, size)
        return
    # Windows cannot rename over an open file: move the plain file aside first.
    aside = plain.with_name(plain.name + ".plain-old")
    os.replace(plain, aside)
    os.replace(encrypted, plain)
    with aside.open("rb+") as handle:
        _overwrite(handle, size)
    aside.unlink()


def encrypt_file(path: Path, key: bytes) -> None:
    target = path.with_name(path.name + ENCRYPTING)
    export_encrypted(path, target, key)
    replace_with_encrypted(path, target)
