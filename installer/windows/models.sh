#!/bin/sh
# Fetch Debian's Tesseract models for the Windows build (no third-party download):
# tesseract-ocr-vie and tesseract-ocr-osd, through apt, unpacked without installing.
#
#   sh installer/windows/models.sh [OUT_DIR]     (default build/windows/tessdata)
#
# build.ps1 checks their SHA-256 against the pinned Debian 12 files.
set -eu
OUT="${1:-build/windows/tessdata}"
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
mkdir -p "$OUT"
(cd "$WORK" && apt-get download tesseract-ocr-vie tesseract-ocr-osd)
for deb in "$WORK"/*.deb; do dpkg-deb -x "$deb" "$WORK/root"; done
cp "$WORK"/root/usr/share/tesseract-ocr/*/tessdata/vie.traineddata \
   "$WORK"/root/usr/share/tesseract-ocr/*/tessdata/osd.traineddata "$OUT/"
sha256sum "$OUT/vie.traineddata" "$OUT/osd.traineddata"
