; Inno Setup script for voicedesk: a per-user or all-users installer with a Start-menu
; shortcut, an optional desktop icon and an uninstaller.
; Compiled by packaging/build.py on Windows (package_windows.py), which passes:
;   /DAppVersion=0.1.0  /DSourceDir=<repo>\dist\voicedesk  /DOutputDir=<repo>\dist  /DIconFile=<work folder>\icons\voicedesk.ico
; (the icon from the build's work folder, build\ by default). The build signs the executables before
; and the setup.exe after this script when VOICEDESK_SIGN_COMMAND is set (packaging/signing.py).
; By hand: iscc /DAppVersion=0.1.0 /DSourceDir=..\..\dist\voicedesk /DOutputDir=..\..\dist /DIconFile=..\..\build\icons\voicedesk.ico voicedesk.iss

#ifndef AppVersion
  #error Pass /DAppVersion=<version>
#endif
#ifndef SourceDir
  #error Pass /DSourceDir=<the PyInstaller bundle folder>
#endif
#ifndef OutputDir
  #define OutputDir "."
#endif

[Setup]
; AppId identifies the app for upgrades and uninstall: never change it
AppId={{6F1E3B0A-5C55-4D3C-9B1E-7A0D2C4B9E21}
AppName=voicedesk
AppVersion={#AppVersion}
AppVerName=voicedesk {#AppVersion}
AppPublisher=voicedesk contributors
DefaultDirName={autopf}\voicedesk
DefaultGroupName=voicedesk
DisableProgramGroupPage=yes
; install for the current user without admin rights unless the user asks for all users
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
OutputDir={#OutputDir}
OutputBaseFilename=voicedesk-{#AppVersion}-setup
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
UninstallDisplayIcon={app}\voicedesk.exe
UninstallDisplayName=voicedesk {#AppVersion}
#ifdef IconFile
SetupIconFile={#IconFile}
#endif

[Languages]
Name: "english"; MessagesFile: "compiler:Default.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[Files]
Source: "{#SourceDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{group}\voicedesk"; Filename: "{app}\voicedesk.exe"; WorkingDir: "{app}"
Name: "{group}\Uninstall voicedesk"; Filename: "{uninstallexe}"
Name: "{autodesktop}\voicedesk"; Filename: "{app}\voicedesk.exe"; WorkingDir: "{app}"; Tasks: desktopicon

[Run]
Filename: "{app}\voicedesk.exe"; Description: "{cm:LaunchProgram,voicedesk}"; Flags: nowait postinstall skipifsilent

[UninstallDelete]
; files the app itself may leave beside the executable (settings, models and logs live in the user's profile and stay)
Type: filesandordirs; Name: "{app}\_internal\__pycache__"
