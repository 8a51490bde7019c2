"""Encryption at rest from the command line: ``init`` with XHHT_PASSWORD, unlock, ``encrypt``."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from pypdf import PdfReader

from xhht_desktop.core.recovery import parse
from xhht_desktop.services import encryption
from xhht_desktop.settings import Settings
from xhht_desktop.store import cipher
from xhht_desktop.store.engine import database_url

PASSWORD = "mật-khẩu-xã-2026"
KEY_LINES = re.compile(r"^  ((?:[0-9A-Z]{5} ){4}[0-9A-Z]{5})$", re.MULTILINE)


def _env(data_dir: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("XHHT_")}
    env.update(XHHT_DATA_DIR=str(data_dir), QT_QPA_PLATFORM="offscreen", **extra)
    return env


def _xhht(folder: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "xhht_desktop", "--db", str(folder / "xa.sqlite"), *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=_env(folder / "data", **env),
        stdin=subprocess.DEVNULL,
        timeout=300,
    )


def _ok(done: subprocess.CompletedProcess[str]) -> str:
    assert done.returncode == 0, done.stderr
    return done.stdout


def _names(folder: Path) -> list[bytes]:
    """A few person names of the data, read with the password."""
    settings = encryption.unlock(
        Settings(folder / "data", database_url(folder / "xa.sqlite")), PASSWORD
    )
    from xhht_desktop.context import Actor, open_context

    context = open_context(settings, Actor("test"))
    try:
        names = {p.full_name for p in context.persons.in_register_order()}
    finally:
        context.close()
    return [name.encode("utf-8") for name in sorted(names, key=len, reverse=True)[:20]]


@pytest.fixture(scope="module")
def encrypted(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """A commune set up with XHHT_PASSWORD and filled with the demo; its recovery key."""
    folder = tmp_path_factory.mktemp("encrypted")
    out = _ok(
        _xhht(
            folder,
            "init",
            "--role",
            "commune",
            "--commune-code",
            "24717",
            "--year",
            "2026",
            "--admin-user",
            "quantri",
            "--recovery-sheet",
            str(folder / "to-khoa.pdf"),
            XHHT_PASSWORD=PASSWORD,
        )
    )
    assert "Người quản trị: quantri." in out
    recovery = " ".join(KEY_LINES.findall(out))
    _ok(_xhht(folder, "demo", "--persons", "300", XHHT_PASSWORD=PASSWORD))
    return folder, recovery


def test_init_prints_a_recovery_key_that_opens_the_data(encrypted: tuple[Path, str]) -> None:
    folder, recovery = encrypted
    key = parse(recovery)
    settings = Settings(folder / "data", database_url(folder / "xa.sqlite"))
    assert encryption.unlock_with_recovery(settings, recovery).database_key == key.database_key()
    # The sheet carries the same key, as text (and as a QR code).
    text = PdfReader(folder / "to-khoa.pdf").pages[0].extract_text()
    assert "TỜ KHÓA KHÔI PHỤC DỮ LIỆU" in text and "Xã Đức An" in text
    assert parse(" ".join(re.findall(r"\b[0-9A-Z]{5}\b", text)[-10:])) == key


def test_every_command_unlocks_from_the_variable(encrypted: tuple[Path, str]) -> None:
    folder, _ = encrypted
    out = _ok(_xhht(folder, "info", XHHT_PASSWORD=PASSWORD))
    assert "Xã Đức An" in out and "nhân khẩu: 300" in out
    report = folder / "bao-cao.pdf"
    _ok(
        _xhht(
            folder,
            "report",
            "xoa-mu-chu",
            "--year",
            "2026",
            "--format",
            "pdf",
            "--out",
            str(report),
            XHHT_PASSWORD=PASSWORD,
        )
    )
    assert report.stat().st_size > 0
    _ok(_xhht(folder, "backup", XHHT_PASSWORD=PASSWORD))


def test_without_or_with_a_wrong_password_it_refuses_clearly(encrypted: tuple[Path, str]) -> None:
    folder, _ = encrypted
    locked = _xhht(folder, "info")
    assert locked.returncode == 1
    assert "Dữ liệu trên máy này đã được mã hóa" in locked.stderr
    assert "XHHT_PASSWORD" in locked.stderr
    wrong = _xhht(folder, "info", XHHT_PASSWORD="không-phải-mật-khẩu")
    assert wrong.returncode == 1
    assert "Sai mật khẩu" in wrong.stderr
    # One plain sentence each: no traceback, no log lines of SQLCipher.
    assert len(locked.stderr.strip().splitlines()) == 1
    assert len(wrong.stderr.strip().splitlines()) == 1
    recovery_typo = _xhht(folder, "info", XHHT_PASSWORD=PASSWORD[:-1])
    assert recovery_typo.returncode == 1 and "Sai mật khẩu" in recovery_typo.stderr


def test_the_window_unlocks_from_the_variable_in_a_smoke_run(encrypted: tuple[Path, str]) -> None:
    folder, _ = encrypted
    done = _xhht(folder, "gui", "--smoke", XHHT_PASSWORD=PASSWORD)
    assert done.returncode == 0, done.stderr
    locked = _xhht(folder, "gui", "--smoke")
    assert locked.returncode == 1
    assert "Dữ liệu trên máy này đã được mã hóa" in locked.stderr


def test_no_name_is_readable_in_the_files(encrypted: tuple[Path, str]) -> None:
    folder, _ = encrypted
    _ok(_xhht(folder, "backup", XHHT_PASSWORD=PASSWORD))
    names = _names(folder)
    assert len(names) == 20
    files = [p for p in folder.rglob("*") if p.is_file() and p.suffix != ".pdf"]
    assert any(p.name.endswith(".xhht-backup.sqlite") for p in files)
    for path in files:
        content = path.read_bytes()
        found = [n.decode() for n in names if n in content]
        assert found == [], f"{path.name}: {found}"


def test_init_without_the_variable_stays_plain(tmp_path: Path) -> None:
    _ok(_xhht(tmp_path, "init", "--role", "commune", "--commune-code", "24717"))
    assert not (tmp_path / "xa.sqlite.keys.json").exists()
    assert (tmp_path / "xa.sqlite").read_bytes().startswith(b"SQLite format 3\0")
    _ok(_xhht(tmp_path, "info"))


def test_encrypt_an_existing_database_keeps_every_record(tmp_path: Path) -> None:
    _ok(_xhht(tmp_path, "demo", "--persons", "150"))
    database = tmp_path / "xa.sqlite"
    # The demo has no user: the password must be an administrator's.
    refused = _xhht(tmp_path, "encrypt", XHHT_PASSWORD=PASSWORD)
    assert refused.returncode == 1 and "Sai tên đăng nhập hoặc mật khẩu" in refused.stderr
    from xhht_desktop.context import Actor, open_context
    from xhht_desktop.services.users import NewUser

    context = open_context(Settings(tmp_path / "data", database_url(database)), Actor("t"))
    context.users.create(NewUser("quantri", "Quản Trị", "admin", PASSWORD))
    context.users.create(NewUser("nhaplieu", "Nhập Liệu", "data_entry", "mat-khau-khac"))
    context.close()
    before = cipher.content_digest(database)
    out = _ok(_xhht(tmp_path, "encrypt", XHHT_PASSWORD=PASSWORD))
    assert len(KEY_LINES.findall(out)) == 2
    assert "nhaplieu" in out  # told to set that user's password again
    settings = encryption.unlock(
        Settings(tmp_path / "data", database_url(database)), PASSWORD, "quantri"
    )
    assert cipher.content_digest(database, settings.database_key) == before
    assert not database.read_bytes().startswith(b"SQLite format 3")
    again = _ok(_xhht(tmp_path, "encrypt", XHHT_PASSWORD=PASSWORD))
    assert "đã được mã hóa" in again
