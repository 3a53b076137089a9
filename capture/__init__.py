"""Capture: a page from scanner or file to a stored, searchable PDF/A document.

Orchestration (pipeline, scan_ingest), the per-page worker task (prepare), page
operations on stored documents (pages, reread) and PDF/A writing (pdfa, pdfwrite).
It uses ``ocr`` for reading and ``extract`` for metadata; neither uses it.
"""
