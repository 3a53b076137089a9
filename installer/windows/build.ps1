# Build dist\sohoa-setup-<version>.exe on a Windows build machine with internet access.
# Steps and prerequisites: docs/install-windows.md. From the repository root:
#
#   powershell -ExecutionPolicy Bypass -File installer\windows\build.ps1 [-Site site.toml]
#
# Needs: Python 3.11 x64 from python.org (the "py" launcher), NSIS 3 (makensis on PATH),
# git. Downloads: Tesseract (UB Mannheim build), tessdata_fast vie + osd, Poppler.
# Each download is checked against the SHA-256 pinned below; a mismatch stops the build.

param(
    [string]$Site = "",
    [switch]$Relock
)
$ErrorActionPreference = "Stop"
Set-StrictMode -Version Latest

# Third-party files. When you move to a new version, download it, verify it (UB Mannheim
# signs its installers), and record its SHA-256 here in the same commit.
$Downloads = @(
    @{ Name = "tesseract-setup.exe"
       Url = "https://digi.bib.uni-mannheim.de/tesseract/tesseract-ocr-w64-setup-5.4.0.20240606.exe"
       Sha256 = "" },
    @{ Name = "vie.traineddata"
       Url = "https://github.com/tesseract-ocr/tessdata_fast/raw/4.1.0/vie.traineddata"
       Sha256 = "" },
    @{ Name = "osd.traineddata"
       Url = "https://github.com/tesseract-ocr/tessdata_fast/raw/4.1.0/osd.traineddata"
       Sha256 = "" },
    @{ Name = "poppler.zip"
       Url = "https://github.com/oschwartz10612/poppler-windows/releases/download/v24.08.0-0/Release-24.08.0-0.zip"
       Sha256 = "" }
)

$Root = (Resolve-Path "$PSScriptRoot\..\..").Path
Set-Location $Root
$Work = Join-Path $Root "build\windows"
$Stage = Join-Path $Work "stage"
$Cache = Join-Path $Work "downloads"
$Venv = Join-Path $Work "venv"
$Lock = Join-Path $Root "installer\windows\requirements.lock"
New-Item -ItemType Directory -Force -Path $Work, $Cache, (Join-Path $Root "dist") | Out-Null

function Invoke-Checked([string]$What, [scriptblock]$Block) {
    & $Block
    if ($LASTEXITCODE -ne 0) { throw "$What failed (exit $LASTEXITCODE)" }
}

# 1. Python environment: exactly the wheels in the lock (hash-checked).
if (-not (Test-Path "$Venv\Scripts\python.exe")) {
    Invoke-Checked "creating the venv" { py -3.11 -m venv $Venv }
}
$Py = "$Venv\Scripts\python.exe"
if ($Relock) {
    Invoke-Checked "relocking" { & $Py installer\locks.py --target cp311-win_amd64 --out $Lock . pyinstaller pefile pywin32-ctypes wheel }
}
Invoke-Checked "pip install (locked)" { & $Py -m pip install --quiet --no-deps --require-hashes --only-binary=:all: -r $Lock }
Invoke-Checked "pip install sohoa" { & $Py -m pip install --quiet --no-deps --no-build-isolation --force-reinstall . }
$Version = (& $Py -c "from importlib.metadata import version; print(version('sohoa'))").Trim()
$Schema = (& $Py -c "from store import db; print(db.latest_version())").Trim()

# 2. The frozen app: build\windows\dist\sohoa\{sohoa.exe, sohoa-gui.exe, _internal\}.
Invoke-Checked "drawing the icon" { & $Py installer\icon.py --ico "$Work\sohoa.ico" }
Invoke-Checked "PyInstaller" { & $Py -m PyInstaller --noconfirm --clean --distpath "$Work\dist" --workpath "$Work\work" installer\windows\sohoa.spec }
Invoke-Checked "frozen sohoa --version" { & "$Work\dist\sohoa\sohoa.exe" --version }
if ($Site) {
    # A bad site file stops the build here, not at a clerk's desk.
    Invoke-Checked "checking the site file" { & "$Work\dist\sohoa\sohoa.exe" site check $Site }
}

# 3. Third-party downloads, verified.
foreach ($d in $Downloads) {
    $file = Join-Path $Cache $d.Name
    if (-not (Test-Path $file)) {
        Write-Host "downloading $($d.Url)"
        Invoke-WebRequest -Uri $d.Url -OutFile $file -UseBasicParsing
    }
    $hash = (Get-FileHash -Algorithm SHA256 $file).Hash.ToLower()
    if (-not $d.Sha256) {
        Write-Warning "$($d.Name): no pinned SHA-256 yet; verify the file and pin $hash in build.ps1"
    } elseif ($hash -ne $d.Sha256.ToLower()) {
        throw "$($d.Name): SHA-256 $hash does not match the pinned $($d.Sha256)"
    }
}

# 4. Stage exactly what sohoa.nsi packs.
if (Test-Path $Stage) { Remove-Item -Recurse -Force $Stage }
New-Item -ItemType Directory -Force -Path "$Stage\tessdata", "$Stage\poppler" | Out-Null
Copy-Item -Recurse "$Work\dist\sohoa" "$Stage\sohoa"
Copy-Item "$Work\sohoa.ico" "$Stage\sohoa.ico"
Copy-Item "$Cache\tesseract-setup.exe" "$Stage\tesseract-setup.exe"
Copy-Item "$Cache\vie.traineddata", "$Cache\osd.traineddata" "$Stage\tessdata\"
Expand-Archive -Path "$Cache\poppler.zip" -DestinationPath "$Work\poppler-unzip" -Force
$popplerTop = Get-ChildItem "$Work\poppler-unzip" -Directory | Select-Object -First 1
Copy-Item -Recurse "$($popplerTop.FullName)\*" "$Stage\poppler\"
if ($Site) { Copy-Item $Site "$Stage\site.toml" }

# 5. The installer.
$NsisArgs = @("/WX", "/V2", "/DVERSION=$Version", "/DSCHEMA=$Schema", "/DSTAGE=$Stage")
$Out = Join-Path $Root "dist\sohoa-setup-$Version.exe"
if ($Site) {
    # A ward's own installer: the site file is inside (it holds the enrolment token:
    # hand this .exe only to that ward's IT).
    $Agency = (& $Py -c "import sys; from store.sitefile import load_site_file; print(load_site_file(__import__('pathlib').Path(sys.argv[1])).agency_code)" $Site).Trim()
    $Out = Join-Path $Root "dist\sohoa-setup-$Version-$Agency.exe"
    $NsisArgs += "/DSITEFILE=$Stage\site.toml"
}
Invoke-Checked "makensis" { makensis @NsisArgs "/DOUTFILE=$Out" installer\windows\sohoa.nsi }
Write-Host "wrote $Out ($([math]::Round((Get-Item $Out).Length / 1MB, 1)) MB)"
