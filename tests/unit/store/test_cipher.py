"""SQLCipher files: the verified export, the swap and the wipe of the plain file."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import pytest

from xhht_desktop.errors import EncryptionFailed
from xhht_desktop.store import cipher
from xhht_desktop.store.engine import connect_sqlcipher

KEY = bytes(range(32))
NAME = "Nguyễn Thị Bảo Ngọc"


def _plain(path: Path) -> Path:
    with sqlite3.connect(path) as connection:
        connection.execute("CREATE TABLE persons (id INTEGER PRIMARY KEY, name TEXT)")
        connection.executemany(
            "INSERT INTO persons (name) VALUES (?)", [(f"{NAME} {i}",) for i in range(500)]
        )
        connection.execute("PRAGMA user_version = 7")
    connection.close()
    return path


def test_export_is_encrypted_and_equal(tmp_path: Path) -> None:
    plain = _plain(tmp_path / "xa.sqlite")
    target = tmp_path / "xa.sqlite.encrypting"
    cipher.export_encrypted(plain, target, KEY)
    assert NAME.encode() not in target.read_bytes()
    assert cipher.content_digest(target, KEY) == cipher.content_digest(plain)
    connection = connect_sqlcipher(target, KEY, read_only=True)
    try:
        assert connection.execute("PRAGMA user_version").fetchone() == (7,)
    finally:
        connection.close()


def test_a_copy_that_does_not_verify_is_dropped(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    plain = _plain(tmp_path / "xa.sqlite")
    before = plain.read_bytes()
    real = cipher._dump_digest
    calls = []

    def lost_a_row(connection: object) -> tuple[dict[str, int], str]:
        counts, digest = real(connection)
        calls.append(1)
        # The second digest is the copy's: pretend a row went missing.
        return (
            ({**counts, "persons": counts["persons"] - 1}, digest)
            if len(calls) == 2
            else (
                counts,
                digest,
            )
        )

    monkeypatch.setattr(cipher, "_dump_digest", lost_a_row)
    target = tmp_path / "xa.sqlite.encrypting"
    with pytest.raises(EncryptionFailed, match="vẫn còn nguyên"):
        cipher.export_encrypted(plain, target, KEY)
    assert not target.exists()
    assert plain.read_bytes() == before


@pytest.mark.skipif(os.name != "posix", reason="hard links and open-file renames: POSIX")
def test_the_swap_wipes_the_plain_content_where_it_lies(tmp_path: Path) -> None:
    plain = _plain(tmp_path / "xa.sqlite")
    # A second name for the same file: what an undelete tool would find.
    witness = tmp_path / "witness"
    os.link(plain, witness)
    assert NAME.encode() in witness.read_bytes()
    target = tmp_path / "xa.sqlite.encrypting"
    cipher.export_encrypted(plain, target, KEY)
    cipher.replace_with_encrypted(plain, target)
    assert not target.exists()
    assert cipher.content_digest(plain, KEY)[0] == {"persons": 500}
    assert set(witness.read_bytes()) == {0}
