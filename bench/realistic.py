"""Metadata on realistic generated documents, scored like bench/real.py, with reasons.

Generates N documents with ``tests.corpus.realistic`` (handwritten number and
day, received stamps, e-signature boxes, SAO Y, seals across the signer, 1-bit
scans, phone photos with no DPI, duplex backs, 1990s typewriter layouts…),
writes them as a folder in the layout of ``../shared/real-dev`` (``docs/``,
``meta_gt.json``, plus ``truth/``), ingests them with sohoa into a throw-away
store (``bench/real.py``'s ``read_all``) and reports:

- fields exactly right, per field (the 8 fields of bench/real.py);
- handwritten values: a miss is counted as a miss, and reported apart as
  "handwritten, left empty" (what an engine that cannot read handwriting should
  do) or "handwritten, wrong" (a guess, which is worse);
- values under a seal: right / wrong;
- values taken from a received stamp, a copy block, a cited document or a pen
  note in the margin (their number or date extracted as the document's);
- the calibration of the confidence (bucket -> right/count) and every wrong
  value at or above the tint threshold 0.75 (app/form.py DOUBTFUL_CONFIDENCE);
- blank duplex backs found, word recall of the printed text, fields per feature.

    .venv/bin/python bench/realistic.py --n 40 --seed 4711      # held-out seed
    .venv/bin/python bench/realistic.py --data DIR               # a folder written before
    .venv/bin/python bench/realistic.py --data DIR --rescore     # same sohoa output, new truth

Seed 11 is the development seed (tests/test_corpus_realistic.py, looking at pages);
report figures from another seed so that they are not tuned to the pages looked at.
``--keep DIR`` leaves the generated folder for ``bench/real.py --data DIR`` or a viewer.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import real as real_bench  # noqa: E402  (bench/real.py: ingest a folder into a store)

from tests.corpus.generate import word_recall  # noqa: E402
from tests.corpus.realistic import FEATURES, generate_realistic, write_dataset  # noqa: E402

FIELDS = real_bench.FIELDS
TINT = real_bench.TINT
BUCKETS = real_bench.BUCKETS


def _norm(value: Any) -> Any:
    return value if value not in ("", None) else None


def _leak(field: str, have: Any, truth: dict[str, Any]) -> str:
    """Where a wrong ``have`` came from: a stamp's, a citation's or a margin note's value."""
    if have is None or field not in ("code_number", "issued_date", "code_notation"):
        return ""
    key = {"code_number": "number", "issued_date": "date", "code_notation": "notation"}[field]
    for source, items in (("stamp", truth["stamps"]), ("citation", truth["citations"]),
                          ("margin note", truth.get("margin_notes", []))):
        for item in items:
            value = str(item.get(key, ""))
            if value and str(have).lstrip("0") == value.lstrip("0"):
                return source
    return ""


def score(truths: dict[str, dict[str, Any]], got: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """Per-field exactness, the handwritten and seal splits, leaks and calibration."""
    per_field: Counter[str] = Counter()
    buckets: dict[tuple[float, float], list[int]] = {b: [0, 0] for b in BUCKETS}
    hand: Counter[str] = Counter()
    seal: Counter[str] = Counter()
    leaks: Counter[str] = Counter()
    feature_ok: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    confident_wrong, misses, recalls = [], [], []
    blanks = [0, 0]  # backs found, backs there
    for name, truth in sorted(truths.items()):
        obj = got.get(name, {})
        recalls.append(word_recall(truth["text"].replace("\f", "\n"), obj.get("text", "")))
        blanks[0] += min(int(obj.get("blank_pages", 0) or 0), len(truth["blank_pages"]))
        blanks[1] += len(truth["blank_pages"])
        for field in FIELDS:
            want, have = _norm(truth.get(field)), _norm(obj.get(field))
            ok = want == have
            per_field[field] += ok
            for feature in truth["features"]:
                feature_ok[feature][0] += ok
                feature_ok[feature][1] += 1
            conf = obj.get("confidence", {}).get(field) if have is not None else None
            if have is not None and conf is not None:
                bucket = next(b for b in BUCKETS if b[0] <= conf < b[1])
                buckets[bucket][0] += ok
                buckets[bucket][1] += 1
            if field in truth["handwritten"]:
                hand["right" if ok else "left empty" if have is None else "wrong"] += 1
            if field in truth["under_seal"]:
                seal["right" if ok else "wrong"] += 1
            if not ok:
                leak = _leak(field, have, truth)
                if leak:
                    leaks[leak] += 1
                tags = [t for t, on in (("handwritten", field in truth["handwritten"]),
                                        ("under seal", field in truth["under_seal"]),
                                        (f"from a {leak}", bool(leak))) if on]
                why = obj.get("review", {}).get(field, "")
                line = (f"{name} {field}: {have!r} != {want!r} (conf {conf}, review {why!r}"
                        f"{', ' + ', '.join(tags) if tags else ''})")
                misses.append(line)
                if conf is not None and conf >= TINT:
                    confident_wrong.append(line)
    n = len(truths)
    return {
        "documents": n, "fields_exact": sum(per_field.values()) / (n * len(FIELDS)),
        "right": sum(per_field.values()), "of": n * len(FIELDS),
        "per_field": {f: f"{per_field[f]}/{n}" for f in FIELDS},
        "handwritten": dict(hand), "under_seal": dict(seal), "leaks": dict(leaks),
        "blank_backs_found": f"{blanks[0]}/{blanks[1]}",
        "word_recall": sum(recalls) / max(1, n),
        "per_feature": {f: f"{feature_ok[f][0]}/{feature_ok[f][1]}" for f in FEATURES
                        if f in feature_ok},
        "calibration": {f"{lo:.2f}-{min(hi, 1):.2f}": {"right": r, "count": c}
                        for (lo, hi), (r, c) in buckets.items()},
        "confident_wrong": confident_wrong, "misses": misses,
    }


def load_truths(data: Path) -> dict[str, dict[str, Any]]:
    return {p.stem: json.loads(p.read_text(encoding="utf-8"))
            for p in sorted((data / "truth").glob("*.json"))}


def run(data: Path, workers: int, rescore: bool = False) -> dict[str, Any]:
    """Ingest ``data`` (or, with ``rescore``, reuse the last run's ``sohoa.json``) and score."""
    truths = load_truths(data)
    cache = data / "sohoa.json"
    if rescore and cache.exists():
        got, elapsed = json.loads(cache.read_text(encoding="utf-8")), 0.0
    else:
        got, elapsed = real_bench.read_all(data, workers)
        cache.write_text(json.dumps(got, ensure_ascii=False), encoding="utf-8")
    result = score(truths, got)
    result["seconds"] = round(elapsed)
    return result


def report(result: dict[str, Any], label: str) -> None:
    print(f"realistic: {result['documents']} documents, {label} ({result['seconds']} s)")
    print(f"fields exact  {result['right']}/{result['of']} = {result['fields_exact']:.3f}  "
          + "  ".join(f"{k}={v}" for k, v in result["per_field"].items()))
    hand = result["handwritten"]
    print(f"handwritten   right {hand.get('right', 0)}, left empty {hand.get('left empty', 0)}, "
          f"wrong {hand.get('wrong', 0)}")
    seal = result["under_seal"]
    print(f"under a seal  right {seal.get('right', 0)}, wrong {seal.get('wrong', 0)}")
    print(f"taken from a stamp {result['leaks'].get('stamp', 0)}, from a citation "
          f"{result['leaks'].get('citation', 0)}, from a margin note "
          f"{result['leaks'].get('margin note', 0)}")
    print(f"blank backs found {result['blank_backs_found']}   word recall "
          f"{result['word_recall']:.3f}")
    print("per feature (fields right/count): " + "  ".join(
        f"{k}={v}" for k, v in result["per_feature"].items()))
    real_bench.print_confidence(result)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=40)
    parser.add_argument("--seed", type=int, default=4711)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--data", type=Path, help="score a folder written before")
    parser.add_argument("--keep", type=Path, help="write the generated folder here and keep it")
    parser.add_argument("--rescore", action="store_true",
                        help="with --data: score the last run's sohoa.json again (truth changed)")
    args = parser.parse_args(argv)
    if args.data is not None:
        report(run(args.data, args.workers, args.rescore), f"from {args.data}")
        return
    with tempfile.TemporaryDirectory(prefix="sohoa-realistic-") as tmp:
        data = args.keep or Path(tmp) / "data"
        write_dataset(generate_realistic(args.seed, args.n), data)
        report(run(data, args.workers), f"seed {args.seed}")


if __name__ == "__main__":
    main()
