; Windows installer of XHHT Desktop, compiled on Linux by installer/windows.py:
;   makensis -INPUTCHARSET UTF8 -DVERSION=0.1.0 -DSTAGING=build/windows/staging
;            -DOUTFILE=dist/XHHT-Desktop-0.1.0-setup.exe installer/xhht.nsi
; STAGING holds the installed tree: Python\ (embeddable CPython with the
; app and its dependencies in Lib\site-packages), xhht.exe (console),
; xhhtw.exe (window, no console) and xhht.ico.
;
; Commune laptops seldom grant administrator rights: everything goes to the
; user's own folders and HKCU, and the installer never asks for elevation.

; 64-bit like the Python it installs (Debian's NSIS carries the amd64 stubs).
Target amd64-unicode
; -DFAST (a quicker, larger zlib installer) for trying out the script.
!ifdef FAST
  SetCompressor zlib
!else
  SetCompressor /SOLID lzma
  SetCompressorDictSize 32
!endif
RequestExecutionLevel user
ManifestDPIAware true

!include "MUI2.nsh"

!define APP "XHHT Desktop"
!define PROGID "XHHTDesktop.Package"
!define UNINSTALL_KEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\${APP}"
; Where the app keeps the user's database, backups and logs: platformdirs'
; user_data_dir("XHHT Desktop", appauthor=False) (xhht_desktop/settings.py).
!define DATA_DIR "$LOCALAPPDATA\${APP}"

Name "${APP} ${VERSION}"
OutFile "${OUTFILE}"
InstallDir "$LOCALAPPDATA\Programs\${APP}"
InstallDirRegKey HKCU "Software\${APP}" "InstallDir"
BrandingText "${APP} ${VERSION}"
VIProductVersion "${VIVERSION}"
VIAddVersionKey /LANG=0 "ProductName" "${APP}"
VIAddVersionKey /LANG=0 "ProductVersion" "${VERSION}"
VIAddVersionKey /LANG=0 "FileVersion" "${VERSION}"
VIAddVersionKey /LANG=0 "FileDescription" "Cài đặt ${APP}"
VIAddVersionKey /LANG=0 "LegalCopyright" "GPL-3.0-or-later"

!define MUI_ICON "${STAGING}\xhht.ico"
!define MUI_UNICON "${STAGING}\xhht.ico"
!define MUI_ABORTWARNING
!define MUI_UNABORTWARNING

!define MUI_WELCOMEPAGE_TITLE "Cài đặt ${APP} ${VERSION}"
!define MUI_WELCOMEPAGE_TEXT "Phần mềm sổ sách xây dựng xã hội học tập cấp xã, chạy không cần Internet.$\r$\n$\r$\nChương trình được cài cho riêng tài khoản này, không cần quyền quản trị máy. Dữ liệu của xã được lưu trong thư mục dữ liệu của người dùng, không nằm trong thư mục cài đặt.$\r$\n$\r$\nBấm Tiến để tiếp tục."
!insertmacro MUI_PAGE_WELCOME
!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_INSTFILES
!define MUI_FINISHPAGE_RUN "$INSTDIR\xhhtw.exe"
!define MUI_FINISHPAGE_RUN_PARAMETERS "gui"
!define MUI_FINISHPAGE_RUN_TEXT "Mở ${APP} ngay"
!insertmacro MUI_PAGE_FINISH

!insertmacro MUI_UNPAGE_CONFIRM
!define MUI_COMPONENTSPAGE_TEXT_TOP "Dữ liệu của xã và các bản sao lưu được giữ lại, trừ khi bạn đánh dấu ô dưới đây."
!insertmacro MUI_UNPAGE_COMPONENTS
!insertmacro MUI_UNPAGE_INSTFILES
!insertmacro MUI_UNPAGE_FINISH

!insertmacro MUI_LANGUAGE "Vietnamese"

Section "${APP}" SecApp
  SectionIn RO
  SetShellVarContext current
  ; An update replaces the interpreter and the packages whole, so that a
  ; module removed from the new version cannot linger from the old one.
  RMDir /r "$INSTDIR\Python"
  SetOutPath "$INSTDIR"
  File /r "${STAGING}\*.*"
  WriteUninstaller "$INSTDIR\Uninstall.exe"
  WriteRegStr HKCU "Software\${APP}" "InstallDir" "$INSTDIR"

  CreateDirectory "$SMPROGRAMS\${APP}"
  CreateShortcut "$SMPROGRAMS\${APP}\${APP}.lnk" "$INSTDIR\xhhtw.exe" "gui" "$INSTDIR\xhht.ico" 0
  CreateShortcut "$SMPROGRAMS\${APP}\Gỡ cài đặt ${APP}.lnk" "$INSTDIR\Uninstall.exe"
  CreateShortcut "$DESKTOP\${APP}.lnk" "$INSTDIR\xhhtw.exe" "gui" "$INSTDIR\xhht.ico" 0

  ; Double-clicking a .xhht package opens the app on its import.
  WriteRegStr HKCU "Software\Classes\.xhht" "" "${PROGID}"
  WriteRegStr HKCU "Software\Classes\${PROGID}" "" "Gói dữ liệu XHHT"
  WriteRegStr HKCU "Software\Classes\${PROGID}\DefaultIcon" "" "$INSTDIR\xhht.ico,0"
  WriteRegStr HKCU "Software\Classes\${PROGID}\shell\open\command" "" '"$INSTDIR\xhhtw.exe" gui --open "%1"'
  ; SHCNE_ASSOCCHANGED: Explorer shows the new icon without a restart.
  System::Call 'shell32::SHChangeNotify(i 0x08000000, i 0, p 0, p 0)'

  WriteRegStr HKCU "${UNINSTALL_KEY}" "DisplayName" "${APP}"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "DisplayVersion" "${VERSION}"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "DisplayIcon" "$INSTDIR\xhht.ico"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "InstallLocation" "$INSTDIR"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "UninstallString" '"$INSTDIR\Uninstall.exe"'
  WriteRegStr HKCU "${UNINSTALL_KEY}" "QuietUninstallString" '"$INSTDIR\Uninstall.exe" /S'
  WriteRegDWORD HKCU "${UNINSTALL_KEY}" "NoModify" 1
  WriteRegDWORD HKCU "${UNINSTALL_KEY}" "NoRepair" 1
SectionEnd

Section "un.${APP}" UnApp
  SectionIn RO
  SetShellVarContext current
  Delete "$DESKTOP\${APP}.lnk"
  RMDir /r "$SMPROGRAMS\${APP}"
  ; Only what the installer put there: the folder may hold the user's files.
  RMDir /r "$INSTDIR\Python"
  Delete "$INSTDIR\xhht.exe"
  Delete "$INSTDIR\xhhtw.exe"
  Delete "$INSTDIR\xhht.ico"
  Delete "$INSTDIR\Uninstall.exe"
  RMDir "$INSTDIR"

  ReadRegStr $0 HKCU "Software\Classes\.xhht" ""
  StrCmp $0 "${PROGID}" 0 +2
    DeleteRegKey HKCU "Software\Classes\.xhht"
  DeleteRegKey HKCU "Software\Classes\${PROGID}"
  System::Call 'shell32::SHChangeNotify(i 0x08000000, i 0, p 0, p 0)'
  DeleteRegKey HKCU "${UNINSTALL_KEY}"
  DeleteRegKey HKCU "Software\${APP}"
SectionEnd

; Unticked by default, and so never chosen by a silent uninstall (/S).
Section /o "un.Xoá dữ liệu và sao lưu" UnData
  RMDir /r "${DATA_DIR}"
SectionEnd

!insertmacro MUI_UNFUNCTION_DESCRIPTION_BEGIN
  !insertmacro MUI_DESCRIPTION_TEXT ${UnApp} "Chương trình, lối tắt và liên kết tệp .xhht."
  !insertmacro MUI_DESCRIPTION_TEXT ${UnData} "Xoá vĩnh viễn thư mục ${DATA_DIR}: cơ sở dữ liệu, bản sao lưu, nhật ký. Hãy chép các bản sao lưu ra USB trước."
!insertmacro MUI_UNFUNCTION_DESCRIPTION_END
