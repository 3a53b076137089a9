#!/usr/bin/env bash
# Installs everything sohoa needs on a Debian/Ubuntu machine, idempotently:
# the system packages (Tesseract with Vietnamese, Poppler, SANE, fonts, Xvfb and
# the libraries Qt needs) and a .venv at the repository root with `sohoa` in
# .venv/bin. `--dev` adds the test and lint tools (desktop-file-utils, lintian and
# the Python ones). Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."

APT_PACKAGES=(
  tesseract-ocr tesseract-ocr-vie tesseract-ocr-osd tesseract-ocr-eng
  poppler-utils sane-utils xvfb nsis
  fonts-dejavu-core fonts-liberation2 fonts-noto-core
  python3-venv python3-dev
  libgl1 libegl1 libxkbcommon0 libxkbcommon-x11-0 libfontconfig1 libdbus-1-3
  libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-shape0 libxcb-xinerama0
  libxcb-randr0 libxcb-render-util0 libxcb-image0
)
# --dev: the package checks in tests/test_installer.py always run, never skipped for a
# missing tool (desktop-file-validate for the menu entry, lintian for the .deb).
[ "${1:-}" = "--dev" ] && APT_PACKAGES+=(desktop-file-utils lintian)

missing=()
for pkg in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  echo "sohoa setup: installing system packages: ${missing[*]}" >&2
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

PYTHON=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$PYTHON" -m venv .venv
fi
extra=""
[ "${1:-}" = "--dev" ] && extra="[dev]"
log=$(mktemp)
if ! { .venv/bin/python -m pip install -q --upgrade pip &&
       .venv/bin/python -m pip install -q -e ".${extra}"; } >"$log" 2>&1; then
  cat "$log" >&2
  rm -f "$log"
  echo "sohoa setup: pip install failed (see above)" >&2
  exit 1
fi
rm -f "$log"
echo "sohoa setup: ready ($(.venv/bin/sohoa --version))" >&2
