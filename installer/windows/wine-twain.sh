#!/bin/bash
# TWAIN scanning under Wine (issue 16): sohoa's scanning code, run by the Windows CPython of
# the build (wine-build.sh), scans through Wine's TWAIN DSM from a test data source.
# Not part of the test suite; about 2 minutes, as root, after one wine-build.sh run (it
# reuses its chroot, Python and stand-in DLLs under $WINBUILD_DIR, default /work/winbuild).
#
#   installer/windows/wine-twain.sh            (docs/install-windows.md, "Scanning")
#
# Why a test source and not SANE's `test` backend: Wine's DSM (twain_32.dll) bridges to
# SANE through its sane.ds, but Debian's Wine 10 is built without SANE: its sane.ds is a
# "Wine placeholder DLL" with no builtin behind it, and libwine does not depend on libsane.
# twain-test-ds.c stands in for it under the same name, in this prefix only.
#
# The checks (installer/windows/twain_check.py) run the code of this checkout (git archive
# of $WINBUILD_REF, default HEAD): listing, feeder + duplex in grey, flatbed in colour,
# black-and-white at a resolution the source lacks, stopping early, and the encrypted spool.
# One PASS/FAIL line per step and per check; exit 0 only if all passed.
set -u -o pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=installer/windows/wine-build.sh
. "$HERE/wine-build.sh"

OVERRIDES="$OVERRIDES;sane.ds=n"
T=$W/twain

s_twain_source() {
  CURRENT="twain-source"
  [ -f "$W/python/python.exe" ] && [ -f "$W/standins/ucrtbase.dll" ] \
    || { echo "run wine-build.sh once first"; return 1; }
  rm -rf "$T" && mkdir -p "$T/src"
  git -C "$REPO" archive "$REF" | tar -x -C "$T/src" || return 1
  cp "$T/src/installer/windows/twain-test-ds.c" "$T/" || return 1
  in_chroot x86_64-w64-mingw32-gcc -O2 -Wall -Werror -shared -o /w/twain/sane.ds \
    /w/twain/twain-test-ds.c -Wl,--kill-at || return 1
  note "$(git -C "$REPO" rev-parse --short "$REF"); sane.ds = twain-test-ds.c ($(du -k "$T/sane.ds" | cut -f1) kB)"
}

s_twain_prefix() {
  CURRENT="twain-prefix"
  new_prefix prefix-twain || return 1
  cp "$T/sane.ds" "$W/prefix-twain/drive_c/windows/twain_64/sane.ds" || return 1
  note "fresh prefix, the test source over the placeholder C:\\windows\\twain_64\\sane.ds"
}

s_twain_scan() {
  CURRENT="twain-scan"
  local out rc
  out=$(wine_in prefix-twain timeout 600 $NICE wine /w/python/python.exe \
    'Z:\w\twain\src\installer\windows\twain_check.py' 2>&1 | tr -d '\r')
  rc=$?
  echo "$out"
  printf '%s\n' "$out" | grep -E '^(PASS|FAIL) ' >"$W/logs/twain-checks.txt"
  [ $rc -eq 0 ] || return 1
  note "$(grep -c '^PASS' "$W/logs/twain-checks.txt") checks passed"
}

twain_main() {
  [ "$(id -u)" -eq 0 ] || { say "FAIL setup (run as root: chroot)"; exit 2; }
  [ -f "$CHROOT/$READY" ] || { say "FAIL setup (no chroot: run wine-build.sh once first)"; exit 2; }
  mkdir -p "$W/logs"
  trap cleanup EXIT
  mount_chroot
  step twain-source s_twain_source
  step twain-prefix s_twain_prefix
  step twain-scan s_twain_scan
  [ -f "$W/logs/twain-checks.txt" ] && sed 's/^/  /' "$W/logs/twain-checks.txt"
  cleanup_twain
  say "total $(( $(date +%s) - START )) s"
  [ -z "$FAILED" ]
}

cleanup_twain() {
  [ -d "$W/prefix-twain" ] && wine_in prefix-twain wineserver -k 2>/dev/null
  return 0
}

twain_main "$@"
