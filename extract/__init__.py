"""Metadata from OCR text: NĐ 30 header fields, signer, CCCDs, record rules.

Pure text work (no images, no Tesseract): it takes ``ocr.model.PageText`` and
gives ``Extraction``; ``records`` checks what a clerk typed by the same rules.
"""
