#!/usr/bin/env bash
# Build the Windows installer and the Linux bundle of this checkout into dist/:
#   dist/XHHT-Desktop-<version>-setup.exe
#   dist/xhht-desktop-<version>-linux-x86_64.tar.gz
# Usage: installer/build.sh [linux] [windows]   (both when none is named)
#
# Needs python3 (3.11), network access to PyPI, and for the installer NSIS
# (`apt-get install nsis`). Everything else goes into build/venv. The
# dependency list is read from pyproject.toml at build time, through the wheel.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
BUILD=$ROOT/build
DIST=$ROOT/dist

targets=("$@")
[ ${#targets[@]} -eq 0 ] && targets=(linux windows)

version=$(sed -n 's/^__version__ = "\(.*\)"$/\1/p' xhht_desktop/__init__.py)
[ -n "$version" ] || { echo "no __version__ in xhht_desktop/__init__.py" >&2; exit 1; }
echo "XHHT Desktop $version"

started=$SECONDS
mkdir -p "$BUILD" "$DIST"
venv=$BUILD/venv
if [ ! -x "$venv/bin/uv" ]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q uv
fi
uv=$venv/bin/uv
# The tools the build itself runs, beside a copy of the app installed from its
# wheel (PyInstaller analyses it; the icon is rendered with its Qt).
rm -rf "$BUILD/wheel"
"$uv" build -q --wheel --out-dir "$BUILD/wheel" "$ROOT"
wheel=$BUILD/wheel/xhht_desktop-$version-py3-none-any.whl
"$uv" pip install -q --python "$venv/bin/python" --reinstall-package xhht-desktop \
  "$wheel" "pyinstaller>=6.10" "pefile>=2023" "distlib>=0.3.8"
echo "wheel and build venv: $((SECONDS - started)) s"

for target in "${targets[@]}"; do
  step=$SECONDS
  case $target in
    linux)
      name=xhht-desktop-$version-linux-x86_64
      rm -rf "$BUILD/linux" "$DIST/$name.tar.gz"
      # From build/: the checkout's own xhht_desktop must not shadow the wheel's.
      (cd "$BUILD" && QT_QPA_PLATFORM=offscreen "$venv/bin/python" -m PyInstaller --noconfirm \
        --log-level WARN --distpath "$BUILD/linux" --workpath "$BUILD/pyinstaller" \
        "$ROOT/installer/xhht.spec")
      mv "$BUILD/linux/xhht-desktop" "$BUILD/linux/$name"
      cp installer/linux/README.txt "$BUILD/linux/$name/"
      cp resources/icons/xhht.svg "$BUILD/linux/$name/xhht.svg"
      install -m 755 installer/linux/install-desktop-entry.sh installer/linux/xhht-gui \
        "$BUILD/linux/$name/"
      tar -C "$BUILD/linux" -czf "$DIST/$name.tar.gz" "$name"
      echo "linux bundle: $((SECONDS - step)) s, $(du -h "$DIST/$name.tar.gz" | cut -f1)," \
        "unpacked $(du -sh "$BUILD/linux/$name" | cut -f1)"
      ;;
    windows)
      QT_QPA_PLATFORM=offscreen "$venv/bin/python" installer/windows.py \
        --wheel "$wheel" --version "$version" --build "$BUILD/windows" \
        --uv "$uv" --out "$DIST/XHHT-Desktop-$version-setup.exe"
      echo "windows installer: $((SECONDS - step)) s," \
        "$(du -h "$DIST/XHHT-Desktop-$version-setup.exe" | cut -f1)," \
        "installed $(du -sh "$BUILD/windows/staging" | cut -f1)"
      ;;
    *)
      echo "unknown target: $target (linux, windows)" >&2
      exit 2
      ;;
  esac
done
echo "built in $((SECONDS - started)) s:"
ls -l "$DIST"
