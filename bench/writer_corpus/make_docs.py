"""Build .docx files (python-docx) for the audit corpus, convert them with soffice."""

import os
import subprocess
import sys

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

sys.path.insert(0, os.path.dirname(__file__))
from docs_spec import DOCS

ROOT = os.environ.get("WRITER_CORPUS_OUT", "/tmp/sohoa-writer-corpus")
OUT = os.path.join(ROOT, "docx")
os.makedirs(OUT, exist_ok=True)
C, L, R, J = (
    WD_ALIGN_PARAGRAPH.CENTER,
    WD_ALIGN_PARAGRAPH.LEFT,
    WD_ALIGN_PARAGRAPH.RIGHT,
    WD_ALIGN_PARAGRAPH.JUSTIFY,
)


def set_font(run, name, size, bold=False, italic=False):
    run.font.name = name
    run.font.size = Pt(size)
    run.bold = bold
    run.italic = italic
    rpr = run._element.get_or_add_rPr()
    rf = rpr.find(qn("w:rFonts"))
    if rf is None:
        rf = OxmlElement("w:rFonts")
        rpr.insert(0, rf)
    for a in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        rf.set(qn(a), name)


def fmt(p, align, before=0, after=0, line=1.0, first=None, left=None, right=None):
    p.alignment = align
    pf = p.paragraph_format
    pf.space_before = Pt(before)
    pf.space_after = Pt(after)
    pf.line_spacing = line
    if first is not None:
        pf.first_line_indent = Cm(first)
    if left is not None:
        pf.left_indent = Cm(left)
    if right is not None:
        pf.right_indent = Cm(right)


def para(container, text, font, size, align=C, bold=False, italic=False, **kw):
    p = container.add_paragraph()
    fmt(p, align, **kw)
    if text:
        set_font(p.add_run(text), font, size, bold, italic)
    return p


def rule(container, cell_w, length, font):
    """A short horizontal rule: an empty tiny paragraph with a bottom border, indented to length."""
    side = (cell_w - length) / 2
    p = container.add_paragraph()
    fmt(p, C, left=side, right=side)
    set_font(p.add_run(""), font, 2)
    ppr = p._p.get_or_add_pPr()
    bdr = OxmlElement("w:pBdr")
    b = OxmlElement("w:bottom")
    for k, v in (("w:val", "single"), ("w:sz", "6"), ("w:space", "1"), ("w:color", "000000")):
        b.set(qn(k), v)
    bdr.append(b)
    ppr.append(bdr)
    # shrink the paragraph's own line to make the rule hug the text above
    rpr = OxmlElement("w:rPr")
    sz = OxmlElement("w:sz")
    sz.set(qn("w:val"), "4")
    rpr.append(sz)
    ppr.append(rpr)
    return p


def no_borders(table):
    tbl = table._tbl
    tblPr = tbl.tblPr
    b = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        e = OxmlElement(f"w:{edge}")
        e.set(qn("w:val"), "nil")
        b.append(e)
    tblPr.append(b)


def two_col(doc, wl, wr):
    t = doc.add_table(rows=1, cols=2)
    t.alignment = WD_TABLE_ALIGNMENT.CENTER
    t.autofit = False
    no_borders(t)
    for cell, w in zip(t.rows[0].cells, (wl, wr), strict=False):
        cell.width = Cm(w)
    for col, w in zip(t.columns, (wl, wr), strict=False):
        col.width = Cm(w)
    left, right = t.rows[0].cells
    # remove the default empty paragraph later by reusing it
    return left, right


def first_para(cell):
    return cell.paragraphs[0]


def cell_para(cell, text, font, size, align=C, bold=False, italic=False, **kw):
    if not cell._used:
        cell._used = True
        p = cell.paragraphs[0]
        fmt(p, align, **kw)
        if text:
            set_font(p.add_run(text), font, size, bold, italic)
        return p
    return para(cell, text, font, size, align, bold, italic, **kw)


def date_text(place, d, m, y):
    dd = f"{d:02d}" if d < 10 else str(d)
    mm = f"{m:02d}" if m < 3 else str(m)
    return f"{place}, ngày {dd} tháng {mm} năm {y}"


def build(spec):
    f, sz = spec["font"], spec["size"]
    doc = Document()
    sec = doc.sections[0]
    sec.page_width, sec.page_height = Cm(21), Cm(29.7)
    sec.top_margin, sec.bottom_margin = Cm(2), Cm(2)
    sec.left_margin, sec.right_margin = Cm(3), Cm(1.5)
    st = doc.styles["Normal"]
    st.font.name = f
    st.font.size = Pt(sz)
    WL, WR = 6.9, 10.3
    left, right = two_col(doc, WL, WR)
    left._used = right._used = False
    for text, bold in spec["agency"]:
        cell_para(left, text, f, 12 if not bold else 13, C, bold=bold)
    rule(left, WL, 2.2, f)
    cell_para(left, "Số: " + spec["number"], f, sz - 1, C, before=6)
    if spec["typeline"] is None:
        cell_para(left, spec["subject"], f, sz - 2, C, before=4)
    cell_para(
        right, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", f, 12 if sz <= 13 else 12.5, C, bold=True
    )
    cell_para(right, "Độc lập - Tự do - Hạnh phúc", f, sz, C, bold=True)
    rule(right, WR, 5.6, f)
    cell_para(
        right,
        date_text(spec["place"], *spec["date"]),
        f,
        sz if len(spec["place"]) < 16 else 13,
        C,
        italic=True,
        before=6,
    )

    if spec["typeline"]:
        para(doc, spec["typeline"], f, sz, C, bold=True, before=18)
        para(doc, spec["subject"], f, sz, C, bold=True, left=1.2, right=1.2)
        r = rule(doc, 16.5, 4.0, f)
        r.paragraph_format.space_after = Pt(10)
    else:
        para(doc, "", f, sz, C, before=6)
    if spec.get("authority"):
        para(doc, spec["authority"], f, sz, C, bold=True, before=12, after=6)
    for kind, text in spec["body"]:
        if kind == "c":
            para(doc, text, f, sz, C, bold=True, before=6, after=6)
        elif kind == "b":
            para(doc, text, f, sz, J, bold=True, before=6, after=3, first=1.0)
        elif kind == "k":
            para(doc, text, f, sz, C, before=6, after=6)
        else:
            para(doc, text, f, sz, J, italic=(kind == "i"), after=6, first=1.0, line=1.1)

    left, right = two_col(doc, 7.5, 9.0)
    left._used = right._used = False
    p = cell_para(left, "", f, 12, L, before=12)
    set_font(p.add_run("Nơi nhận:"), f, 12, bold=True, italic=True)
    for r in spec["recipients"]:
        cell_para(left, r, f, 11, L)
    first = True
    for line in spec["chain"]:
        cell_para(right, line, f, sz, C, bold=True, before=12 if first else 0)
        first = False
    for _ in range(3):
        cell_para(right, "", f, sz, C)
    cell_para(right, spec["name"], f, sz, C, bold=True)
    path = os.path.join(OUT, spec["id"] + ".docx")
    doc.save(path)
    return path


if __name__ == "__main__":
    paths = [build(s) for s in DOCS]
    pdfdir = os.path.join(ROOT, "pdf")
    os.makedirs(pdfdir, exist_ok=True)
    subprocess.run(
        ["soffice", "--headless", "--convert-to", "pdf", "--outdir", pdfdir, *paths],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    print("built", len(paths))
