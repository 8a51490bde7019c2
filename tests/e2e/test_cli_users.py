"""``xhht user``: list, add, set a password, lock and unlock, on encrypted data."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from xhht_desktop.context import Actor
from xhht_desktop.errors import LoginFailed
from xhht_desktop.services import encryption
from xhht_desktop.settings import Settings
from xhht_desktop.store.engine import database_url

PASSWORD = "mật-khẩu-xã-2026"


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


def _users(folder: Path) -> dict[str, dict[str, object]]:
    rows = json.loads(_ok(_xhht(folder, "user", "list", "--json", XHHT_PASSWORD=PASSWORD)))
    return {row["username"]: row for row in rows}


def _login(folder: Path, username: str, password: str) -> str:
    """Log in as the GUI does (unlock with the password, then check it); the role."""
    settings = Settings(folder / "data", database_url(folder / "xa.sqlite"))
    context, user = encryption.open_unlocked(settings, username, password, Actor("test"))
    context.close()
    return user.role


@pytest.fixture(scope="module")
def commune(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A commune set up with XHHT_PASSWORD (encrypted), its administrator ``quantri``."""
    folder = tmp_path_factory.mktemp("users")
    _ok(
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
            XHHT_PASSWORD=PASSWORD,
        )
    )
    return folder


def test_an_added_user_logs_in_to_the_encrypted_data(commune: Path) -> None:
    out = _ok(
        _xhht(
            commune,
            "user",
            "add",
            "nhaplieu",
            "--full-name",
            "Trần Thị Nhập",
            "--role",
            "nhap_lieu",
            XHHT_PASSWORD=PASSWORD,
            XHHT_NEW_PASSWORD="mat-khau-nhap-lieu",
        )
    )
    assert "Đã thêm người dùng nhaplieu (Nhập liệu)." in out
    listed = _users(commune)
    assert listed["nhaplieu"] == {
        "username": "nhaplieu",
        "full_name": "Trần Thị Nhập",
        "role": "data_entry",
        "active": True,
        "needs_new_password": False,
    }
    assert listed["quantri"]["role"] == "admin"
    assert _login(commune, "nhaplieu", "mat-khau-nhap-lieu") == "data_entry"
    text = _ok(_xhht(commune, "user", "list", XHHT_PASSWORD=PASSWORD))
    assert "nhaplieu" in text and "Trần Thị Nhập" in text and "đang dùng" in text


def test_a_locked_user_is_kept_out_until_unlocked_and_given_a_password(commune: Path) -> None:
    _ok(
        _xhht(
            commune,
            "user",
            "add",
            "pheduyet",
            "--full-name",
            "Phạm Văn Duyệt",
            "--role",
            "phe_duyet",
            XHHT_PASSWORD=PASSWORD,
            XHHT_NEW_PASSWORD="mat-khau-duyet",
        )
    )
    out = _ok(_xhht(commune, "user", "disable", "pheduyet", XHHT_PASSWORD=PASSWORD))
    assert "Đã khóa tài khoản pheduyet" in out
    assert _users(commune)["pheduyet"]["active"] is False
    with pytest.raises(LoginFailed):
        _login(commune, "pheduyet", "mat-khau-duyet")
    out = _ok(_xhht(commune, "user", "enable", "pheduyet", XHHT_PASSWORD=PASSWORD))
    assert "xhht user passwd pheduyet" in out
    assert _users(commune)["pheduyet"]["needs_new_password"] is True
    text = _ok(_xhht(commune, "user", "list", XHHT_PASSWORD=PASSWORD))
    assert "chưa đặt mật khẩu mới sau khi mã hóa" in text
    out = _ok(
        _xhht(
            commune,
            "user",
            "passwd",
            "pheduyet",
            XHHT_PASSWORD=PASSWORD,
            XHHT_NEW_PASSWORD="mat-khau-duyet-moi",
        )
    )
    assert "Đã đặt mật khẩu mới cho pheduyet." in out
    assert _login(commune, "pheduyet", "mat-khau-duyet-moi") == "approver"


def test_refusals_say_why_and_change_nothing(commune: Path) -> None:
    last = _xhht(commune, "user", "disable", "quantri", XHHT_PASSWORD=PASSWORD)
    assert last.returncode == 1
    # The command acts as quantri (whose password unlocked the data).
    assert "Không tự khóa tài khoản đang đăng nhập" in last.stderr
    short = _xhht(
        commune, "user", "passwd", "quantri", XHHT_PASSWORD=PASSWORD, XHHT_NEW_PASSWORD="ngan"
    )
    assert short.returncode == 1
    assert "Mật khẩu cần ít nhất 8 ký tự." in short.stderr
    nobody = _xhht(commune, "user", "disable", "khongco", XHHT_PASSWORD=PASSWORD)
    assert nobody.returncode == 1
    assert "Không có người dùng 'khongco'" in nobody.stderr
    role = _xhht(
        commune, "user", "add", "x123", "--full-name", "X", "--role", "sep", XHHT_PASSWORD=PASSWORD
    )
    assert role.returncode == 2
    assert "lựa chọn không hợp lệ" in role.stderr
    # No variable and no terminal to ask at: a usage error, nobody added.
    unasked = _xhht(
        commune, "user", "add", "x123", "--full-name", "X", "--role", "quan_tri",
        XHHT_PASSWORD=PASSWORD,
    )  # fmt: skip
    assert unasked.returncode == 2
    assert "XHHT_NEW_PASSWORD" in unasked.stderr
    assert "x123" not in _users(commune)
    assert _users(commune)["quantri"]["active"] is True
    assert _login(commune, "quantri", PASSWORD) == "admin"


def test_the_command_line_acts_as_the_user_whose_password_unlocked_the_data(
    commune: Path,
) -> None:
    _ok(
        _xhht(
            commune,
            "user",
            "add",
            "thuky",
            "--full-name",
            "Lê Thị Thư Ký",
            "--role",
            "nhap_lieu",
            XHHT_PASSWORD=PASSWORD,
            XHHT_NEW_PASSWORD="mat-khau-thu-ky",
        )
    )
    # A clerk's password opens the data, with a clerk's rights only.
    assert "Xã Đức An" in _ok(_xhht(commune, "info", XHHT_PASSWORD="mat-khau-thu-ky"))
    grab = _xhht(
        commune,
        "user",
        "passwd",
        "quantri",
        XHHT_PASSWORD="mat-khau-thu-ky",
        XHHT_NEW_PASSWORD="chiem-quyen-quan-tri",
    )
    assert grab.returncode == 1
    assert "thêm, sửa người dùng" in grab.stderr
    assert _login(commune, "quantri", PASSWORD) == "admin"
    with pytest.raises(LoginFailed):
        _login(commune, "quantri", "chiem-quyen-quan-tri")
    # XHHT_USER names whose password it is; a wrong pairing opens nothing.
    wrong = _xhht(commune, "info", XHHT_PASSWORD="mat-khau-thu-ky", XHHT_USER="quantri")
    assert wrong.returncode == 1
    assert "Xã Đức An" in _ok(
        _xhht(commune, "info", XHHT_PASSWORD="mat-khau-thu-ky", XHHT_USER="thuky")
    )
