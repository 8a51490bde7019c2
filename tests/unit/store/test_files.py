import os

import pytest

from xhht_desktop.store.files import write_atomically


def test_a_file_is_written_whole_and_its_folder_created(tmp_path):
    target = tmp_path / "ra" / "mau.xlsx"
    assert write_atomically(target, lambda handle: handle.write(b"day du")) == target
    assert target.read_bytes() == b"day du"
    assert [p.name for p in target.parent.iterdir()] == ["mau.xlsx"]


def test_a_failed_write_leaves_the_old_file_and_no_temporary(tmp_path):
    target = tmp_path / "mau.xlsx"
    target.write_bytes(b"cu")

    def half_then_fail(handle):
        handle.write(b"nua")
        raise OSError("disk full")

    with pytest.raises(OSError, match="disk full"):
        write_atomically(target, half_then_fail)
    assert target.read_bytes() == b"cu"
    assert [p.name for p in tmp_path.iterdir()] == ["mau.xlsx"]


@pytest.mark.skipif(os.name != "posix", reason="POSIX permission bits")
def test_a_new_file_gets_the_permissions_the_umask_gives(tmp_path):
    # Not the 0600 of a temporary file: the user shares reports and templates.
    mask = os.umask(0)
    os.umask(mask)
    target = tmp_path / "mau.xlsx"
    write_atomically(target, lambda handle: handle.write(b"x"))
    assert target.stat().st_mode & 0o777 == 0o666 & ~mask
