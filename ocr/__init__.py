"""Tesseract OCR, the PDF/A text layer, and metadata extraction."""
