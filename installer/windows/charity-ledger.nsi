; 社区慈善台账 (Community Charity Ledger) — the Windows setup program.
;
; installer/build.py calls it after PyInstaller has built the one-folder dist, on Windows (CI) or anywhere
; makensis runs (Debian's `nsis` package compiles it on Linux too):
;
;   makensis -V2 -WX -DVERSION=0.1.0 ^
;            -DDIST=<absolute path of the PyInstaller one-folder output, e.g. build\pyinstaller\dist\charity-ledger> ^
;            -DICON=<absolute path of resources\icons\charity-ledger.ico> ^
;            -DOUTFILE=<absolute path of build\installers\社区慈善台账-安装程序-0.1.0.exe> ^
;            installer\windows\charity-ledger.nsi
;
; DIST holds charity-ledger.exe (console: the command line), charity-ledger-gui.exe (windowed: what the
; shortcuts start) and _internal\ (Python, Qt and the resources). Optional: -DVI_VERSION=a.b.c.d when VERSION
; is not three plain numbers (the file-version resource wants four).
;
; What it does:
;   - per-user (default, no administrator needed: %LOCALAPPDATA%\Programs\社区慈善台账) or all users
;     (C:\Program Files\社区慈善台账), chosen on the MultiUser page; /CurrentUser or /AllUsers on the
;     command line, /S for a silent install;
;   - an upgrade replaces the program files only: the old _internal\ folder and the old exes are removed
;     before copying, so no stale library lingers; nothing else in the folder is touched;
;   - the uninstaller removes exactly what the installer put there. It NEVER deletes workspaces: the
;     default one lives in the per-user data folder %LOCALAPPDATA%\charity-ledger (platformdirs
;     user_data_dir("charity-ledger", appauthor=False)), outside the program folder, and others wherever
;     the user put them (a USB stick, Documents). tests/installer/test_nsis_script.py checks the text.

Unicode true
SetCompressor /SOLID lzma
SetCompressorDictSize 64
ManifestDPIAware true

!ifndef VERSION
  !error "VERSION is not defined: makensis -DVERSION=0.1.0 -DDIST=... -DICON=... -DOUTFILE=... charity-ledger.nsi"
!endif
!ifndef DIST
  !error "DIST is not defined: -DDIST=<absolute path of the PyInstaller one-folder dist>"
!endif
!ifndef ICON
  !error "ICON is not defined: -DICON=<absolute path of charity-ledger.ico>"
!endif
!ifndef OUTFILE
  !error "OUTFILE is not defined: -DOUTFILE=<absolute path of 社区慈善台账-安装程序-${VERSION}.exe>"
!endif
!if ! /FileExists "${DIST}\charity-ledger-gui.exe"
  !error "${DIST} has no charity-ledger-gui.exe: is DIST the PyInstaller one-folder output?"
!endif
!if ! /FileExists "${DIST}\charity-ledger.exe"
  !error "${DIST} has no charity-ledger.exe: is DIST the PyInstaller one-folder output?"
!endif
!ifndef VI_VERSION
  !define VI_VERSION "${VERSION}.0"
!endif

!define APP_NAME "社区慈善台账"
!define APP_ID "charity-ledger"
!define PUBLISHER "社区慈善台账项目组"
!define DESCRIPTION "社区基金台账、活动记录、需求调查和信息公示"
!define GUI_EXE "charity-ledger-gui.exe"
!define CLI_EXE "charity-ledger.exe"
!define ICON_FILE "charity-ledger.ico"
!define UNINSTALLER "uninstall.exe"
!define UNINSTALL_KEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\${APP_ID}"
!define START_MENU_FOLDER "$SMPROGRAMS\${APP_NAME}"
!define DESKTOP_LINK "$DESKTOP\${APP_NAME}.lnk"

Name "${APP_NAME}"
OutFile "${OUTFILE}"
BrandingText "${APP_NAME} ${VERSION}"
ShowInstDetails show
ShowUninstDetails show

; ---- per-user or all users (MultiUser.nsh) ----
; Highest: an administrator is asked by UAC and may choose either mode; a standard user installs for himself.
!define MULTIUSER_EXECUTIONLEVEL Highest
!define MULTIUSER_MUI
!define MULTIUSER_INSTALLMODE_COMMANDLINE
!define MULTIUSER_INSTALLMODE_DEFAULT_CURRENTUSER
!define MULTIUSER_USE_PROGRAMFILES64
!define MULTIUSER_INSTALLMODE_INSTDIR "${APP_NAME}"
; an upgrade goes where the previous version is (and the uninstaller finds which mode it was installed in)
!define MULTIUSER_INSTALLMODE_INSTDIR_REGISTRY_KEY "${UNINSTALL_KEY}"
!define MULTIUSER_INSTALLMODE_INSTDIR_REGISTRY_VALUENAME "InstallLocation"
!define MULTIUSER_INSTALLMODE_DEFAULT_REGISTRY_KEY "${UNINSTALL_KEY}"
!define MULTIUSER_INSTALLMODE_DEFAULT_REGISTRY_VALUENAME "InstallLocation"
!define MULTIUSER_INIT_TEXT_ADMINREQUIRED "${APP_NAME} 安装程序需要管理员权限。"
!define MULTIUSER_INIT_TEXT_POWERREQUIRED "${APP_NAME} 安装程序至少需要 Power Users 权限。"
!define MULTIUSER_INIT_TEXT_ALLUSERSNOTPOSSIBLE "您的帐户没有足够的权限为这台电脑的所有用户安装 ${APP_NAME}。请改为“只为我自己安装”，或请管理员安装。"
!include MultiUser.nsh
!include MUI2.nsh
!include LogicLib.nsh
!include FileFunc.nsh
!include WinVer.nsh
!include x64.nsh

Var DataFolder  ; where the default workspace lives, shown by the uninstaller
Var GivenFolder  ; $INSTDIR as given (/D=, or the uninstaller's own folder) before MultiUser.nsh resets it

; ---- pages ----
!define MUI_ICON "${ICON}"
!define MUI_UNICON "${ICON}"
!define MUI_ABORTWARNING
!define MUI_ABORTWARNING_TEXT "确定要退出 ${APP_NAME} 安装程序吗？"
!define MUI_UNABORTWARNING

!define MUI_WELCOMEPAGE_TITLE "欢迎安装 ${APP_NAME} ${VERSION}"
!define MUI_WELCOMEPAGE_TEXT "本程序将在这台电脑上安装 ${APP_NAME}：社区基金台账、活动记录、需求调查和信息公示的离线工具。$\r$\n$\r$\n如果已经安装了旧版本，本程序只替换程序文件，已有的台账数据（工作区）全部保留；新版本第一次打开工作区时会先备份，再升级数据格式。$\r$\n$\r$\n安装前请先关闭正在运行的 ${APP_NAME}。$\r$\n$\r$\n$_CLICK"
!insertmacro MUI_PAGE_WELCOME
!insertmacro MULTIUSER_PAGE_INSTALLMODE
!define MUI_PAGE_CUSTOMFUNCTION_LEAVE CheckInstallFolder
!insertmacro MUI_PAGE_DIRECTORY
!define MUI_COMPONENTSPAGE_NODESC
!define MUI_COMPONENTSPAGE_TEXT_TOP "选择要创建的快捷方式。开始菜单中总会有 ${APP_NAME} 文件夹。"
!insertmacro MUI_PAGE_COMPONENTS
!insertmacro MUI_PAGE_INSTFILES
!define MUI_FINISHPAGE_TITLE "${APP_NAME} 安装完成"
!define MUI_FINISHPAGE_TEXT "${APP_NAME} ${VERSION} 已安装到：$\r$\n$INSTDIR$\r$\n$\r$\n可以从开始菜单的“${APP_NAME}”文件夹打开它。"
!define MUI_FINISHPAGE_RUN
!define MUI_FINISHPAGE_RUN_TEXT "运行 ${APP_NAME}"
!define MUI_FINISHPAGE_RUN_FUNCTION RunAsUser
!insertmacro MUI_PAGE_FINISH

!define MUI_UNCONFIRMPAGE_TEXT_TOP "将卸载 ${APP_NAME} 的程序文件。台账数据不会被删除，仍保存在 $DataFolder（其他文件夹里的工作区也都保留）。"
!insertmacro MUI_UNPAGE_CONFIRM
!insertmacro MUI_UNPAGE_INSTFILES
!define MUI_FINISHPAGE_TITLE "${APP_NAME} 已卸载"
!define MUI_FINISHPAGE_TEXT "${APP_NAME} 的程序文件、快捷方式和卸载信息已删除。$\r$\n$\r$\n台账数据不会被删除，仍保存在：$\r$\n$DataFolder$\r$\n$\r$\n放在其他文件夹（如 U 盘、“文档”）里的工作区也都保留。以后重新安装 ${APP_NAME} 即可继续使用。"
!insertmacro MUI_UNPAGE_FINISH

!insertmacro MUI_LANGUAGE "SimpChinese"

; ---- version information of the setup exe (Explorer › 属性 › 详细信息) ----
VIProductVersion "${VI_VERSION}"
VIFileVersion "${VI_VERSION}"
VIAddVersionKey /LANG=${LANG_SIMPCHINESE} "ProductName" "${APP_NAME}"
VIAddVersionKey /LANG=${LANG_SIMPCHINESE} "ProductVersion" "${VERSION}"
VIAddVersionKey /LANG=${LANG_SIMPCHINESE} "FileVersion" "${VERSION}"
VIAddVersionKey /LANG=${LANG_SIMPCHINESE} "FileDescription" "${APP_NAME} 安装程序"
VIAddVersionKey /LANG=${LANG_SIMPCHINESE} "CompanyName" "${PUBLISHER}"
VIAddVersionKey /LANG=${LANG_SIMPCHINESE} "LegalCopyright" "${PUBLISHER}"

; ---- shared helpers ----
; Delete the two exes; a running copy keeps them locked, so ask to close it (retry) or stop (cancel).
!macro DELETE_PROGRAM_EXES UN ACTION
  Function ${UN}DeleteProgramExes
    retry:
      ClearErrors
      ${If} ${FileExists} "$INSTDIR\${GUI_EXE}"
        Delete "$INSTDIR\${GUI_EXE}"
      ${EndIf}
      ${If} ${FileExists} "$INSTDIR\${CLI_EXE}"
        Delete "$INSTDIR\${CLI_EXE}"
      ${EndIf}
      ${If} ${Errors}
        MessageBox MB_RETRYCANCEL|MB_ICONEXCLAMATION "请先关闭 ${APP_NAME} 再继续${ACTION}。" /SD IDCANCEL IDRETRY retry
        Abort "${APP_NAME} 正在运行，已取消${ACTION}。"
      ${EndIf}
  FunctionEnd
!macroend
!insertmacro DELETE_PROGRAM_EXES "" "安装"
!insertmacro DELETE_PROGRAM_EXES "un." "卸载"

; The folder the default workspace lives in: %LOCALAPPDATA%\charity-ledger of the user running this.
; (Read from the environment: with SetShellVarContext all, $LOCALAPPDATA would be ProgramData.)
!macro FIND_DATA_FOLDER
  ReadEnvStr $DataFolder LOCALAPPDATA
  StrCpy $DataFolder "$DataFolder\${APP_ID}"
!macroend

!macro REQUIRE_64BIT_WINDOWS_10
  ${IfNot} ${RunningX64}
  ${OrIfNot} ${AtLeastWin10}
    MessageBox MB_OK|MB_ICONSTOP "${APP_NAME} 需要 64 位的 Windows 10 或 Windows 11。" /SD IDOK
    Quit
  ${EndIf}
!macroend

; ---- installer ----
Function .onInit
  !insertmacro REQUIRE_64BIT_WINDOWS_10
  SetRegView 64  ; the app is 64-bit: its Uninstall key belongs in the 64-bit registry view
  ; $INSTDIR is empty here unless given by /D=<folder> (no InstallDir attribute); MultiUser.nsh would replace
  ; it with the default folder, so a /D= folder is put back after it.
  StrCpy $GivenFolder "$INSTDIR"
  !insertmacro MULTIUSER_INIT
  ${If} $GivenFolder != ""
    StrCpy $INSTDIR "$GivenFolder"
  ${EndIf}
  !insertmacro FIND_DATA_FOLDER
FunctionEnd

; The install folder must be a folder of its own: not a drive's root, and not another program's folder
; whose _internal\ the upgrade step would remove (it removes _internal\ only beside this program's exes).
Function CheckInstallFolder
  StrLen $0 "$INSTDIR"
  ${If} $0 <= 3
    MessageBox MB_OK|MB_ICONEXCLAMATION "请选择一个单独的文件夹，不要直接安装到磁盘根目录。"
    Abort
  ${EndIf}
  ${If} ${FileExists} "$INSTDIR\_internal\*.*"
  ${AndIfNot} ${FileExists} "$INSTDIR\${GUI_EXE}"
  ${AndIfNot} ${FileExists} "$INSTDIR\${UNINSTALLER}"
    MessageBox MB_OK|MB_ICONEXCLAMATION "这个文件夹里已有其他程序的文件，请为 ${APP_NAME} 选择另一个文件夹。"
    Abort
  ${EndIf}
FunctionEnd

; Started from the finish page: through Explorer, so the app runs as the logged-in user, not elevated.
Function RunAsUser
  Exec '"$WINDIR\explorer.exe" "$INSTDIR\${GUI_EXE}"'
FunctionEnd

Section "!${APP_NAME}（程序文件）" SecProgram
  SectionIn RO
  SetOutPath "$INSTDIR"

  ; Upgrade: remove the previous version's program files only, so no stale library lingers. Its _internal\
  ; is removed only when this program's exes or uninstaller sit beside it (never another program's folder).
  StrCpy $0 ""
  ${If} ${FileExists} "$INSTDIR\${GUI_EXE}"
  ${OrIf} ${FileExists} "$INSTDIR\${CLI_EXE}"
  ${OrIf} ${FileExists} "$INSTDIR\${UNINSTALLER}"
    StrCpy $0 "upgrade"
  ${EndIf}
  Call DeleteProgramExes
  ${If} $0 == "upgrade"
  ${AndIf} ${FileExists} "$INSTDIR\_internal\*.*"
    DetailPrint "删除旧版本的程序文件 …"
    RMDir /r "$INSTDIR\_internal"
  ${EndIf}

  File "${DIST}\${GUI_EXE}"
  File "${DIST}\${CLI_EXE}"
  File /r "${DIST}\_internal"
  File "/oname=${ICON_FILE}" "${ICON}"
  WriteUninstaller "$INSTDIR\${UNINSTALLER}"

  CreateDirectory "${START_MENU_FOLDER}"
  CreateShortCut "${START_MENU_FOLDER}\${APP_NAME}.lnk" "$INSTDIR\${GUI_EXE}" "" "$INSTDIR\${ICON_FILE}" 0 \
    SW_SHOWNORMAL "" "${DESCRIPTION}"
  CreateShortCut "${START_MENU_FOLDER}\卸载 ${APP_NAME}.lnk" "$INSTDIR\${UNINSTALLER}" "/$MultiUser.InstallMode" \
    "$INSTDIR\${UNINSTALLER}" 0

  ; Add/Remove Programs (Settings › 应用)
  WriteRegStr SHCTX "${UNINSTALL_KEY}" "DisplayName" "${APP_NAME}"
  WriteRegStr SHCTX "${UNINSTALL_KEY}" "DisplayVersion" "${VERSION}"
  WriteRegStr SHCTX "${UNINSTALL_KEY}" "Publisher" "${PUBLISHER}"
  WriteRegStr SHCTX "${UNINSTALL_KEY}" "DisplayIcon" "$INSTDIR\${ICON_FILE}"
  WriteRegStr SHCTX "${UNINSTALL_KEY}" "InstallLocation" "$INSTDIR"
  WriteRegStr SHCTX "${UNINSTALL_KEY}" "UninstallString" '"$INSTDIR\${UNINSTALLER}" /$MultiUser.InstallMode'
  WriteRegStr SHCTX "${UNINSTALL_KEY}" "QuietUninstallString" '"$INSTDIR\${UNINSTALLER}" /$MultiUser.InstallMode /S'
  WriteRegDWORD SHCTX "${UNINSTALL_KEY}" "NoModify" 1
  WriteRegDWORD SHCTX "${UNINSTALL_KEY}" "NoRepair" 1
  ${GetSize} "$INSTDIR\_internal" "/S=0K" $0 $1 $2
  ${GetSize} "$INSTDIR" "/M=*.exe /S=0K /G=0" $1 $2 $3
  IntOp $0 $0 + $1
  WriteRegDWORD SHCTX "${UNINSTALL_KEY}" "EstimatedSize" $0
SectionEnd

Section "桌面快捷方式" SecDesktop
  CreateShortCut "${DESKTOP_LINK}" "$INSTDIR\${GUI_EXE}" "" "$INSTDIR\${ICON_FILE}" 0 \
    SW_SHOWNORMAL "" "${DESCRIPTION}"
SectionEnd

; ---- uninstaller: only what the installer put there; workspaces are never touched ----
Function un.onInit
  SetRegView 64
  ; MultiUser.nsh sets $INSTDIR from the registry; the uninstaller acts on the folder it lives in.
  StrCpy $GivenFolder "$INSTDIR"
  !insertmacro MULTIUSER_UNINIT
  StrCpy $INSTDIR "$GivenFolder"
  !insertmacro FIND_DATA_FOLDER
FunctionEnd

Section "Uninstall"
  Call un.DeleteProgramExes
  RMDir /r "$INSTDIR\_internal"
  Delete "$INSTDIR\${ICON_FILE}"
  Delete "$INSTDIR\${UNINSTALLER}"
  RMDir "$INSTDIR"  ; only when empty: anything the user left there stays

  Delete "${START_MENU_FOLDER}\${APP_NAME}.lnk"
  Delete "${START_MENU_FOLDER}\卸载 ${APP_NAME}.lnk"
  RMDir "${START_MENU_FOLDER}"
  Delete "${DESKTOP_LINK}"

  DeleteRegKey SHCTX "${UNINSTALL_KEY}"
  DetailPrint "台账数据未删除，仍保存在 $DataFolder"
SectionEnd
