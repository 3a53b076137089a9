"""Capture end to end: real files through real clean-up, Tesseract and the encrypted store."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pikepdf
import pytest
from PIL import Image

from capture.pipeline import CaptureSettings, IngestRequest, ingest
from ocr.settings import OcrSettings
from scanning.coversheet import make_coversheet
from store import documents
from store.session import open_session
from tests.conftest import PASSWORDS, StoreFixture, sohoa
from tests.corpus.generate import Sample, generate

CLERK = {"SOHOA_USER": "lan", "SOHOA_PASSWORD": PASSWORDS["lan"]}


@pytest.fixture(scope="module")
def samples() -> list[Sample]:
    return generate(5, 3, mode="clean", dpi=200, max_pages=1)


@pytest.fixture(scope="module")
def files(samples: list[Sample], tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("inputs")
    decision, minutes, proposal = samples
    out = {"decision": folder / "quyet-dinh.png", "minutes": folder / "bien-ban-xoay.jpg",
           "proposal": folder / "to-trinh.png"}
    decision.pages[0].save(out["decision"], dpi=(200, 200))
    minutes.pages[0].rotate(90, expand=True).save(out["minutes"], quality=90, dpi=(200, 200))
    proposal.pages[0].save(out["proposal"], dpi=(200, 200))
    (folder / "ghi-chu.jpg").write_text("this is a text file, not a JPEG")
    (folder / "rong.png").write_bytes(b"")
    return out


def _objects(stdout: str) -> list[dict]:
    return [json.loads(line) for line in stdout.splitlines() if line.strip()]


@pytest.mark.slow
def test_ingest_reads_stores_and_reports(store: StoreFixture, files: dict[str, Path],
                                         samples: list[Sample], tmp_path: Path) -> None:
    data = store.settings.data_dir
    folder = files["decision"].parent
    bad = [str(folder / "ghi-chu.jpg"), str(folder / "rong.png")]
    result = sohoa("ingest", str(files["decision"]), str(files["minutes"]), *bad, "--json",
                   "--batch", "Lô thử", data=data, env=CLERK)
    assert result.returncode == 4, result.stderr  # some inputs failed, the others stored
    objs = _objects(result.stdout)
    assert [o["source"] for o in objs[:2]] == [str(files["decision"]), str(files["minutes"])]
    for obj, sample in zip(objs[:2], samples[:2], strict=True):
        truth = sample.truth
        for name in ("type_name", "code_number", "code_notation", "issued_date",
                     "signer_position"):
            assert obj[name] == truth[name], (name, obj[name], truth[name])
        assert obj["extra"].get("signer_authority", "") == truth["signer_authority"]
        assert obj["citizen_ids"] == truth["citizen_ids"]
        assert obj["pages"] == 1 and obj["blank_pages"] == 0 and obj["errors"] == []
        assert set(obj["confidence"]) >= {"type_name", "code_number", "issued_date"}
        # printed and unsigned: only the generator's red seal over the signer may be noted
        # (as a seal, found on the image, or as the deputy's "PHÓ" it damaged, which the
        # title rules complete)
        assert set(obj["review"].items()) <= {("signer_name", "under_seal"),
                                              ("signer_position", "under_seal"),
                                              ("signer_authority", "under_seal"),
                                              ("signer_position", "layout")}
        assert obj["signature"] is None
    failures = objs[2:]
    assert [o["id"] for o in failures] == [None, None]
    assert all(o["errors"] and "Traceback" not in o["errors"][0] for o in failures)
    assert "page 2 of 2" in result.stderr and "pages/min" in result.stderr

    shown = _objects(sohoa("show", str(objs[0]["id"]), "--json", data=data, env=CLERK).stdout)[0]
    assert shown == objs[0]

    pdf = tmp_path / "out.pdf"
    assert sohoa("export", str(objs[1]["id"]), "--pdf", str(pdf), data=data,
                 env=CLERK).returncode == 0
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    assert samples[1].truth["organ_name"].split()[-1] in text  # ward name with diacritics
    assert "BIÊN BẢN" in text
    with pikepdf.open(pdf) as doc:
        assert "pdfaid" in str(doc.open_metadata())

    again = sohoa("ingest", str(files["decision"]), data=data, env=CLERK)
    assert again.returncode == 0 and "already stored as document" in again.stdout


@pytest.mark.slow
def test_dossier_option_and_blank_pages(store: StoreFixture, samples: list[Sample],
                                        tmp_path: Path) -> None:
    page = samples[2].pages[0]
    blank = Image.new("RGB", page.size, (246, 244, 236))
    path = tmp_path / "hai-mat.tiff"
    page.save(path, save_all=True, append_images=[blank], dpi=(200, 200))
    result = sohoa("ingest", str(path), "--dossier", "000.00.00.H29.2023.05", "--json",
                   data=store.settings.data_dir, env=CLERK)
    assert result.returncode == 0, result.stderr
    obj = _objects(result.stdout)[0]
    assert obj["pages"] == 1 and obj["blank_pages"] == 1
    assert obj["file_code"] == "000.00.00.H29.2023.05"


def _stack(tmp_path: Path, pages: list[Image.Image], name: str) -> Path:
    path = tmp_path / name
    pages[0].save(path, save_all=True, append_images=pages[1:], dpi=(200, 200))
    return path


@pytest.mark.slow
def test_a_blank_sheet_separates_documents(store: StoreFixture, samples: list[Sample],
                                           tmp_path: Path) -> None:
    first, second = samples[0].pages[0].convert("RGB"), samples[2].pages[0].convert("RGB")
    blank = Image.new("RGB", first.size, (246, 244, 236))
    stack = _stack(tmp_path, [first, blank, second], "xap-giay.tiff")
    result = sohoa("ingest", str(stack), "--blank-separates", "--dossier", "H29.2024.BL",
                   "--json", data=store.settings.data_dir, env=CLERK)
    assert result.returncode == 0, result.stderr
    objs = _objects(result.stdout)
    assert [o["code_number"] for o in objs] == [samples[0].truth["code_number"],
                                                samples[2].truth["code_number"]]
    assert [(o["pages"], o["blank_pages"]) for o in objs] == [(1, 0), (1, 0)]
    assert {o["file_code"] for o in objs} == {"H29.2024.BL"}


@pytest.mark.slow
def test_in_duplex_only_a_sheet_blank_on_both_sides_separates(
    store: StoreFixture, samples: list[Sample], tmp_path: Path
) -> None:
    """Front A with an empty back, a blank sheet, front B: two documents, A keeps its back."""
    first, second = samples[0].pages[0].convert("RGB"), samples[2].pages[0].convert("RGB")
    blank = Image.new("RGB", first.size, (246, 244, 236))
    stack = _stack(tmp_path, [first, blank, blank.copy(), blank.copy(), second], "duplex.tiff")
    request = IngestRequest([str(stack)], batch="lô duplex", blank_separates=True,
                            sheet_sides=2)
    with open_session(store.settings, "lan", PASSWORDS["lan"]) as clerk:
        report = ingest(clerk, request, CaptureSettings(ocr=OcrSettings(workers=2)))
        docs = [documents.get_document(clerk, o.id, audit_open=False)
                for o in report.stored if o.id is not None]
    assert [len(d.pages) for d in docs] == [2, 1]
    assert [p.blank for p in docs[0].pages] == [False, True]
    assert report.pages == 5 and report.blank_pages == 3
def _coversheet_pdf(tmp_path: Path, samples: list[Sample]) -> Path:
    """An ADF stack: cover sheet A, a page, cover sheet B, a page — as one PDF."""
    stack = pikepdf.new()
    for code, sample in (("H29.2024.CS1", samples[0]), ("H29.2024.CS2", samples[2])):
        sheet = tmp_path / f"{code}.pdf"
        make_coversheet(sheet, dossier_code=code, title="Hồ sơ thử nghiệm")
        page_pdf = tmp_path / f"{code}-page.pdf"
        sample.pages[0].convert("RGB").save(page_pdf, resolution=200)
        for part in (sheet, page_pdf):
            with pikepdf.open(part) as src:
                stack.pages.extend(src.pages)
    out = tmp_path / "stack.pdf"
    stack.save(out)
    return out


@pytest.mark.slow
def test_cover_sheets_split_a_stack_into_dossiers(store: StoreFixture, samples: list[Sample],
                                                  tmp_path: Path) -> None:
    stack = _coversheet_pdf(tmp_path, samples)
    result = sohoa("ingest", str(stack), "--cover-sheets", "--json",
                   data=store.settings.data_dir, env=CLERK)
    assert result.returncode == 0, result.stderr
    objs = _objects(result.stdout)
    assert [o["file_code"] for o in objs] == ["H29.2024.CS1", "H29.2024.CS2"]
    assert [o["pages"] for o in objs] == [1, 1]  # the cover sheets are not kept as pages
    assert objs[0]["code_number"] == samples[0].truth["code_number"]


def test_a_failing_page_is_marked_and_the_batch_goes_on(store: StoreFixture,
                                                        files: dict[str, Path]) -> None:
    session = store.login("lan")
    broken = CaptureSettings(ocr=OcrSettings(tesseract_cmd="/bin/false", workers=1))
    from store.errors import ExternalToolError

    with pytest.raises(ExternalToolError):  # checked once, before any page is read
        ingest(session, IngestRequest([str(files["proposal"])], batch="b"), broken)
    assert session.conn.execute("SELECT count(*) FROM page").fetchone()[0] == 0


@pytest.mark.slow
def test_page_timeout_marks_the_page_failed(store: StoreFixture, files: dict[str, Path]) -> None:
    session = store.login("lan")
    settings = CaptureSettings(ocr=OcrSettings(page_timeout_s=0.05, workers=1))
    report = ingest(session, IngestRequest([str(files["proposal"])], batch="b"), settings)
    (outcome,) = report.outcomes
    assert outcome.id is not None and outcome.errors and "page 1" in outcome.errors[0]
    view = documents.get_document(session, outcome.id, audit_open=False)
    assert view.pages[0].ocr_status == "failed" and view.pdf_sha256 is not None


@pytest.mark.slow
def test_no_plaintext_after_ingest(store: StoreFixture, files: dict[str, Path],
                                   samples: list[Sample]) -> None:
    cccd = samples[0].truth["citizen_ids"][0]
    name = samples[0].truth["signer_name"]
    result = sohoa("ingest", str(files["decision"]), "--json", data=store.settings.data_dir,
                   env=CLERK)
    assert cccd in result.stdout
    needles = [cccd.encode(), name.encode(), name.encode("utf-16-le")]
    for path in store.settings.data_dir.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            assert not any(n in data for n in needles), path
    assert list(store.settings.paths.temp.iterdir()) == []


@pytest.mark.slow
def test_scan_from_the_sane_test_backend(store: StoreFixture, tmp_path: Path) -> None:
    if shutil.which("scanimage") is None:
        pytest.skip("sane-utils not installed")
    conf = tmp_path / "sane.d"
    conf.mkdir()
    (conf / "dll.conf").write_text("test\n")
    if Path("/etc/sane.d/test.conf").exists():
        shutil.copy("/etc/sane.d/test.conf", conf / "test.conf")
    env = {**CLERK, "SANE_CONFIG_DIR": str(conf)}
    result = sohoa("scan", "--device", "test:0", "--source", "adf", "--dpi", "50", "--mode",
                   "Gray", "--json", "--workers", "2", data=store.settings.data_dir, env=env)
    assert result.returncode == 0, result.stderr
    (obj,) = _objects(result.stdout)
    assert obj["pages"] + obj["blank_pages"] == 10  # the test ADF runs empty after 10 sheets
    assert "page 10 scanned" in result.stderr
    assert obj["source"] == "scan test:0 adf 50 dpi"  # not the deleted temp file
    with open_session(store.settings, "lan", PASSWORDS["lan"]) as s:
        dpis = {r[0] for r in s.conn.execute("SELECT dpi FROM page WHERE document_id = ?",
                                              (obj["id"],))}
        assert dpis == {50}  # the resolution scanned at, which sizes the PDF page
    listed = sohoa("devices", env=env)
    assert listed.stdout.splitlines()[0].split("\t")[0] == "test:0"


def test_the_same_file_twice_in_one_run_is_stored_once(store: StoreFixture,
                                                      files: dict[str, Path],
                                                      tmp_path: Path) -> None:
    copy = tmp_path / "ban-sao.png"
    shutil.copy(files["proposal"], copy)
    session = store.login("lan")
    settings = CaptureSettings(ocr=OcrSettings(workers=1), serial=True)
    paths = [str(files["proposal"]), str(copy), str(files["proposal"])]
    report = ingest(session, IngestRequest(paths, batch="b"), settings)
    stored = [o.id for o in report.outcomes if o.id is not None]
    assert len(stored) == 1
    repeats = [o for o in report.outcomes if o.id is None]
    assert [(o.source, o.same_as, o.duplicate_of) for o in repeats] == [
        (str(copy), str(files["proposal"]), stored[0]),
        (str(files["proposal"]), str(files["proposal"]), stored[0])]
    assert not report.failed
    assert session.conn.execute("SELECT count(*) FROM document").fetchone()[0] == 1


def test_two_clerks_capture_on_the_same_day_without_naming_a_batch(
        store: StoreFixture, files: dict[str, Path]) -> None:
    from datetime import date

    data = store.settings.data_dir
    hoa = {"SOHOA_USER": "hoa", "SOHOA_PASSWORD": PASSWORDS["hoa"]}
    first = sohoa("ingest", str(files["decision"]), "--json", data=data, env=CLERK)
    second = sohoa("ingest", str(files["proposal"]), "--quiet", "--json", data=data, env=hoa)
    assert first.returncode == 0 and second.returncode == 0, second.stderr
    assert second.stderr == ""  # --quiet after the command name works too
    today = date.today().isoformat()
    assert _objects(first.stdout)[0]["batch"] == f"Lô {today} lan"
    assert _objects(second.stdout)[0]["batch"] == f"Lô {today} hoa"
    assert sohoa("batch", "submit", f"Lô {today} lan", data=data, env=CLERK).returncode == 0
    third = sohoa("ingest", str(files["minutes"]), "--json", data=data, env=CLERK)
    assert third.returncode == 0, third.stderr
    assert _objects(third.stdout)[0]["batch"] == f"Lô {today} lan (2)"


def test_watch_folder_ingests_a_dropped_file_once(store: StoreFixture, files: dict[str, Path],
                                                  tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    shutil.copy(files["proposal"], inbox / "scan-001.png")
    args = ("watch", str(inbox), "--once", "--settle", "0.3", "--poll", "0.2", "--json")
    first = sohoa(*args, data=store.settings.data_dir, env=CLERK)
    assert first.returncode == 0, first.stderr
    assert [o["source"] for o in _objects(first.stdout)] == [str(inbox / "scan-001.png")]
    second = sohoa(*args, data=store.settings.data_dir, env=CLERK)
    assert [o["duplicate_of"] for o in _objects(second.stdout)] == [_objects(first.stdout)[0]["id"]]


def test_watch_folder_reports_a_file_its_writer_abandoned(store: StoreFixture,
                                                        files: dict[str, Path],
                                                        tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    data = files["decision"].read_bytes()
    (inbox / "cut-off.png").write_bytes(data[: len(data) // 2])  # the copier lost its link
    (inbox / "empty.png").write_bytes(b"")
    args = ("watch", str(inbox), "--once", "--settle", "0.3", "--poll", "0.2", "--json")
    result = sohoa(*args, data=store.settings.data_dir, env=CLERK)
    objs = _objects(result.stdout)
    assert sorted(Path(o["source"]).name for o in objs) == ["cut-off.png", "empty.png"]
    assert all(o["id"] is None and o["errors"] for o in objs)


@pytest.mark.slow
def test_sigterm_mid_ingest_cleans_up_like_ctrl_c(store: StoreFixture, samples: list[Sample],
                                                  tmp_path: Path) -> None:
    import os
    import signal
    import sys

    from tests.conftest import REPO

    stack = _stack(tmp_path, [s.pages[0] for s in samples] * 2, "chong.tiff")
    env = {**{k: v for k, v in os.environ.items() if not k.startswith("SOHOA_")}, **CLERK}
    proc = subprocess.Popen(
        [sys.executable, str(REPO / "main.py"), "--data", str(store.settings.data_dir), "ingest",
         str(stack), "--workers", "1"], stderr=subprocess.PIPE, stdout=subprocess.DEVNULL,
        text=True, env=env)
    assert proc.stderr is not None
    for line in proc.stderr:  # wait until pages are being read (and held in the temp folder)
        if line.startswith("page "):
            break
    proc.send_signal(signal.SIGTERM)
    assert proc.wait(timeout=60) == 130
    assert list(store.settings.paths.temp.iterdir()) == []


@pytest.mark.slow
def test_a_page_left_upside_down_is_turned_and_read_again(store: StoreFixture,
                                                         samples: list[Sample],
                                                         tmp_path: Path) -> None:
    from scanning.settings import ScanSettings

    upside_down = tmp_path / "nguoc.png"
    samples[0].pages[0].rotate(180).save(upside_down, dpi=(200, 200))
    session = store.login("lan")
    blind = CaptureSettings(scan=ScanSettings(orientation=False),
                            ocr=OcrSettings(workers=1), serial=True)
    report = ingest(session, IngestRequest([str(upside_down)], batch="Lô ngược"), blind)
    doc_id = report.stored[0].id
    assert doc_id is not None
    before = documents.get_document(session, doc_id, audit_open=False)
    assert before.metadata["code_number"] is None  # upside-down noise: nothing extracted
    session.close()

    result = sohoa("reread", str(doc_id), "--page", "1", "--turn", "180", "--json",
                   data=store.settings.data_dir, env=CLERK)
    assert result.returncode == 0, result.stderr
    obj = json.loads(result.stdout)
    truth = samples[0].truth
    assert (obj["code_number"], obj["code_notation"]) == (truth["code_number"],
                                                          truth["code_notation"])
    assert obj["issued_date"] == truth["issued_date"]
    with open_session(store.settings, "lan", PASSWORDS["lan"]) as s:
        from store import audit

        filled = {e.field for e in audit.entries(s.conn, action="document.update")}
        assert {"code_number", "issued_date"} <= filled
        assert audit.entries(s.conn, action="page.reread")
    pdf = tmp_path / "lai.pdf"
    assert sohoa("export", str(doc_id), "--pdf", str(pdf), data=store.settings.data_dir,
                 env=CLERK).returncode == 0
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    assert truth["code_notation"] in text  # the text layer was rebuilt from the new words


def test_coversheet_command_writes_a_pdf(tmp_path: Path) -> None:
    out = tmp_path / "bia.pdf"
    result = sohoa("coversheet", "--dossier", "H29.2024.01", "--title", "Hồ sơ đất đai", str(out))
    assert result.returncode == 0, result.stderr
    text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True,
                          check=True).stdout
    assert "Hồ sơ đất đai" in text and "H29.2024.01" in text


def test_session_reopens_after_ingest(store: StoreFixture) -> None:
    with open_session(store.settings, "lan", PASSWORDS["lan"]) as s:
        assert s.user.name == "lan"
