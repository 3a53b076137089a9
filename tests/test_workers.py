"""Page workers: real processes, injected crashes, hangs and kills, real OCR.

The fake tasks below are top-level so the spawned workers can import them.
"""

from __future__ import annotations

import functools
import multiprocessing
import os
import signal
import time
from pathlib import Path

import pytest
from PIL import Image, ImageDraw, ImageFont, ImageOps

from ocr.model import PageText
from ocr.settings import OcrSettings
from ocr.workers import (
    PageJob,
    PageResult,
    ProcessRunner,
    Progress,
    SerialRunner,
    make_runner,
    ocr_task,
)

SERIF = "/usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf"
SETTINGS = OcrSettings(workers=2)


def fault_task(job: PageJob) -> str:
    """Misbehaves according to the job key; otherwise echoes it."""
    if job.key == "exit":
        os._exit(3)
    if job.key == "oom":
        os.kill(os.getpid(), signal.SIGKILL)  # what the OOM killer does
    if job.key == "hang":
        time.sleep(60)
    if job.key == "raise":
        raise ValueError("bad page")
    if job.key == "unpicklable":
        return lambda: None  # type: ignore[return-value]
    return job.key.upper()


def pid_task(job: PageJob) -> tuple[int, str | None]:
    return os.getpid(), os.environ.get("OMP_THREAD_LIMIT")


def invert(image: Image.Image, temp_dir: Path, *, crop: int) -> Image.Image:
    """A stand-in for the clean-up step: undo a negative scan, trim the edge."""
    assert temp_dir.is_dir()
    return ImageOps.invert(image.convert("L")).crop((crop, crop, image.width, image.height))


def job(key: str, tmp: Path, **kw: object) -> PageJob:
    return PageJob(key, b"", 200, SETTINGS, tmp, **kw)  # type: ignore[arg-type]


def text_job(key: str, line: str, tmp: Path, *, negative: bool = False, **kw: object) -> PageJob:
    font = ImageFont.truetype(SERIF, 36)
    img = Image.new("L", (820, 120), 255)
    ImageDraw.Draw(img).text((30, 40), line, font=font, fill=0)
    if negative:
        img = ImageOps.invert(img)
    return PageJob.from_image(key, img, settings=SETTINGS, temp_dir=tmp, dpi=200, **kw)  # type: ignore[arg-type]


@pytest.fixture
def work(tmp_path: Path) -> Path:
    d = tmp_path / "work"
    d.mkdir(mode=0o700)
    return d


@pytest.mark.slow
def test_crashed_killed_hung_and_failing_pages_do_not_stop_the_batch(work: Path) -> None:
    keys = ["a", "exit", "b", "oom", "c", "hang", "raise", "unpicklable", "d"]
    progress: list[Progress] = []
    runner = ProcessRunner(fault_task, workers=2, timeout_s=10.0)  # fresh workers start slowly
    started = time.monotonic()
    results = {
        r.key: r for r in runner.run([job(k, work) for k in keys], on_progress=progress.append)
    }
    assert time.monotonic() - started < 60
    assert sorted(results) == sorted(keys)
    for k in "abcd":
        assert results[k].ok and results[k].value == k.upper()
    errors = {k: results[k].error or "" for k in keys if not results[k].ok}
    assert set(errors) == {"exit", "oom", "hang", "raise", "unpicklable"}
    assert "exit code 3" in errors["exit"]
    assert "SIGKILL" in errors["oom"] and "out of memory" in errors["oom"]
    assert "no result within 10 s" in errors["hang"]
    assert errors["raise"] == "ValueError: bad page"
    assert "not returned" in errors["unpicklable"]
    assert [p.done for p in progress] == list(range(1, len(keys) + 1))
    assert progress[-1].failed == 5 and progress[-1].total == len(keys)
    assert progress[-1].pages_per_min > 0
    assert multiprocessing.active_children() == []


def test_workers_are_recycled_and_single_threaded(work: Path) -> None:
    runner = ProcessRunner(pid_task, workers=2, timeout_s=30, max_tasks_per_child=1)
    results = list(runner.run(job(str(i), work) for i in range(4)))
    pids = {r.value[0] for r in results if r.value}
    assert len(pids) == 4 and os.getpid() not in pids
    assert {r.value[1] for r in results if r.value} == {"1"}


def test_stopping_early_ends_the_workers(work: Path) -> None:
    runner = ProcessRunner(fault_task, workers=2, timeout_s=30)
    results = runner.run([job("hang", work), job("a", work), job("b", work)])
    first = next(results)
    assert first.key == "a"
    results.close()  # the caller cancelled
    assert multiprocessing.active_children() == []


def test_serial_runner_has_the_same_interface(work: Path) -> None:
    progress: list[Progress] = []
    results = list(
        SerialRunner(fault_task).run(
            [job("a", work), job("raise", work)], on_progress=progress.append
        )
    )
    assert results[0] == PageResult("a", "A", None, results[0].seconds)
    assert results[1].error == "ValueError: bad page"
    assert [(p.done, p.failed, p.total) for p in progress] == [(1, 0, 2), (2, 1, 2)]


def test_real_ocr_in_worker_processes_with_a_prepare_step(work: Path) -> None:
    prepare = functools.partial(invert, crop=10)
    jobs = [
        text_job("p1", "Quyết định số 12/QĐ-UBND", work),
        text_job("p2", "Ủy ban nhân dân phường Tân Định", work, negative=True, prepare=prepare),
        PageJob("broken", b"not an image", 200, SETTINGS, work),
    ]
    results = {r.key: r for r in make_runner(SETTINGS).run(jobs)}
    p1, p2 = results["p1"].value, results["p2"].value
    assert isinstance(p1, PageText) and isinstance(p2, PageText)
    assert "Quyết định số 12/QĐ-UBND" in p1.text and p1.dpi == 200
    assert "Ủy ban nhân dân phường Tân Định" in p2.text
    assert (p2.width, p2.height) == (810, 110)  # boxes refer to the prepared image
    assert "UnidentifiedImageError" in (results["broken"].error or "")
    assert list(work.iterdir()) == []


def test_serial_ocr_matches(work: Path) -> None:
    page = ocr_task(text_job("p", "Nguyễn Văn Được", work))
    (result,) = make_runner(SETTINGS, serial=True).run([text_job("p", "Nguyễn Văn Được", work)])
    assert result.value == page and "Nguyễn Văn Được" in page.text


def test_runner_refuses_nonsense() -> None:
    with pytest.raises(ValueError):
        ProcessRunner(fault_task, workers=0, timeout_s=1)
