"""Finding the USB sticks: /proc/mounts and /sys on Linux, drive letters on Windows."""

from __future__ import annotations

import os
import textwrap
from pathlib import Path

import pytest

from xhht_desktop.exchange import drives
from xhht_desktop.exchange.drives import RemovableDrive

MOUNTS = textwrap.dedent(
    r"""
    proc /proc proc rw,relatime 0 0
    sysfs /sys sysfs rw,relatime 0 0
    tmpfs /run tmpfs rw,nosuid 0 0
    /dev/nvme0n1p2 / ext4 rw,relatime 0 0
    /dev/nvme0n1p1 /boot/efi vfat rw 0 0
    /dev/sdb1 /media/lan/USB\040C\303\201N\040B\341\273\230 vfat rw,nosuid 0 0
    /dev/sdb1 /mnt/again vfat rw 0 0
    /dev/mmcblk0p1 /mnt/card exfat rw 0 0
    /dev/sdc1 /run/media/lan/Seagate ntfs3 rw 0 0
    /dev/sdd1 /srv/data ext4 rw 0 0
    overlay /var/lib/docker/overlay overlay rw 0 0
    """
)
REMOVABLE = {"sdb", "mmcblk0"}


def test_disk_names_drop_the_partition_number() -> None:
    assert drives.disk_name("/dev/sdb1") == "sdb"
    assert drives.disk_name("/dev/sdab12") == "sdab"
    assert drives.disk_name("/dev/mmcblk0p1") == "mmcblk0"
    assert drives.disk_name("/dev/mmcblk0") == "mmcblk0"
    assert drives.disk_name("/dev/nvme0n1p2") == "nvme0n1"
    assert drives.disk_name("/dev/sr0") == "sr0"


def test_removable_mounts_are_the_flagged_disks_and_what_the_desktop_mounts() -> None:
    asked: list[str] = []

    def removable(name: str) -> bool:
        asked.append(name)
        return name in REMOVABLE

    found = drives.parse_mounts(MOUNTS, removable)
    assert found == [
        ("/dev/sdb1", Path("/media/lan/USB CÁN BỘ")),  # octal escapes, UTF-8 bytes
        ("/dev/mmcblk0p1", Path("/mnt/card")),  # flagged removable, mounted elsewhere
        ("/dev/sdc1", Path("/run/media/lan/Seagate")),  # a USB disk that says it is fixed
    ]
    assert "nvme0n1" in asked and "sdd" in asked  # the fixed disks were looked up, refused


def test_linux_drives_carry_label_and_space_and_skip_vanished_ones() -> None:
    def usage(path: Path) -> tuple[int, int]:
        if path == Path("/mnt/card"):
            raise FileNotFoundError(path)  # pulled out between the two reads
        return 1_000, 8_000

    found = drives.linux_drives(
        MOUNTS,
        lambda name: name in REMOVABLE,
        labels={"/dev/sdc1": "SEAGATE 1TB"},
        usage=usage,
    )
    assert found == [
        RemovableDrive(Path("/media/lan/USB CÁN BỘ"), "USB CÁN BỘ", 1_000, 8_000),
        RemovableDrive(Path("/run/media/lan/Seagate"), "SEAGATE 1TB", 1_000, 8_000),
    ]


def test_the_removable_flag_is_read_from_sys_block(tmp_path: Path) -> None:
    for name, flag in (("sdb", "1\n"), ("sda", "0\n")):
        (tmp_path / name).mkdir()
        (tmp_path / name / "removable").write_text(flag)
    assert drives.sys_removable("sdb", tmp_path)
    assert not drives.sys_removable("sda", tmp_path)
    assert not drives.sys_removable("sdz", tmp_path)


def test_windows_lists_removable_letters_with_their_labels() -> None:
    types = {"A:\\": 2, "C:\\": 3, "E:\\": 2, "F:\\": 2, "Z:\\": 4}
    bitmask = sum(1 << (ord(root[0]) - ord("A")) for root in types)

    def usage(path: Path) -> tuple[int, int]:
        if str(path) == str(Path("A:\\")):
            raise OSError("no disk in drive")  # an empty floppy or card reader
        return 2_000, 16_000

    found = drives.windows_drives(
        bitmask, types.__getitem__, lambda root: {"E:\\": "KINGSTON"}.get(root, ""), usage
    )
    assert [(str(d.path), d.label) for d in found] == [
        (str(Path("E:\\")), "KINGSTON"),
        (str(Path("F:\\")), "F:\\"),
    ]


def test_on_this_machine_the_real_call_does_not_fail() -> None:
    found = drives.removable_drives()
    assert isinstance(found, list)
    for drive in found:
        assert drive.total >= drive.free >= 0


def test_packages_are_found_on_the_stick_and_one_folder_down(tmp_path: Path) -> None:
    (tmp_path / "XHHT").mkdir()
    older = tmp_path / "24717-2025.xhht"
    newer = tmp_path / "XHHT" / "24717-2026.XHHT"
    for path in (older, newer, tmp_path / ".24717.xhht.ab12.partial", tmp_path / "note.txt"):
        path.write_bytes(b"x")
    (tmp_path / ".hidden.xhht").write_bytes(b"x")
    os.utime(older, (1_000_000, 1_000_000))
    assert drives.packages_on(tmp_path) == [newer, older]
    assert drives.packages_on(tmp_path / "missing") == []


@pytest.mark.parametrize("text", ["", "garbage\n\n", "/dev/sdb1\n"])
def test_odd_mount_text_yields_nothing(text: str) -> None:
    assert drives.parse_mounts(text, lambda _name: True) == []
