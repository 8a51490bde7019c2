"""A damaged database on the command line: refused with advice, then ``xhht restore --newest``."""

from __future__ import annotations

import hashlib

import pytest

from xhht_desktop.cli import main


@pytest.fixture
def xhht(data_dir, capsys):
    """Run ``xhht --db DB ARGS`` in this process; returns (exit code, stdout, stderr)."""
    db = data_dir / "xhht.sqlite"

    def run(*args: str) -> tuple[int, str, str]:
        code = main(["--db", str(db), *args])
        out, err = capsys.readouterr()
        return code, out, err

    return run


def _damage(path):
    pages = path.stat().st_size // 4096
    with path.open("r+b") as handle:
        for number in range(pages // 3, pages // 3 + max(pages // 4, 3)):
            handle.seek(number * 4096)
            handle.write(b"\xa5" * 4096)


def _sha(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_a_damaged_database_is_refused_then_restored_from_the_newest_backup(xhht, data_dir):
    assert xhht("init", "--role", "commune", "--commune-code", "24717", "--year", "2026")[0] == 0
    assert xhht("demo", "--persons", "200", "--seed", "4", "--year", "2026")[0] == 0
    assert xhht("backup")[0] == 0
    database = data_dir / "xhht.sqlite"
    _damage(database)
    before = _sha(database)

    code, _out, err = xhht("info")
    assert code == 1
    assert "bị hỏng" in err
    assert "xhht restore --newest" in err
    assert _sha(database) == before

    code, out, err = xhht("restore", "--newest")
    assert code == 0, err
    assert "Đã chuyển tệp hỏng vào:" in out
    assert "Đã khôi phục bản sao lưu ngày" in out
    kept = list((data_dir / "hong").glob("*/xhht.sqlite"))
    assert [_sha(path) for path in kept] == [before]

    code, out, err = xhht("info", "--json")
    assert code == 0, err
    assert '"persons": 200' in out


def test_restore_newest_on_a_sound_database_keeps_a_safety_copy(xhht, data_dir):
    assert xhht("init", "--role", "commune", "--commune-code", "24717", "--year", "2026")[0] == 0
    assert xhht("backup")[0] == 0
    code, out, err = xhht("restore", "--newest")
    assert code == 0, err
    assert "Đã khôi phục từ:" in out
    assert "Dữ liệu trước khi khôi phục được giữ tại:" in out
    assert not (data_dir / "hong").exists()


def test_restore_needs_a_file_or_newest(xhht):
    assert xhht("init", "--role", "commune", "--commune-code", "24717", "--year", "2026")[0] == 0
    code, _out, err = xhht("restore")
    assert code == 2
    assert "--newest" in err


def test_restore_newest_without_any_backup_says_so(xhht, data_dir):
    assert xhht("init", "--role", "commune", "--commune-code", "24717", "--year", "2026")[0] == 0
    _damage(data_dir / "xhht.sqlite")
    code, _out, err = xhht("restore", "--newest")
    assert code == 1
    assert "Không có bản sao lưu tốt nào" in err
