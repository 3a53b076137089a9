-- 0005: new documents wait here for the search index and are indexed in groups.
-- FTS5 writes one index segment per transaction and keeps merging them; a segment
-- per captured document meant a third of every document's written pages (and of
-- their encryption) was index upkeep. Rows here are documents that are stored but
-- not yet in doc_search; every search indexes them first, so no hit is ever missed.

CREATE TABLE search_pending (document_id INTEGER PRIMARY KEY);
