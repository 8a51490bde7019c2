"""Removable drives (USB sticks, memory cards) a package can be written to or read from.

The wizards list them so that an official picks "the stick" rather than a
folder. Windows asks the kernel (``GetLogicalDrives`` and
``GetDriveTypeW``); Linux reads ``/proc/mounts`` and the ``removable`` flag
of each block device in ``/sys``, and also counts what the desktop mounts
under ``/media`` and ``/run/media`` (USB hard disks often say they are not
removable). The parsing is kept apart from the system calls so that tests
feed it fixture text.
"""

from __future__ import annotations

import os
import re
import shutil
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

DRIVE_REMOVABLE = 2  # GetDriveTypeW
MEDIA_ROOTS = ("/media/", "/run/media/")
# Mount options and file systems that are never a stick the user plugged in.
_PSEUDO = frozenset(
    {
        "proc",
        "sysfs",
        "tmpfs",
        "devtmpfs",
        "devpts",
        "cgroup",
        "cgroup2",
        "overlay",
        "squashfs",
        "autofs",
        "securityfs",
        "debugfs",
        "tracefs",
        "mqueue",
        "hugetlbfs",
        "pstore",
        "bpf",
        "configfs",
        "fusectl",
        "binfmt_misc",
        "nsfs",
        "ramfs",
    }
)
_OCTAL = re.compile(rb"\\([0-7]{3})")
_NUMBERED_DISK = re.compile(r"^((?:mmcblk|loop|md)\d+|nvme\d+n\d+)(?:p\d+)?$")
_LETTERED_DISK = re.compile(r"^((?:sd|hd|vd|xvd)[a-z]+)\d*$")

RemovableLookup = Callable[[str], bool]
"""Whether the block device of this name (``sdb``, ``sdb1``) is removable."""

Usage = Callable[[Path], tuple[int, int]]
"""Free and total bytes of the file system at a path; raises ``OSError`` when absent."""


@dataclass(frozen=True)
class RemovableDrive:
    """A mounted removable drive.

    Attributes:
        path: Where its files are (``E:\\`` or ``/media/user/USB``).
        label: The volume label, or the mount point's name when there is none.
        free: Free bytes.
        total: Size in bytes.
    """

    path: Path
    label: str
    free: int
    total: int


def _unescape(field: str) -> str:
    # /proc/mounts writes spaces, tabs, newlines and backslashes as \040 etc.;
    # an escaped byte may be half of a UTF-8 letter, so unescape bytes.
    raw = _OCTAL.sub(lambda match: bytes([int(match.group(1), 8)]), field.encode("utf-8"))
    return raw.decode("utf-8", errors="replace")


def disk_name(device: str) -> str:
    """The whole disk of a device node: ``/dev/sdb1`` → ``sdb``, ``mmcblk0p1`` → ``mmcblk0``."""
    name = device.rsplit("/", 1)[-1]
    match = _NUMBERED_DISK.match(name) or _LETTERED_DISK.match(name)
    return match.group(1) if match else name


def parse_mounts(text: str, is_removable: RemovableLookup) -> list[tuple[str, Path]]:
    """The removable mounts in the text of ``/proc/mounts``, as ``(device, mount point)``.

    A mount counts when its disk is flagged removable, or when it lies under
    ``/media`` or ``/run/media`` (where desktops mount what is plugged in).
    A device mounted twice is listed once, at its first mount point.

    Args:
        text: The content of ``/proc/mounts``.
        is_removable: Looks up the ``removable`` flag of a disk by name.
    """
    found: list[tuple[str, Path]] = []
    seen: set[str] = set()
    for line in text.splitlines():
        fields = line.split()
        if len(fields) < 3:
            continue
        device, mount_point, fs_type = _unescape(fields[0]), _unescape(fields[1]), fields[2]
        if fs_type in _PSEUDO or not device.startswith("/dev/") or device in seen:
            continue
        under_media = mount_point.startswith(MEDIA_ROOTS)
        if under_media or is_removable(disk_name(device)):
            seen.add(device)
            found.append((device, Path(mount_point)))
    return found


def sys_removable(name: str, sys_block: Path = Path("/sys/block")) -> bool:
    """The ``removable`` flag of a disk in ``/sys/block``; ``False`` when unknown."""
    try:
        return (sys_block / name / "removable").read_text(encoding="ascii").strip() == "1"
    except OSError:
        return False


def _labels(by_label: Path = Path("/dev/disk/by-label")) -> dict[str, str]:
    """Device path → volume label, from udev's ``by-label`` links."""
    labels: dict[str, str] = {}
    try:
        links = list(by_label.iterdir())
    except OSError:
        return labels
    for link in links:
        try:
            target = os.path.realpath(link)
        except OSError:
            continue
        # udev escapes spaces and slashes as \x20, \x2f.
        labels[target] = re.sub(
            r"\\x([0-9a-fA-F]{2})", lambda m: chr(int(m.group(1), 16)), link.name
        )
    return labels


def _usage(path: Path) -> tuple[int, int]:
    usage = shutil.disk_usage(path)
    return usage.free, usage.total


def _measured(entries: Iterable[tuple[Path, str]], usage: Usage) -> list[RemovableDrive]:
    drives = []
    for path, label in entries:
        try:
            free, total = usage(path)
        except OSError:
            continue  # a card reader without a card, a stick pulled out meanwhile
        drives.append(RemovableDrive(path=path, label=label, free=free, total=total))
    return drives


def linux_drives(
    mounts_text: str,
    is_removable: RemovableLookup = sys_removable,
    labels: dict[str, str] | None = None,
    usage: Usage = _usage,
) -> list[RemovableDrive]:
    """The removable drives described by the text of ``/proc/mounts``."""
    labels = _labels() if labels is None else labels
    entries = [
        (mount_point, labels.get(device) or mount_point.name or str(mount_point))
        for device, mount_point in parse_mounts(mounts_text, is_removable)
    ]
    return _measured(entries, usage)


def windows_drives(
    bitmask: int,
    drive_type: Callable[[str], int],
    volume_label: Callable[[str], str],
    usage: Usage = _usage,
) -> list[RemovableDrive]:
    """The removable drives among the letters set in ``bitmask`` (``GetLogicalDrives``).

    Args:
        bitmask: Bit 0 is ``A:``, bit 1 ``B:``…
        drive_type: ``GetDriveTypeW`` of a root such as ``"E:\\"``.
        volume_label: The label of a root ("" when none).
        usage: Free and total bytes.
    """
    entries = []
    for index in range(26):
        if not bitmask & (1 << index):
            continue
        root = f"{chr(ord('A') + index)}:\\"
        if drive_type(root) != DRIVE_REMOVABLE:
            continue
        entries.append((Path(root), volume_label(root) or root))
    return _measured(entries, usage)


def _windows() -> list[RemovableDrive]:  # pragma: no cover - Windows only
    import ctypes

    kernel32 = ctypes.windll.kernel32  # type: ignore[attr-defined]

    def label(root: str) -> str:
        buffer = ctypes.create_unicode_buffer(261)
        # Empty card readers would otherwise pop up "insert a disk".
        previous = kernel32.SetErrorMode(1)
        try:
            ok = kernel32.GetVolumeInformationW(
                ctypes.c_wchar_p(root), buffer, len(buffer), None, None, None, None, 0
            )
        finally:
            kernel32.SetErrorMode(previous)
        return buffer.value if ok else ""

    return windows_drives(
        int(kernel32.GetLogicalDrives()),
        lambda root: int(kernel32.GetDriveTypeW(ctypes.c_wchar_p(root))),
        label,
    )


def removable_drives() -> list[RemovableDrive]:
    """The removable drives mounted now; an empty list where none (or none can be found)."""
    if sys.platform == "win32":  # pragma: no cover - Windows only
        try:
            return _windows()
        except OSError:
            return []
    try:
        text = Path("/proc/mounts").read_text(encoding="utf-8", errors="replace")
    except OSError:
        return []  # macOS and other systems: the user picks a folder
    return linux_drives(text)


def packages_on(folder: Path, suffix: str = ".xhht") -> list[Path]:
    """The package files at the top of ``folder`` and one level below, newest first.

    Hidden and partial files (a write in progress) are left out.
    """
    found: list[tuple[float, Path]] = []
    try:
        children = list(Path(folder).iterdir())
    except OSError:
        return []
    candidates = []
    for child in children:
        if child.name.startswith("."):
            continue
        if child.is_dir():
            try:
                candidates.extend(c for c in child.iterdir() if not c.name.startswith("."))
            except OSError:
                continue
        else:
            candidates.append(child)
    for candidate in candidates:
        if candidate.suffix.lower() != suffix:
            continue
        try:
            stat = candidate.stat()
        except OSError:
            continue
        found.append((stat.st_mtime, candidate))
    return [path for _mtime, path in sorted(found, key=lambda item: (-item[0], str(item[1])))]
