#!/bin/sh
# An independent capture check: ward documents written the way wards write them (Word tables),
# rendered by LibreOffice, rasterised by pdftoppm, degraded, ingested, scored against the truth.
# Not part of the test run: it needs LibreOffice and python-docx, which sohoa does not.
#
#   sudo apt-get install -y libreoffice-writer-nogui fonts-noto-core fonts-dejavu
#   python3 -m venv /tmp/wc-venv && /tmp/wc-venv/bin/pip install python-docx numpy pillow
#   PY=/tmp/wc-venv/bin/python sh bench/writer_corpus/run.sh [OUT_DIR]
set -e
HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
export WRITER_CORPUS_OUT="${1:-/tmp/sohoa-writer-corpus}"
PY="${PY:-python3}"
SOHOA="$REPO/.venv/bin/sohoa"
mkdir -p "$WRITER_CORPUS_OUT"
"$PY" "$HERE/make_docs.py"       # docx/*.docx -> pdf/*.pdf
"$PY" "$HERE/degrade.py"         # scans/* and truth/*.json
cd "$WRITER_CORPUS_OUT"
rm -rf store
SOHOA_PASSWORD=admin-pass-1 "$SOHOA" --data store init --admin admin > /dev/null
SOHOA_PASSWORD=admin-pass-1 SOHOA_NEW_PASSWORD=clerk-pass-1 "$SOHOA" --data store --user admin \
    user add lan --role clerk
SOHOA_PASSWORD=clerk-pass-1 "$SOHOA" --data store --user lan --quiet ingest \
    $(ls scans/* | sort) --json > out.jsonl || true   # exit 4 when a page failed
"$PY" "$HERE/compare.py" out.jsonl
