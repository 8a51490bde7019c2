"""Disk, stick and permission faults while writing a file (store.files, store.backup).

Each fault is injected at the step where a real disk fails; the error is a
Vietnamese XhhtError that says what happened and what to do, the previous
file is untouched and no partial file is left under the final name.
"""

from __future__ import annotations

import errno
import os
import shutil
import sqlite3
import subprocess
import sys

import pytest

from xhht_desktop.errors import (
    BackupError,
    DeviceRemoved,
    DiskFull,
    FileLocked,
    FileWriteFailed,
    FolderReadOnly,
    XhhtError,
)
from xhht_desktop.store import backup, files
from xhht_desktop.store.files import Fault, injected, write_atomically


class SharingViolation(PermissionError):
    """What Windows raises when Excel holds the file open (winerror 32)."""

    winerror = 32


def _pull_the_stick(path):
    shutil.rmtree(path.parent)


# A fault is spent once it hits; each test builds its own.
FAULTS = {
    "full": (lambda: Fault("write", OSError(errno.ENOSPC, "No space left")), DiskFull),
    "read-only": (lambda: Fault("open", OSError(errno.EROFS, "Read-only")), FolderReadOnly),
    "no-permission": (
        lambda: Fault("open", PermissionError(errno.EACCES, "Permission denied")),
        FolderReadOnly,
    ),
    "stick-removed": (
        lambda: Fault("sync", OSError(errno.EIO, "I/O error"), action=_pull_the_stick),
        DeviceRemoved,
    ),
    "folder-gone": (
        lambda: Fault("rename", FileNotFoundError(errno.ENOENT, "No such file"), _pull_the_stick),
        DeviceRemoved,
    ),
    "locked": (lambda: Fault("rename", SharingViolation(errno.EACCES, "in use")), FileLocked),
}

WHAT_TO_DO = {
    DiskFull: "đã đầy",
    FolderReadOnly: "chỉ cho đọc",
    DeviceRemoved: "bị rút ra",
    FileLocked: "đang được mở trong một chương trình khác",
}


def _final_names(folder):
    if not folder.exists():
        return []
    return sorted(p.name for p in folder.iterdir())


@pytest.mark.parametrize("kind", FAULTS)
def test_each_fault_says_what_happened_and_keeps_the_old_file(tmp_path, kind):
    make, expected = FAULTS[kind]
    fault = make()
    folder = tmp_path / "usb"
    target = folder / "bao-cao.pdf"
    folder.mkdir()
    target.write_bytes(b"ban cu")
    with injected(fault), pytest.raises(expected) as caught:
        write_atomically(target, lambda handle: handle.write(b"ban moi " * 1000))
    error = caught.value
    assert isinstance(error, XhhtError) and isinstance(error, OSError)
    assert error.errno == fault.error.errno
    assert WHAT_TO_DO[expected] in error.message
    assert "Tệp cũ (nếu có) vẫn giữ nguyên" in error.message
    assert "làm lại" in error.message
    # Code that catches OSError and shows strerror shows the Vietnamese text.
    assert error.strerror == error.message
    if folder.exists():
        assert target.read_bytes() == b"ban cu"
        assert _final_names(folder) == ["bao-cao.pdf"]
    # Spent: the next write goes through.
    folder.mkdir(exist_ok=True)
    write_atomically(target, lambda handle: handle.write(b"lan sau"))
    assert target.read_bytes() == b"lan sau"


def test_a_new_file_that_fails_leaves_nothing_at_all(tmp_path):
    target = tmp_path / "goi.xhht"
    with (
        injected(Fault("write", OSError(errno.ENOSPC, "full"))),
        pytest.raises(DiskFull, match=r"goi\.xhht"),
    ):
        write_atomically(target, lambda handle: handle.write(b"x" * 10_000))
    assert list(tmp_path.iterdir()) == []


def test_an_unknown_os_error_is_still_explained(tmp_path):
    target = tmp_path / "a.xlsx"
    with (
        injected(Fault("sync", OSError(errno.EMLINK, "Too many links"))),
        pytest.raises(FileWriteFailed) as caught,
    ):
        write_atomically(target, lambda handle: handle.write(b"x"))
    assert type(caught.value) is FileWriteFailed
    assert "Too many links" in caught.value.message
    assert not target.exists()


@pytest.mark.skipif(
    os.name != "posix" or os.geteuid() == 0, reason="POSIX permissions; root ignores them"
)
def test_a_real_read_only_folder(tmp_path):
    folder = tmp_path / "chi-doc"
    folder.mkdir()
    (folder / "cu.pdf").write_bytes(b"cu")
    folder.chmod(0o555)
    try:
        with pytest.raises(FolderReadOnly):
            write_atomically(folder / "cu.pdf", lambda handle: handle.write(b"moi"))
        assert (folder / "cu.pdf").read_bytes() == b"cu"
        assert _final_names(folder) == ["cu.pdf"]
    finally:
        folder.chmod(0o755)


def _small_database(path):
    connection = sqlite3.connect(path)
    connection.executescript(
        "CREATE TABLE alembic_version (version_num TEXT);"
        "CREATE TABLE installation (id INTEGER);"
        "CREATE TABLE t (x TEXT);"
        "INSERT INTO t VALUES ('Nguyễn Văn An');"
    )
    connection.commit()
    connection.close()


@pytest.mark.parametrize("kind", ["full", "read-only", "stick-removed", "locked"])
def test_the_backup_writer_fails_the_same_way(tmp_path, kind):
    make, expected = FAULTS[kind]
    fault = make()
    database = tmp_path / "xhht.sqlite"
    _small_database(database)
    folder = tmp_path / "usb" / "sao-luu"
    folder.mkdir(parents=True)
    old = folder / "cu.xhht-backup.sqlite"
    old.write_bytes(b"ban cu")
    target = folder / "moi.xhht-backup.sqlite"
    with injected(fault), pytest.raises(expected) as caught:
        backup.copy_database(database, target)
    assert WHAT_TO_DO[expected] in caught.value.message
    if folder.exists():
        assert _final_names(folder) == ["cu.xhht-backup.sqlite"]
        assert old.read_bytes() == b"ban cu"


def test_an_automatic_backup_reports_the_fault_as_a_backup_error(tmp_path):
    database = tmp_path / "xhht.sqlite"
    _small_database(database)
    folder = tmp_path / "backups"
    with (
        injected(Fault("write", OSError(errno.ENOSPC, "full"))),
        pytest.raises(BackupError, match="đã đầy") as caught,
    ):
        backup.make_backup(database, folder, "khoi-dong", keep=3)
    assert "[XHHT005]" in str(caught.value)
    assert list(folder.iterdir()) == []


def test_leftovers_of_a_crash_are_cleaned_and_nothing_else(tmp_path):
    keep = ["xhht.sqlite", "bao-cao.pdf", "x.partial.pdf", ".an.txt"]
    gone = [
        ".bao-cao.pdf.1a2b3c4d.partial",
        "backups/xhht-1.xhht-backup.sqlite.partial",
        "keys/24717/encryption/.1ECD.key.e399ace9.partial",
    ]
    for name in keep + gone:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_bytes(b"x")
    removed = files.clean_leftovers(tmp_path)
    assert sorted(p.relative_to(tmp_path).as_posix() for p in removed) == sorted(gone)
    assert all((tmp_path / name).exists() for name in keep)


def _can_mount_tmpfs(point, options="size=2m"):
    """Mount a small tmpfs on ``point``: a real stick that fills up (root only)."""
    if sys.platform != "linux" or shutil.which("mount") is None:
        return False
    result = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(point)],
        capture_output=True,
        check=False,
    )
    return result.returncode == 0


def test_a_real_full_filesystem(tmp_path):
    point = tmp_path / "usb-2mb"
    point.mkdir()
    if not _can_mount_tmpfs(point):
        pytest.skip("mounting a 2 MB tmpfs is not permitted here (needs root or CAP_SYS_ADMIN)")
    try:
        target = point / "goi.xhht"
        write_atomically(target, lambda handle: handle.write(b"cu" * 1000))
        with pytest.raises(DiskFull, match="đã đầy"):
            write_atomically(target, lambda handle: handle.write(b"x" * (4 << 20)))
        assert target.read_bytes() == b"cu" * 1000
        assert _final_names(point) == ["goi.xhht"]
    finally:
        subprocess.run(["umount", str(point)], check=False)


def test_a_real_read_only_filesystem(tmp_path):
    point = tmp_path / "usb-khoa"
    point.mkdir()
    if not _can_mount_tmpfs(point, "ro,size=1m"):
        pytest.skip("mounting a read-only tmpfs is not permitted here (needs root)")
    try:
        with pytest.raises(FolderReadOnly, match="chỉ cho đọc"):
            write_atomically(point / "goi.xhht", lambda handle: handle.write(b"x"))
        assert _final_names(point) == []
    finally:
        subprocess.run(["umount", str(point)], check=False)
