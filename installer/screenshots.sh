#!/usr/bin/env bash
# Screenshots of every page of the Windows installer and uninstaller, taken
# under Wine on a virtual X screen, for checking the Vietnamese texts by eye.
# Usage: installer/screenshots.sh dist/XHHT-Desktop-<version>-setup.exe OUTDIR
# Needs wine, xvfb, xdotool and imagemagick (apt-get install ...).
set -euo pipefail
setup=$(realpath "$1")
out=$(realpath -m "$2")
mkdir -p "$out"
work=$(mktemp -d)
trap 'wineserver -k 2>/dev/null || true; kill "$xvfb" 2>/dev/null || true; rm -rf "$work"' EXIT
export WINEPREFIX=$work/prefix WINEDEBUG=-all WINEDLLOVERRIDES="mscoree,mshtml=" HOME=$work
export DISPLAY=:87
Xvfb "$DISPLAY" -screen 0 1024x700x24 >/dev/null 2>&1 &
xvfb=$!
wineboot --init >/dev/null 2>&1
wineserver -w

shot() {  # shot NAME [SECONDS]: wait for the window to settle, then capture it
  sleep "${2:-4}"
  import -window "$window" "$out/installer_$1.png"
  echo "$out/installer_$1.png"
}
next() { xdotool key --clearmodifiers Return; }
window=root
place() {  # find the installer's window and bring it to the front
  for _ in $(seq 30); do
    window=$(xdotool search --onlyvisible --name "$1" 2>/dev/null | head -1) &&
      [ -n "$window" ] && break
    sleep 1
  done
  xdotool windowmove "$window" 0 0 windowactivate "$window" 2>/dev/null || true
}

wine "$setup" &
place "XHHT"
shot 1-chao-mung 6; next
shot 2-thu-muc; next
shot 3-dang-cai 1
# Installing takes a while; the finish page has the same window title.
for _ in $(seq 120); do
  [ -f "$WINEPREFIX/drive_c/users/$USER/AppData/Local/Programs/XHHT Desktop/Uninstall.exe" ] && break
  sleep 1
done
shot 4-hoan-tat 8
xdotool key --clearmodifiers space   # untick "Mở XHHT Desktop ngay"
next
wineserver -w

wine "$WINEPREFIX/drive_c/users/$USER/AppData/Local/Programs/XHHT Desktop/Uninstall.exe" &
place "XHHT"
shot 5-go-xac-nhan 6; next
shot 6-go-chon-du-lieu; next
shot 7-dang-go 2
for _ in $(seq 120); do
  [ -d "$WINEPREFIX/drive_c/users/$USER/AppData/Local/Programs/XHHT Desktop/Python" ] || break
  sleep 1
done
shot 8-go-hoan-tat 4; next
wineserver -w
