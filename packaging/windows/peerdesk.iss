; PeerDesk installer for Windows, Inno Setup 6.3 or later (https://jrsoftware.org/isinfo.php).
;
; Build on Windows (x64), from the repository root:
;     py -3.11 -m venv .venv && .venv\Scripts\pip install -e ".[package]"
;     .venv\Scripts\python packaging\build.py bundle
;     "C:\Program Files (x86)\Inno Setup 6\ISCC.exe" /DAppVersion=0.1.0 packaging\windows\peerdesk.iss
; Output: dist\PeerDesk-Setup-0.1.0.exe. Sign it (and dist\peerdesk\peerdesk.exe before
; running ISCC) with signtool and the agency's or vendor's Authenticode certificate.
;
; Install for every user of the computer (needs an administrator), silently:
;     PeerDesk-Setup-0.1.0.exe /VERYSILENT /SUPPRESSMSGBOXES /NORESTART /PROVISIONING="C:\deploy\provisioning.toml"
; /PROVISIONING copies the agency's provisioning file to
; %ProgramData%\PeerDesk\provisioning.toml, where PeerDesk reads it; the folder is
; made writable by Administrators and SYSTEM only. Without /PROVISIONING an
; existing provisioning file is left as it is.
;
; Uninstalling removes the program files only. It never removes user data (each
; user's profiles in %LOCALAPPDATA%\PeerDesk) nor the provisioning file: delete
; %ProgramData%\PeerDesk by hand to retire a laptop's provisioning.

#ifndef AppVersion
  #error Give the version: ISCC /DAppVersion=X.Y.Z packaging\windows\peerdesk.iss
#endif

#define Root "..\.."

[Setup]
; The AppId identifies PeerDesk for upgrades and uninstall: never change it.
AppId={{6C1F3E52-8B4D-4E0A-9F27-3A5D7C9E1B44}
AppName=PeerDesk
AppVersion={#AppVersion}
AppVerName=PeerDesk {#AppVersion}
AppPublisher=The PeerDesk project
DefaultDirName={autopf}\PeerDesk
DefaultGroupName=PeerDesk
DisableProgramGroupPage=yes
DisableDirPage=auto
; per machine only: Program Files, the all-users Start menu, %ProgramData%
PrivilegesRequired=admin
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
MinVersion=10.0
OutputDir={#Root}\dist
OutputBaseFilename=PeerDesk-Setup-{#AppVersion}
SetupIconFile={#Root}\build\icons\peerdesk.ico
UninstallDisplayIcon={app}\peerdesk.exe
UninstallDisplayName=PeerDesk
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
; an upgrade closes a running PeerDesk first (it saves the open draft and locks)
CloseApplications=yes
RestartApplications=no
SetupLogging=yes

[Languages]
Name: "english"; MessagesFile: "compiler:Default.isl"
Name: "spanish"; MessagesFile: "compiler:Languages\Spanish.isl"

[Dirs]
Name: "{commonappdata}\PeerDesk"; Flags: uninsneveruninstall

[Files]
Source: "{#Root}\dist\peerdesk\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs
; The agency's provisioning file, read at install time from the /PROVISIONING path.
Source: "{param:PROVISIONING}"; DestDir: "{commonappdata}\PeerDesk"; DestName: "provisioning.toml"; Flags: external ignoreversion uninsneveruninstall; Check: ProvisioningGiven

[Icons]
Name: "{autoprograms}\PeerDesk"; Filename: "{app}\peerdesk.exe"; Comment: "Case notes, rides and resources for peer support"

[Run]
; Users may read the provisioning folder, only Administrators (S-1-5-32-544) and
; SYSTEM (S-1-5-18) may change it: otherwise a user could point everyone's
; PeerDesk at another agency. Inherited rights (Users may create files in
; %ProgramData%) are removed.
Filename: "{sys}\icacls.exe"; Parameters: """{commonappdata}\PeerDesk"" /inheritance:r /grant:r *S-1-5-32-544:(OI)(CI)F *S-1-5-18:(OI)(CI)F *S-1-5-32-545:(OI)(CI)RX"; Flags: runhidden waituntilterminated; StatusMsg: "Protecting the provisioning folder..."
Filename: "{app}\peerdesk.exe"; Description: "{cm:LaunchProgram,PeerDesk}"; Flags: nowait postinstall skipifsilent

; No [UninstallDelete] section on purpose: the uninstaller removes only what it
; installed, never profiles, logs or the provisioning file.

[Code]
function ProvisioningGiven: Boolean;
begin
  Result := ExpandConstant('{param:PROVISIONING|}') <> '';
end;

function InitializeSetup: Boolean;
var
  Path: String;
begin
  Result := True;
  Path := ExpandConstant('{param:PROVISIONING|}');
  if (Path <> '') and not FileExists(Path) then
  begin
    Log('Provisioning file not found: ' + Path);
    SuppressibleMsgBox('The provisioning file ' + Path + ' does not exist. Nothing was installed.',
      mbCriticalError, MB_OK, IDOK);
    Result := False;
  end;
end;
