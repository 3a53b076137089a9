"""The store is the bottom layer: it never reaches up to sync, not even through importlib
(issue 12: store/sitefile.py used to look ``sync.client`` up at run time)."""

from __future__ import annotations

import ast
from pathlib import Path

STORE = Path(__file__).resolve().parent.parent / "store"


def test_the_store_never_imports_modules_by_name() -> None:
    offenders = []
    for path in sorted(STORE.glob("*.py")):
        tree = ast.parse(path.read_text("utf-8"))
        for node in ast.walk(tree):
            names = ([a.name for a in node.names] if isinstance(node, ast.Import)
                     else [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
            if any(n == "importlib" or n.startswith("importlib.") or n.split(".")[0] in
                   ("sync", "ocr", "capture", "extract", "scanning", "app", "cli")
                   for n in names):
                offenders.append(f"{path.name}:{node.lineno}")
            if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "__import__":
                offenders.append(f"{path.name}:{node.lineno}")
    assert offenders == []
