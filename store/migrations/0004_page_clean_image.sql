-- 0004: each page's cleaned image, the one its OCR word boxes were measured on.
-- Capture embeds it only in the document's PDF/A; the first page edit in the app
-- (rotate, reorder, delete, split, merge: ocr/pages.py) copies it here per page
-- so the PDF/A can be rebuilt from the pages without a second OCR pass.
-- NULL: never edited, the image is still the one in the document's PDF.

ALTER TABLE page ADD COLUMN clean_sha256 TEXT REFERENCES blob(sha256);
