"""Every core error has a stable code and a Vietnamese sentence (issue 13, item 8).

The core's raise sites are read with ``ast``, so a new English-only error (an
f-string or a literal handed to an error class, directly or through a name or a
helper) fails here before it reaches a Vietnamese screen.
"""

from __future__ import annotations

import ast
import functools
import importlib
import pickle
import string
from collections.abc import Iterator
from pathlib import Path

import pytest

import sync.net  # noqa: F401 - its error classes join the walk below
from store.errors import BadInput, Conflict, ExitCode, SohoaError, UsageError
from store.messages import Message, fields_of, reword, say
from store.messages_vi import VI, WORDS
from tests.conftest import PASSWORDS, REPO, StoreFixture, sohoa

CORE = ("store", "sync", "capture", "extract", "ocr", "scanning")
WALKED = (*CORE, "cli")  # the command line's own refusals are said with codes too


def _error_classes() -> set[str]:
    found, todo = set(), [SohoaError]
    while todo:
        cls = todo.pop()
        found.add(cls.__name__)
        todo += cls.__subclasses__()
    return found


def _with_core_subclasses(names: set[str]) -> set[str]:
    """Error classes a core module defines but this test did not import (Windows scanning)."""
    classes = [n for _, tree in _modules() for n in ast.walk(tree) if isinstance(n, ast.ClassDef)]
    grown = True
    while grown:
        more = {c.name for c in classes if any(_name(b) in names for b in c.bases)}
        grown = not more <= names
        names |= more
    return names


def _modules() -> Iterator[tuple[str, ast.Module]]:
    for package in WALKED:
        for path in sorted((REPO / package).rglob("*.py")):
            rel = path.relative_to(REPO)
            yield str(rel), ast.parse(path.read_text(encoding="utf-8"), str(rel))


def _name(func: ast.expr) -> str | None:
    if isinstance(func, ast.Name):
        return func.id
    return func.attr if isinstance(func, ast.Attribute) else None


def _literal_text(node: ast.expr, tree: ast.Module, seen: frozenset[str] = frozenset()) -> bool:
    """Whether ``node`` may be a plain English sentence: a literal, an f-string, a name
    bound to one, or the result of a helper of this module that returns one."""
    if isinstance(node, ast.Constant):
        return isinstance(node.value, str)
    if isinstance(node, ast.JoinedStr):
        return True
    if isinstance(node, ast.BinOp):
        return _literal_text(node.left, tree, seen) or _literal_text(node.right, tree, seen)
    if isinstance(node, ast.IfExp):
        return _literal_text(node.body, tree, seen) or _literal_text(node.orelse, tree, seen)
    if isinstance(node, ast.Name) and node.id not in seen:
        return any(_literal_text(value, tree, seen | {node.id})
                   for value in _bound_to(tree, node.id))
    if isinstance(node, ast.Call) and _name(node.func) not in (None, "say", "str"):
        helper = _name(node.func)
        return any(isinstance(n, ast.Return) and n.value is not None
                   and _literal_text(n.value, tree, seen | {f"{helper}()"})
                   for f in ast.walk(tree)
                   if isinstance(f, ast.FunctionDef) and f.name == helper
                   and f"{helper}()" not in seen
                   for n in ast.walk(f))
    return False


def _bound_to(tree: ast.Module, name: str) -> Iterator[ast.expr]:
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign | ast.AnnAssign) and node.value is not None:
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            if any(isinstance(t, ast.Name) and t.id == name for t in targets):
                yield node.value


def _english(call: ast.Call, module: str) -> str:
    """The English template a ``say`` call passes: a literal or a module constant."""
    arg = call.args[1]
    if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
        return arg.value
    assert isinstance(arg, ast.Name), f"{module}:{call.lineno}: template must be a literal"
    value = getattr(importlib.import_module(module.removesuffix(".py").replace("/", ".")),
                    arg.id)
    assert isinstance(value, str)
    return value


def test_every_core_error_is_said_with_a_catalogued_code() -> None:
    errors = _with_core_subclasses(_error_classes())
    english_only, uncatalogued, used = [], [], set()
    for module, tree in _modules():
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            if _name(node.func) in errors and node.args and _literal_text(node.args[0], tree):
                english_only.append(f"{module}:{node.lineno}: {ast.unparse(node)[:100]}")
            if _name(node.func) == "say":
                code = node.args[0]
                assert isinstance(code, ast.Constant) and isinstance(code.value, str), (
                    f"{module}:{node.lineno}: the code must be a literal")
                used.add(code.value)
                english = _english(node, module)
                passed = {k.arg for k in node.keywords}
                if code.value not in VI:
                    uncatalogued.append(f"{module}:{node.lineno}: {code.value} has no Vietnamese")
                elif VI[code.value][0] != english:
                    uncatalogued.append(f"{module}:{node.lineno}: {code.value}: the English "
                                        f"changed; word store/messages_vi.py again")
                elif not fields_of(english) <= passed:
                    uncatalogued.append(f"{module}:{node.lineno}: {code.value} passes {passed}"
                                        f", the sentence uses {fields_of(english)}")
    assert english_only == [], "errors raised with an English sentence and no code:\n" + \
        "\n".join(english_only)
    assert uncatalogued == [], "\n".join(uncatalogued)
    assert sorted(set(VI) - used) == [], "catalogued codes no core code says any more"
    assert len(used) > 200  # the walk saw the core: a broken walk passes nothing


@pytest.mark.parametrize("code", sorted(VI))
def test_each_vietnamese_sentence_fits_its_english(code: str) -> None:
    english, vietnamese = VI[code]
    assert fields_of(vietnamese) <= fields_of(english) | _passed()[code], code
    assert vietnamese.strip() and vietnamese != english, code
    assert code.split(".")[0] in WALKED and code == code.lower(), code
    # every Vietnamese sentence renders with the parameters of the English one
    sample = {name: 7 for name in fields_of(english) | _passed()[code]}
    Message(code, english, sample).text("vi")
    # and shows no English of its own beyond names, options and commands
    words = {w for _, w, _, _ in string.Formatter().parse(vietnamese) if w}
    assert not words - fields_of(english) - _passed()[code]


@functools.cache
def _passed() -> dict[str, set[str]]:
    """The parameters each code's raise sites pass (some only for the Vietnamese)."""
    found: dict[str, set[str]] = {code: set() for code in VI}
    for _, tree in _modules():
        for node in ast.walk(tree):
            if (isinstance(node, ast.Call) and _name(node.func) == "say"
                    and isinstance(node.args[0], ast.Constant)):
                found.setdefault(str(node.args[0].value), set()).update(
                    k.arg for k in node.keywords if k.arg)
    return found


def test_the_english_sentence_is_unchanged_and_the_code_travels() -> None:
    exc = Conflict(say("store.batch_locked", VI["store.batch_locked"][0],
                       name="Lô 2024-03", state="submitted"))
    assert str(exc) == "Batch 'Lô 2024-03' is submitted and can no longer be changed."
    assert exc.code == "store.batch_locked"
    assert exc.text("vi") == ("Lô “Lô 2024-03” đang ở trạng thái “Chờ duyệt” nên không thể "
                              "thay đổi nữa.")
    assert exc.text("en") == str(exc)
    plain = BadInput("A sentence from a face.")  # faces and tests may still pass text
    assert plain.code == "" and plain.text("vi") == "A sentence from a face."


def test_a_sentence_known_only_as_text_is_reworded() -> None:
    """Capture outcomes and outbox rows keep the English text; it is matched back."""
    text = str(UsageError(say("store.password_too_short", VI["store.password_too_short"][0],
                              n=8)))
    assert reword(text, "vi") == "Mật khẩu cần ít nhất 8 ký tự."
    nested = "scanner hp:1: the scanner cover is open; close it and scan again"
    assert reword(nested, "vi") == "máy quét hp:1: nắp máy quét đang mở; hãy đóng nắp rồi quét lại"
    assert reword("Something nobody catalogued.", "vi") is None
    # the most specific sentence wins over one that takes its words as a parameter
    assert reword("a.pdf: page 3 could not be rendered (damaged PDF)", "vi") == (
        "a.pdf: không dựng hình được trang 3 (tệp PDF bị hỏng)")


def test_store_words_cover_every_batch_state() -> None:
    states = {"open", "submitted", "approved", "rejected"}
    assert set(WORDS["state"]) == states == set(WORDS["want"])
    assert Path(REPO / "store" / "messages_vi.py").read_text(encoding="utf-8").isascii() is False


def test_the_cli_speaks_vietnamese_when_asked(tmp_path: Path) -> None:
    """English stays the CLI's default (scripts read it); --lang vi or SOHOA_LANG=vi."""
    env = {"SOHOA_USER": "admin", "SOHOA_PASSWORD": "whatever-1"}
    none = tmp_path / "none"
    english = sohoa("info", data=none, env=env)
    assert english.stderr == (f"sohoa: error: No sohoa store in {none}: run `sohoa init "
                              "--admin NAME` first.\n")
    for vietnamese in (sohoa("--lang", "vi", "info", data=none, env=env),
                       sohoa("info", data=none, env={**env, "SOHOA_LANG": "vi"})):
        assert vietnamese.returncode == english.returncode == ExitCode.NOT_INITIALISED
        assert vietnamese.stderr == (f"sohoa: error: Không có kho dữ liệu sohoa trong {none}: "
                                     "hãy chạy `sohoa init --admin NAME` trước.\n")


def test_the_cli_says_why_a_file_failed_in_vietnamese(store: StoreFixture,
                                                     tmp_path: Path) -> None:
    """An ingest's FAILED lines (outcomes, known only as text) and the CLI's own refusals."""
    empty = tmp_path / "rong.png"
    empty.write_bytes(b"")
    env = {"SOHOA_USER": "lan", "SOHOA_PASSWORD": PASSWORDS["lan"]}
    run = sohoa("--lang", "vi", "ingest", str(empty), data=store.settings.data_dir, env=env)
    assert f"{empty}: FAILED: tệp trống (0 byte)" in run.stdout, run.stdout
    who = sohoa("--lang", "vi", "info", data=store.settings.data_dir,
                env={"SOHOA_PASSWORD": PASSWORDS["lan"]})
    assert "Hãy cho biết bạn là ai" in who.stderr
    unsaid = sohoa("--lang", "vi", "info", data=store.settings.data_dir, env={})
    assert "Chưa có mật khẩu" in unsaid.stderr


def test_the_code_survives_a_worker_process() -> None:
    """Pages are read in worker processes: an error comes back pickled, code and all."""
    exc = BadInput(say("scanning.image_damaged", VI["scanning.image_damaged"][0],
                       source="a.png", fmt="PNG", reason=OSError(5, "I/O error")))
    back = pickle.loads(pickle.dumps(exc))
    assert (type(back), back.code, str(back)) == (BadInput, "scanning.image_damaged", str(exc))
    assert back.text("vi") == "a.png: ảnh PNG bị hỏng hoặc bị cắt cụt ([Errno 5] I/O error)"
