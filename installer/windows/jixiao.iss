; Inno Setup 6 script (UTF-8 with BOM, which Inno Setup needs for the Chinese texts): dist\jixiao-setup-<version>.exe from the bundle dist\jixiao
; (built on Windows with installer\jixiao.spec). Recipe: docs\windows-build.md.
;
; Per-user install without administrator rights by default (the wizard offers an
; all-users install to those who have them); Start-menu and optional desktop shortcuts;
; .jxdb files open with the program and show its icon. Uninstalling removes only what
; was installed: the clerk's .jxdb files, settings and backups (in their own folders,
; e.g. %LOCALAPPDATA%\jixiao) stay.
;
; Build: iscc /DAppVersion=0.1.0 installer\windows\jixiao.iss
; The Chinese wizard texts come from ChineseSimplified.isl, Inno Setup's unofficial
; Simplified Chinese translation, which must be put beside this script first (see
; docs\windows-build.md; it is not in the repository).

#ifndef AppVersion
  #error 请用 /DAppVersion=版本号 指定版本，例如 iscc /DAppVersion=0.1.0 jixiao.iss
#endif

#define AppName "绩效目标填报"
#define AppExe "jixiao.exe"
#define ProgId "jixiao.jxdb"

[Setup]
AppId={{6C0B0E52-3F0C-4E8F-9D0A-2B7C1A9E5D41}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher=jixiao
DefaultDirName={autopf}\jixiao
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog
; Qt 6 needs Windows 10 1809 (build 17763) or later, 64-bit.
MinVersion=10.0.17763
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
ChangesAssociations=yes
SetupIconFile=..\..\resources\icons\jixiao.ico
UninstallDisplayIcon={app}\{#AppExe}
UninstallDisplayName={#AppName}
OutputDir=..\..\dist
OutputBaseFilename=jixiao-setup-{#AppVersion}
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
ShowLanguageDialog=no

[Languages]
Name: "chinesesimplified"; MessagesFile: "ChineseSimplified.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"

[Files]
Source: "..\..\dist\jixiao\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{autoprograms}\{#AppName}"; Filename: "{app}\{#AppExe}"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#AppExe}"; Tasks: desktopicon

[Registry]
; HKA: HKCU for a per-user install, HKLM for an all-users one. .jxdb is our own extension,
; so its default handler can be set; OpenWithProgids keeps us in "打开方式" regardless.
Root: HKA; Subkey: "Software\Classes\.jxdb"; ValueType: string; ValueName: ""; ValueData: "{#ProgId}"; Flags: uninsdeletevalue
Root: HKA; Subkey: "Software\Classes\.jxdb\OpenWithProgids"; ValueType: string; ValueName: "{#ProgId}"; ValueData: ""; Flags: uninsdeletevalue
Root: HKA; Subkey: "Software\Classes\{#ProgId}"; ValueType: string; ValueName: ""; ValueData: "绩效目标文件"; Flags: uninsdeletekey
Root: HKA; Subkey: "Software\Classes\{#ProgId}\DefaultIcon"; ValueType: string; ValueName: ""; ValueData: "{app}\{#AppExe},0"
Root: HKA; Subkey: "Software\Classes\{#ProgId}\shell\open\command"; ValueType: string; ValueName: ""; ValueData: """{app}\{#AppExe}"" ""%1"""
Root: HKA; Subkey: "Software\Classes\Applications\{#AppExe}\SupportedTypes"; ValueType: string; ValueName: ".jxdb"; ValueData: ""

[Run]
Filename: "{app}\{#AppExe}"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent
