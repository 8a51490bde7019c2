"""Architecture rules that a test can hold: Qt stays in ui/ and app.py."""

import pkgutil
import subprocess
import sys

import xhht_desktop

NON_QT = sorted(
    m.name
    for m in pkgutil.walk_packages(xhht_desktop.__path__, "xhht_desktop.")
    if not m.name.startswith(("xhht_desktop.ui", "xhht_desktop.app", "xhht_desktop.__main__"))
    and ".migrations" not in m.name
)


def test_no_module_outside_ui_imports_qt():
    assert "xhht_desktop.services.setup" in NON_QT
    code = (
        "import importlib, sys\n"
        f"for name in {NON_QT!r}:\n"
        "    importlib.import_module(name)\n"
        "print(sorted(m for m in sys.modules if m.startswith('PySide6')))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"


def test_data_folders_are_found():
    from xhht_desktop import resources

    assert (resources.forms_dir() / "README.md").is_file()
    assert resources.resource("icons", "xhht.svg").is_file()
