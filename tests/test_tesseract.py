"""The Tesseract wrapper against the real program (fakes only for failure modes)."""

from __future__ import annotations

import os
import unicodedata
from pathlib import Path

import pytest
from PIL import Image, ImageDraw, ImageFont

from ocr.model import PageText, Word
from ocr.settings import OcrSettings
from ocr.tesseract import (
    _Library,
    check_tesseract,
    doubtful_words,
    engine_name,
    install_hint,
    installed_languages,
    is_doubtful,
    language_hint,
    ocr_page,
    parse_tsv,
    tesseract_version,
)
from store.errors import ExitCode, ExternalToolError

SERIF = "/usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf"
ENGINES = ("library", "program")
LINES = ("Quyết định về việc cấp giấy chứng nhận", "Ông Nguyễn Văn Được, CCCD 079203001270")


@pytest.fixture
def private_dir(tmp_path: Path) -> Path:
    d = tmp_path / "work"
    d.mkdir(mode=0o700)
    return d


def text_image(lines: tuple[str, ...] = LINES, dpi: int = 200) -> Image.Image:
    """A small A6-wide strip of typed Vietnamese at ``dpi``."""
    font = ImageFont.truetype(SERIF, round(13 * dpi / 72))
    img = Image.new("L", (round(4.1 * dpi), 70 + 60 * len(lines) * dpi // 200), 255)
    draw = ImageDraw.Draw(img)
    for i, line in enumerate(lines):
        draw.text((30, 30 + i * 60 * dpi // 200), line, font=font, fill=0)
    img.info["dpi"] = (dpi, dpi)
    return img


def fake_tool(tmp_path: Path, body: str) -> str:
    path = tmp_path / "fake-tesseract"
    path.write_text(f"#!/bin/sh\n{body}\n")
    path.chmod(0o755)
    return str(path)


@pytest.mark.parametrize("engine", ENGINES)
def test_version_and_languages_of_the_real_install(engine: str) -> None:
    settings = OcrSettings(engine=engine)
    assert engine_name(settings) == engine
    assert tesseract_version(settings=settings) >= (4, 1, 0)
    assert {"vie", "eng"} <= installed_languages(settings=settings)
    assert check_tesseract(settings=settings).count(".") == 2


def test_auto_takes_the_library_and_falls_back_to_the_program(tmp_path: Path) -> None:
    assert engine_name(OcrSettings()) == "library"
    assert engine_name(OcrSettings(tesseract_cmd="/usr/bin/tesseract")) == "program"
    assert engine_name(OcrSettings(tesseract_cmd="/bin/tesseract", engine="library")) == "library"
    no_models = OcrSettings(tessdata_dir=str(tmp_path))  # the library cannot load "vie" here
    assert engine_name(no_models) == "program"
    with pytest.raises(ExternalToolError, match="tesseract-ocr-vie"):
        engine_name(OcrSettings(engine="library", tessdata_dir=str(tmp_path)))


def test_remedies_name_the_platform_s_way() -> None:
    assert "apt" in install_hint("linux") and "apt" not in install_hint("win32")
    assert "installer" in install_hint("win32")
    assert language_hint(["xyz"], "linux") == "sudo apt install tesseract-ocr-xyz"
    assert "xyz.traineddata" in language_hint(["xyz"], "win32")


def test_missing_program_gives_the_install_command() -> None:
    settings = OcrSettings(tesseract_cmd="/nonexistent/tesseract", engine="program")
    with pytest.raises(ExternalToolError) as err:
        check_tesseract(settings=settings)
    assert "sudo apt install tesseract-ocr tesseract-ocr-vie" in str(err.value)
    assert err.value.exit_code == ExitCode.EXTERNAL_TOOL


@pytest.mark.parametrize("engine", ("auto", "program"))
def test_missing_language_names_its_package(engine: str) -> None:
    with pytest.raises(ExternalToolError, match="tesseract-ocr-xyz"):
        check_tesseract(settings=OcrSettings(languages="vie+xyz", engine=engine))


@pytest.mark.parametrize("engine", ENGINES)
def test_missing_language_at_ocr_time_names_its_package(private_dir: Path, engine: str) -> None:
    settings = OcrSettings(languages="xyz", engine=engine)
    with pytest.raises(ExternalToolError, match="tesseract-ocr-xyz"):
        ocr_page(text_image(), settings=settings, temp_dir=private_dir)


@pytest.mark.parametrize("engine", ENGINES)
def test_reads_vietnamese_with_diacritics_and_boxes(private_dir: Path, engine: str) -> None:
    img = text_image()
    page = ocr_page(img, settings=OcrSettings(engine=engine), temp_dir=private_dir)
    assert (page.width, page.height, page.dpi) == (img.width, img.height, 200)
    assert "Quyết định về việc cấp giấy chứng nhận" in page.text
    assert "Nguyễn Văn Được" in page.text
    assert "079203001270" in page.text
    for w in page.words:
        assert w.left >= 0 and w.left + w.width <= img.width
        assert w.top >= 0 and w.top + w.height <= img.height
        assert 0 <= w.conf <= 100
        assert unicodedata.is_normalized("NFC", w.text)
    assert len({w.line for w in page.words}) == 2
    assert list(os.scandir(private_dir)) == []  # nothing left behind


@pytest.mark.parametrize("engine", ENGINES)
def test_colour_and_bilevel_images_are_read(private_dir: Path, engine: str) -> None:
    grey = text_image(("Ủy ban nhân dân phường Bến Nghé",))
    for img in (grey.convert("RGB"), grey.convert("1"), grey.convert("P")):
        img.info["dpi"] = (200, 200)
        page = ocr_page(img, settings=OcrSettings(psm=6, engine=engine), temp_dir=private_dir)
        assert "Ủy ban nhân dân phường Bến Nghé" in page.text


def test_both_engines_give_the_same_words_and_boxes(private_dir: Path) -> None:
    """The extraction reads boxes and line numbers: the engines must agree on them."""
    img = text_image((*LINES, "Điều 1. Giao Phòng Tài nguyên và Môi trường thực hiện"), dpi=300)
    lib, prog = (ocr_page(img, settings=OcrSettings(engine=e), temp_dir=private_dir)
                 for e in ENGINES)
    assert lib.text == prog.text and (lib.width, lib.height, lib.dpi) == (prog.width,
                                                                           prog.height, 300)
    for a, b in zip(lib.words, prog.words, strict=True):
        assert (a.line, a.block, a.par) == (b.line, b.block, b.par)
        assert max(abs(a.left - b.left), abs(a.top - b.top), abs(a.width - b.width),
                   abs(a.height - b.height)) <= 3
        assert abs(a.conf - b.conf) <= 5


def test_the_library_loads_the_model_once_per_process(private_dir: Path) -> None:
    settings = OcrSettings(engine="library")
    ocr_page(text_image(), settings=settings, temp_dir=private_dir)
    loaded = dict(_Library._apis)
    ocr_page(text_image(("Phường Bến Nghé",)), settings=settings, temp_dir=private_dir)
    assert _Library._apis == loaded and len(loaded) >= 1


def test_library_timeout_names_the_page(private_dir: Path) -> None:
    settings = OcrSettings(engine="library", page_timeout_s=0.001)
    big = text_image(LINES * 12, dpi=400)
    with pytest.raises(ExternalToolError, match=r"page 7 of hồ sơ 12.*0\.001 s"):
        ocr_page(big, settings=settings, temp_dir=private_dir, page_label="page 7 of hồ sơ 12")


@pytest.mark.parametrize("engine", ENGINES)
def test_refuses_a_temp_dir_others_can_read(tmp_path: Path, engine: str) -> None:
    public = tmp_path / "public"
    public.mkdir()
    public.chmod(0o755)
    with pytest.raises(ValueError, match="private"):
        ocr_page(text_image(), settings=OcrSettings(engine=engine), temp_dir=public)


def test_timeout_names_the_page(tmp_path: Path, private_dir: Path) -> None:
    settings = OcrSettings(tesseract_cmd=fake_tool(tmp_path, "exec sleep 30"), page_timeout_s=0.5,
                           engine="program")
    with pytest.raises(ExternalToolError, match=r"page 7 of hồ sơ 12.*0\.5 s"):
        ocr_page(
            text_image(), settings=settings, temp_dir=private_dir, page_label="page 7 of hồ sơ 12"
        )


def test_failure_reports_stderr_and_runs_single_threaded(tmp_path: Path, private_dir: Path) -> None:
    body = 'cat >/dev/null; echo "warning"; echo "omp=$OMP_THREAD_LIMIT tmp=$TMPDIR" >&2; exit 3'
    settings = OcrSettings(tesseract_cmd=fake_tool(tmp_path, body), engine="program")
    with pytest.raises(ExternalToolError) as err:
        ocr_page(text_image(), settings=settings, temp_dir=private_dir, page_label="page 2")
    assert "page 2" in str(err.value)
    assert f"omp=1 tmp={private_dir}" in str(err.value)


def test_parse_tsv_renumbers_lines_and_skips_non_words() -> None:
    header = "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight"
    rows = [
        header + "\tconf\ttext",
        "1\t1\t0\t0\t0\t0\t0\t0\t500\t300\t-1\t",
        "5\t1\t1\t1\t1\t1\t10\t10\t50\t20\t96.5\tQuy\u00ea\u0301t",  # decomposed ế
        "5\t1\t1\t1\t1\t2\t70\t10\t50\t20\t40\tđịnh",
        "5\t1\t1\t2\t1\t1\t10\t40\t50\t20\t91\tĐiều",
        "5\t1\t1\t2\t1\t2\t70\t40\t50\t20\t-1\t ",
        "5\t1\t2\t1\t1\t1\t10\t80\t50\t20\t88\t1.",
    ]
    page = parse_tsv("\n".join(rows), width=500, height=300, dpi=300)
    assert [w.text for w in page.words] == ["Quyết", "định", "Điều", "1."]
    assert [w.line for w in page.words] == [0, 0, 1, 2]
    assert page.text == "Quyết định\nĐiều\n1."
    assert page.words[0] == Word("Quyết", 10, 10, 50, 20, 96.5, block=1, par=1, line=0)


def test_doubtful_words_follow_the_setting() -> None:
    words = (Word("chắc", 0, 0, 5, 5, 95.0), Word("ngờ", 6, 0, 5, 5, 41.0))
    page = PageText(words=words, width=20, height=10)
    assert doubtful_words(page, settings=OcrSettings(doubtful_conf=60)) == (words[1],)
    assert doubtful_words(page, settings=OcrSettings(doubtful_conf=99)) == words
    assert not is_doubtful(words[0], settings=OcrSettings())


@pytest.mark.parametrize(
    "bad",
    [
        {"psm": 0},
        {"psm": 2},
        {"languages": "vie+"},
        {"page_timeout_s": 0},
        {"doubtful_conf": 101},
        {"jpeg_quality": 0},
        {"workers": 0},
        {"engine": "tesserocr"},
    ],
)
def test_settings_refuse_nonsense(bad: dict[str, object]) -> None:
    with pytest.raises(ValueError):
        OcrSettings(**bad)  # type: ignore[arg-type]


def test_settings_defaults() -> None:
    s = OcrSettings()
    assert s.version == 1 and s.language_list == ("vie",) and s.workers >= 1


def test_the_library_s_own_warnings_do_not_reach_the_terminal(
    capfd: pytest.CaptureFixture[str], private_dir: Path
) -> None:
    """Leptonica writes to file descriptor 2 itself; a clerk must not see it."""
    from ocr.tesseract import _quiet_stderr

    with _quiet_stderr():
        os.write(2, b"Error in pixScanForForeground: invalid box\n")
    os.write(2, b"after\n")
    ocr_page(text_image(), settings=OcrSettings(engine="library"), temp_dir=private_dir)
    assert capfd.readouterr().err == "after\n"
