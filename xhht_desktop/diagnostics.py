"""Diagnostics for the office: crash logs and the rotating app log.

An unexpected error (a bug, not an :class:`~xhht_desktop.errors.XhhtError`)
is written to ``<data folder>/logs/loi-YYYYMMDD-HHMMSS.txt`` with what a
developer needs to find it; the official can copy these files to a USB stick
and hand them to the office. Everything the app logs goes to
``<data folder>/logs/xhht.log``, which rotates so that it never fills a disk.
No Qt here: the window shows the message, this module writes the files.
"""

from __future__ import annotations

import logging
import logging.handlers
import platform
import sys
import traceback
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path
from types import TracebackType

from xhht_desktop import __version__
from xhht_desktop.store.files import write_atomically

LOGS_DIR_NAME = "logs"
APP_LOG_NAME = "xhht.log"
CRASH_PREFIX = "loi-"
CRASH_SUFFIX = ".txt"
#: One app log file is at most this big; this many older ones are kept.
APP_LOG_BYTES = 1_000_000
APP_LOG_BACKUPS = 5

_log = logging.getLogger(__name__)


def logs_dir(data_dir: Path) -> Path:
    """The folder of the crash logs and the app log inside ``data_dir``."""
    return Path(data_dir) / LOGS_DIR_NAME


def crash_report(
    exc_type: type[BaseException],
    exc: BaseException | None,
    tb: TracebackType | None,
    *,
    now: datetime,
    thread: str | None = None,
) -> str:
    """The text of a crash log: when, which version, where, and the traceback.

    Only what a developer needs to find the bug is written: the time, the app,
    Python and Qt versions and the operating system, and the traceback. The
    traceback holds the exception's message and the code's lines, which can
    quote a value being processed (a name that failed to parse, say); no
    other personal data, no form contents and no database rows are added.
    """
    lines = [
        "XHHT Desktop — nhật ký lỗi không mong muốn",
        f"Thời điểm: {now.isoformat(timespec='seconds')}",
        f"Phiên bản: {__version__}",
        f"Python: {platform.python_version()} ({platform.python_implementation()})",
        f"Qt: {_qt_versions()}",
        f"Hệ điều hành: {platform.platform()}",
    ]
    if thread:
        lines.append(f"Luồng: {thread}")
    lines += ["", *traceback.format_exception(exc_type, exc, tb)]
    return "\n".join(line.rstrip("\n") for line in lines) + "\n"


def _qt_versions() -> str:
    # Read from the installed distributions, so that this module never
    # imports Qt itself (the UI may not be loaded: a CLI run).
    from importlib import metadata

    try:
        return "PySide6 " + metadata.version("PySide6-Essentials")
    except metadata.PackageNotFoundError:
        return "không có"


def write_crash_log(
    folder: Path,
    exc_type: type[BaseException],
    exc: BaseException | None,
    tb: TracebackType | None,
    *,
    now: datetime | None = None,
    thread: str | None = None,
) -> Path:
    """Write one crash log into ``folder``; return its path.

    Two errors within the same second get ``-2``, ``-3``… so that none
    overwrites another.

    Raises:
        OSError: The folder cannot be written.
    """
    moment = now or datetime.now().astimezone()
    text = crash_report(exc_type, exc, tb, now=moment, thread=thread)
    stem = f"{CRASH_PREFIX}{moment:%Y%m%d-%H%M%S}"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{stem}{CRASH_SUFFIX}"
    number = 2
    while path.exists():
        path = folder / f"{stem}-{number}{CRASH_SUFFIX}"
        number += 1
    write_atomically(path, lambda handle: handle.write(text.encode("utf-8")))
    _log.error("Lỗi không mong muốn, nhật ký: %s\n%s", path, text)
    return path


def crash_logs(folder: Path) -> list[Path]:
    """The crash logs in ``folder``, newest first."""
    if not folder.is_dir():
        return []
    found = [p for p in folder.glob(f"{CRASH_PREFIX}*{CRASH_SUFFIX}") if p.is_file()]
    return sorted(found, key=lambda p: p.name, reverse=True)


def copy_logs(paths: Iterable[Path], target: Path) -> list[Path]:
    """Copy log files to ``target`` (a USB stick); return the copies.

    Each copy is written completely or not at all, so a stick pulled out
    too early never holds half a log under the real name.

    Raises:
        OSError: ``target`` cannot be written (stick full or removed).
    """
    copies = []
    for path in paths:
        data = Path(path).read_bytes()
        copies.append(write_atomically(target / Path(path).name, lambda h, d=data: h.write(d)))
    return copies


def configure_app_log(folder: Path) -> logging.Handler:
    """Send the app's log records to ``folder/xhht.log`` (rotating); return the handler.

    Called once by the GUI bootstrap. A second call for the same file
    returns the handler already installed.
    """
    target = (folder / APP_LOG_NAME).resolve()
    root = logging.getLogger()
    for handler in root.handlers:
        if isinstance(handler, logging.FileHandler) and Path(handler.baseFilename) == target:
            return handler
    folder.mkdir(parents=True, exist_ok=True)
    handler = logging.handlers.RotatingFileHandler(
        target, maxBytes=APP_LOG_BYTES, backupCount=APP_LOG_BACKUPS, encoding="utf-8"
    )
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.setLevel(logging.INFO)
    root.addHandler(handler)
    # The app's own records from INFO up; other libraries keep their level.
    app_logger = logging.getLogger("xhht_desktop")
    if app_logger.level == logging.NOTSET:
        app_logger.setLevel(logging.INFO)
    _log.info("XHHT Desktop %s khởi động (Python %s)", __version__, sys.version.split()[0])
    return handler


def remove_app_log(handler: logging.Handler) -> None:
    """Detach and close a handler from :func:`configure_app_log`."""
    logging.getLogger().removeHandler(handler)
    handler.close()
