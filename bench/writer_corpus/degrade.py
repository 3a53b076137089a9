"""Rasterise the soffice PDFs with pdftoppm and degrade them like real scans; write ground truth."""

import glob
import json
import math
import os
import random
import re
import subprocess
import sys
import tempfile

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.environ.get("WRITER_CORPUS_OUT", "/tmp/sohoa-writer-corpus")
sys.path.insert(0, HERE)
from docs_spec import DOCS  # noqa: E402  (this folder is not a package)

SCANS = os.path.join(ROOT, "scans")
TRUTH = os.path.join(ROOT, "truth")
os.makedirs(SCANS, exist_ok=True)
os.makedirs(TRUTH, exist_ok=True)
SEAL_FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"


def word_boxes(pdf, page):
    out = subprocess.run(
        ["pdftotext", "-bbox", "-f", str(page), "-l", str(page), pdf, "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return [
        (float(a), float(b), float(c), float(d), w)
        for a, b, c, d, w in re.findall(
            r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>',
            out,
        )
    ]


def seal_and_signature(img, boxes, spec, scale, rng):
    name_words = spec["name"].split()
    # last occurrence of the full name on the page
    idx = None
    for i in range(len(boxes) - len(name_words), -1, -1):
        if [b[4] for b in boxes[i : i + len(name_words)]] == name_words:
            idx = i
            break
    if idx is None:
        return img
    nx0, ny0 = boxes[idx][0] * scale, boxes[idx][1] * scale
    nx1 = boxes[idx + len(name_words) - 1][2] * scale
    title = spec["chain"][-1].split()[-1]
    ty1 = max(b[3] for b in boxes if b[4] == title and b[1] < boxes[idx][1]) * scale
    # blue signature scribble between title and name
    sig = Image.new("L", img.size, 0)
    d = ImageDraw.Draw(sig)
    cx, cy = (nx0 + nx1) / 2, (ty1 + ny0) / 2
    pts = []
    for t in np.linspace(0, 1, 60):
        x = cx - 0.18 * scale * 72 / 2.54 * 4 + t * scale * 72 / 2.54 * 1.5
        y = cy + math.sin(t * 18 + rng.random()) * scale * 8 + rng.uniform(-2, 2) * scale / 3
        pts.append((x, y))
    d.line(pts, fill=255, width=max(2, int(scale * 1.2)))
    d.line(
        [(pts[5][0], pts[5][1] + 10 * scale), (pts[-1][0] + 15 * scale, pts[-1][1] - 12 * scale)],
        fill=255,
        width=max(2, int(scale)),
    )
    arr = np.asarray(img).astype(np.float32)
    m = np.asarray(sig.filter(ImageFilter.GaussianBlur(0.6))).astype(np.float32)[..., None] / 255.0
    blue = np.array([30, 40, 150], np.float32)
    arr = arr * (1 - m * 0.9) + blue * m * 0.9
    # red seal: diameter ~ 35 mm, left of the signature, over its left third and the title
    r = 17.5 / 25.4 * 72 * scale
    sx, sy = nx0 - r * 0.15, (ty1 + ny0) / 2 - r * 0.15
    seal = Image.new("L", img.size, 0)
    d = ImageDraw.Draw(seal)
    d.ellipse([sx - r, sy - r, sx + r, sy + r], outline=255, width=int(r * 0.06))
    r2 = r * 0.72
    d.ellipse([sx - r2, sy - r2, sx + r2, sy + r2], outline=255, width=int(r * 0.03))
    # star
    star = []
    for k in range(10):
        rr = r * 0.28 if k % 2 == 0 else r * 0.11
        a = -math.pi / 2 + k * math.pi / 5
        star.append((sx + rr * math.cos(a), sy + rr * math.sin(a)))
    d.polygon(star, fill=255)
    # ring text
    font = ImageFont.truetype(SEAL_FONT, int(r * 0.16))
    txt = "ỦY BAN NHÂN DÂN * " + spec["agency"][-1][0] + " * "
    for k, ch in enumerate(txt):
        a = math.pi + k * 2 * math.pi / len(txt)
        x, y = sx + r * 0.86 * math.cos(a), sy + r * 0.86 * math.sin(a)
        g = Image.new("L", (int(r * 0.3), int(r * 0.3)), 0)
        ImageDraw.Draw(g).text((r * 0.08, r * 0.05), ch, fill=255, font=font)
        g = g.rotate(-math.degrees(a) - 90, resample=Image.BICUBIC)
        seal.paste(Image.eval(g, lambda v: v), (int(x - r * 0.15), int(y - r * 0.15)), g)
    m = np.asarray(seal.filter(ImageFilter.GaussianBlur(1.0))).astype(np.float32)[..., None] / 255.0
    m = m * rng.uniform(0.75, 0.9)
    red = np.array([200, 30, 40], np.float32)
    arr = arr * (1 - m) + red * m
    return Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8))


def degrade(img, rd, rng):
    arr = np.asarray(img).astype(np.float32)
    paper = np.array([255, 255, 255], np.float32)
    if rd.get("tint"):
        paper = np.array([247, 238, 206], np.float32)
        arr = arr * (paper / 255.0)
    if rd.get("noise"):
        arr += np.random.default_rng(rng.randint(0, 10**6)).normal(0, rd["noise"], arr.shape[:2])[
            ..., None
        ]
    img = Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8))
    if rd.get("blur"):
        img = img.filter(ImageFilter.GaussianBlur(rd["blur"]))
    fill = tuple(int(v) for v in paper)
    if rd.get("rot"):
        img = img.rotate(rd["rot"], resample=Image.BICUBIC, expand=False, fillcolor=fill)
    if rd.get("quarter"):
        img = img.rotate(rd["quarter"], expand=True)
    return img


def main():
    rng = random.Random(20240305)
    for spec in DOCS:
        rd = spec["render"]
        pdf = os.path.join(ROOT, "pdf", spec["id"] + ".pdf")
        if rd["fmt"] == "vector":
            out = os.path.join(SCANS, spec["id"] + ".pdf")
            subprocess.run(["cp", pdf, out], check=True)
        else:
            with tempfile.TemporaryDirectory() as td:
                subprocess.run(
                    ["pdftoppm", "-r", str(rd["dpi"]), "-png", pdf, os.path.join(td, "p")],
                    check=True,
                )
                files = sorted(glob.glob(os.path.join(td, "p*.png")))
                pages = []
                for n, f in enumerate(files, 1):
                    img = Image.open(f).convert("RGB")
                    if rd.get("seal") and n == len(files):
                        img = seal_and_signature(
                            img, word_boxes(pdf, n), spec, rd["dpi"] / 72.0, rng
                        )
                    pages.append(degrade(img, rd, rng))
            out = os.path.join(SCANS, f"{spec['id']}.{rd['fmt']}")
            dpi = (rd["dpi"], rd["dpi"])
            if rd["fmt"] == "jpg":
                assert len(pages) == 1
                pages[0].save(out, "JPEG", quality=rd["jpeg"], dpi=dpi)
            elif rd["fmt"] == "png":
                pages[0].save(out, "PNG", dpi=dpi)
            elif rd["fmt"] == "tif":
                pages[0].save(
                    out,
                    "TIFF",
                    compression="tiff_lzw",
                    dpi=dpi,
                    save_all=True,
                    append_images=pages[1:],
                )
            elif rd["fmt"] == "pdf":
                pages[0].save(
                    out,
                    "PDF",
                    resolution=rd["dpi"],
                    quality=rd.get("jpeg") or 75,
                    save_all=True,
                    append_images=pages[1:],
                )
        t = dict(spec["truth"])
        t["file"] = os.path.basename(out)
        subj = spec["subject"]
        t["subject"] = subj[4:] if subj.startswith("V/v ") else subj
        t["signer_name"] = spec["name"]
        t["render"] = rd
        t["font"] = f"{spec['font']} {spec['size']}pt"
        with open(os.path.join(TRUTH, spec["id"] + ".json"), "w") as fh:
            json.dump(t, fh, ensure_ascii=False, indent=1)
        print(out)


if __name__ == "__main__":
    main()
