#!/bin/sh
# Add XHHT Desktop to the desktop's application menu for this user and let it
# open .xhht packages. Nothing outside the user's home is touched.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
data=${XDG_DATA_HOME:-$HOME/.local/share}
mkdir -p "$data/applications" "$data/icons/hicolor/scalable/apps" "$data/mime/packages"
cp "$here/xhht.svg" "$data/icons/hicolor/scalable/apps/xhht-desktop.svg"
cat > "$data/mime/packages/xhht-desktop.xml" <<XML
<?xml version="1.0" encoding="UTF-8"?>
<mime-info xmlns="http://www.freedesktop.org/standards/shared-mime-info">
  <mime-type type="application/x-xhht-package">
    <comment>Gói dữ liệu XHHT</comment>
    <glob pattern="*.xhht"/>
  </mime-type>
</mime-info>
XML
cat > "$data/applications/xhht-desktop.desktop" <<DESKTOP
[Desktop Entry]
Type=Application
Name=XHHT Desktop
Comment=Sổ sách xây dựng xã hội học tập cấp xã
Exec="$here/xhht-gui" %f
Icon=xhht-desktop
Terminal=false
Categories=Office;
MimeType=application/x-xhht-package;
DESKTOP
command -v update-mime-database >/dev/null && update-mime-database "$data/mime" || true
command -v update-desktop-database >/dev/null && update-desktop-database "$data/applications" || true
echo "Đã thêm XHHT Desktop vào menu ứng dụng."
