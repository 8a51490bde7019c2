"""``xhht forms --check`` and ``--list``, run as a user runs them."""

import json
import os
import subprocess
import sys
from pathlib import Path

from xhht_desktop.resources import forms_dir


def xhht(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "xhht_desktop", *args],
        capture_output=True,
        text=True,
        env=dict(os.environ),
        timeout=120,
    )


def test_the_shipped_folder_checks_clean(data_dir):
    done = xhht("forms", "--check")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "không có lỗi" in done.stdout


def test_a_broken_copy_fails_with_file_line_and_code(data_dir, tmp_path: Path):
    broken = tmp_path / "tinh" / "criteria" / "gdht_tinh.toml"
    broken.parent.mkdir(parents=True)
    text = (forms_dir() / "criteria" / "gia_dinh_hoc_tap.toml").read_text(encoding="utf-8")
    lines = text.replace('id = "gdht-448"', 'id = "gdht-tinh"').splitlines()
    number = lines.index("[pass]") + 2
    lines.insert(number - 1, "min_totl = 75")
    broken.write_text("\n".join(lines) + "\n", encoding="utf-8")

    done = xhht("forms", "--check", "--dir", str(tmp_path / "tinh"))
    assert done.returncode == 1
    assert f"{broken}:{number}: [F003]" in done.stdout
    assert "'min_totl'" in done.stdout

    as_json = xhht("forms", "--check", "--json", "--dir", str(tmp_path / "tinh"))
    assert as_json.returncode == 1
    report = json.loads(as_json.stdout)
    assert report["files"] == 1 and report["definitions"] == 0
    assert [(p["file"], p["line"], p["code"]) for p in report["problems"]] == [
        (str(broken), number, "F003")
    ]


def test_the_list(data_dir):
    done = xhht("forms", "--list", "--json")
    assert done.returncode == 0, done.stderr
    listed = {item["id"]: item for item in json.loads(done.stdout)}
    assert listed["gdht-448"]["kind"] == "criteria" and listed["gdht-448"]["version"] == 1
    text = xhht("forms", "--list")
    assert "Gia đình học tập" in text.stdout


def test_a_missing_folder_is_a_usage_error(data_dir, tmp_path: Path):
    done = xhht("forms", "--dir", str(tmp_path / "khong-co"))
    assert done.returncode == 2
    assert "không có thư mục" in done.stderr
