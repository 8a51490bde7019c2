"""Where the app's data files are: ``forms/`` and ``resources/``.

In a checkout they sit at the top of the repository; an installed wheel (and
the frozen bundles) carry them inside the package as ``_data/``. Nothing else
in the code builds a path to them.
"""

from __future__ import annotations

import sys
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def _data_root() -> Path:
    frozen = getattr(sys, "_MEIPASS", None)
    candidates = [Path(frozen) / "xhht_desktop" / "_data"] if frozen else []
    candidates += [_PACKAGE / "_data", _PACKAGE.parent]
    for candidate in candidates:
        if (candidate / "forms").is_dir() and (candidate / "resources").is_dir():
            return candidate
    raise FileNotFoundError("the app's forms/ and resources/ folders are missing from this install")


def forms_dir() -> Path:
    return _data_root() / "forms"


def resources_dir() -> Path:
    return _data_root() / "resources"


def resource(*parts: str) -> Path:
    """Return the path of a file under ``resources/``."""
    return resources_dir().joinpath(*parts)
