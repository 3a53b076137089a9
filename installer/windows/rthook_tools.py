"""PyInstaller runtime hook: find the Tesseract and Poppler the installer put beside the app.

The NSIS installer puts them in <install dir>\\tesseract and <install dir>\\poppler,
next to the app folder; sohoa calls `tesseract`, `pdfinfo` and `pdftoppm` by name,
so they go first on PATH (a Tesseract installed elsewhere cannot shadow them).
"""

import os
import sys
from pathlib import Path

_app = Path(sys.executable).resolve().parent
_root = _app.parent
_tools = [_root / "tesseract", _root / "poppler" / "Library" / "bin", _root / "poppler" / "bin"]
_found = [str(p) for p in _tools if p.is_dir()]
if _found:
    os.environ["PATH"] = os.pathsep.join([*_found, os.environ.get("PATH", "")])
if (_root / "tesseract" / "tessdata").is_dir():
    os.environ.setdefault("TESSDATA_PREFIX", str(_root / "tesseract" / "tessdata"))
