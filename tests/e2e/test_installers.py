"""The Windows installer and the Linux bundle, built by installer/build.sh, run the app.

A frozen or embedded app fails on the user's machine for files the checkout
has and the build forgot (forms, fonts, migrations, Qt plugins, DLLs): these
tests run the built artefacts with nothing of the development install in
reach: a clean environment, HOME in a temporary folder, no /tmp/venv on PATH.

Windows: the installer is installed silently under Wine, in a new Wine
prefix, and its ``xhht.exe`` runs the commands and ``gui --smoke`` (on an X
server: Qt's offscreen platform never paints under Wine, its ``windows``
platform does). Wine 8 (Debian 12) lacks two DLLs every supported Windows
has, ``icuuc.dll`` (Qt6Core) and ``bcryptprimitives.dll`` (cryptography's
Rust core); installer/wine/ has test-only stand-ins, compiled with MinGW into
the Wine prefix, never into the installer.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import tarfile
import time
from pathlib import Path

import pytest
from pypdf import PdfReader

ROOT = Path(__file__).resolve().parents[2]
VERSION = re.search(
    r'^__version__ = "(.+)"$', (ROOT / "xhht_desktop" / "__init__.py").read_text(), re.M
).group(1)
SETUP = ROOT / "dist" / f"XHHT-Desktop-{VERSION}-setup.exe"
BUNDLE = ROOT / "dist" / f"xhht-desktop-{VERSION}-linux-x86_64.tar.gz"
STAGING = ROOT / "build" / "windows" / "staging"
PASSWORD = "mat-khau-kiem-thu"

pytestmark = pytest.mark.slow


def _clean_env(home: Path, **extra: str) -> dict[str, str]:
    """Only what a user's session has: no virtual environment, no XHHT_ settings."""
    env = {
        "PATH": "/usr/local/bin:/usr/bin:/bin",
        "HOME": str(home),
        "LANG": "C.UTF-8",
        "XHHT_KEY_PASSWORD": PASSWORD,
    }
    env.update(extra)
    return env


def _run(args: list[str], env: dict[str, str], cwd: Path, timeout: int = 300):
    # No terminal: Wine's console would hand Python invalid standard handles.
    return subprocess.run(
        args,
        env=env,
        cwd=cwd,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


@pytest.fixture(scope="module")
def built() -> dict[str, Path]:
    """Both artefacts, built once for the module from this checkout.

    XHHT_TEST_REUSE_BUILD=1 tests what dist/ and build/ already hold (trying
    out the tests themselves); CI always builds.
    """
    if os.environ.get("XHHT_TEST_REUSE_BUILD") == "1" and SETUP.exists() and BUNDLE.exists():
        return {"setup": SETUP, "bundle": BUNDLE}
    started = time.monotonic()
    build = subprocess.run(
        ["bash", str(ROOT / "installer" / "build.sh")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=1800,
        check=False,
    )
    assert build.returncode == 0, build.stdout[-3000:] + build.stderr[-5000:]
    print(f"\nbuild.sh: {time.monotonic() - started:.0f} s")
    for artefact in (SETUP, BUNDLE):
        print(f"{artefact.name}: {artefact.stat().st_size / 2**20:.1f} MiB")
    print(_installer_pages())
    return {"setup": SETUP, "bundle": BUNDLE}


def _installer_pages() -> str:
    """The installer's and uninstaller's pages, in order, from the NSIS script."""
    script = (ROOT / "installer" / "xhht.nsi").read_text(encoding="utf-8")
    pages = re.findall(r"^!insertmacro (MUI_(?:UN)?PAGE_\w+)", script, re.M)
    return "NSIS pages: " + ", ".join(pages)


# -- Linux bundle ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def bundle(built, tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("bundle")
    with tarfile.open(built["bundle"]) as archive:
        archive.extractall(folder, filter="tar")
    (top,) = folder.iterdir()
    assert top.name == f"xhht-desktop-{VERSION}-linux-x86_64"
    return top / "xhht"


def test_the_linux_bundle_sets_up_fills_reports_hands_over_and_shows_a_commune(bundle, tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    env = _clean_env(home, QT_QPA_PLATFORM="offscreen")

    def xhht(*args: str) -> subprocess.CompletedProcess[str]:
        done = _run([str(bundle), *args], env, tmp_path)
        assert done.returncode == 0, (args, done.stdout, done.stderr)
        assert "Traceback" not in done.stderr
        return done

    xhht("init", "--role", "commune", "--commune-code", "24717", "--year", "2026")
    xhht("demo", "--persons", "60", "--seed", "2")
    assert json.loads(xhht("info", "--json").stdout)["counts"]["persons"] == 60
    # The default data folder, found by platformdirs inside the bundle.
    assert (home / ".local" / "share" / "XHHT Desktop" / "xhht.sqlite").is_file()

    xhht("gui", "--smoke")
    # On an X server too, as on a Linux desktop: the xcb plugin and its libraries.
    if shutil.which("xvfb-run"):
        on_x = _run(
            ["xvfb-run", "-a", str(bundle), "gui", "--smoke"],
            {k: v for k, v in env.items() if k != "QT_QPA_PLATFORM"},
            tmp_path,
        )
        assert on_x.returncode == 0, on_x.stderr

    report = tmp_path / "ket-qua.pdf"
    xhht("report", "ket-qua", "--year", "2026", "--format", "pdf", "--out", str(report))
    text = "".join(page.extract_text() for page in PdfReader(report).pages)
    assert "Ủy ban nhân dân xã Đức An" in text
    # The bundled Liberation Serif, not a Helvetica without Vietnamese glyphs.
    fonts = {f["/BaseFont"] for p in PdfReader(report).pages for f in _fonts(p)}
    assert any("LiberationSerif" in str(font) for font in fonts), fonts

    xhht("cert", "create", "--key-type", "ec")
    package = tmp_path / "usb" / "xa-duc-an.xhht"
    out = xhht("export-package", "--year", "2026", "--out", str(package)).stdout
    assert "an toàn để rút USB" in out
    assert "Gói do chính đơn vị này ký." in xhht("verify-package", str(package)).stdout


def _fonts(page) -> list:
    resources = page.get("/Resources") or {}
    fonts = resources.get("/Font") or {}
    return [fonts[name].get_object() for name in fonts]


# -- Windows installer: contents ----------------------------------------------------------------


def test_the_windows_installer_carries_python_qt_the_app_data_and_every_dll(built):
    listing = subprocess.run(
        ["7z", "l", "-slt", str(built["setup"])], capture_output=True, text=True, check=True
    ).stdout
    paths = {
        line.removeprefix("Path = ").replace("\\", "/")
        for line in listing.splitlines()
        if line.startswith("Path = ")
    }
    site = "Python/Lib/site-packages"
    needed = [
        "xhht.exe",
        "xhhtw.exe",
        "xhht.ico",
        "Python/python.exe",
        "Python/pythonw.exe",
        "Python/python311.dll",
        "Python/python311.zip",
        "Python/python311._pth",
        "Python/vcruntime140.dll",
        f"{site}/PySide6/Qt6Core.dll",
        f"{site}/PySide6/Qt6Widgets.dll",
        f"{site}/PySide6/Qt6Charts.dll",
        f"{site}/PySide6/Qt6Pdf.dll",
        f"{site}/PySide6/QtPdfWidgets.pyd",
        f"{site}/PySide6/plugins/platforms/qwindows.dll",
        f"{site}/PySide6/plugins/iconengines/qsvgicon.dll",
        f"{site}/shiboken6/msvcp140.dll",
        f"{site}/xhht_desktop/cli.py",
        f"{site}/xhht_desktop/_data/resources/fonts/LiberationSerif-Regular.ttf",
        f"{site}/xhht_desktop/_data/resources/icons/xhht.svg",
        f"{site}/xhht_desktop/store/migrations/env.py",
        f"{site}/xhht_desktop/store/migrations/script.py.mako",
        f"{site}/vietnam_provinces/data/flat-divisions.json",
        f"{site}/tzdata/zoneinfo/Asia/Ho_Chi_Minh",
    ]
    assert [path for path in needed if path not in paths] == []
    # Every file of the checkout's forms/ and migrations, not just one.
    for folder, target in (
        (ROOT / "forms", f"{site}/xhht_desktop/_data/forms"),
        (ROOT / "xhht_desktop" / "store" / "migrations" / "versions", None),
    ):
        for file in folder.rglob("*"):
            if file.is_file() and "__pycache__" not in file.parts:
                relative = file.relative_to(ROOT).as_posix()
                expected = (
                    f"{target}/{file.relative_to(folder).as_posix()}"
                    if target
                    else f"{site}/{relative}"
                )
                assert expected in paths, expected
    # The database encryption's native module, when the app depends on it.
    if "sqlcipher3" in (ROOT / "pyproject.toml").read_text():
        assert any(re.match(rf"{site}/sqlcipher3/.*\.pyd$", p) for p in paths)
    # Qt WebEngine and its 200 MB stay out.
    assert not [p for p in paths if "WebEngine" in p and p.endswith((".dll", ".pyd", ".exe"))]

    # Each DLL and extension imports only DLLs that are in the tree or in Windows.
    check = subprocess.run(
        [str(ROOT / "build" / "venv" / "bin" / "python"), str(ROOT / "installer" / "windows.py"),
         "check", str(STAGING)],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    assert json.loads(check.stdout) == {}


# -- Windows installer: under Wine ----------------------------------------------------------------


@pytest.fixture(scope="module")
def wine(built, tmp_path_factory) -> dict:
    """A new Wine prefix with the installer installed silently (``/S``)."""
    for tool in ("wine", "xvfb-run", "x86_64-w64-mingw32-gcc"):
        if shutil.which(tool) is None:
            pytest.skip(f"{tool} is not installed (.ci/run installs it)")
    work = tmp_path_factory.mktemp("wine")
    home = work / "home"
    home.mkdir()
    env = _clean_env(
        home, WINEPREFIX=str(work / "prefix"), WINEDEBUG="-all", WINEDLLOVERRIDES="mscoree,mshtml="
    )
    boot = _run(["wineboot", "--init"], env, work, timeout=300)
    assert boot.returncode == 0, boot.stderr
    _run(["wineserver", "-w"], env, work)
    system32 = work / "prefix" / "drive_c" / "windows" / "system32"
    for shim, libs in (("icuuc", []), ("bcryptprimitives", ["-ladvapi32"])):
        source = ROOT / "installer" / "wine" / f"{shim}.c"
        target = system32 / f"{shim}.dll"
        subprocess.run(
            ["x86_64-w64-mingw32-gcc", "-O2", "-shared", "-o", str(target), str(source), *libs],
            check=True,
        )

    started = time.monotonic()
    install = _run(["wine", str(built["setup"]), "/S"], env, work, timeout=600)
    _run(["wineserver", "-w"], env, work)
    print(f"\nsilent install under Wine: {time.monotonic() - started:.0f} s")
    assert install.returncode == 0, install.stderr
    (user,) = (work / "prefix" / "drive_c" / "users").glob("*/AppData/Local/Programs/XHHT Desktop")
    user = user.parents[3]
    return {"env": env, "work": work, "user": user, "prefix": work / "prefix"}


def _windows_path(path: Path) -> str:
    """C:\\… for a file under the prefix's drive_c."""
    drive_c = next(p for p in path.parents if p.name == "drive_c")
    return "C:\\" + str(path.relative_to(drive_c)).replace("/", "\\")


def _wine_xhht(wine: dict, *args: str, display: bool = False) -> subprocess.CompletedProcess[str]:
    exe = wine["user"] / "AppData" / "Local" / "Programs" / "XHHT Desktop" / "xhht.exe"
    command = ["wine", str(exe), *args]
    if display:
        command = ["xvfb-run", "-a", "-s", "-screen 0 1280x800x24", *command]
    done = _run(command, wine["env"], wine["work"], timeout=600)
    assert done.returncode == 0, (args, done.stdout, done.stderr)
    assert "Traceback" not in done.stderr
    return done


def test_the_installer_installs_per_user_with_shortcuts_and_the_xhht_association(wine):
    user = wine["user"]
    program = user / "AppData" / "Local" / "Programs" / "XHHT Desktop"
    for name in ("xhht.exe", "xhhtw.exe", "xhht.ico", "Uninstall.exe", "Python/python311.dll"):
        assert (program / name).is_file(), name
    menu = user / "AppData" / "Roaming" / "Microsoft" / "Windows" / "Start Menu" / "Programs"
    assert (menu / "XHHT Desktop" / "XHHT Desktop.lnk").is_file()
    assert (menu / "XHHT Desktop" / "Gỡ cài đặt XHHT Desktop.lnk").is_file()
    assert (
        list(Path(wine["env"]["HOME"]).rglob("XHHT Desktop.lnk"))
        or (user / "Desktop" / "XHHT Desktop.lnk").is_file()
    )

    registry = (wine["prefix"] / "user.reg").read_text(encoding="utf-8", errors="replace")
    assert "[Software\\\\Classes\\\\.xhht]" in registry
    command = registry.split(
        "[Software\\\\Classes\\\\XHHTDesktop.Package\\\\shell\\\\open\\\\command]"
    )[1]
    assert 'xhhtw.exe\\" gui --open \\"%1\\""' in command.split("\n\n")[0]
    assert "[Software\\\\Microsoft\\\\Windows\\\\CurrentVersion\\\\Uninstall\\\\XHHT Desktop]" in (
        registry
    )
    # Per user: nothing written for the machine.
    system = (wine["prefix"] / "system.reg").read_text(encoding="utf-8", errors="replace")
    assert "XHHT" not in system


def test_the_installed_app_runs_under_windows_python(wine):
    _wine_xhht(wine, "init", "--role", "commune", "--commune-code", "24717", "--year", "2026")
    _wine_xhht(wine, "demo", "--persons", "40", "--seed", "3")
    data = wine["user"] / "AppData" / "Local" / "XHHT Desktop"
    assert (data / "xhht.sqlite").is_file()

    _wine_xhht(wine, "report", "xoa-mu-chu", "--year", "2026", "--format", "pdf",
               "--out", _windows_path(wine["user"] / "bao-cao.pdf"))  # fmt: skip
    text = "".join(p.extract_text() for p in PdfReader(wine["user"] / "bao-cao.pdf").pages)
    assert "XÃ ĐỨC AN" in text

    _wine_xhht(wine, "cert", "create", "--key-type", "ec")
    package = _windows_path(wine["user"] / "goi.xhht")
    out = _wine_xhht(wine, "export-package", "--year", "2026", "--out", package)
    assert "an toàn để rút USB" in out.stdout

    _wine_xhht(wine, "gui", "--smoke", display=True)


def test_the_uninstaller_removes_the_program_and_keeps_the_data(wine):
    # Ordered last in this module: it removes what the tests above ran.
    _wine_xhht(wine, "backup")
    program = wine["user"] / "AppData" / "Local" / "Programs" / "XHHT Desktop"
    done = _run(["wine", str(program / "Uninstall.exe"), "/S"], wine["env"], wine["work"])
    assert done.returncode == 0, done.stderr
    _run(["wineserver", "-w"], wine["env"], wine["work"])
    # The uninstaller copies itself away and runs from there: give it time.
    deadline = time.monotonic() + 120
    while (program / "Python").exists() and time.monotonic() < deadline:
        time.sleep(1)
    assert not (program / "Python").exists()
    assert not (program / "xhht.exe").exists()
    data = wine["user"] / "AppData" / "Local" / "XHHT Desktop"
    assert (data / "xhht.sqlite").is_file()
    assert list((data / "backups").glob("*"))
    registry = (wine["prefix"] / "user.reg").read_text(encoding="utf-8", errors="replace")
    assert "XHHTDesktop.Package" not in registry
