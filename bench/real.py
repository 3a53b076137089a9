"""Metadata on real scans: exact fields, and whether the confidence can be trusted.

Reads a folder of real documents with their metadata read by eye (the layout of
``../shared/real-dev``: ``docs/`` and ``meta_gt.json``), ingests them with sohoa
into a throw-away store, and reports per field how many values are exactly
right, the calibration of the confidence (bucket -> share right, count), and
every wrong value at or above the form's tint threshold, which a clerk would
have no reason to check. A value the page does not show (``null``) is right
when sohoa leaves the field empty. An empty field is never "confident".

    .venv/bin/python bench/real.py [--data ../shared/real-dev]

The real scans are not in the repository (their licence is their source's);
the figures in docs/benchmarks.md say which data they come from.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from capture.pipeline import CaptureSettings, IngestRequest, ingest
from cli.commands_store import document_json
from ocr.settings import OcrSettings
from store import documents
from store.roles import Role
from store.session import init_store, open_session
from store.settings import KdfParams, StoreSettings
from store.users import add_user

FIELDS = ("type_name", "code_number", "code_notation", "issued_date", "organ_name", "subject",
          "signer_position", "signer_name")
TINT = 0.75  # app/form.py DOUBTFUL_CONFIDENCE: below it a field is tinted
BUCKETS = ((0.0, 0.5), (0.5, 0.75), (0.75, 0.9), (0.9, 1.01))
DEFAULT_DATA = Path(__file__).resolve().parent.parent.parent / "shared" / "real-dev"


def read_all(data: Path, workers: int) -> tuple[dict[str, dict[str, Any]], float]:
    """sohoa's document object for each file of ``data/docs``, keyed by file stem."""
    files = sorted(p for p in (data / "docs").iterdir() if p.is_file())
    with tempfile.TemporaryDirectory(prefix="sohoa-real-") as tmp:
        settings = StoreSettings(data_dir=Path(tmp) / "store", kdf=KdfParams(8192, 1, 1))
        init_store(settings, "admin", "admin-password")
        with open_session(settings, "admin", "admin-password") as admin:
            add_user(admin, "lan", Role.CLERK, "clerk-password")
        capture = CaptureSettings(ocr=OcrSettings(workers=workers))
        start = time.perf_counter()
        with open_session(settings, "lan", "clerk-password") as session:
            report = ingest(session, IngestRequest([str(p) for p in files], batch="real"),
                            capture)
            elapsed = time.perf_counter() - start
            objs = {}
            for outcome in report.stored:
                assert outcome.id is not None
                view = documents.get_document(session, outcome.id, audit_open=False)
                objs[Path(outcome.source).stem] = document_json(view)
    return objs, elapsed


def _norm(value: Any) -> Any:
    return value if value not in ("", None) else None


def score(truth: dict[str, dict[str, Any]], got: dict[str, dict[str, Any]]) -> dict[str, Any]:
    per_field: Counter[str] = Counter()
    buckets: dict[tuple[float, float], list[int]] = {b: [0, 0] for b in BUCKETS}
    confident_wrong, misses = [], []
    for name, gt in sorted(truth.items()):
        obj = got.get(name, {})
        for field in FIELDS:
            want, have = _norm(gt.get(field)), _norm(obj.get(field))
            ok = want == have
            per_field[field] += ok
            conf = obj.get("confidence", {}).get(field) if have is not None else None
            if have is not None and conf is not None:
                bucket = next(b for b in BUCKETS if b[0] <= conf < b[1])
                buckets[bucket][0] += ok
                buckets[bucket][1] += 1
            if not ok:
                why = obj.get("review", {}).get(field, "")
                line = f"{name} {field}: {have!r} != {want!r} (conf {conf}, review {why!r})"
                misses.append(line)
                if conf is not None and conf >= TINT:
                    confident_wrong.append(line)
    n = len(truth)
    return {"documents": n, "fields_exact": sum(per_field.values()) / (n * len(FIELDS)),
            "right": sum(per_field.values()), "of": n * len(FIELDS),
            "per_field": {f: f"{per_field[f]}/{n}" for f in FIELDS},
            "calibration": {f"{lo:.2f}-{min(hi, 1):.2f}": {"right": r, "count": c}
                            for (lo, hi), (r, c) in buckets.items()},
            "confident_wrong": confident_wrong, "misses": misses}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    truth = json.loads((args.data / "meta_gt.json").read_text(encoding="utf-8"))
    got, elapsed = read_all(args.data, args.workers)
    result = score(truth, got)
    print(f"real scans: {result['documents']} documents from {args.data} ({elapsed:.0f} s)")
    print(f"fields exact  {result['right']}/{result['of']} = {result['fields_exact']:.3f}  "
          + "  ".join(f"{k}={v}" for k, v in result["per_field"].items()))
    print_confidence(result)


def print_confidence(result: dict[str, Any]) -> None:
    """The calibration, the confident wrong values, the misses and the JSON line."""
    print("calibration (confidence -> right/count): " + "  ".join(
        f"{k}: {v['right']}/{v['count']}" for k, v in result["calibration"].items()))
    print(f"wrong at or above the tint threshold ({TINT}): {len(result['confident_wrong'])}")
    for line in result["confident_wrong"]:
        print("  CONFIDENT", line)
    for line in result["misses"]:
        print("  miss", line)
    print(json.dumps({k: v for k, v in result.items() if k != "misses"}, ensure_ascii=False))


if __name__ == "__main__":
    main()
