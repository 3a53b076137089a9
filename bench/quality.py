"""Capture quality: word recall and metadata accuracy on a degraded corpus.

Renders N Nghị định 30 documents (tests/corpus: several fonts, skew up to 3.5°,
quarter turns, blur, speckle, yellowed paper, red seals, 200/300 dpi, JPEG),
ingests them with sohoa into a throw-away store, and compares with the truth.
The peer, in the same run, is plain `tesseract -l vie` on the same files.

    .venv/bin/python bench/quality.py --n 40 --seed 2026
    .venv/bin/python bench/quality.py --mode realistic --n 40 --seed 4711   # bench/realistic.py
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from capture.pipeline import CaptureSettings, IngestRequest, ingest
from cli.commands_store import document_json
from store import documents
from store.roles import Role
from store.session import init_store, open_session
from store.settings import KdfParams, StoreSettings
from store.users import add_user
from tests.corpus.generate import generate, word_recall

FIELDS = ("type_name", "code_number", "code_notation", "issued_date", "organ_name", "subject",
          "signer_position", "signer_name", "citizen_ids")


def write_corpus(seed: int, n: int, folder: Path) -> list[tuple[Path, dict, list[str]]]:
    """Each sample as one file (multi-page TIFF or single JPEG/PNG), with its truth."""
    out = []
    for sample in generate(seed, n, mode="mixed"):
        if len(sample.pages) == 1 and sample.encoded:
            path = folder / f"{sample.name}.jpg"
            path.write_bytes(sample.encoded[0])
        else:
            path = folder / f"{sample.name}.tiff"
            first, *rest = sample.pages
            first.save(path, save_all=True, append_images=rest, compression="tiff_deflate",
                       dpi=(sample.dpi, sample.dpi))
        out.append((path, sample.truth, [str(t) for t in sample.truth["page_texts"]]))
    return out


def run_sohoa(corpus: list, work: Path, workers: int) -> tuple[dict[str, dict], float]:
    settings = StoreSettings(data_dir=work / "store", kdf=KdfParams(8192, 1, 1))
    init_store(settings, "admin", "admin-password")
    with open_session(settings, "admin", "admin-password") as admin:
        add_user(admin, "lan", Role.CLERK, "clerk-password")
    from ocr.settings import OcrSettings

    capture = CaptureSettings(ocr=OcrSettings(workers=workers))
    start = time.perf_counter()
    with open_session(settings, "lan", "clerk-password") as session:
        report = ingest(session, IngestRequest([str(p) for p, _, _ in corpus], batch="bench"),
                        capture)
        elapsed = time.perf_counter() - start
        objs = {}
        for outcome in report.stored:
            assert outcome.id is not None
            objs[outcome.source] = document_json(
                documents.get_document(session, outcome.id, audit_open=False))
    return objs, elapsed


def run_plain(corpus: list) -> tuple[dict[str, str], float]:
    start = time.perf_counter()
    texts = {}
    for path, _, _ in corpus:
        texts[str(path)] = subprocess.run(
            ["tesseract", str(path), "stdout", "-l", "vie"], capture_output=True, text=True,
            env={"OMP_THREAD_LIMIT": "1", "PATH": "/usr/bin:/bin"}, check=False).stdout
    return texts, time.perf_counter() - start


def score(corpus: list, sohoa: dict, plain: dict) -> dict:
    recall_s, recall_p, fields, misses = [], [], Counter(), []
    for path, truth, page_texts in corpus:
        text = "\n".join(page_texts)
        obj = sohoa.get(str(path), {})
        recall_s.append(word_recall(text, obj.get("text", "")))
        recall_p.append(word_recall(text, plain.get(str(path), "")))
        for name in FIELDS:
            ok = obj.get(name) == truth.get(name)
            fields[name] += ok
            if not ok:
                misses.append(f"{path.name} {name}: {obj.get(name)!r} != {truth.get(name)!r}")
    n = len(corpus)
    return {"documents": n, "sohoa_recall": sum(recall_s) / n, "plain_recall": sum(recall_p) / n,
            "fields_exact": sum(fields.values()) / (n * len(FIELDS)),
            "per_field": {k: fields[k] / n for k in FIELDS}, "misses": misses,
            "worst_pages": sorted(zip(recall_s, [p.name for p, _, _ in corpus], strict=True))[:5]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=40)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--mode", choices=("mixed", "realistic"), default="mixed",
                        help="realistic: handwriting, stamps, seals, phone photos (issue 11)")
    args = parser.parse_args()
    if args.mode == "realistic":
        sys.path.insert(0, str(Path(__file__).resolve().parent))
        import realistic

        realistic.main(["--n", str(args.n), "--seed", str(args.seed),
                        "--workers", str(args.workers)])
        return
    with tempfile.TemporaryDirectory(prefix="sohoa-quality-") as tmp:
        work = Path(tmp)
        (work / "in").mkdir()
        corpus = write_corpus(args.seed, args.n, work / "in")
        sohoa, t_sohoa = run_sohoa(corpus, work, args.workers)
        plain, t_plain = run_plain(corpus)
        result = score(corpus, sohoa, plain)
    pages = sum(len(p) for _, _, p in corpus)
    print(f"quality: {args.n} documents, {pages} pages, seed {args.seed}")
    print(f"word recall   sohoa {result['sohoa_recall']:.3f}   plain tesseract "
          f"{result['plain_recall']:.3f}")
    print(f"fields exact  {result['fields_exact']:.3f}  " + "  ".join(
        f"{k}={v:.2f}" for k, v in result["per_field"].items()))
    print(f"time          sohoa {t_sohoa:.0f} s ({args.workers} workers, with clean-up, "
          f"extraction, PDF/A, encryption)   plain {t_plain:.0f} s (1 process)")
    for miss in result["misses"][:40]:
        print("  miss", miss)
    print(json.dumps({k: v for k, v in result.items() if k != "misses"}, ensure_ascii=False))


if __name__ == "__main__":
    main()
