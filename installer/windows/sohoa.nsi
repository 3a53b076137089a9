; sohoa for Windows: the app (PyInstaller folder, with Tesseract inside it through the
; tesserocr wheel and PDFium through pypdfium2), the Vietnamese model, and the ward's site
; file. Nothing is downloaded by the build or the install. Built by
; installer/windows/build.ps1; see docs/install-windows.md.
;
;   makensis /DVERSION=0.1.0 /DSCHEMA=4 /DSTAGE=build\windows\stage
;            /DOUTFILE=dist\sohoa-setup-0.1.0.exe installer\windows\sohoa.nsi
;
; The stage folder holds: sohoa\ (PyInstaller output: sohoa.exe, sohoa-gui.exe, _internal\),
; tessdata\vie.traineddata and osd.traineddata (Debian's tesseract-ocr-vie/-osd files,
; SHA-256 checked by build.ps1), sohoa.ico, and optionally site.toml.
;
; Install:   sohoa-setup.exe [/S] [/SITE=C:\path\site.toml] [/D=C:\Program Files\sohoa]
;            (/D= must come last). The site file is /SITE=, else a site.toml beside the
;            installer, else the one built in with /DSITEFILE=path (a ward's own installer).
; Uninstall: "C:\Program Files\sohoa\uninstall.exe" [/S]
;            removes the program only: every clerk's store (%LOCALAPPDATA%\sohoa) and the
;            site file (%ProgramData%\sohoa\site.toml) stay.
; Exit codes (silent): 0 done, 1 cancelled, 2 not 64-bit Windows, 3 bad site file,
;                      4 Windows older than 10 1809, 5 not enough disk space,
;                      20 a newer sohoa is installed.
; Checked before any file is copied (.onInit, or leaving the folder page): 64-bit, the
; Windows version, a newer install, that the site file given can be read, and the free
; space on the target drive. The site file's content is checked by the program itself, so
; after the copy: that failure (exit 3) still leaves uninstall.exe and the Apps & features
; entry, which are written right after the copy.
; The site file (it holds the enrolment token) is readable by Administrators, SYSTEM and
; the local group "sohoa" only (made here; IT adds the clerks' accounts to it), as the
; Debian package makes /etc/sohoa/site.toml root:sohoa 0640.

Unicode true
ManifestDPIAware true
RequestExecutionLevel admin
; /DUNCOMPRESSED: no compression, for the Wine smoke test's extra installers (seconds, not
; minutes; NSIS ignores SetCompress off once /SOLID is set, hence the switch here).
!ifdef UNCOMPRESSED
  SetCompress off
!else
  SetCompressor /SOLID lzma
!endif

!ifndef VERSION
  !error "give the version: /DVERSION=0.1.0"
!endif
!ifndef SCHEMA
  !error "give the store schema version this build knows: /DSCHEMA=N"
!endif
!ifndef STAGE
  !error "give the staged folder: /DSTAGE=build\windows\stage"
!endif
!ifndef OUTFILE
  !define OUTFILE "sohoa-setup-${VERSION}.exe"
!endif

;  Signing: /DSIGN=COMMAND runs "COMMAND file" on the finished installer and uninstaller
;  (Authenticode with osslsigncode or signtool, in place; wine-build.sh passes its sign.sh).
!ifdef SIGN
  !finalize '"${SIGN}" "%1"' = 0
  !uninstfinalize '"${SIGN}" "%1"' = 0
!endif

!define PRODUCT "sohoa"
!define DISPLAY_NAME "Số hóa hồ sơ (sohoa)"
!define UNINSTALL_KEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\sohoa"
!define SETTINGS_KEY "Software\sohoa"

!include "MUI2.nsh"
!include "LogicLib.nsh"
!include "FileFunc.nsh"
!include "x64.nsh"
!include "WinVer.nsh"

Name "${DISPLAY_NAME} ${VERSION}"
OutFile "${OUTFILE}"
InstallDir "$PROGRAMFILES64\sohoa"
InstallDirRegKey HKLM "${SETTINGS_KEY}" "InstallDir"
BrandingText "sohoa ${VERSION}"

!define MUI_ICON "${STAGE}\sohoa.ico"
!define MUI_UNICON "${STAGE}\sohoa.ico"
!define MUI_ABORTWARNING
!define MUI_PAGE_CUSTOMFUNCTION_LEAVE CheckSpace
!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_INSTFILES
!insertmacro MUI_PAGE_FINISH
!insertmacro MUI_UNPAGE_CONFIRM
!insertmacro MUI_UNPAGE_INSTFILES
!insertmacro MUI_LANGUAGE "Vietnamese"
!insertmacro MUI_LANGUAGE "English"

LangString MSG_NOT64 ${LANG_VIETNAMESE} "sohoa cần Windows 64-bit."
LangString MSG_NOT64 ${LANG_ENGLISH} "sohoa needs 64-bit Windows."
LangString MSG_NEWER ${LANG_VIETNAMESE} "Máy đã cài phiên bản sohoa mới hơn ($0); không thể cài bản cũ ${VERSION} đè lên. Dữ liệu vẫn được giữ nguyên."
LangString MSG_NEWER ${LANG_ENGLISH} "A newer sohoa ($0) is installed: its stores cannot be opened by ${VERSION}, so it is not replaced. Data is kept."
LangString MSG_OLDWIN ${LANG_VIETNAMESE} "sohoa cần Windows 10 (bản 1809 trở lên) hoặc Windows 11. Hãy cập nhật Windows rồi cài lại."
LangString MSG_OLDWIN ${LANG_ENGLISH} "sohoa needs Windows 10 (version 1809 or later) or Windows 11. Update Windows, then install again."
LangString MSG_SPACE ${LANG_VIETNAMESE} "Không đủ chỗ trống trên ổ $R0: cần $R2 MB, chỉ còn $R1 MB. Hãy giải phóng dung lượng hoặc chọn thư mục khác."
LangString MSG_SPACE ${LANG_ENGLISH} "Not enough free space on $R0: $R2 MB needed, $R1 MB free. Free some space or choose another folder."
LangString MSG_NOSITE ${LANG_VIETNAMESE} "Không đọc được tệp cấu hình phường: $SiteFile"
LangString MSG_NOSITE ${LANG_ENGLISH} "The site file cannot be read: $SiteFile"
LangString MSG_SITE ${LANG_VIETNAMESE} "Tệp cấu hình phường không hợp lệ: $1"
LangString MSG_SITE ${LANG_ENGLISH} "The site file is not valid: $1"

Var SiteFile

Function .onInit
  SetShellVarContext all
  ${IfNot} ${RunningX64}
    MessageBox MB_OK|MB_ICONSTOP "$(MSG_NOT64)" /SD IDOK
    SetErrorLevel 2
    Abort
  ${EndIf}
  ; PySide6 (Qt 6) needs Windows 10 1809 (build 17763) or later.
  ${IfNot} ${AtLeastWin10}
  ${OrIfNot} ${AtLeastBuild} 17763
    MessageBox MB_OK|MB_ICONSTOP "$(MSG_OLDWIN)" /SD IDOK
    SetErrorLevel 4
    Abort
  ${EndIf}
  SetRegView 64
  ; A newer schema installed means stores this version cannot open: refuse (exit 20).
  ReadRegDWORD $R1 HKLM "${SETTINGS_KEY}" "Schema"
  ReadRegStr $0 HKLM "${SETTINGS_KEY}" "Version"
  ${If} $R1 != ""
  ${AndIf} $R1 > ${SCHEMA}
    MessageBox MB_OK|MB_ICONSTOP "$(MSG_NEWER)" /SD IDOK
    SetErrorLevel 20
    Abort
  ${EndIf}
  ; /SITE=path, else site.toml beside the installer, else whatever is installed stays.
  ${GetParameters} $R0
  ClearErrors
  ${GetOptions} $R0 "/SITE=" $SiteFile
  ${If} ${Errors}
    StrCpy $SiteFile ""
    ${If} ${FileExists} "$EXEDIR\site.toml"
      StrCpy $SiteFile "$EXEDIR\site.toml"
    ${EndIf}
  ${EndIf}
  !ifdef SITEFILE
    ; A site-specific installer carries its ward's file (checked when it was built).
    ${If} $SiteFile == ""
      InitPluginsDir
      File "/oname=$PLUGINSDIR\site.toml" "${SITEFILE}"
      StrCpy $SiteFile "$PLUGINSDIR\site.toml"
    ${EndIf}
  !endif
  ${If} $SiteFile != ""
    ClearErrors
    FileOpen $R0 "$SiteFile" r
    ${If} ${Errors}
      MessageBox MB_OK|MB_ICONSTOP "$(MSG_NOSITE)" /SD IDOK
      SetErrorLevel 3
      Abort
    ${EndIf}
    FileClose $R0
  ${EndIf}
  ; A silent install has no folder page: its space is checked here (/D= is already read).
  ${If} ${Silent}
    Call CheckSpace
  ${EndIf}
FunctionEnd

Function un.onInit
  SetShellVarContext all
  SetRegView 64
FunctionEnd

Section "sohoa" SecApp
  SectionIn RO
  ; The program folder is replaced whole on upgrade; stores are elsewhere and untouched.
  RMDir /r "$INSTDIR\app"
  RMDir /r "$INSTDIR\tesseract"  ; an older sohoa's UB Mannheim Tesseract: no longer used
  RMDir /r "$INSTDIR\poppler"    ; an older sohoa's Poppler: PDFium is inside the app now
  SetOutPath "$INSTDIR\app"
  File /r "${STAGE}\sohoa\*.*"
  ; The models beside sohoa.exe, where ocr/tesseract.py looks for them.
  SetOutPath "$INSTDIR\app\tessdata"
  File "${STAGE}\tessdata\vie.traineddata"
  File "${STAGE}\tessdata\osd.traineddata"
  SetOutPath "$INSTDIR"
  File "${STAGE}\sohoa.ico"
  ; Before anything that can Abort: a failed install must still be removable.
  Call WriteUninstallInfo
SectionEnd

; Enough free space on the drive of $INSTDIR for the program and 100 MB to work in, else
; exit 5 (silent) or stay on the folder page. In MB: a free size in KB overflows NSIS's
; 32-bit numbers on a 2 TB drive.
Function CheckSpace
  SectionGetSize ${SecApp} $R2
  IntOp $R2 $R2 / 1024
  IntOp $R2 $R2 + 100
  ${GetRoot} "$INSTDIR" $R0
  ClearErrors
  ${DriveSpace} "$R0\" "/D=F /S=M" $R1
  ${If} ${Errors}
    StrCpy $R1 0
  ${EndIf}
  ${If} $R1 < $R2
    MessageBox MB_OK|MB_ICONSTOP "$(MSG_SPACE)" /SD IDOK
    ${If} ${Silent}
      SetErrorLevel 5
      Quit
    ${EndIf}
    Abort
  ${EndIf}
FunctionEnd

Function WriteUninstallInfo
  WriteUninstaller "$INSTDIR\uninstall.exe"
  WriteRegStr HKLM "${SETTINGS_KEY}" "InstallDir" "$INSTDIR"
  WriteRegStr HKLM "${SETTINGS_KEY}" "Version" "${VERSION}"
  WriteRegDWORD HKLM "${SETTINGS_KEY}" "Schema" ${SCHEMA}
  WriteRegStr HKLM "${UNINSTALL_KEY}" "DisplayName" "${DISPLAY_NAME}"
  WriteRegStr HKLM "${UNINSTALL_KEY}" "DisplayVersion" "${VERSION}"
  WriteRegStr HKLM "${UNINSTALL_KEY}" "Publisher" "sohoa"
  WriteRegStr HKLM "${UNINSTALL_KEY}" "DisplayIcon" "$INSTDIR\sohoa.ico"
  WriteRegStr HKLM "${UNINSTALL_KEY}" "InstallLocation" "$INSTDIR"
  WriteRegStr HKLM "${UNINSTALL_KEY}" "UninstallString" '"$INSTDIR\uninstall.exe"'
  WriteRegStr HKLM "${UNINSTALL_KEY}" "QuietUninstallString" '"$INSTDIR\uninstall.exe" /S'
  WriteRegDWORD HKLM "${UNINSTALL_KEY}" "NoModify" 1
  WriteRegDWORD HKLM "${UNINSTALL_KEY}" "NoRepair" 1
  ${GetSize} "$INSTDIR" "/S=0K" $0 $1 $2
  WriteRegDWORD HKLM "${UNINSTALL_KEY}" "EstimatedSize" $0
FunctionEnd

Section "Site file" SecSite
  ${If} $SiteFile == ""
    DetailPrint "No site file given: keeping $APPDATA\sohoa\site.toml if there is one."
    Return
  ${EndIf}
  ; Checked by the very program just installed, before it replaces anything.
  nsExec::ExecToStack '"$INSTDIR\app\sohoa.exe" site check "$SiteFile"'
  Pop $0
  Pop $1
  ${If} $0 != 0
    MessageBox MB_OK|MB_ICONSTOP "$(MSG_SITE)" /SD IDOK
    SetErrorLevel 3
    Abort
  ${EndIf}
  CreateDirectory "$APPDATA\sohoa"
  CopyFiles /SILENT "$SiteFile" "$APPDATA\sohoa\site.toml"
  ; It holds the enrolment token: Administrators and SYSTEM may change it, the local group
  ; "sohoa" (the clerks' accounts, added by IT) may read it, nobody else (not Users).
  nsExec::ExecToLog 'net localgroup sohoa /add /comment:"sohoa clerks: may read the site file"'
  Pop $0
  nsExec::ExecToLog 'icacls "$APPDATA\sohoa\site.toml" /inheritance:r /grant:r *S-1-5-32-544:F *S-1-5-18:F sohoa:R'
  Pop $0
SectionEnd

Section "-Shortcuts"
  CreateShortCut "$SMPROGRAMS\Số hóa hồ sơ.lnk" "$INSTDIR\app\sohoa-gui.exe" "" "$INSTDIR\sohoa.ico"
  CreateShortCut "$DESKTOP\Số hóa hồ sơ.lnk" "$INSTDIR\app\sohoa-gui.exe" "" "$INSTDIR\sohoa.ico"
SectionEnd

Section "Uninstall"
  ; The program only. Stores (%LOCALAPPDATA%\sohoa of each user) and the site file stay.
  ${If} ${FileExists} "$INSTDIR\tesseract\tesseract-uninstall.exe"  ; from an older sohoa
    ExecWait '"$INSTDIR\tesseract\tesseract-uninstall.exe" /S _?=$INSTDIR\tesseract'
  ${EndIf}
  RMDir /r "$INSTDIR\tesseract"
  RMDir /r "$INSTDIR\poppler"
  RMDir /r "$INSTDIR\app"
  Delete "$INSTDIR\sohoa.ico"
  Delete "$INSTDIR\uninstall.exe"
  RMDir "$INSTDIR"
  Delete "$SMPROGRAMS\Số hóa hồ sơ.lnk"
  Delete "$DESKTOP\Số hóa hồ sơ.lnk"
  DeleteRegKey HKLM "${UNINSTALL_KEY}"
  DeleteRegKey HKLM "${SETTINGS_KEY}"
SectionEnd
