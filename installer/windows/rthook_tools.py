"""PyInstaller runtime hook: point Tesseract at the models the installer put beside the app.

Tesseract runs inside sohoa (the tesserocr wheel bundles libtesseract) and PDFs are
rasterised by PDFium (pypdfium2): no tesseract.exe, no Poppler. The installer puts
Debian's vie/osd models in <install dir>\\app\\tessdata, beside sohoa.exe, where
ocr/tesseract.py also looks; TESSDATA_PREFIX says so to anything else that asks.
"""

import os
import sys
from pathlib import Path

_models = Path(sys.executable).resolve().parent / "tessdata"
if _models.is_dir():
    os.environ.setdefault("TESSDATA_PREFIX", str(_models))
