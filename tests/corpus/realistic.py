"""Realistic ward documents: what real scans do that the clean generator does not.

``make_realistic(seed, index)`` builds one document on top of ``generate``'s
layout and degradations, adding the features real ward documents show
(issue 11): the number after "Số:" and the day (often the month) written by
hand after signing, sometimes over dotted leaders; pen routing notes in the
margin; "ĐẾN" received stamps with their own number and date, at an angle over
the header; e-signature boxes
("Ký bởi / Cơ quan / Thời gian ký"); "SAO Y" copy marks and a copy block with
its own number; red round seals crossing the signer's title and name; black
seals on 1-bit scans; phone photos (no DPI, perspective, uneven light, JPEG);
duplex backs with show-through; 1990s typewriter layouts ("QUYẾT ĐỊNH CỦA ỦY
BAN NHÂN DÂN QUẬN 5", no NĐ 30 layout); the signer on page 2; three-line
subjects; "V/v" subjects; a table in the body; and body text citing other
documents by number and date. Place and person names come from
``tests.corpus.places``. Fonts: Liberation 2, DejaVu and Noto only.

Truth convention (``Sample.truth``), on top of ``DocSpec.truth_fields``:

- The metadata fields (``code_number``, ``issued_date``, …) hold the
  document's real values, whether printed or handwritten, in the conventions
  of ``extract.metadata`` and ``templates.DocSpec.truth_fields`` (and of
  ``../shared/real-dev``): a công văn's subject without its "V/v", any other
  type's subject as printed under its type line.
- ``handwritten``: the fields whose value, or part of it, is handwritten
  (``code_number``, ``issued_date``); ``handwritten_parts`` says which parts
  of the date (``["day"]`` or ``["day", "month"]``). An engine that cannot read
  handwriting should leave these empty (and doubtful), not guess.
- ``under_seal``: the fields whose printed text a seal crosses
  (``signer_position``, ``signer_name``).
- ``stamps``: marks that carry their own number and date, which must NOT be
  extracted as the document's: ``{"kind": "den", "number", "date"}`` for a
  received stamp, ``{"kind": "sao_y", "number", "notation", "date"}`` for a
  copy block ("SAO Y" with no number when it is only a stamp).
- ``citations``: documents the body cites, ``{"number", "notation", "date"}``;
  never the document's own.
- ``esign``: ``None`` or ``{"signer", "organ", "time"}`` of the e-signature box.
- ``margin_notes``: handwritten routing notes in the margin, ``{"text", "date"}``;
  their date is never the document's.
- ``blank_pages``: 1-based pages that are duplex backs (blank, show-through).
- ``file_dpi``: the resolution written in the file, ``None`` for a phone photo.
- ``features``: the names of the features this sample shows (see FEATURES).
- ``page_texts``/``text``: what is printed, without handwriting, stamps and
  the e-signature box (the truth for word recall).

CLI: ``python -m tests.corpus.realistic --out DIR --n 40 --seed 11`` writes
``DIR/docs/`` (one file per document) and ``DIR/meta_gt.json``, the layout
``bench/real.py`` reads, plus ``DIR/truth/NAME.json`` with the full truth.
"""

from __future__ import annotations

import argparse
import io
import json
import math
import random
import sys
import time
from dataclasses import asdict, dataclass, field, replace
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import cv2
import numpy as np
from PIL import Image, ImageDraw, ImageFont

from tests.corpus import places
from tests.corpus.generate import (
    A4_MM,
    FONT_DIRS,
    INK,
    MARGIN_MM,
    PAPER,
    SEAL_RGB,
    SIGN_RGB,
    Degradation,
    FontBook,
    Layout,
    PagePlan,
    Row,
    Sample,
    _seal_mask,
    _signature,
    choose_degradation,
    degrade,
)
from tests.corpus.handwriting import pick_ink, text_width, write_digits
from tests.corpus.templates import DocSpec, Organ, Para, make_document, vn_upper

FEATURES = (
    "hw_number", "hw_day", "hw_month", "dotted_leaders", "den_stamp", "esign", "sao_y",
    "seal_over_signer", "black_seal_bilevel", "phone_photo", "duplex_back", "typewriter",
    "signer_page2", "long_subject", "vv_subject", "table", "citation", "routing_note",
)
MONO = "Liberation Mono"
FONTS = {**FONT_DIRS, MONO: ("/usr/share/fonts/truetype/liberation2/LiberationMono-",
                             {"regular": "Regular", "bold": "Bold", "italic": "Italic",
                              "bold_italic": "BoldItalic"})}
SCALE = {"Liberation Serif": 1.0, "DejaVu Serif": 0.86, "Noto Serif": 0.95, MONO: 0.8}
STAMP_INKS = ((200, 30, 50), (120, 40, 150), (30, 60, 170))
BOLD_SANS = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"
OBLIQUE = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Oblique.ttf"
SANS = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"


# ----------------------------------------------------------------------- plan


@dataclass(frozen=True)
class Plan:
    """Which realistic features one sample gets (all drawn from its rng)."""

    scan: str  # colour | grey | bilevel | phone
    typewriter: bool
    esign: bool
    hw_number: bool
    hw_day: bool
    hw_month: bool
    dotted: bool
    den_stamp: bool
    sao_y: str  # "" | "stamp" | "block"
    seal_over: bool
    duplex: bool
    signer_p2: bool
    long_subject: bool
    table: bool
    routing: bool  # a handwritten routing note in the margin ("Chuyển VP 12/3")


def choose_plan(rng: random.Random) -> Plan:
    scan = rng.choices(("colour", "grey", "bilevel", "phone"), (0.45, 0.17, 0.2, 0.18))[0]
    typewriter = rng.random() < 0.12
    esign = not typewriter and rng.random() < 0.15
    hw_number = not esign and rng.random() < 0.75
    hw_day = not esign and rng.random() < (0.75 if hw_number else 0.3)
    return Plan(
        scan=scan, typewriter=typewriter, esign=esign, hw_number=hw_number, hw_day=hw_day,
        hw_month=hw_day and rng.random() < 0.5, dotted=rng.random() < 0.5,
        den_stamp=rng.random() < 0.3,
        sao_y=rng.choices(("", "stamp", "block"), (0.8, 0.08, 0.12))[0],
        seal_over=rng.random() < 0.8, duplex=scan != "phone" and rng.random() < 0.15,
        signer_p2=scan != "phone" and rng.random() < 0.15, long_subject=rng.random() < 0.3,
        table=rng.random() < 0.2, routing=rng.random() < 0.25,
    )


# -------------------------------------------------------------------- content


@dataclass(frozen=True)
class TablePara:
    """A ruled table in the body: header cells and rows of cells."""

    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    widths: tuple[float, ...]  # share of the text width per column


def person(rng: random.Random) -> str:
    female = rng.random() < 0.45
    middle = rng.choice(places.MIDDLE_FEMALE if female else places.MIDDLE_MALE)
    given = rng.choice(places.GIVEN_FEMALE if female else places.GIVEN_MALE)
    surname = rng.choice([s for s in places.SURNAMES if s != middle])  # no "Hoàng Hoàng"
    return f"{surname} {middle} {given}"


def in_prose(unit: str) -> str:
    """NĐ 30 capitalisation in running text: "Quận 5", "quận Gò Vấp", "huyện Củ Chi"."""
    kind, _, name = unit.partition(" ")
    if kind in ("Quận", "Huyện", "Phường") and not name[:1].isdigit():
        return f"{kind.lower()} {name}"
    if unit.startswith("Thành phố ") and unit != "Thành phố Hồ Chí Minh":
        return "thành phố " + unit.removeprefix("Thành phố ")
    return unit


def ward_organ(rng: random.Random, issued: date) -> Organ:
    """A HCMC ward or commune: the 2025 units after July 2025, the old ones before."""
    if issued >= date(2025, 7, 1):
        commune = rng.random() < 0.2
        name = rng.choice(places.HCMC_COMMUNES_2025 if commune else places.HCMC_WARDS_2025)
        unit = "xã" if commune else "phường"
        return Organ(
            parent="ỦY BAN NHÂN DÂN", name=f"{vn_upper(unit)} {vn_upper(name)}",
            organ_name=f"ỦY BAN NHÂN DÂN {vn_upper(unit)} {vn_upper(name)}",
            prose=f"Ủy ban nhân dân {unit} {name}", abbrev="UBND", place=name,
            superior="Ủy ban nhân dân Thành phố Hồ Chí Minh", head="CHỦ TỊCH",
            deputy="PHÓ CHỦ TỊCH", collective="ỦY BAN NHÂN DÂN", ward=f"{unit} {name}")
    ward, district = rng.choice(places.HCMC_OLD_WARDS)
    numbered = ward.startswith("Phường ")
    upper = vn_upper(ward) if numbered else f"PHƯỜNG {vn_upper(ward)}"
    prose = f"Ủy ban nhân dân {ward}" if numbered else f"Ủy ban nhân dân phường {ward}"
    # NĐ 30: line 1 the superior agency, line 2 the issuing one; many wards print only
    # "ỦY BAN NHÂN DÂN / PHƯỜNG …" (the organ's name on two lines, no superior).
    with_parent = rng.random() < 0.5
    return Organ(
        parent=f"ỦY BAN NHÂN DÂN {vn_upper(district)}" if with_parent else "ỦY BAN NHÂN DÂN",
        name=f"ỦY BAN NHÂN DÂN {upper}" if with_parent else upper,
        organ_name=f"ỦY BAN NHÂN DÂN {upper}", prose=prose, abbrev="UBND",
        place=ward, superior=f"Ủy ban nhân dân {in_prose(district)}",
        head="CHỦ TỊCH", deputy="PHÓ CHỦ TỊCH", collective="ỦY BAN NHÂN DÂN",
        ward=ward if numbered else f"phường {ward}")


LONG_SUBJECTS = (
    "Về việc phê duyệt danh sách hộ gia đình, cá nhân được hỗ trợ kinh phí sửa chữa nhà ở, "
    "cải thiện điều kiện sống và bảo đảm an toàn trong mùa mưa bão năm {y}",
    "Về việc triển khai thực hiện các nhiệm vụ, giải pháp trọng tâm về chuyển đổi số, cải cách "
    "thủ tục hành chính và nâng cao chất lượng phục vụ người dân, doanh nghiệp năm {y}",
    "Về việc kiện toàn Ban Chỉ đạo phòng, chống thiên tai, tìm kiếm cứu nạn và phòng thủ dân sự, "
    "phân công nhiệm vụ cho các thành viên Ban Chỉ đạo giai đoạn {y} - {y2}",
)
CITED = (  # (type words, number, notation, date, what about)
    ("Nghị định", "110", "2004/NĐ-CP", date(2004, 4, 8), "của Chính phủ về công tác văn thư"),
    ("Thông tư", "01", "2011/TT-BNV", date(2011, 1, 19),
     "của Bộ Nội vụ hướng dẫn thể thức và kỹ thuật trình bày văn bản hành chính"),
    ("Nghị định", "115", "2020/NĐ-CP", date(2020, 9, 25),
     "của Chính phủ quy định về tuyển dụng, sử dụng và quản lý viên chức"),
    ("Nghị định", "45", "2020/NĐ-CP", date(2020, 4, 8),
     "của Chính phủ về thực hiện thủ tục hành chính trên môi trường điện tử"),
    ("Thông tư", "01", "2023/TT-BNV", date(2023, 3, 14), "của Bộ Nội vụ"),
    ("Quyết định", "1278", "QĐ-UBND", date(2023, 4, 12),
     "của Ủy ban nhân dân Thành phố về ban hành Kế hoạch thực hiện"),
    ("Công văn", "3456", "UBND-VX", date(2024, 6, 17),
     "của Ủy ban nhân dân Thành phố về tăng cường công tác số hóa hồ sơ"),
)


def _vn_date(d: date, lead: bool = True) -> str:
    day = f"{d.day:02d}" if lead else str(d.day)
    month = f"{d.month:02d}" if lead and d.month < 3 else str(d.month)
    return f"ngày {day} tháng {month} năm {d.year}"


def citation(rng: random.Random, issued: date) -> tuple[Para, dict[str, str]]:
    older = [c for c in CITED if c[3] < issued]  # a citation predates what cites it
    words, number, notation, when, about = rng.choice(older)
    full = f"{number}/{notation}"
    text = f"Căn cứ {words} số {full} {_vn_date(when)} {about};"
    notation_only = notation.split("/", 1)[1] if "/" in notation else notation
    return Para(text, style="italic"), {"number": number, "notation": notation_only,
                                        "date": when.isoformat()}


def table(rng: random.Random) -> TablePara:
    rows = []
    for k in range(rng.randint(3, 6)):
        rows.append((str(k + 1), person(rng), f"079{rng.randint(0, 3)}{rng.randint(50, 99)}"
                     f"{rng.randint(0, 999999):06d}", rng.choice(("Hộ nghèo", "Cận nghèo",
                                                                  "Neo đơn", ""))))
    return TablePara(("TT", "Họ và tên", "Số định danh", "Ghi chú"), tuple(rows),
                     (0.08, 0.4, 0.3, 0.22))


def realistic_document(rng: random.Random, plan: Plan) -> tuple[DocSpec, list[dict[str, str]]]:
    """A DocSpec with real names, citations, long subjects and tables as planned."""
    if plan.typewriter:
        return typewriter_document(rng)
    doc = make_document(rng)
    issued = doc.issued
    if rng.random() < 0.3:  # after the July 2025 merger: the new wards and communes
        issued = date(2025, rng.randint(7, 12), rng.randint(1, 28))
    organ = ward_organ(rng, issued) if doc.organ.ward else doc.organ
    swaps = [(doc.organ.organ_name, organ.organ_name), (doc.organ.prose, organ.prose),
             (doc.organ.superior, organ.superior), (str(doc.issued.year), str(issued.year))]
    if doc.organ.ward:
        swaps.append((doc.organ.ward, organ.ward))

    def swap(text: str) -> str:
        for old, new in swaps:
            text = text.replace(old, new)
        return text

    body = [replace(p, text=swap(p.text)) for p in doc.body]
    para, cited = citation(rng, issued)
    first = 1 if doc.kind == "quyet_dinh" else 0
    body.insert(first, para)
    subject = swap(doc.subject)
    if plan.long_subject and doc.kind != "cong_van":
        subject = rng.choice(LONG_SUBJECTS).format(y=issued.year, y2=issued.year + 5)
    elif doc.kind == "cong_van" and rng.random() < 0.3:
        subject = "v/v" + subject[3:]
    if plan.table:
        body.insert(len(body) - 1, table(rng))  # type: ignore[arg-type]
    notation = doc.code_notation
    number = str(rng.randint(1, 4200)) if rng.random() < 0.5 else doc.code_number
    if number.lstrip("0") == cited["number"]:  # a citation never shares the document's number
        number = str(int(number) + 1)
    doc = replace(doc, organ=organ, issued=issued, subject=subject, body=tuple(body),
                  signer_name=person(rng), code_number=number, code_notation=notation,
                  seal=not plan.esign and (doc.seal or (plan.seal_over and doc.kind != "bien_ban")),
                  recipients=tuple(swap(r) for r in doc.recipients),
                  recipient_line=swap(doc.recipient_line))
    return doc, [cited]


def typewriter_document(rng: random.Random) -> tuple[DocSpec, list[dict[str, str]]]:
    """A 1990s quyết định: type line "QUYẾT ĐỊNH CỦA ỦY BAN NHÂN DÂN …", notation QĐ-UB."""
    issued = date(rng.randint(1991, 1999), rng.randint(1, 12), rng.randint(1, 28))
    if rng.random() < 0.6:
        district = rng.choice(places.HCMC_DISTRICTS_OLD[:16])
        upper, place = vn_upper(district), "TP. Hồ Chí Minh"
        short = in_prose(district)
        prose = f"Ủy ban nhân dân {short}"
    else:
        prov = rng.choice(places.PROVINCES_1990S)
        upper, prose, place = f"TỈNH {vn_upper(prov)}", f"Ủy ban nhân dân tỉnh {prov}", prov
        short = f"tỉnh {prov}"
    organ = Organ(parent="ỦY BAN NHÂN DÂN", name=upper, organ_name=f"ỦY BAN NHÂN DÂN {upper}",
                  prose=prose, abbrev="UB", place=place, superior="Ủy ban nhân dân Thành phố",
                  head="CHỦ TỊCH", deputy="PHÓ CHỦ TỊCH", collective="ỦY BAN NHÂN DÂN",
                  ward="")
    what = rng.choice((
        "thành lập Hội đồng xét duyệt hồ sơ nhà, đất",
        f"cấp giấy phép xây dựng nhà ở cho hộ ông {person(rng)}",
        "giao nhiệm vụ kiểm kê, phân loại hồ sơ lưu trữ của các phòng, ban",
    ))
    subject = f"V/v {what}" if rng.random() < 0.6 else f"Về việc {what}"
    body = (
        Para(f"ỦY BAN NHÂN DÂN {upper}", style="bold", align="center", indent=False),
        Para("- Căn cứ Luật Tổ chức Hội đồng nhân dân và Ủy ban nhân dân ngày 21 tháng 6 năm "
             "1994;", indent=False),
        Para(f"- Căn cứ Quyết định số {rng.randint(10, 900)}/QĐ-UB ngày {rng.randint(1, 28)} "
             f"tháng {rng.randint(1, 12)} năm {issued.year - 1} của Ủy ban nhân dân Thành phố;",
             indent=False),
        Para(f"- Xét đề nghị của Trưởng phòng Tổ chức chính quyền {short},", indent=False),
        Para("QUYẾT ĐỊNH", style="bold", align="center", indent=False),
        Para(f"Điều 1: Nay {what}, theo danh sách đính kèm.", bold_words=2),
        Para("Điều 2: Quyết định này có hiệu lực kể từ ngày ký.", bold_words=2),
        Para("Điều 3: Chánh Văn phòng, Trưởng các phòng, ban có liên quan chịu trách nhiệm thi "
             "hành Quyết định này./.", bold_words=2),
    )
    signer = (f"T/M ỦY BAN NHÂN DÂN {upper}", "CHỦ TỊCH") if rng.random() < 0.5 else \
        ("K/T CHỦ TỊCH", "PHÓ CHỦ TỊCH")
    number = str(rng.randint(1, 2400))
    doc = DocSpec(kind="quyet_dinh", organ=organ, code_number=number, code_notation="QĐ-UB",
                  issued=issued, type_name="Quyết định",
                  type_line=f"QUYẾT ĐỊNH CỦA ỦY BAN NHÂN DÂN {upper}", subject=subject,
                  recipient_line="", body=body,
                  recipients=("- Như Điều 3", "- Lưu"), signer_lines=signer,
                  signer_name=person(rng), citizen_ids=(), seal=True)
    return doc, []


# --------------------------------------------------------------------- layout


class TypeFontBook(FontBook):
    """FontBook that also knows the typewriter face."""

    def get(self, style: str, pt: float) -> ImageFont.FreeTypeFont:
        key = (style, pt)
        if key not in self._cache:
            prefix, suffixes = FONTS[self.family]
            px = round(pt * SCALE[self.family] * self.dpi / 72)
            self._cache[key] = ImageFont.truetype(f"{prefix}{suffixes[style]}.ttf", px)
        return self._cache[key]


class RealLayout(Layout):
    """Layout with handwriting slots, typewriter headers, tables and signer boxes."""

    def __init__(self, doc: DocSpec, fonts: FontBook, body_pt: float, plan: Plan) -> None:
        super().__init__(doc, fonts, body_pt)
        self.plan = plan

    def segments(self, parts: list[tuple[str, Any]], style: str, pt: float, x0: int,
                 x1: int) -> Row:
        """One centred line of printed parts and handwriting slots.

        ``parts``: ("text", str) printed, ("slot", (name, value, width_px, dots)) a place
        for handwriting; a slot becomes a mark "hw:name:value" over its box.
        """
        font = self.fonts.get(style, pt)
        widths = [font.getlength(v) if k == "text" else float(v[2]) for k, v in parts]
        x = (x0 + x1 - sum(widths)) / 2
        row = Row(self.line_height(font))
        printed = []
        for (kind, value), w in zip(parts, widths, strict=True):
            if kind == "text":
                row.texts.append((round(x), 0, value, font))
                printed.append(value)
            else:
                name, text, _, dots = value
                if dots:
                    count = max(2, int(w // max(1.0, font.getlength("."))))
                    row.texts.append((round(x), 0, "." * count, font))
                top = round(font.size * 0.05)
                row.marks[f"hw:{name}:{text}"] = (round(x), top, round(x + w), round(font.size))
            x += w
        row.lines.append(" ".join(" ".join(printed).split()))
        return row

    def slot_width(self, text: str, pt: float) -> float:
        return text_width(text, pt * self.dpi / 72 * 1.1) + self.mm(3)

    def number_row(self, x0: int, x1: int) -> Row:
        doc, plan = self.doc, self.plan
        if not plan.hw_number:
            return self.centred(f"Số: {doc.code_number}/{doc.code_notation}", "regular", 13, x0,
                                x1)[0]
        slot = ("code_number", doc.code_number, self.slot_width(doc.code_number, 13), plan.dotted)
        return self.segments([("text", "Số: "), ("slot", slot), ("text", f"/{doc.code_notation}")],
                             "regular", 13, x0, x1)

    def date_row(self, x0: int, x1: int, place: str) -> Row:
        doc, plan = self.doc, self.plan
        d = doc.issued
        lead = not plan.typewriter
        day = f"{d.day:02d}" if lead else str(d.day)
        month = f"{d.month:02d}" if lead and d.month < 3 else str(d.month)
        style = "regular" if plan.typewriter else "italic"
        if not plan.hw_day:
            return self.centred(f"{place}, {_vn_date(d, lead)}", style, 13, x0, x1)[0]
        parts: list[tuple[str, Any]] = [("text", f"{place}, ngày ")]
        parts.append(("slot", ("day", day, self.slot_width(day, 13), plan.dotted)))
        parts.append(("text", " tháng "))
        if plan.hw_month:
            parts.append(("slot", ("month", month, self.slot_width(month, 13), plan.dotted)))
        else:
            parts.append(("text", month))
        parts.append(("text", f" năm {d.year}"))
        return self.segments(parts, style, 13, x0, x1)

    def header(self) -> Row:
        doc, organ = self.doc, self.doc.organ
        lx0, lx1 = self.mm(10), self.mm(92)
        rx0, rx1 = self.mm(94), self.mm(206)
        if self.plan.typewriter:
            left = self.centred(organ.parent, "regular", 12.5, lx0, lx1, 1.1)
            left += self.centred(organ.name, "bold", 12.5, lx0, lx1, 1.1)
            left += self.centred("-----", "regular", 12, lx0, lx1, 1.0)
            left.append(self.number_row(lx0, lx1))
            right = self.centred("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "bold", 12, rx0, rx1, 1.1)
            right += self.centred("Độc lập - Tự do - Hạnh phúc", "bold", 12, rx0, rx1, 1.1)
            right += self.centred("-------------------", "regular", 12, rx0, rx1, 1.0)
            right.append(self.date_row(rx0, rx1, organ.place))
            return self.stack([left, right], gap=self.mm(8))
        own = organ.ward and organ.parent == "ỦY BAN NHÂN DÂN"  # both lines name the organ
        left = self.centred(organ.parent, "bold" if own else "regular", 12.5, lx0, lx1, 1.1)
        left += self.ruled(self.centred(organ.name, "bold", 13, lx0, lx1, 1.1), 0.4, self.mm(3))
        left.append(self.number_row(lx0, lx1))
        if not doc.type_line:
            left += self.centred(doc.subject, "regular", 12, lx0 + self.mm(6), lx1 - self.mm(6),
                                 1.1)
        right = self.centred("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "bold", 12, rx0, rx1, 1.1)
        right += self.ruled(self.centred("Độc lập - Tự do - Hạnh phúc", "bold", 13, rx0, rx1,
                                         1.1), 1.0, self.mm(3))
        right.append(self.date_row(rx0, rx1, organ.place))
        return self.stack([left, right], gap=self.mm(6))

    def title(self) -> list[Row]:
        if not self.plan.typewriter:
            return super().title()
        rows = self.centred(self.doc.type_line, "bold", 13, self.left + self.mm(10),
                            self.right - self.mm(10))
        rows += self.centred(self.doc.subject, "bold", 13, self.left + self.mm(12),
                             self.right - self.mm(12))
        rows += self.centred("-----oOo-----", "regular", 12, self.left, self.right)
        rows.append(Row(self.mm(4)))
        return rows

    def body(self) -> list[Row]:
        rows: list[Row] = []
        for para in self.doc.body:
            rows.append(Row(self.mm(1.6)))
            if isinstance(para, TablePara):
                rows += self.table_rows(para)
            else:
                rows += self.paragraph(para)
        rows.append(Row(self.mm(6)))
        return rows

    def table_rows(self, tab: TablePara) -> list[Row]:
        """Ruled rows; vertical rules are marks "vrule:k" the renderer fills."""
        font = self.fonts.get("regular", self.body_pt - 1)
        bold = self.fonts.get("bold", self.body_pt - 1)
        span = self.right - self.left
        xs = [self.left]
        for share in tab.widths:
            xs.append(xs[-1] + round(share * span))
        rule = max(1, self.mm(0.2))
        rows = []
        for k, cells in enumerate([tab.header, *tab.rows]):
            face = bold if k == 0 else font
            row = Row(self.line_height(face, 1.6))
            row.rules.append((xs[0], 0, xs[-1], rule))
            for c, text in enumerate(cells):
                if text:
                    row.texts.append((xs[c] + self.mm(1.5), round(face.size * 0.25), text, face))
            for c, x in enumerate(xs):
                row.marks[f"vrule:{c}"] = (x, 0, x + rule, row.height)
            row.lines.append(" ".join(t for t in cells if t))
            rows.append(row)
        rows[-1].rules.append((xs[0], rows[-1].height, xs[-1], rule))
        return rows

    def signer_rows(self, titles: list[str], name: str, x0: int, x1: int, mark: str) -> list[Row]:
        rows = super().signer_rows(titles, name, x0, x1, mark)
        if mark != "signature":
            return rows
        for row in rows[:-2]:
            row.marks["box:signer_position"] = self.text_box(row)
        rows[-1].marks["box:signer_name"] = self.text_box(rows[-1])
        if self.plan.esign:
            gap = rows[-2]
            box = gap.marks.pop("signature")
            gap.marks["esign"] = (x0 + self.mm(4), box[1], x1 - self.mm(2), box[3])
        return rows

    @staticmethod
    def text_box(row: Row) -> tuple[int, int, int, int]:
        x, dy, text, font = row.texts[0]
        return (x, dy, round(x + font.getlength(text)), dy + font.size)


def paginate_real(layout: RealLayout, max_pages: int, tail: list[Row]) -> list[PagePlan] | None:
    """Like ``generate.paginate``; the footer may be forced onto a new page, then ``tail``."""
    top, bottom = layout.mm(MARGIN_MM["top"]), layout.mm(A4_MM[1] - MARGIN_MM["bottom"])
    pages = [PagePlan()]
    header = layout.header()
    pages[0].rows.append((top, header))
    y = top + header.height
    footer = layout.footer()
    rows = [*layout.title(), *layout.body()]
    if layout.plan.signer_p2:
        rows.append(Row(10**6))  # a placeholder taller than a page forces the break
    for row in [*rows, footer, *tail]:
        if row.height >= 10**6:
            row = Row(bottom)
        if y + row.height > bottom and (row.texts or row.height >= bottom):
            if len(pages) == max_pages:
                return None
            pages.append(PagePlan())
            number = layout.centred(str(len(pages)), "regular", 13, layout.left, layout.right)[0]
            pages[-1].rows.append((layout.mm(10), number))
            y = top + layout.mm(2)
            if not row.texts:
                continue
        pages[-1].rows.append((y, row))
        y += row.height
    return pages


def sao_y_rows(layout: RealLayout, rng: random.Random, issued: date) -> tuple[list[Row], dict]:
    """The copy block under a rule at the end: its own number, date and signer."""
    organ = layout.doc.organ
    number = str(rng.randint(1, 300))
    if number == layout.doc.code_number.lstrip("0"):
        number = str(int(number) + 1)
    when = issued + timedelta(days=rng.randint(3, 200))
    mid = layout.mm(105)
    rule = Row(layout.mm(4))
    rule.rules.append((layout.left, layout.mm(2), layout.right, max(1, layout.mm(0.3))))
    left = layout.centred(organ.organ_name, "bold", 12, layout.left, mid, 1.1)
    left += layout.centred(f"Số: {number}/SY-UBND", "regular", 12, layout.left, mid)
    right = layout.centred("SAO Y", "bold", 13, mid, layout.right)
    right += layout.centred(f"{organ.place}, {_vn_date(when)}", "italic", 12, mid, layout.right)
    right += layout.centred("TL. CHỦ TỊCH", "bold", 12, mid, layout.right)
    right += layout.centred("CHÁNH VĂN PHÒNG", "bold", 12, mid, layout.right)
    gap = Row(layout.mm(14))
    gap.marks["copysign"] = (mid + layout.mm(20), 0, layout.right - layout.mm(20), layout.mm(12))
    right.append(gap)
    right += layout.centred(person(rng), "bold", 12, mid, layout.right)
    block = layout.stack([left, right])
    stamp = {"kind": "sao_y", "number": number, "notation": "SY-UBND",
             "date": when.isoformat()}
    return [rule, block], stamp


# -------------------------------------------------------------------- render


def _ink(colour: bool, rgb: tuple[int, int, int]) -> int | tuple[int, int, int]:
    return rgb if colour else round(0.3 * rgb[0] + 0.59 * rgb[1] + 0.11 * rgb[2])


def multiply(page: Image.Image, layer: Image.Image, at: tuple[int, int],
             rgb: tuple[int, int, int], strength: float, nrng: np.random.Generator) -> None:
    """Blend ink of colour ``rgb`` where the L ``layer`` is lit, centred at ``at`` (clipped)."""
    x0, y0 = at[0] - layer.width // 2, at[1] - layer.height // 2
    px0, py0 = max(0, x0), max(0, y0)
    px1, py1 = min(page.width, x0 + layer.width), min(page.height, y0 + layer.height)
    if px1 <= px0 or py1 <= py0:
        return
    crop = layer.crop((px0 - x0, py0 - y0, px1 - x0, py1 - y0))
    region = np.asarray(page.crop((px0, py0, px1, py1)), dtype=np.float32)
    patchy = nrng.uniform(0.6, 1.0, size=(8, 8)).astype(np.float32)
    uneven = np.asarray(Image.fromarray(patchy).resize(crop.size, Image.Resampling.BILINEAR))
    alpha = np.asarray(crop, dtype=np.float32) / 255.0 * strength * uneven
    if region.ndim == 3:
        ink = np.array(rgb, dtype=np.float32) / 255.0
        out = region * (1.0 - alpha[..., None] * (1.0 - ink))
    else:
        ink_l = (0.3 * rgb[0] + 0.59 * rgb[1] + 0.11 * rgb[2]) / 255.0
        out = region * (1.0 - alpha * (1.0 - ink_l))
    page.paste(Image.fromarray(out.clip(0, 255).astype(np.uint8)), (px0, py0))


def den_stamp(rng: random.Random, dpi: int, issued: date, avoid: str
              ) -> tuple[Image.Image, Image.Image, dict[str, str]]:
    """A received stamp: its ink (L mask), the pen layer (L mask) and its number/date.

    Its number is never the document's (``avoid``), nor its date, so a test can tell them apart.
    """
    mm = dpi / 25.4
    w, h = round(rng.uniform(48, 58) * mm), round(rng.uniform(24, 30) * mm)
    mask = Image.new("L", (w, h), 0)
    pen = Image.new("L", (w, h), 0)
    draw, pdraw = ImageDraw.Draw(mask), ImageDraw.Draw(pen)
    border = max(2, round(0.5 * mm))
    draw.rectangle((0, 0, w - 1, h - 1), outline=255, width=border)
    small = ImageFont.truetype(BOLD_SANS, round(2.6 * mm))
    big = ImageFont.truetype(BOLD_SANS, round(4.5 * mm))
    who = rng.choice(("UBND PHƯỜNG " + vn_upper(rng.choice(places.HCMC_WARDS_2025)),
                      "VĂN PHÒNG UBND", "PHÒNG VĂN HÓA - XÃ HỘI"))
    draw.text((w // 2, round(3.5 * mm)), who, font=small, fill=255, anchor="mm")
    draw.text((round(3 * mm), round(9.5 * mm)), "ĐẾN", font=big, fill=255, anchor="lm")
    number = str(rng.randint(10, 9999))
    if number == avoid:
        number += "1"
    when = issued + timedelta(days=rng.randint(1, 12))
    y1, y2 = round(9.5 * mm), round(15.5 * mm)
    draw.text((round(18 * mm), y1), "Số:", font=small, fill=255, anchor="lm")
    draw.text((round(3 * mm), y2), "Ngày:", font=small, fill=255, anchor="lm")
    draw.text((round(3 * mm), round(21.5 * mm)), "Chuyển:", font=small, fill=255, anchor="lm")
    dated = f"{when.day}/{when.month}/{when.year}"
    height = 3.6 * mm
    if rng.random() < 0.5:  # numbered by hand
        write_digits(pdraw, number, (24 * mm, y1 + height / 2), height, rng, 255, dpi)
        write_digits(pdraw, dated, (14 * mm, y2 + height / 2), height, rng, 255, dpi)
    else:  # a numbering stamp, in the stamp's own ink
        draw.text((round(24 * mm), y1), number, font=small, fill=255, anchor="lm")
        draw.text((round(14 * mm), y2), dated, font=small, fill=255, anchor="lm")
    return mask, pen, {"kind": "den", "number": number, "date": when.isoformat()}


def esign_box(draw: ImageDraw.ImageDraw, box: tuple[int, int, int, int], doc: DocSpec,
              dpi: int, when: str, colour: int | tuple[int, int, int]) -> dict[str, str]:
    x0, y0, x1, _ = box
    size = round(2.6 * dpi / 25.4)
    font = ImageFont.truetype(SANS, size)
    draw.rectangle(box, outline=colour, width=max(1, round(0.3 * dpi / 25.4)))
    signer = doc.organ.prose
    where = "Thành phố Hồ Chí Minh" if "Ủy ban" in signer else signer
    lines = [f"Ký bởi: {signer}", f"Cơ quan: {where}", f"Thời gian ký: {when}"]
    y = y0 + size // 2
    for line in lines:
        while font.getlength(line) > x1 - x0 - size and len(line) > 10:
            line = line[:-1]
        draw.text((x0 + size // 2, y), line, font=font, fill=colour)
        y += round(size * 1.5)
    return {"signer": signer, "organ": where, "time": when}


def draw_text(draw: ImageDraw.ImageDraw, xy: tuple[int, int], text: str,
              font: ImageFont.FreeTypeFont, ink: int | tuple[int, int, int], typewriter: bool,
              rng: random.Random) -> None:
    """Plain text, or typewriter text: each character jumps a little and strikes unevenly."""
    if not typewriter:
        draw.text(xy, text, font=font, fill=ink)
        return
    x, y = xy
    advance = font.getlength("M")
    for ch in text:
        if ch != " ":
            dark = rng.randint(0, 70)
            fill: int | tuple[int, int, int] = (
                tuple(min(255, c + dark) for c in ink) if isinstance(ink, tuple)  # type: ignore[assignment]
                else min(255, ink + dark))
            draw.text((x + rng.uniform(-0.6, 0.6), y + rng.uniform(-1.2, 1.2)), ch, font=font,
                      fill=fill)
        x += advance


@dataclass
class Rendered:
    image: Image.Image
    lines: list[str]
    under_seal: set[str]
    stamps: list[dict[str, str]]
    esign: dict[str, str] | None
    notes: list[dict[str, str]] = field(default_factory=list)


def render_real_page(doc: DocSpec, plan: Plan, page_plan: PagePlan, dpi: int, colour: bool,
                     rng: random.Random, nrng: np.random.Generator, first: bool
                     ) -> Rendered:
    size = (round(A4_MM[0] * dpi / 25.4), round(A4_MM[1] * dpi / 25.4))
    page = Image.new("RGB" if colour else "L", size, (PAPER,) * 3 if colour else PAPER)
    draw = ImageDraw.Draw(page)
    ink = _ink(colour, (INK, INK, INK))
    hw_ink = _ink(colour, pick_ink(rng))
    out = Rendered(page, [], set(), [], None)
    seal_at: tuple[int, int] | None = None
    boxes: dict[str, list[tuple[int, int, int, int]]] = {}
    for top, row in page_plan.rows:
        for x, dy, text, font in row.texts:
            draw_text(draw, (x, top + dy), text, font, ink, plan.typewriter, rng)
        for x0, dy, x1, w in row.rules:
            draw.line((x0, top + dy, x1, top + dy), fill=ink, width=w)
        for name, (a, b, c, d) in row.marks.items():
            box = (a, top + b, c, top + d)
            if name.startswith("hw:"):
                _, _, text = name.split(":", 2)
                height = (d - b) * rng.uniform(1.0, 1.3)
                write_digits(draw, text, (a + rng.uniform(0, 0.2) * (c - a), box[3]), height,
                             rng, hw_ink, dpi)
            elif name.startswith("vrule:"):
                draw.rectangle(box, fill=ink)
            elif name.startswith("box:"):
                boxes.setdefault(name[4:], []).append(box)
            elif name == "esign":
                clock = f"{rng.randint(7, 17):02d}:{rng.randint(0, 59):02d}:" \
                        f"{rng.randint(0, 59):02d}"
                when = f"{doc.issued.day:02d}.{doc.issued.month:02d}.{doc.issued.year} " \
                       f"{clock} +07:00"
                out.esign = esign_box(draw, box, doc, dpi, when, _ink(colour, (190, 30, 40)))
                seal_at = (a - round(4 * dpi / 25.4), (b + d) // 2 + top)
            else:
                pen = _ink(colour, SIGN_RGB) if colour else 60
                _signature(draw, box, rng, pen, dpi)
                if name == "signature":
                    seal_at = (a - round(2 * dpi / 25.4), top + (b + d) // 2)
                    if plan.seal_over:
                        seal_at = (a + round(rng.uniform(-1, 6) * dpi / 25.4), seal_at[1])
        out.lines += row.lines
    if seal_at is not None and doc.seal:
        mask = _seal_mask(doc, dpi, rng)
        rgb = SEAL_RGB if plan.scan != "bilevel" else (70, 70, 70)
        multiply(page, mask, seal_at, rgb, rng.uniform(0.75, 0.95), nrng)
        r = mask.width // 2 - 4
        for key, rects in boxes.items():
            if any(_circle_hits(seal_at, r, rect) for rect in rects):
                out.under_seal.add(key)
    if first and plan.den_stamp:
        stamp_rgb = rng.choice(STAMP_INKS) if plan.scan != "bilevel" else (60, 60, 60)
        mask, pen, info = den_stamp(rng, dpi, doc.issued, doc.code_number)
        angle = rng.uniform(-12, 12)
        mask = mask.rotate(angle, expand=True, resample=Image.Resampling.BILINEAR)
        pen = pen.rotate(angle, expand=True, resample=Image.Resampling.BILINEAR)
        mm = dpi / 25.4
        at = (round(rng.uniform(40, 160) * mm), round(rng.uniform(7, 14) * mm))
        multiply(page, mask, at, stamp_rgb, rng.uniform(0.7, 0.95), nrng)
        multiply(page, pen, at, pick_ink(rng), 1.0, nrng)
        out.stamps.append(info)
    if first and plan.sao_y == "stamp":
        out.stamps.append(sao_y_stamp(page, rng, dpi, nrng, plan))
    if first and plan.routing:
        out.notes.append(routing_note(page, doc.issued, rng, dpi, nrng))
    return out


ROUTING = ("Chuyển VP", "Đ/c Hùng xử lý", "Chuyển P.TP", "Đ/c Lan theo dõi", "Lưu hồ sơ",
           "Chuyển bộ phận một cửa")


def routing_note(page: Image.Image, issued: date, rng: random.Random, dpi: int,
                 nrng: np.random.Generator) -> dict[str, str]:
    """A clerk's pen note in the margin, with its own date (never the document's)."""
    mm = dpi / 25.4
    when = issued + timedelta(days=rng.randint(2, 15))
    text = f"{rng.choice(ROUTING)} {when.day}/{when.month}"
    font = ImageFont.truetype(OBLIQUE, round(rng.uniform(3.6, 4.6) * mm))
    width = round(font.getlength(text) + 4 * mm)
    mask = Image.new("L", (width, round(font.size * 2.2)), 0)
    draw = ImageDraw.Draw(mask)
    x = 2 * mm
    for ch in text:  # a hand does not keep a baseline
        draw.text((x, font.size * 0.5 + rng.uniform(-0.12, 0.12) * font.size), ch, font=font,
                  fill=255)
        x += font.getlength(ch) * rng.uniform(0.95, 1.1)
    mask = mask.rotate(rng.uniform(-14, 14), expand=True, resample=Image.Resampling.BILINEAR)
    if rng.random() < 0.5:  # above the header
        at = (round(rng.uniform(15, 60) * mm + mask.width / 2), round(rng.uniform(6, 11) * mm))
    else:  # in the left margin beside the body
        at = (round(mask.width / 2 + rng.uniform(1, 4) * mm), round(rng.uniform(100, 220) * mm))
    rgb = pick_ink(rng) if page.mode == "RGB" else (40, 40, 40)
    multiply(page, mask, at, rgb, 1.0, nrng)
    return {"text": text, "date": f"{when.year}-{when.month:02d}-{when.day:02d}"}


def sao_y_stamp(page: Image.Image, rng: random.Random, dpi: int, nrng: np.random.Generator,
                plan: Plan) -> dict[str, str]:
    mm = dpi / 25.4
    font = ImageFont.truetype(BOLD_SANS, round(5 * mm))
    text = "SAO Y BẢN CHÍNH"
    w = round(font.getlength(text) + 6 * mm)
    mask = Image.new("L", (w, round(10 * mm)), 0)
    draw = ImageDraw.Draw(mask)
    draw.rectangle((0, 0, mask.width - 1, mask.height - 1), outline=255,
                   width=max(2, round(0.6 * mm)))
    draw.text((mask.width // 2, mask.height // 2), text, font=font, fill=255, anchor="mm")
    mask = mask.rotate(rng.uniform(-6, 6), expand=True, resample=Image.Resampling.BILINEAR)
    rgb = (200, 30, 50) if plan.scan != "bilevel" else (60, 60, 60)
    at = (round(rng.uniform(120, 170) * mm), round(rng.uniform(6, 12) * mm))
    multiply(page, mask, at, rgb, 0.9, nrng)
    return {"kind": "sao_y", "number": "", "notation": "", "date": ""}


def _circle_hits(centre: tuple[int, int], r: int, rect: tuple[int, int, int, int]) -> bool:
    cx, cy = centre
    x0, y0, x1, y1 = rect
    nx, ny = min(max(cx, x0), x1), min(max(cy, y0), y1)
    return (nx - cx) ** 2 + (ny - cy) ** 2 < r * r


# ---------------------------------------------------------------- degradations


def show_through(front: Image.Image, rng: random.Random, nrng: np.random.Generator
                 ) -> Image.Image:
    """The back of a duplex sheet: blank paper with the front faintly mirrored through it."""
    grey = np.asarray(front.convert("L"), dtype=np.float32)
    ghost = 255 - (255 - grey[:, ::-1]) * rng.uniform(0.05, 0.12)
    ghost = cv2.GaussianBlur(ghost, (0, 0), 2.0)
    ghost += nrng.normal(0, 2.0, ghost.shape).astype(np.float32)
    tone = rng.uniform(0.96, 1.0)
    arr = (ghost * tone).clip(0, 255).astype(np.uint8)
    if front.mode == "RGB":
        return Image.merge("RGB", [Image.fromarray(arr)] * 3)
    return Image.fromarray(arr)


def bilevel(img: Image.Image, nrng: np.random.Generator) -> Image.Image:
    """A 1-bit scan: threshold with a little noise, like a cheap ADF in black-and-white."""
    arr = np.asarray(img.convert("L"), dtype=np.int16)
    arr = arr + nrng.integers(-18, 18, size=arr.shape, dtype=np.int16)
    return Image.fromarray(((arr > 150) * 255).astype(np.uint8)).convert("1")


def phone_photo(img: Image.Image, rng: random.Random, nrng: np.random.Generator,
                zoom: float = 1.0) -> tuple[Image.Image, bytes, dict[str, float]]:
    """A phone photo of the page: table around it, perspective, uneven light, JPEG, no DPI."""
    page = np.asarray(img.convert("RGB"))
    h, w = page.shape[:2]
    pad = round(w * rng.uniform(0.03, 0.08))
    table_rgb = rng.choice(((120, 90, 60), (70, 70, 75), (180, 170, 150)))
    canvas = np.empty((h + 2 * pad, w + 2 * pad, 3), dtype=np.uint8)
    canvas[:] = table_rgb
    canvas[pad:pad + h, pad:pad + w] = page
    ch, cw = canvas.shape[:2]
    span = rng.uniform(0.015, 0.05) * cw
    src = np.array([(pad, pad), (pad + w, pad), (pad + w, pad + h), (pad, pad + h)],
                   dtype=np.float32)
    dst = src + np.array([(rng.uniform(-span, span), rng.uniform(-span, span)) for _ in range(4)],
                         dtype=np.float32)
    target = round(rng.randint(1100, 1700) * zoom)  # page width in pixels, as a phone frames it
    scale = target / w
    size = (round(cw * scale), round(ch * scale))
    matrix = cv2.getPerspectiveTransform(src * scale, dst * scale)
    small = cv2.resize(canvas, size, interpolation=cv2.INTER_AREA)
    warped = cv2.warpPerspective(small, matrix, size, borderValue=table_rgb)
    warped = cv2.GaussianBlur(warped, (0, 0), rng.uniform(0.5, 1.0))
    gh, gw = size[1] // 16 + 1, size[0] // 16 + 1  # the light, computed coarse then enlarged
    yy, xx = np.mgrid[0:gh, 0:gw].astype(np.float32)
    lx, ly = rng.uniform(0, gw), rng.uniform(0, gh)
    dist = np.hypot(xx - lx, yy - ly) / math.hypot(gw, gh)
    light = (1.05 - rng.uniform(0.25, 0.45) * dist).clip(0.45, 1.05)
    light = cv2.resize(light, size, interpolation=cv2.INTER_LINEAR)
    warm = np.array((1.0, rng.uniform(0.95, 1.0), rng.uniform(0.85, 0.97)), dtype=np.float32)
    lit = warped.astype(np.float32)
    lit *= light[..., None] * warm
    lit += nrng.normal(0, 3.0, lit.shape[:2]).astype(np.float32)[..., None]
    small = lit.clip(0, 255).astype(np.uint8)
    out = Image.fromarray(small)
    buf = io.BytesIO()
    out.save(buf, format="JPEG", quality=rng.randint(70, 90))  # no dpi: phones write none
    data = buf.getvalue()
    photo = Image.open(io.BytesIO(data))
    photo.load()
    return photo, data, {"page_width_px": target,
                         "effective_dpi": round(target / (A4_MM[0] / 25.4))}


# ----------------------------------------------------------------------- api


def make_realistic(seed: int, index: int, *, max_pages: int = 2, dpi: int | None = None
                   ) -> Sample:
    """Realistic sample ``index`` of corpus ``seed`` (independent of the others).

    ``dpi`` forces the rendering resolution (phone photos shrink in proportion) without
    changing any other choice: the generator's own tests use 60 dpi to stay fast.
    """
    rng = random.Random(f"realistic:{seed}:{index}")
    nrng = np.random.default_rng([seed, index, 11])
    plan = choose_plan(rng)
    doc, cited = realistic_document(rng, plan)
    family = MONO if plan.typewriter else rng.choice(sorted(FONT_DIRS))
    body_pt = 12.0 if plan.typewriter else rng.choice((13.0, 14.0))
    deg = choose_degradation(rng, "mixed", rng.choice((150, 200, 300)))
    deg = replace(deg, turned_deg=0 if rng.random() < 0.85 else deg.turned_deg)
    if plan.scan == "bilevel":
        deg = replace(deg, dpi=max(200, deg.dpi), jpeg_quality=None, yellowed=False,
                      noise_sigma=0.0, blur_radius=0.0)
    if plan.scan == "phone":
        deg = Degradation(dpi=200)
    zoom = 1.0
    if dpi is not None:
        zoom = dpi / 200 if plan.scan == "phone" else 1.0
        deg = replace(deg, dpi=dpi)
    pages_max = 1 if plan.scan == "phone" else max(max_pages, 3 if plan.signer_p2 else 2)
    fonts = TypeFontBook(family, deg.dpi)
    layout = RealLayout(doc, fonts, body_pt, plan)
    tail, copy_stamp = (sao_y_rows(layout, rng, doc.issued) if plan.sao_y == "block"
                        else ([], None))
    doc, plan_pages, layout = _fit(doc, fonts, body_pt, plan, tail, pages_max)
    colour = plan.scan in ("colour", "phone") or (deg.yellowed and plan.scan != "bilevel")
    images, encoded, texts, blanks = [], [], [], []
    under_seal: set[str] = set()
    stamps: list[dict[str, str]] = []
    notes: list[dict[str, str]] = []
    esign = None
    extra: dict[str, float] = {}
    for k, page_plan in enumerate(plan_pages):
        r = render_real_page(doc, plan, page_plan, deg.dpi, colour, rng, nrng, k == 0)
        under_seal |= r.under_seal
        stamps += r.stamps
        notes += r.notes
        esign = esign or r.esign
        sheets = [(r.image, "\n".join(r.lines))]
        if plan.duplex and (k == 0 or rng.random() < 0.5):
            sheets.append((show_through(r.image, rng, nrng), ""))
        for image, text in sheets:
            if plan.scan == "phone":
                image, jpeg, extra = phone_photo(image, rng, nrng, zoom)
                encoded.append(jpeg)
            else:
                image, jpeg = degrade(image, deg, rng, nrng)
                if plan.scan == "bilevel":
                    image = bilevel(image, nrng)
                    jpeg = None
                if jpeg is not None:
                    encoded.append(jpeg)
                image.info["dpi"] = (deg.dpi, deg.dpi)
            images.append(image)
            texts.append(text)
            if not text:
                blanks.append(len(images))
    if copy_stamp is not None:
        stamps.append(copy_stamp)
    if len(encoded) != len(images):
        encoded = []
    truth = _truth(doc, plan, deg, family, body_pt, texts, blanks, under_seal, stamps, cited,
                   esign, extra)
    truth["margin_notes"] = notes
    name = f"r{seed}-{index:04d}-{doc.kind.replace('_', '-')}"
    return Sample(name, tuple(images), truth, deg, tuple(encoded))


def _fit(doc: DocSpec, fonts: FontBook, body_pt: float, plan: Plan, tail: list[Row],
         max_pages: int) -> tuple[DocSpec, list[PagePlan], RealLayout]:
    while True:
        layout = RealLayout(doc, fonts, body_pt, plan)
        pages = paginate_real(layout, max_pages, tail)
        if pages is not None:
            return doc, pages, layout
        if len(doc.body) <= 4:
            body_pt -= 0.5
            if body_pt < 10:
                raise ValueError("document cannot fit the page limit")
            continue
        keep = [p for p in doc.body if isinstance(p, TablePara)]
        body = (*doc.body[:-3], *[p for p in doc.body[-3:-1] if p in keep], doc.body[-1])
        doc = replace(doc, body=body)


def _truth(doc: DocSpec, plan: Plan, deg: Degradation, family: str, body_pt: float,
           texts: list[str], blanks: list[int], under_seal: set[str],
           stamps: list[dict[str, str]], cited: list[dict[str, str]],
           esign: dict[str, str] | None, extra: dict[str, float]) -> dict[str, Any]:
    fields = doc.truth_fields()
    if plan.typewriter:
        fields["signer_authority"] = doc.signer_lines[0]
        fields.pop("organ_parent", None)
    elif doc.organ.ward and doc.organ.parent != "ỦY BAN NHÂN DÂN":
        fields["organ_parent"] = doc.organ.superior
    # extract.metadata: a công văn's subject is the text after "V/v"; any other type keeps
    # its trích yếu as printed under the type line, "V/v" included (1990s decisions).
    if doc.kind != "cong_van":
        fields["subject"] = doc.subject
    elif doc.subject.lower().startswith("v/v "):
        fields["subject"] = doc.subject[4:]
    handwritten = []
    if plan.hw_number:
        handwritten.append("code_number")
    if plan.hw_day:
        handwritten.append("issued_date")
    parts = {"issued_date": ["day", "month"] if plan.hw_month else ["day"]} if plan.hw_day else {}
    features = _features(plan, doc, under_seal, stamps, cited)
    return {
        **fields, "kind": doc.kind, "font": family, "body_pt": body_pt, "seal": doc.seal,
        "handwritten": handwritten, "handwritten_parts": parts,
        "under_seal": sorted(under_seal), "stamps": stamps, "citations": cited,
        "esign": esign, "blank_pages": blanks,
        "file_dpi": None if plan.scan == "phone" else deg.dpi,
        "scan": plan.scan, "features": features, "phone": extra,
        "text": "\f".join(texts), "page_texts": texts, "degradation": asdict(deg),
    }


def _features(plan: Plan, doc: DocSpec, under_seal: set[str], stamps: list[dict[str, str]],
              cited: list[dict[str, str]]) -> list[str]:
    have = {
        "hw_number": plan.hw_number, "hw_day": plan.hw_day, "hw_month": plan.hw_month,
        "dotted_leaders": plan.dotted and (plan.hw_number or plan.hw_day),
        "den_stamp": any(s["kind"] == "den" for s in stamps),
        "esign": plan.esign, "sao_y": any(s["kind"] == "sao_y" for s in stamps),
        "seal_over_signer": bool(under_seal) and plan.scan != "bilevel",
        "black_seal_bilevel": plan.scan == "bilevel" and doc.seal,
        "phone_photo": plan.scan == "phone", "duplex_back": plan.duplex,
        "typewriter": plan.typewriter, "signer_page2": plan.signer_p2,
        "long_subject": plan.long_subject and doc.kind != "cong_van" and not plan.typewriter,
        "vv_subject": doc.subject.lower().startswith("v/v"),
        "table": any(isinstance(p, TablePara) for p in doc.body), "citation": bool(cited),
        "routing_note": plan.routing,
    }
    return [f for f in FEATURES if have[f]]


def generate_realistic(seed: int, n: int, dpi: int | None = None) -> list[Sample]:
    return [make_realistic(seed, i, dpi=dpi) for i in range(n)]


# ---------------------------------------------------------------------- files

GT_KEYS = ("type_name", "code_number", "code_notation", "issued_date", "organ_name", "subject",
           "signer_position", "signer_name")


def write_file(sample: Sample, docs: Path) -> Path:
    """One file per document, as wards hold them: JPEG photo, 1-bit TIFF, PDF or TIFF scan."""
    scan = sample.truth["scan"]
    if scan == "phone":
        path = docs / f"{sample.name}.jpg"
        path.write_bytes(sample.encoded[0])
        return path
    first, *rest = sample.pages
    dpi = (sample.dpi, sample.dpi)
    if scan == "bilevel":
        path = docs / f"{sample.name}.tiff"
        first.save(path, save_all=True, append_images=rest, compression="group4", dpi=dpi)
        return path
    if int(sample.name.split("-")[1]) % 2 == 0:  # half the colour scans as image PDFs
        path = docs / f"{sample.name}.pdf"
        first.save(path, "PDF", save_all=True, append_images=rest, resolution=float(sample.dpi))
        return path
    path = docs / f"{sample.name}.tiff"
    first.save(path, save_all=True, append_images=rest, compression="tiff_deflate", dpi=dpi)
    return path


def write_dataset(samples: list[Sample], out: Path) -> dict[str, dict[str, Any]]:
    """``out/docs/`` files, ``out/meta_gt.json`` (bench/real.py's keys), ``out/truth/``."""
    (out / "docs").mkdir(parents=True, exist_ok=True)
    (out / "truth").mkdir(exist_ok=True)
    meta: dict[str, dict[str, Any]] = {}
    for sample in samples:
        path = write_file(sample, out / "docs")
        truth = sample.truth
        meta[path.stem] = {k: truth[k] for k in GT_KEYS}
        meta[path.stem]["notes"] = _notes(truth)
        (out / "truth" / f"{path.stem}.json").write_text(
            json.dumps({**truth, "name": sample.name, "file": path.name}, ensure_ascii=False,
                       indent=1), encoding="utf-8")
    (out / "meta_gt.json").write_text(json.dumps(meta, ensure_ascii=False, indent=1),
                                      encoding="utf-8")
    return meta


def _notes(truth: dict[str, Any]) -> str:
    parts = []
    if truth["handwritten"]:
        parts.append("handwritten: " + ", ".join(truth["handwritten"]))
    if truth["under_seal"]:
        parts.append("under seal: " + ", ".join(truth["under_seal"]))
    parts.append("features: " + ", ".join(truth["features"]))
    return "; ".join(parts)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--n", type=int, default=40)
    parser.add_argument("--seed", type=int, default=11)
    args = parser.parse_args(argv)
    start = time.monotonic()
    samples = generate_realistic(args.seed, args.n)
    write_dataset(samples, args.out)
    pages = sum(len(s.pages) for s in samples)
    print(f"{len(samples)} documents, {pages} pages in {time.monotonic() - start:.1f} s "
          f"-> {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
