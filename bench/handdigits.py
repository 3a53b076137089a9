"""Handwritten digits in header slots: sohoa's reader against Tesseract's digit read.

For each real document (``docs/`` and ``meta_gt.json``, the layout of ``../shared/real-dev``;
``bench/fetch_real.py`` lays out the real-extra set the same way), page 1 is read with
Tesseract, the number, day and month slots are found from the words
(extract.handslots), cropped from the page Tesseract saw, and read twice: by
ocr.handdigits (the peer under test) and by plain Tesseract on the same crop (one text
line, digits only: the peer). Printed per slot kind: slots exactly right, digits right
(position by position), and refusals; then per field (number; date = day and month both
right). Only slots the ground truth's notes call handwritten (or stamped) are scored: a
printed slot is Tesseract's ordinary job. Neither reader sees a file name.

    .venv/bin/python bench/handdigits.py [--data ../shared/real-dev --data /tmp/realx]

The real scans are not in the repository; docs/benchmarks.md says which data the figures
come from.
"""

from __future__ import annotations

import argparse
import json
import pickle
import re
import sys
import tempfile
from pathlib import Path
from typing import Any

import numpy as np
import tesserocr
from PIL import Image

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from capture.prepare import ocr_view
from extract.handslots import Slot, find_slots, slot_line_top
from ocr.handdigits import MODEL_PATH, load_model, read_box
from ocr.model import PageText
from ocr.settings import OcrSettings
from ocr.tesseract import find_tessdata, image_dpi, ocr_page
from scanning.settings import ScanSettings
from scanning.sources import PdfPage, render_pdf_page

DEFAULT_DATA = [Path(__file__).resolve().parent.parent.parent / "shared" / "real-dev",
                Path("/tmp/realx")]
PDF_DPI = 300
MAX_DIGITS = {"number": 5, "day": 2, "month": 2}


def first_page(path: Path) -> tuple[Image.Image, int]:
    """Page 1 as the capture renders it, and its resolution."""
    if path.suffix.lower() == ".pdf":
        ref = PdfPage(str(path), path.name, 0, PDF_DPI, "")
        return render_pdf_page(ref, ScanSettings()), PDF_DPI
    image = Image.open(path)
    image.load()
    return image.convert("RGB") if image.mode not in ("L", "RGB") else image, image_dpi(image)


def read_page(path: Path, cache: Path) -> tuple[np.ndarray, PageText]:
    """(grey page as Tesseract saw it, its words), cached across runs."""
    key = cache / (path.stem + ".pkl")
    if key.exists():
        with key.open("rb") as fh:
            grey, page = pickle.load(fh)
        return grey, page
    image, dpi = first_page(path)
    view = ocr_view(image).convert("L")
    with tempfile.TemporaryDirectory() as tmp:
        page = ocr_page(view, settings=OcrSettings(), temp_dir=Path(tmp), dpi=dpi)
    grey = np.asarray(view)
    with key.open("wb") as fh:
        pickle.dump((grey, page), fh)
    return grey, page


def crop(grey: np.ndarray, slot: Slot) -> np.ndarray:
    h, w = grey.shape
    return grey[max(0, slot.top):min(h, slot.bottom), max(0, slot.left):min(w, slot.right)]


def tesseract_digits(api: tesserocr.PyTessBaseAPI, img: np.ndarray) -> str | None:
    """Plain Tesseract on the crop: one line, digits only."""
    api.SetImage(Image.fromarray(img))
    text = "".join(c for c in api.GetUTF8Text() if c.isdigit())
    return text or None


def truth(gt: dict[str, Any]) -> dict[str, str | None]:
    date = gt.get("issued_date") or ""
    return {"number": gt.get("code_number"), "day": date[8:10] or None,
            "month": date[5:7] or None}


def handwritten(gt: dict[str, Any]) -> set[str]:
    """Which slots the notes call handwritten, stamped or inserted at signing ("Number '68'
    and day '10' handwritten in blue; month '01' printed")."""
    kinds: set[str] = set()
    for clause in (gt.get("notes") or "").lower().split(";"):
        if not any(w in clause for w in ("handwritten", "stamp", "inserted at signing")):
            continue
        for kind in ("number", "day", "month"):
            if re.search(rf"\b{kind}\b(?! *'[^']*' printed)", clause):
                kinds.add(kind)
    return kinds


def same(kind: str, got: str | None, want: str | None) -> bool:
    if got is None or want is None:
        return False
    if kind == "number":
        return got == want
    return got.isdigit() and int(got) == int(want)


def digit_hits(kind: str, got: str | None, want: str) -> int:
    if got is None:
        return 0
    if kind != "number":
        got, want = got.zfill(2), want.zfill(2)
    return sum(a == b for a, b in zip(got, want, strict=False)) if len(got) == len(want) else 0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", type=Path, action="append")
    ap.add_argument("--cache", type=Path, default=Path(tempfile.gettempdir()) / "sohoa-hd-cache")
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--model", type=Path, default=MODEL_PATH, help="weights to try")
    args = ap.parse_args()
    args.cache.mkdir(exist_ok=True)
    model = load_model(args.model)
    tessdata = find_tessdata(OcrSettings(languages="eng"))
    api = tesserocr.PyTessBaseAPI(path=str(tessdata), lang="eng", psm=7)
    api.SetVariable("tessedit_char_whitelist", "0123456789")
    rows: list[dict[str, Any]] = []
    for data in args.data or DEFAULT_DATA:
        if not (data / "meta_gt.json").exists():
            print(f"skipped {data}: no meta_gt.json (bench/fetch_real.py lays out real-extra)")
            continue
        gts = json.loads((data / "meta_gt.json").read_text())
        for path in sorted((data / "docs").iterdir()):
            gt = gts[path.stem]
            kinds = handwritten(gt)
            grey, page = read_page(path, args.cache)
            slots = {s.kind: s for s in find_slots(page.words, page.height, page.width)}
            want = truth(gt)
            for kind in ("number", "day", "month"):
                if kind not in kinds or want[kind] is None:
                    continue
                slot = slots.get(kind)
                ours = tess = None
                conf: tuple[float, ...] = ()
                if slot is not None:
                    img = crop(grey, slot)
                    read = read_box(grey, (slot.left, slot.top, slot.right, slot.bottom),
                                    slot.top + slot_line_top(slot), slot.line_height,
                                    max_digits=MAX_DIGITS[kind], model=model)
                    ours, conf = (read.digits, read.confidence) if read else (None, ())
                    tess = tesseract_digits(api, img)
                rows.append({"doc": path.stem[:3], "set": data.name, "kind": kind,
                             "want": want[kind], "ours": ours, "conf": conf, "tess": tess,
                             "slot": slot is not None})
    api.End()
    report(rows, args.json)


def report(rows: list[dict[str, Any]], as_json: bool) -> None:
    for r in rows:
        ok = {who: "ok" if same(r["kind"], r[who], r["want"]) else "--" for who in ("ours", "tess")}
        print(f"{r['set']:>9} {r['doc']} {r['kind']:<6} want {r['want']:>5}  "
              f"sohoa {r['ours'] or '-':>6} {ok['ours']} "
              f"{' '.join(f'{c:.2f}' for c in r['conf']):<24} tesseract {r['tess'] or '-':>6} "
              f"{ok['tess']}" + ("" if r["slot"] else "  (slot not found)"))
    summary: dict[str, Any] = {}
    for data in sorted({r["set"] for r in rows}):
        for kind in ("number", "day", "month"):
            sel = [r for r in rows if r["set"] == data and r["kind"] == kind]
            if not sel:
                continue
            digits = sum(len(r["want"]) if kind == "number" else 2 for r in sel)
            line = {}
            for who in ("ours", "tess"):
                line[who] = {
                    "slots_right": sum(same(kind, r[who], r["want"]) for r in sel),
                    "digits_right": sum(digit_hits(kind, r[who], r["want"]) for r in sel),
                    "refused": sum(r[who] is None for r in sel),
                }
            summary[f"{data}/{kind}"] = {"slots": len(sel), "digits": digits, **line}
            print(f"{data:>9} {kind:<6} slots {len(sel):2}: sohoa {line['ours']['slots_right']}"
                  f" right ({line['ours']['digits_right']}/{digits} digits, "
                  f"{line['ours']['refused']} refused); tesseract "
                  f"{line['tess']['slots_right']} right ({line['tess']['digits_right']}/{digits}"
                  f" digits, {line['tess']['refused']} empty)")
    for data in sorted({r["set"] for r in rows}):
        for who, name in (("ours", "sohoa"), ("tess", "tesseract")):
            dates = _dates(rows, data, who)
            print(f"{data:>9} {name:<9} per field: date (day and month both right) "
                  f"{sum(dates.values())}/{len(dates)}")
            summary[f"{data}/date/{who}"] = {"right": sum(dates.values()), "of": len(dates)}
    if as_json:
        print(json.dumps(summary))


def _dates(rows: list[dict[str, Any]], data: str, who: str) -> dict[str, bool]:
    """Per document with a handwritten day: whether its day and (handwritten) month are
    both read right, i.e. whether the date field comes out right from the slots."""
    out: dict[str, bool] = {}
    for r in rows:
        if r["set"] == data and r["kind"] in ("day", "month"):
            ok = same(r["kind"], r[who], r["want"])
            out[r["doc"]] = out.get(r["doc"], True) and ok
    return {doc: ok for doc, ok in out.items()
            if any(r["doc"] == doc and r["kind"] == "day" for r in rows if r["set"] == data)}


if __name__ == "__main__":
    main()
