"""Copy further real scans, with their provenance, from local mirrors into a bench folder.

The scans are not in this repository (their licence is their source's): each is
named here by repository, commit and path, and copied out of the git mirror that
the ``fetch`` tool left under ``/work/.mirror/OWNER+NAME/repo`` (``git show
COMMIT:PATH``, so the bytes are exactly the committed ones). The metadata of each,
read off the page by eye, is ``bench/real_extra_gt.json`` (keys and conventions of
``../shared/real-dev/meta_gt.json``; ``notes`` says what is handwritten, stamped or
cut off). The result has the layout ``bench/real.py`` reads:

    .venv/bin/python bench/fetch_real.py /tmp/real-extra
    .venv/bin/python bench/real.py --data /tmp/real-extra

Several are web images cropped to the top of page 1, so their signer is ``null``
(the page does not show it: a right answer is an empty field).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

MIRRORS = Path("/work/.mirror")
GT = Path(__file__).resolve().parent / "real_extra_gt.json"

PAHUNG = ("pahung1999/van_ban_hanh_chinh", "aafa900337faa94024170872b996c999620d4d9a")
NVPHAT = ("NguyenVanPhat/Vietnamese-Documents-OCR", "b63118870481a4f8879d4899d624992db5926efc")
KAIKENJU = ("KaiKenju/Vietnamese_OCR_documents", "86b0b544e472910d0cc83ae8aca9568641dda4e0")

# (name in meta_gt.json, (repository, commit), path in the repository, what it is)
FILES: tuple[tuple[str, tuple[str, str], str, str], ...] = (
    ("E01_hd_qd68", PAHUNG, "pdf/SCAN0097.pdf", "UBND tỉnh Hải Dương QĐ, RICOH scan 200 dpi"),
    ("E02_hd_qd69", PAHUNG, "pdf/SCAN0098.pdf", "UBND tỉnh Hải Dương QĐ, 2 pages"),
    ("E03_vks_qd286", NVPHAT, "dataset/examples/input/administrative_documents.jpg",
     "Viện KSND tối cao QĐ, small JPEG"),
    ("E04_cthue_cv6078", KAIKENJU, "assets/image_image(536).jpg", "Cục Thuế TP.HCM công văn"),
    ("E05_bvbn_cv6191", KAIKENJU, "assets/anh12.png", "Bệnh viện ĐK tỉnh Bắc Ninh công văn"),
    ("E06_tinhgia_cv1113", KAIKENJU, "assets/thanh-hoa-6.png", "UBND huyện Tĩnh Gia, phone photo"),
    ("E07_cp_nd30", KAIKENJU, "assets/van_ban_hanh_chinh_3.jpg", "Chính phủ NĐ 30, phone photo"),
    ("E08_daklak_kh243", KAIKENJU, "assets/mau-van-ban-hanh-chinh-1.png", "UBND tỉnh Đắk Lắk KH"),
    ("E09_btp_tb1135", KAIKENJU, "assets/van-ban-hanh-chinh-11.png", "Bộ Tư pháp thông báo"),
    ("E10_ninhkieu_qd14", KAIKENJU, "assets/van-ban-hanh-chinh-la-gi_(4).jpg",
     "QĐ Ninh Kiều, phone photo"),
    ("E11_ttg_qd09", KAIKENJU, "assets/1706498668_yeu-cau-noi-dung-cua-van-ban-hanh-chinh.jpg",
     "Thủ tướng QĐ, Công báo page"),
    ("E12_stptq_qd110", KAIKENJU, "assets/test_3.png", "Sở Tư pháp Tuyên Quang QĐ"),
)


def mirror_of(repo: str) -> Path:
    return MIRRORS / repo.replace("/", "+") / "repo"


def copy_one(name: str, source: tuple[str, str], path: str, docs: Path) -> Path:
    """The committed bytes of ``path`` at the pinned commit, as ``docs/NAME.EXT``."""
    repo, commit = source
    blob = subprocess.run(["git", "-C", str(mirror_of(repo)), "show", f"{commit}:{path}"],
                          capture_output=True, check=False)
    if blob.returncode != 0:
        raise SystemExit(f"{repo}@{commit}:{path}: {blob.stderr.decode().strip()} "
                         f"(fetch github:{repo} first)")
    out = docs / f"{name}{Path(path).suffix.lower()}"
    out.write_bytes(blob.stdout)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path, help="folder to write docs/, meta_gt.json, manifest")
    args = parser.parse_args(argv)
    truth = json.loads(GT.read_text(encoding="utf-8"))
    docs = args.out / "docs"
    docs.mkdir(parents=True, exist_ok=True)
    rows = ["file\tprovenance\tkind"]
    for name, source, path, kind in FILES:
        out = copy_one(name, source, path, docs)
        rows.append(f"{out.name}\t{source[0]}@{source[1]}:{path}\t{kind}")
    names = {name for name, *_ in FILES}
    if names != set(truth):
        raise SystemExit(f"real_extra_gt.json and FILES disagree: {sorted(names ^ set(truth))}")
    (args.out / "meta_gt.json").write_text(json.dumps(truth, ensure_ascii=False, indent=1),
                                           encoding="utf-8")
    (args.out / "manifest.tsv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    print(f"{len(FILES)} documents -> {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
