"""What the About dialog says: the version, where the data is, and the licences.

The licences of the bundled components are read at run time from the
installed distributions' metadata (``importlib.metadata``), so the dialog
describes what is really installed; where a distribution does not declare
its licence in its metadata, :data:`KNOWN_LICENCES` says what its project
declares (checked by hand against the project's own files).
"""

from __future__ import annotations

import platform
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

from sqlalchemy.engine import make_url

from xhht_desktop import __version__
from xhht_desktop.resources import resource
from xhht_desktop.settings import Settings

APP_LICENCE = "GPL-3.0-or-later"


@dataclass(frozen=True)
class Component:
    """A component bundled with the app.

    Attributes:
        name: What it is called.
        version: Its installed version (``""`` for a resource, e.g. a font).
        licence: Its licence (an SPDX expression where one is known).
        from_metadata: Whether the licence was read from the installed
            metadata (else it comes from :data:`KNOWN_LICENCES`).
    """

    name: str
    version: str
    licence: str
    from_metadata: bool


#: The distributions the app loads at run time, with their display names.
DISTRIBUTIONS: tuple[tuple[str, str], ...] = (
    ("PySide6-Essentials", "Qt for Python (PySide6) và Qt"),
    ("PySide6-Addons", "PySide6 Addons (Qt Charts, Qt PDF)"),
    ("shiboken6", "Shiboken6"),
    ("SQLAlchemy", "SQLAlchemy"),
    ("alembic", "Alembic"),
    ("Mako", "Mako"),
    ("MarkupSafe", "MarkupSafe"),
    ("openpyxl", "openpyxl"),
    ("et_xmlfile", "et_xmlfile"),
    ("reportlab", "ReportLab"),
    ("pyHanko", "pyHanko"),
    ("pyhanko-certvalidator", "pyhanko-certvalidator"),
    ("asn1crypto", "asn1crypto"),
    ("cryptography", "cryptography"),
    ("cffi", "cffi"),
    ("pillow", "Pillow"),
    ("fonttools", "fontTools"),
    ("uharfbuzz", "uharfbuzz"),
    ("lxml", "lxml"),
    ("tzlocal", "tzlocal"),
    ("platformdirs", "platformdirs"),
    ("vietnam-provinces", "vietnam-provinces (danh mục đơn vị hành chính)"),
    ("multidict", "multidict"),
    ("sqlcipher3", "sqlcipher3 (mã hóa dữ liệu)"),
    ("typing_extensions", "typing_extensions"),
)

#: Licences of distributions whose metadata does not state one.
KNOWN_LICENCES: dict[str, str] = {
    # pyproject.toml of sunshine-tech/VietnamProvinces: license = "GPL-3.0-or-later".
    "vietnam-provinces": "GPL-3.0-or-later",
    # dist-info/licenses/LICENSE is the zlib licence (pysqlite's); the SQLCipher
    # library it binds is BSD-3-Clause.
    "sqlcipher3": "Zlib (thư viện SQLCipher: BSD-3-Clause)",
    "PySide6-Essentials": "LGPL-3.0-only OR GPL-2.0-only OR GPL-3.0-only",
    "PySide6-Addons": "LGPL-3.0-only OR GPL-2.0-only OR GPL-3.0-only",
    "shiboken6": "LGPL-3.0-only OR GPL-2.0-only OR GPL-3.0-only",
}

#: Resources shipped with the app that are not Python distributions:
#: name, licence, licence file under ``resources/``.
RESOURCES: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    (
        "Phông chữ Liberation Serif 2.1.5",
        "OFL-1.1 (SIL Open Font License 1.1)",
        ("fonts", "LICENSE-LiberationSerif.txt"),
    ),
)

_CLASSIFIER_PREFIX = "License :: OSI Approved :: "


def licence_of(meta: metadata.PackageMetadata) -> str | None:
    """The licence a distribution declares: SPDX expression, short field, or classifier."""
    expression = (meta.get("License-Expression") or "").strip()
    if expression:
        return expression
    field = (meta.get("License") or "").strip()
    # Some projects paste the whole licence text into this field.
    if field and "\n" not in field and len(field) <= 80:
        return field
    classifiers = [
        c.removeprefix(_CLASSIFIER_PREFIX)
        for c in meta.get_all("Classifier") or []
        if c.startswith(_CLASSIFIER_PREFIX)
    ]
    if classifiers:
        return " OR ".join(classifiers)
    if field:
        return field.splitlines()[0][:80]
    return None


def components() -> list[Component]:
    """The bundled components that are installed, with their licences."""
    found = []
    for distribution, name in DISTRIBUTIONS:
        try:
            meta = metadata.metadata(distribution)
        except metadata.PackageNotFoundError:
            continue
        declared = licence_of(meta)
        if declared is not None:
            found.append(Component(name, meta["Version"], declared, True))
        else:
            licence = KNOWN_LICENCES.get(distribution, "không rõ")
            found.append(Component(name, meta["Version"], licence, False))
    for name, licence, _parts in RESOURCES:
        found.append(Component(name, "", licence, False))
    return found


def licence_files() -> list[tuple[str, Path]]:
    """The licence texts shipped in ``resources/``: (what, file)."""
    return [(name, resource(*parts)) for name, _licence, parts in RESOURCES]


@dataclass(frozen=True)
class AboutFacts:
    """The facts the About dialog shows.

    Attributes:
        version: The app's version.
        licence: The app's own licence.
        data_dir: The data folder (database, backups, logs).
        database: The SQLite file, or the server URL without its password.
        logs_dir: Where the crash logs and the app log are.
        python: Python's version and implementation.
        system: The operating system.
    """

    version: str
    licence: str
    data_dir: Path
    database: str
    logs_dir: Path
    python: str
    system: str


def about_facts(settings: Settings) -> AboutFacts:
    """What the About dialog says about this installation."""
    from xhht_desktop.diagnostics import logs_dir

    file = settings.database_file
    if file is not None:
        database = str(file)
    else:
        database = make_url(settings.database_url).render_as_string(hide_password=True)
    return AboutFacts(
        version=__version__,
        licence=APP_LICENCE,
        data_dir=settings.data_dir,
        database=database,
        logs_dir=logs_dir(settings.data_dir),
        python=f"{platform.python_version()} ({platform.python_implementation()})",
        system=platform.platform(),
    )
