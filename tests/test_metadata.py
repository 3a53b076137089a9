"""Metadata extraction (extract.metadata) on sample documents, clean, degraded and real OCR."""

from __future__ import annotations

import io
import re
import subprocess
from collections import Counter

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image, ImageDraw, ImageFont

from extract import doctypes
from extract.metadata import extract, extract_from_text, page_from_text
from extract.vntext import case_organ, fold, restore_name, similarity
from ocr.model import PageText, Word
from tests.samples_text import SAMPLES, Sample, degrade, strip_marks

HEADER = (
    "{left:^40}    {right:^46}\n"
    "{left2:^40}    {motto2:^46}\n"
    "{code:^40}    {date:^46}\n\n"
)


def _doc(
    code: str = "Số: 12/QĐ-UBND",
    date: str = "Phường Bến Nghé, ngày 05 tháng 3 năm 2024",
    type_line: str = "QUYẾT ĐỊNH",
    subject: str = "Về việc công nhận Tổ hòa giải khu phố 3",
    left: tuple[str, str] = ("ỦY BAN NHÂN DÂN", "PHƯỜNG BẾN NGHÉ"),
    signature: str = "",
) -> str:
    head = HEADER.format(
        left=left[0],
        right="CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        left2=left[1],
        motto2="Độc lập - Tự do - Hạnh phúc",
        code=code,
        date=date,
    )
    body = f"{type_line:^90}\n{subject:^90}\n\n    Căn cứ Luật Tổ chức chính quyền địa phương;\n"
    return head + body + signature


# --- The sample set ---------------------------------------------------------------


@pytest.mark.parametrize("sample", SAMPLES, ids=[s.name for s in SAMPLES])
def test_clean_sample_every_field_exact(sample: Sample) -> None:
    ex = extract_from_text(sample.text)
    got = {k: ex.value(k) for k in sample.expected}
    assert got == sample.expected
    assert ex.citizen_ids == sample.citizen_ids
    for name in sample.expected:
        f = ex.fields[name]
        assert 0.8 <= f.confidence <= 1.0, (name, f.confidence)
        assert f.region is not None and f.region.width > 0


def test_clean_samples_cover_the_required_kinds() -> None:
    kinds = {s.expected["type_name"] for s in SAMPLES}
    assert {"Quyết định", "Kế hoạch", "Tờ trình", "Thông báo", "Báo cáo", "Công văn"} <= kinds
    assert {"Giấy mời", "Biên bản"} <= kinds
    assert len(SAMPLES) >= 12
    assert any(re.search(r"Số: \d+/\d{4}/", s.text) for s in SAMPLES)  # QPPL: số/năm/ký hiệu


def _field_ok(name: str, got: str | None, want: str) -> bool:
    """Exact, except the free-text summary: OCR errors inside it cannot be undone,
    so it counts when the right span was found (≥ 0.9 similar once folded)."""
    if got == want:
        return True
    if name != "subject" or got is None:
        return False
    return similarity(" ".join(fold(got).split()), " ".join(fold(want).split())) >= 0.9


def _noisy_accuracy(seeds: range, **noise: float) -> tuple[Counter[str], Counter[str]]:
    right: Counter[str] = Counter()
    total: Counter[str] = Counter()
    for index, sample in enumerate(SAMPLES):
        for seed in seeds:
            ex = extract_from_text(degrade(sample.text, seed * 1000 + index, **noise))  # type: ignore[arg-type]
            for name, want in sample.expected.items():
                total[name] += 1
                right[name] += _field_ok(name, ex.value(name), want)
            total["citizen_ids"] += 1
            right["citizen_ids"] += ex.citizen_ids == sample.citizen_ids
    return right, total


def _report(right: Counter[str], total: Counter[str]) -> str:
    lines = [f"{k:16} {right[k] / total[k]:.3f} ({right[k]}/{total[k]})" for k in total]
    return "\n".join(lines)


def test_noisy_samples_field_accuracy() -> None:
    right, total = _noisy_accuracy(range(8))
    overall = sum(right.values()) / sum(total.values())
    print(f"\nnoisy OCR text, field accuracy:\n{_report(right, total)}\noverall {overall:.3f}")
    assert overall >= 0.97, _report(right, total)
    for name in ("code_number", "code_notation", "issued_date", "type_name", "organ_name"):
        assert right[name] / total[name] >= 0.97, _report(right, total)
    assert min(right[k] / total[k] for k in total) >= 0.9, _report(right, total)


def test_heavily_degraded_text_still_mostly_right() -> None:
    right, total = _noisy_accuracy(range(4), drop=0.2, confuse=0.12, errors=4)
    overall = sum(right.values()) / sum(total.values())
    print("\nheavy noise, field accuracy:\n" + _report(right, total) + f"\noverall {overall:.3f}")
    assert overall >= 0.95, _report(right, total)


def test_text_without_any_diacritics() -> None:
    """An English-model OCR pass loses every mark; lexicons put the known ones back."""
    sample = SAMPLES[0]
    ex = extract_from_text(strip_marks(sample.text))
    assert ex.value("organ_name") == "Ủy ban nhân dân phường Bến Nghé"
    assert ex.value("code_notation") == "QĐ-UBND"
    assert ex.value("issued_date") == "2024-03-05"
    assert ex.value("type_name") == "Quyết định"
    assert ex.value("signer_position") == "Chủ tịch"
    assert ex.value("signer_authority") == "TM. Ủy ban nhân dân"
    assert ex.value("signer_name") == "Nguyễn Văn An"
    # the word pairs of administrative text put the subject's marks back, never trusted
    assert ex.value("subject") == "Về việc công nhận Tổ hòa giải khu phố 3"
    assert ex.review["subject"] == "lexicon_repair" and ex.fields["subject"].confidence < 0.75
    clean = extract_from_text(sample.text)
    assert ex.fields["organ_name"].confidence < clean.fields["organ_name"].confidence


# --- Số và ký hiệu -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "number", "notation"),
    [
        ("Số: 12/QĐ-UBND", "12", "QĐ-UBND"),
        ("Số: 45/2024/QĐ-UBND", "45", "QĐ-UBND"),
        ("S6 : 12 / QD - UBND", "12", "QĐ-UBND"),
        ("Sô: l2/QĐ-UBND", "12", "QĐ-UBND"),
        ("So: 1O5/TTR-UBND", "105", "TTr-UBND"),
        ("Số : 45 / 2O24 / QD - UBND", "45", "QĐ-UBND"),
        ("SỐ: 17/2023/NQ-HDND", "17", "NQ-HĐND"),
        ("Số: 87KH-UBND", "87", "KH-UBND"),
        ("Số: .132/TB-UBND.", "132", "TB-UBND"),
    ],
)
def test_code_variants(line: str, number: str, notation: str) -> None:
    ex = extract_from_text(_doc(code=line))
    assert (ex.value("code_number"), ex.value("code_notation")) == (number, notation)


def test_the_year_of_a_legal_normative_document_is_kept_apart() -> None:
    ex = extract_from_text(_doc(code="Số: 45/2024/QĐ-UBND"))
    assert ex.value("code_year") == "2024"
    assert extract_from_text(_doc(code="Số: 12/QĐ-UBND")).value("code_year") is None


def test_blank_number_of_an_unsigned_draft_gives_notation_only() -> None:
    ex = extract_from_text(_doc(code="Số:     /QĐ-UBND"))
    assert ex.value("code_number") is None
    assert ex.value("code_notation") == "QĐ-UBND"


def test_hd_is_resolved_by_the_type_line() -> None:
    guide = extract_from_text(_doc(code="Số: 3/HD-UBND", type_line="HƯỚNG DẪN"))
    contract = extract_from_text(_doc(code="Số: 3/HD-UBND", type_line="HỢP ĐỒNG"))
    assert guide.value("code_notation") == "HD-UBND"
    assert contract.value("code_notation") == "HĐ-UBND"


def test_repaired_code_has_lower_confidence_and_a_region_on_its_line() -> None:
    clean = extract_from_text(_doc(code="Số: 12/QĐ-UBND"))
    noisy = extract_from_text(_doc(code="S6 : l2 / QD - UBND"))
    assert noisy.value("code_number") == clean.value("code_number") == "12"
    assert noisy.fields["code_number"].confidence < clean.fields["code_number"].confidence
    assert noisy.fields["code_notation"].confidence < clean.fields["code_notation"].confidence
    region = clean.fields["code_notation"].region
    page = page_from_text(_doc())
    line = next(w for w in page.words if w.text == "Số:")
    assert region is not None and region.top == line.top and region.left > line.left


# --- Ngày ban hành -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("date", "iso"),
    [
        ("Phường Bến Nghé, ngày 05 tháng 3 năm 2024", "2024-03-05"),
        ("Thành phố Hồ Chí Minh, ngày 15 tháng 10 năm 2024", "2024-10-15"),
        ("TP. Hồ Chí Minh, ngay 5 thang 03 nam 2024", "2024-03-05"),
        ("Phường Bến Nghé, ngảy 5 thảng 3 nărn 2024", "2024-03-05"),
        ("Quận 1, ngày O5 tháng l2 năm 2O19", "2019-12-05"),
        ("Thủ Đức, ngày 29 tháng 02 năm 2024", "2024-02-29"),
        ("Quận 3, ngày 05/03/2024", "2024-03-05"),
        ("Quận 3, ngày 7 thinu 8 năm 2021", "2021-08-07"),
    ],
)
def test_date_variants(date: str, iso: str) -> None:
    assert extract_from_text(_doc(date=date)).value("issued_date") == iso


@pytest.mark.parametrize(
    "date",
    [
        "Phường Bến Nghé, ngày 30 tháng 02 năm 2024",
        "Phường Bến Nghé, ngày 29 tháng 02 năm 2023",
        "Phường Bến Nghé, ngày 31 tháng 4 năm 2024",
        "Phường Bến Nghé, ngày 12 tháng 13 năm 2024",
        "Phường Bến Nghé, ngày 12 tháng 3 năm 1890",
        "Phường Bến Nghé, ngày      tháng     năm 2024",
    ],
)
def test_impossible_or_blank_dates_are_rejected(date: str) -> None:
    assert extract_from_text(_doc(date=date)).value("issued_date") is None


def test_body_dates_are_not_the_issue_date() -> None:
    text = _doc(date="Phường Bến Nghé, ngày      tháng     năm 2024")
    text = text.replace("địa phương;", "địa phương ngày 19 tháng 6 năm 2015;")
    assert extract_from_text(text).value("issued_date") is None


# --- Tên loại, trích yếu -------------------------------------------------------------


@pytest.mark.parametrize("doc_type", [t for t in doctypes.DOC_TYPES if t.name != "Công văn"])
def test_every_type_line_is_recognised(doc_type: doctypes.DocType) -> None:
    ex = extract_from_text(_doc(type_line=doc_type.name.upper()))
    assert ex.value("type_name") == doc_type.name
    assert ex.value("subject") == "Về việc công nhận Tổ hòa giải khu phố 3"


@pytest.mark.parametrize(
    ("line", "name"),
    [("QUYET DINH", "Quyết định"), ("QUYÉT ĐỊNH", "Quyết định"), ("TH6NG BÁO", "Thông báo"),
     ("THONG CAO", "Thông cáo"), ("KÉ HOẠCH", "Kế hoạch"), ("T0 TRINH", "Tờ trình"),
     ("BIEN BAN", "Biên bản"), ("GIAY MOI", "Giấy mời"), ("DE AN", "Đề án"), ("DU AN", "Dự án")],
)
def test_noisy_type_lines(line: str, name: str) -> None:
    assert extract_from_text(_doc(type_line=line)).value("type_name") == name


def test_wrapped_subject_is_one_line_and_stops_at_the_body() -> None:
    text = _doc(subject="Về việc phê duyệt danh sách hỗ trợ kinh phí sửa chữa nhà ở")
    text = text.replace(
        "\n\n    Căn cứ", "\n" + "cho hộ gia đình chính sách năm 2024".center(90) + "\n    Căn cứ"
    )
    ex = extract_from_text(text)
    assert ex.value("subject") == (
        "Về việc phê duyệt danh sách hỗ trợ kinh phí sửa chữa nhà ở"
        " cho hộ gia đình chính sách năm 2024"
    )


def test_cong_van_summary_after_vv_and_no_type_line() -> None:
    text = (
        "ỦY BAN NHÂN DÂN CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
        "PHƯỜNG BẾN NGHÉ Độc lập - Tự do - Hạnh phúc\n"
        "Số: 356 / UBND - VP Phường Bến Nghé, ngày 02 tháng 8 năm 2024\n"
        "V / v tăng cường công tác phòng cháy,\n"
        "chữa cháy tại khu dân cư\n"
        "Kính gửi: Ban điều hành các khu phố.\n"
    )
    ex = extract_from_text(text)
    assert ex.value("type_name") == "Công văn"
    assert ex.value("subject") == "tăng cường công tác phòng cháy, chữa cháy tại khu dân cư"
    assert ex.value("code_notation") == "UBND-VP"
    assert ex.value("organ_name") == "Ủy ban nhân dân phường Bến Nghé"
    assert ex.value("issued_date") == "2024-08-02"


# --- Cơ quan ban hành ----------------------------------------------------------------


def test_merged_header_columns_are_split_and_motto_does_not_leak() -> None:
    text = (
        "ỦY BAN NHÂN DÂN CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
        "PHƯỜNG BẾN NGHÉ Độc lập - Tự do - Hạnh phúc\n"
        "S6: 12/QĐ-UBND Phường Bến Nghé, ngày 05 tháng 3 năm 2024\n"
        "QUYẾT ĐỊNH\nVề việc công nhận Tổ hòa giải khu phố 3\n"
    )
    ex = extract_from_text(text)
    assert ex.value("organ_name") == "Ủy ban nhân dân phường Bến Nghé"
    assert ex.value("code_notation") == "QĐ-UBND"
    assert ex.value("issued_date") == "2024-03-05"


@pytest.mark.parametrize(
    ("raw", "cased"),
    [
        ("ỦY BAN NHÂN DÂN PHƯỜNG BẾN NGHÉ", "Ủy ban nhân dân phường Bến Nghé"),
        ("UY BAN NHAN DAN PHUONG BEN NGHE", "Ủy ban nhân dân phường Bến Nghé"),
        ("UBND QUẬN 1", "Ủy ban nhân dân Quận 1"),
        ("ỦY BAN NHÂN DÂN PHƯỜNG 15", "Ủy ban nhân dân Phường 15"),
        ("ỦY BAN NHÂN DÂN TP. HỒ CHÍ MINH", "Ủy ban nhân dân Thành phố Hồ Chí Minh"),
        ("ỦY BAN NHÂN DÂN THÀNH PHỐ THỦ ĐỨC", "Ủy ban nhân dân thành phố Thủ Đức"),
        ("PHONG TAI NGUYEN VA MOI TRUONG", "Phòng Tài nguyên và Môi trường"),
        ("PHÒNG LAO ĐỘNG - THƯƠNG BINH VÀ XÃ HỘI", "Phòng Lao động - Thương binh và Xã hội"),
        ("CÔNG AN PHƯỜNG VÕ THỊ SÁU", "Công an phường Võ Thị Sáu"),
        ("BAN CHỈ HUY QUÂN SỰ PHƯỜNG BẾN THÀNH", "Ban Chỉ huy Quân sự phường Bến Thành"),
        ("ỦY BAN NHÂN DÂN XÃ AN THẠNH", "Ủy ban nhân dân xã An Thạnh"),
    ],
)
def test_organ_casing(raw: str, cased: str) -> None:
    assert case_organ(raw) == cased


def test_parent_agency_is_kept_apart() -> None:
    ex = extract_from_text(_doc(left=("UBND QUẬN 1", "PHÒNG TƯ PHÁP"), code="Số: 9/TB-TP"))
    assert ex.value("organ_name") == "Phòng Tư pháp"
    assert ex.value("organ_parent") == "Ủy ban nhân dân Quận 1"


# --- Người ký ------------------------------------------------------------------------

SIGNATURE = (
    "\nNơi nhận:                                         KT. CHỦ TỊCH\n"
    "- Như trên;                                        PHÓ CHỦ TỊCH\n"
    "- Ông Nguyễn Văn Bảy;\n"
    "- Lưu: VT.\n"
    "                                                  Trần Thị Bình\n"
)


def test_signer_block_beside_the_recipients_list() -> None:
    ex = extract_from_text(_doc(signature=SIGNATURE))
    assert ex.value("signer_position") == "Phó Chủ tịch"
    assert ex.value("signer_authority") == "KT. Chủ tịch"
    assert ex.value("signer_name") == "Trần Thị Bình"


def test_signer_when_columns_are_merged() -> None:
    merged = "\n".join(" ".join(line.split()) for line in SIGNATURE.splitlines())
    merged = merged.replace("Trần Thị Bình", "- Lưu: VT. Tran Thi Binh")
    ex = extract_from_text(_doc(signature=merged))
    assert ex.value("signer_position") == "Phó Chủ tịch"
    assert ex.value("signer_authority") == "KT. Chủ tịch"
    assert ex.value("signer_name") == "Trần Thị Bình"


def test_recipient_names_are_not_the_signer() -> None:
    text = _doc(signature=SIGNATURE.replace("Trần Thị Bình", ""))
    assert extract_from_text(text).value("signer_name") is None


@pytest.mark.parametrize(
    ("raw", "name"),
    [("Nguyen Van An", "Nguyễn Văn An"), ("TRẦN THỊ BÌNH", "Trần Thị Bình"),
     ("Nguyẽn Vãn Hùtg", "Nguyễn Văn Hùng"), ("Lê Hoàng Minq", "Lê Hoàng Minh"),
     ("Nguyễn Thị Khuê", "Nguyễn Thị Khuê")],
)
def test_name_restoration(raw: str, name: str) -> None:
    assert restore_name(raw) == name


def test_multi_page_signer_region_is_on_the_last_page() -> None:
    sample = SAMPLES[0]
    head, tail = sample.text.split("Nơi nhận:")
    ex = extract_from_text(head + "\f" + "Nơi nhận:" + tail)
    assert ex.value("signer_name") == "Nguyễn Văn An"
    name_region = ex.fields["signer_name"].region
    code_region = ex.fields["code_number"].region
    assert name_region is not None and name_region.page == 1
    assert code_region is not None and code_region.page == 0


# --- Robustness and speed ------------------------------------------------------------

_VN_CHARS = "aăâbcdđeêghiklmnoôơpqrstuưvxyàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợ"
_VN_CHARS += "ùúủũụừứửữựỳýỷỹỵ" + _VN_CHARS.upper() + "0123456789 .,:;/-()\n"


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(alphabet=_VN_CHARS, max_size=600))
def test_extraction_never_raises_on_arbitrary_text(text: str) -> None:
    ex = extract_from_text(text)
    for f in ex.fields.values():
        assert 0.0 <= f.confidence <= 1.0


_words = st.builds(
    Word,
    text=st.text(max_size=12),
    left=st.integers(-50, 3000),
    top=st.integers(-50, 3000),
    width=st.integers(0, 500),
    height=st.integers(0, 100),
    conf=st.floats(-1, 100),
    block=st.integers(0, 3),
    par=st.integers(0, 2),
    line=st.integers(0, 40),
)


@settings(max_examples=100, deadline=None)
@given(st.lists(_words, max_size=80), st.integers(0, 3000), st.integers(0, 3000))
def test_extraction_never_raises_on_arbitrary_words(words: list[Word], w: int, h: int) -> None:
    ex = extract([PageText(tuple(words), w, h)])
    assert all(0.0 <= f.confidence <= 1.0 for f in ex.fields.values())


def test_endless_line_gives_a_short_doubtful_value() -> None:
    text = _doc(subject="Về việc " + "rất dài " * 400)
    subject = extract_from_text(text).fields["subject"]
    assert len(subject.value) <= 1000 and subject.confidence < 0.5


def test_empty_input() -> None:
    assert extract([]).fields == {}
    assert extract_from_text("").fields == {}


# --- Real Tesseract ------------------------------------------------------------------

_FONT = "/usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf"


def _render(text: str, dpi: int = 150) -> Image.Image:
    """A4-wide page in a Times-like font, columns placed where the text has them."""
    px = round(dpi * 12 / 72)
    font = ImageFont.truetype(_FONT, px)
    rows: list[str] = []
    for line in text.splitlines():
        while len(line) > 95 and not re.search(r"\S {3,}\S", line):
            cut = line.rfind(" ", 0, 95)
            rows.append(line[:cut])
            line = line[cut + 1 :]
        rows.append(line)
    step = int(px * 1.45)
    img = Image.new("L", (int(dpi * 8.27), 160 + step * len(rows)), 255)
    draw = ImageDraw.Draw(img)
    for n, line in enumerate(rows):
        for m in re.finditer(r"\S+(?: {1,2}\S+)*", line):
            draw.text((80 + m.start() * px * 0.5, 80 + n * step), m.group(), font=font, fill=0)
    return img


def _tesseract(img: Image.Image) -> PageText:
    """Real Tesseract through stdin/stdout: no image or text touches the disk."""
    buf = io.BytesIO()
    img.save(buf, "PNG")
    out = subprocess.run(
        ["tesseract", "stdin", "stdout", "-l", "vie", "--psm", "3", "tsv"],
        input=buf.getvalue(), capture_output=True, check=True, timeout=120,
        env={"OMP_THREAD_LIMIT": "1", "PATH": "/usr/bin:/bin"},
    ).stdout.decode()
    words = []
    for row in out.splitlines()[1:]:
        f = row.split("\t")
        if len(f) == 12 and f[0] == "5" and f[11].strip():
            words.append(Word(f[11], int(f[6]), int(f[7]), int(f[8]), int(f[9]), float(f[10]),
                              int(f[2]), int(f[3]), int(f[4])))
    return PageText(tuple(words), img.width, img.height, 150)


@pytest.mark.parametrize("name", ["quyet_dinh_phuong", "cong_van_phuong", "bien_ban_phuong"])
def test_real_tesseract_page(name: str) -> None:
    sample = next(s for s in SAMPLES if s.name == name)
    ex = extract([_tesseract(_render(sample.text))])
    right = sum(_field_ok(k, ex.value(k), v) for k, v in sample.expected.items())
    assert right >= len(sample.expected) - 1, {k: ex.value(k) for k in sample.expected}
    assert ex.value("code_notation") == sample.expected["code_notation"]
    assert ex.value("issued_date") == sample.expected["issued_date"]


def test_kt_signature_infers_the_deputy_title_when_ocr_drops_it() -> None:
    from extract.metadata import extract_from_text

    text = ("ỦY BAN NHÂN DÂN\nPHƯỜNG ĐA KAO\nSố: 230/TB-UBND\nTHÔNG BÁO\nVề việc họp\n"
            "Nội dung thông báo.\nNơi nhận:\n- Lưu: VT.\nKT. CHỦ TỊCH\n\nNguyễn Hữu Tuấn")
    fields = extract_from_text(text).fields
    assert fields["signer_position"].value == "Phó Chủ tịch"
    assert fields["signer_authority"].value == "KT. Chủ tịch"
    assert fields["signer_position"].confidence <= 0.75
    assert fields["signer_name"].value == "Nguyễn Hữu Tuấn"


def test_tm_ubnd_signature_infers_the_chair() -> None:
    from extract.metadata import extract_from_text

    text = ("ỦY BAN NHÂN DÂN\nPHƯỜNG ĐA KAO\nSố: 231/TB-UBND\nTHÔNG BÁO\nVề việc họp\n"
            "Nội dung thông báo.\nNơi nhận:\n- Lưu: VT.\nTM. ỦY BAN NHÂN DÂN\n\nLê Văn Bình")
    fields = extract_from_text(text).fields
    assert fields["signer_position"].value == "Chủ tịch"
    assert fields["signer_authority"].value == "TM. Ủy ban nhân dân"


def test_specks_beside_the_type_line_do_not_end_the_subject() -> None:
    """Tesseract reads the marks of a bold type line as lone ":" on either side."""
    ex = extract_from_text(_doc(type_line=":          BIÊN BẢN          :",
                                subject="Kiểm tra hiện trạng công trình xây dựng"))
    assert ex.value("type_name") == "Biên bản"
    assert ex.value("subject") == "Kiểm tra hiện trạng công trình xây dựng"


def test_a_date_wrapped_in_its_column_beside_the_number() -> None:
    """The right column's date wraps; the left column's "Số:" line sits between its two
    halves in reading order."""
    text = (
        "     ỦY BAN NHÂN DÂN                        CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
        "    PHƯỜNG BẾN NGHÉ                            Độc lập - Tự do - Hạnh phúc\n"
        "                                    Phường Bến Nghé, ngày 15 tháng 01 năm\n"
        "    Số: 41/TTr-UBND\n"
        "                                                      2025\n\n"
        f"{'TỜ TRÌNH':^90}\n{'Về việc sửa chữa trụ sở khu phố 2':^90}\n\n"
        "    Kính gửi: Ủy ban nhân dân Quận 1.\n"
    )
    ex = extract_from_text(text)
    assert ex.value("issued_date") == "2025-01-15"
    assert (ex.value("code_number"), ex.value("code_notation")) == ("41", "TTr-UBND")


def test_signer_chain_survives_a_misread_kt_and_seal_specks() -> None:
    signature = (
        "Nơi nhận:                                      TM. ỦY BAN NHÂN DÂN\n"
        "- Như Điều 3;                                     kĩ. CHU TỊCH\n"
        "- Văn phòng;                                          P k\n"
        "- Lưu: VT.                                       PHO CHỦ TỊCH\n\n\n"
        "                                                  Lê Thị Bình\n"
    )
    ex = extract_from_text(_doc(signature=signature))
    assert ex.value("signer_position") == "Phó Chủ tịch"
    assert ex.value("signer_authority") == "TM. Ủy ban nhân dân / KT. Chủ tịch"
    assert ex.value("signer_name") == "Lê Thị Bình"


@pytest.mark.parametrize(("printed", "organ"), [
    ("ỦY BANN HÂN DÂN PHƯỜNG TÂN ĐỊNH", "Ủy ban nhân dân phường Tân Định"),
    ("HỘI ĐỒNGN HÂN DÂN QUẬN 3", "Hội đồng nhân dân Quận 3"),
    ("ỦV BAN NHÂN DÂN PHƯỜNG 5", "Ủy ban nhân dân Phường 5"),
    ("ỦY BAN NHÂN DÂN QUẬN 1", "Ủy ban nhân dân Quận 1"),
])
def test_a_space_ocr_moved_inside_a_council_name(printed: str, organ: str) -> None:
    assert case_organ(printed) == organ


def test_specks_beside_the_subject_line_do_not_hide_it() -> None:
    text = _doc(type_line="BIÊN BẢN", subject="Kiểm tra hiện trạng công trình xây dựng")
    lines = text.splitlines()
    at = next(i for i, line in enumerate(lines) if "Kiểm tra" in line)
    lines.insert(at, "          :" + " " * 60 + ":")  # a line of specks just above the subject
    ex = extract_from_text("\n".join(lines))
    assert ex.value("subject") == "Kiểm tra hiện trạng công trình xây dựng"


def test_one_doubtful_word_makes_a_subject_doubtful_but_not_the_number() -> None:
    """Free text is rated by its least certain word: the clerk is sent to "hòa"."""
    from dataclasses import replace as with_

    page = page_from_text(_doc(subject="Về việc công nhận Tổ hòa giải khu phố 3"))
    words = tuple(with_(w, conf=40.0) if w.text == "hòa" else w for w in page.words)
    ex = extract([with_(page, words=words)])
    assert ex.value("subject") == "Về việc công nhận Tổ hòa giải khu phố 3"
    assert ex.fields["subject"].confidence < 0.75
    assert ex.fields["code_number"].confidence >= 0.8
