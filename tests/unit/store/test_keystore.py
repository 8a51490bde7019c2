"""The key file: wrapping per user, wrong passwords, tampering."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from xhht_desktop.errors import KeystoreDamaged, UnlockFailed
from xhht_desktop.store import keystore
from xhht_desktop.store.keystore import Keystore

KEY = bytes(range(32))


def _store(tmp_path: Path) -> Path:
    database = tmp_path / "xhht.sqlite"
    store = Keystore.new(KEY, "Xã Đức An, Lâm Đồng")
    store.set_user("admin", "mật khẩu quản trị", KEY)
    store.set_user("nhaplieu", "mat-khau-nhap-lieu", KEY)
    keystore.save(database, store)
    return database


def test_each_password_unwraps_the_key(tmp_path: Path) -> None:
    database = _store(tmp_path)
    store = keystore.load(database)
    assert store.label == "Xã Đức An, Lâm Đồng"
    assert store.unlock("mật khẩu quản trị", "admin") == KEY
    assert store.unlock("mat-khau-nhap-lieu", "nhaplieu") == KEY
    # The command line knows only a password: every entry is tried.
    assert store.unlock("mat-khau-nhap-lieu") == KEY


def test_wrong_password_or_user_fails(tmp_path: Path) -> None:
    store = keystore.load(_store(tmp_path))
    with pytest.raises(UnlockFailed, match="Sai mật khẩu"):
        store.unlock("mật khẩu quản trị", "nhaplieu")
    with pytest.raises(UnlockFailed):
        store.unlock("đoán bừa", None)
    with pytest.raises(UnlockFailed):
        store.unlock("mật khẩu quản trị", "khong-co")


def test_file_holds_nothing_secret(tmp_path: Path) -> None:
    database = _store(tmp_path)
    raw = keystore.keystore_path(database).read_bytes()
    assert KEY not in raw and KEY.hex().encode() not in raw
    assert "mật khẩu".encode() not in raw
    document = json.loads(raw)
    assert document["format"] == "xhht-keystore" and document["version"] == 1
    salts = {entry["salt"] for entry in document["users"].values()}
    assert len(salts) == 2  # a salt per user


def test_changed_password_rewraps(tmp_path: Path) -> None:
    database = _store(tmp_path)
    store = keystore.load(database)
    store.set_user("admin", "mật khẩu mới 2026", KEY)
    keystore.save(database, store)
    again = keystore.load(database)
    assert again.unlock("mật khẩu mới 2026", "admin") == KEY
    with pytest.raises(UnlockFailed):
        again.unlock("mật khẩu quản trị", "admin")


def test_a_key_of_other_data_is_refused() -> None:
    store = Keystore.new(KEY)
    assert store.matches(KEY) and not store.matches(os.urandom(32))
    with pytest.raises(ValueError):
        store.set_user("admin", "mật khẩu quản trị", os.urandom(32))


@pytest.mark.parametrize(
    ("tamper", "target"),
    [
        # The entry copied to another name: bound to its user name.
        (lambda d: d["users"].__setitem__("nhaplieu", d["users"]["admin"]), "nhaplieu"),
        # A cheaper KDF, to make guessing fast: bound to its parameters.
        (lambda d: d["users"]["admin"].__setitem__("log2_n", 14), "admin"),
        # Another salt: bound too.
        (
            lambda d: d["users"]["admin"].__setitem__("salt", d["users"]["nhaplieu"]["salt"]),
            "admin",
        ),
        # One character of the wrapped key changed.
        (
            lambda d: d["users"]["admin"].__setitem__(
                "wrapped",
                ("B" if d["users"]["admin"]["wrapped"][0] != "B" else "C")
                + d["users"]["admin"]["wrapped"][1:],
            ),
            "admin",
        ),
    ],
)
def test_tampered_entry_does_not_open(
    tmp_path: Path, tamper: Callable[[dict[str, Any]], None], target: str
) -> None:
    database = _store(tmp_path)
    path = keystore.keystore_path(database)
    document = json.loads(path.read_bytes())
    tamper(document)
    path.write_text(json.dumps(document), encoding="utf-8")
    with pytest.raises(UnlockFailed):
        keystore.load(database).unlock("mật khẩu quản trị", target)


def test_damaged_or_missing_file_says_what_to_do(tmp_path: Path) -> None:
    database = tmp_path / "xhht.sqlite"
    with pytest.raises(KeystoreDamaged, match="Thiếu tệp khóa"):
        keystore.load(database)
    keystore.keystore_path(database).write_text("{not json", encoding="utf-8")
    with pytest.raises(KeystoreDamaged, match="khóa khôi phục"):
        keystore.load(database)
    keystore.keystore_path(database).write_text(
        json.dumps(
            {
                "format": "xhht-keystore",
                "version": 1,
                "key_check": "x",
                "users": {
                    "admin": {
                        "kdf": "scrypt",
                        "log2_n": 40,
                        "r": 8,
                        "p": 1,
                        "salt": "",
                        "nonce": "",
                        "wrapped": "",
                    }
                },
            }
        ),
        encoding="utf-8",
    )
    with pytest.raises(KeystoreDamaged):
        keystore.load(database)
