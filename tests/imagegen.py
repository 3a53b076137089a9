"""Render synthetic scanned pages for tests (Vietnamese text, noise, borders).

Real scans cannot be committed (they hold citizens' data), so tests draw their
own pages with a font that has every Vietnamese glyph. Everything is seeded so
that a failing test fails the same way every time.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont

FONT_CANDIDATES = (
    Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"),
    Path("/usr/share/fonts/truetype/liberation2/LiberationSans-Regular.ttf"),
    Path("/usr/share/fonts/truetype/noto/NotoSans-Regular.ttf"),
)

DOCUMENTS: tuple[tuple[str, ...], ...] = (
    (
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "",
        "QUYẾT ĐỊNH",
        "Về việc cấp giấy chứng nhận quyền sử dụng đất",
        "",
        "ỦY BAN NHÂN DÂN PHƯỜNG BẾN NGHÉ",
        "Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6",
        "năm 2015; căn cứ Nghị định số 30/2020/NĐ-CP ngày 05 tháng 3",
        "năm 2020 của Chính phủ về công tác văn thư; xét đề nghị của",
        "công chức địa chính - xây dựng phường,",
        "",
        "Điều 1. Cấp giấy chứng nhận cho ông Nguyễn Văn Hùng, sinh",
        "năm 1968, thường trú tại số 12 đường Lê Lợi, phường Bến Nghé.",
        "Điều 2. Quyết định này có hiệu lực kể từ ngày ký.",
    ),
    (
        "ĐƠN ĐỀ NGHỊ XÁC NHẬN NƠI CƯ TRÚ",
        "",
        "Kính gửi: Ủy ban nhân dân phường Đa Kao, Quận 1",
        "Tôi tên là: Trần Thị Hoa, sinh ngày 14/02/1975",
        "Số định danh cá nhân: 079175001234",
        "Nơi thường trú: 45 đường Đinh Tiên Hoàng, phường Đa Kao",
        "Nay tôi làm đơn này kính đề nghị Ủy ban nhân dân phường",
        "xác nhận nơi cư trú hiện nay của tôi để bổ sung hồ sơ",
        "xin cấp giấy phép kinh doanh hộ cá thể.",
        "Tôi xin cam đoan những lời khai trên là đúng sự thật và",
        "chịu trách nhiệm trước pháp luật về nội dung đã khai.",
        "",
        "Thành phố Hồ Chí Minh, ngày 20 tháng 11 năm 2023",
        "Người làm đơn (ký và ghi rõ họ tên)",
    ),
    (
        "BIÊN BẢN KIỂM TRA HIỆN TRẠNG",
        "",
        "Hôm nay, vào lúc 9 giờ 30 phút ngày 08 tháng 5 năm 2019, tại",
        "thửa đất số 215, tờ bản đồ số 7, phường Tân Định, chúng tôi",
        "gồm có: ông Lê Quốc Bảo, cán bộ địa chính; bà Phạm Ngọc Ánh,",
        "đại diện tổ dân phố số 4; ông Võ Thành Được, chủ sử dụng đất.",
        "Đã tiến hành kiểm tra hiện trạng sử dụng đất như sau:",
        "- Diện tích đo đạc thực tế: 86,5 mét vuông.",
        "- Mục đích sử dụng: đất ở tại đô thị, nhà cấp bốn.",
        "- Ranh giới thửa đất ổn định, không có tranh chấp.",
        "Biên bản được lập thành ba bản có giá trị như nhau, các bên",
        "đã đọc lại, thống nhất và cùng ký tên dưới đây.",
    ),
)


def font_path() -> Path:
    """The first installed TTF that can draw Vietnamese."""
    for candidate in FONT_CANDIDATES:
        if candidate.exists():
            return candidate
    raise FileNotFoundError("no Vietnamese-capable font (install fonts-dejavu-core)")


@cache
def font(px: int) -> ImageFont.FreeTypeFont:
    """A Vietnamese-capable font at a pixel size."""
    return ImageFont.truetype(str(font_path()), px)


def mm(value: float, dpi: int) -> int:
    """Millimetres to pixels at a resolution."""
    return round(value / 25.4 * dpi)


def render_page(
    lines: Sequence[str],
    *,
    dpi: int = 150,
    size_mm: tuple[float, float] = (148.0, 210.0),
    font_pt: float = 12.0,
    margin_mm: float = 15.0,
    top_mm: float | None = None,
) -> Image.Image:
    """A white RGB page with ``lines`` of black text, like a printed form."""
    width, height = mm(size_mm[0], dpi), mm(size_mm[1], dpi)
    page = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(page)
    px = round(font_pt / 72 * dpi)
    face = font(px)
    x = mm(margin_mm, dpi)
    y = mm(margin_mm if top_mm is None else top_mm, dpi)
    for line in lines:
        if line:
            draw.text((x, y), line, fill=(20, 20, 20), font=face)
        y += round(px * 1.5)
    page.info["dpi"] = (dpi, dpi)
    return page


def document(index: int, *, dpi: int = 150) -> Image.Image:
    """One of the sample Vietnamese documents, A5 portrait, 10 pt (every line fits)."""
    return render_page(DOCUMENTS[index % len(DOCUMENTS)], dpi=dpi, font_pt=10.0)


def skewed(image: Image.Image, degrees_clockwise: float) -> Image.Image:
    """The page as a scanner sees it when the sheet lies turned by some degrees."""
    return image.rotate(-degrees_clockwise, resample=Image.Resampling.BICUBIC, fillcolor="white")


def with_border(image: Image.Image, *, border_px: int, grey: int = 25) -> Image.Image:
    """Paste the sheet onto a dark scanner bed bigger than the sheet."""
    bed = Image.new(image.mode, (image.width + 2 * border_px, image.height + 3 * border_px))
    bed.paste((grey, grey, grey) if image.mode == "RGB" else grey, (0, 0, *bed.size))
    bed.paste(image, (border_px, border_px * 2))
    bed.info["dpi"] = image.info.get("dpi", (150, 150))
    return bed


def on_scanner_bed(
    image: Image.Image, *, border_px: int, degrees_clockwise: float = 0.0, grey: int = 25
) -> Image.Image:
    """The sheet lying crooked on a dark scanner bed: paper edges skewed too."""
    bed = with_border(image, border_px=border_px, grey=grey)
    fill = (grey, grey, grey) if bed.mode == "RGB" else grey
    out = bed.rotate(-degrees_clockwise, resample=Image.Resampling.BICUBIC, fillcolor=fill)
    out.info["dpi"] = bed.info["dpi"]
    return out


def noisy(
    image: Image.Image, *, seed: int = 1, sigma: float = 6.0, speckles: int = 300
) -> Image.Image:
    """Sensor noise plus dust speckles (1-2 px dark dots), seeded."""
    rng = np.random.default_rng(seed)
    arr = np.asarray(image.convert("RGB"), dtype=np.float32)
    arr += rng.normal(0.0, sigma, arr.shape[:2])[..., None]
    ys = rng.integers(0, arr.shape[0] - 2, speckles)
    xs = rng.integers(0, arr.shape[1] - 2, speckles)
    for y, x in zip(ys, xs, strict=True):
        size = 1 + int(rng.integers(0, 2))
        arr[y : y + size, x : x + size] = rng.uniform(30, 120)
    out = Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8))
    out.info["dpi"] = image.info.get("dpi", (150, 150))
    return out


def yellowed(image: Image.Image, *, strength: float = 1.0) -> Image.Image:
    """Old paper: a warm tint that gets darker towards one corner."""
    arr = np.asarray(image.convert("RGB"), dtype=np.float32)
    h, w = arr.shape[:2]
    gradient = np.linspace(0.0, 1.0, w)[None, :] * np.linspace(0.3, 1.0, h)[:, None]
    tint = np.array([0.0, 12.0, 45.0]) * strength
    arr -= (gradient[..., None] * 0.5 + 0.5) * tint
    out = Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8))
    out.info["dpi"] = image.info.get("dpi", (150, 150))
    return out


def show_through(image: Image.Image, back: Image.Image, *, strength: float = 0.12) -> Image.Image:
    """Faint mirrored text of the other side bleeding through thin paper."""
    mirrored = back.convert("L").transpose(Image.Transpose.FLIP_LEFT_RIGHT)
    mirrored = mirrored.resize(image.size).filter(ImageFilter.GaussianBlur(1.2))
    ink = 1.0 - np.asarray(mirrored, dtype=np.float32) / 255.0
    arr = np.asarray(image.convert("RGB"), dtype=np.float32)
    arr *= (1.0 - strength * ink)[..., None]
    out = Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8))
    out.info["dpi"] = image.info.get("dpi", (150, 150))
    return out


def blank_back(*, dpi: int = 150, seed: int = 3) -> Image.Image:
    """The empty back of a single-sided sheet: yellowed, noisy, show-through."""
    paper = render_page((), dpi=dpi)
    paper = show_through(paper, document(1, dpi=dpi))
    paper = yellowed(paper)
    return noisy(paper, seed=seed)


def signature_line_page(*, dpi: int = 150, length_mm: float = 50.0) -> Image.Image:
    """An otherwise empty page with a single printed signature line."""
    page = render_page((), dpi=dpi)
    draw = ImageDraw.Draw(page)
    x0, y0 = mm(80, dpi), mm(170, dpi)
    draw.line((x0, y0, x0 + mm(length_mm, dpi), y0), fill=(30, 30, 30), width=max(1, mm(0.3, dpi)))
    return noisy(yellowed(page), seed=5)
