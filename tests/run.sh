#!/usr/bin/env bash
# The whole test run: set-up, lint, types, layering contract, then pytest.
# README's second command and .ci/run both call this script.
set -euo pipefail
cd "$(dirname "$0")/.."
bash installer/dev-setup.sh --dev
export QT_QPA_PLATFORM=offscreen
V=.venv/bin
echo "== ruff"; $V/ruff check .
echo "== mypy"; $V/mypy
echo "== import-linter"; $V/lint-imports
echo "== pytest"; $V/python -m pytest -q "$@"
