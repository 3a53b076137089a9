-- 0006: one document per source file part per batch, even when two captures run at once.
-- Why a table of its own: a file split at blank sheets or cover sheets gives several
-- documents that keep its source (document.source_sha256 repeats by design), so the rule
-- cannot be a unique index on document. Each document claims (batch, file, the index of
-- its first page in the file): the parts of one capture differ, and a second capture of
-- the same file splits it the same way, so it meets the first one's claims. The claim is
-- made by the store's add_document in the document's own transaction; the second of two
-- concurrent captures of the same file gets a Conflict instead of a copy.
CREATE TABLE source_claim (
    batch_id      INTEGER NOT NULL REFERENCES batch(id),
    source_sha256 TEXT NOT NULL,
    part          INTEGER NOT NULL DEFAULT 0,
    document_id   INTEGER NOT NULL REFERENCES document(id) ON DELETE CASCADE,
    PRIMARY KEY (batch_id, source_sha256, part)
) WITHOUT ROWID;
CREATE INDEX source_claim_document ON source_claim(document_id);

-- Documents stored before: the first of each (batch, file) holds the claim of part 0.
INSERT OR IGNORE INTO source_claim (batch_id, source_sha256, part, document_id)
    SELECT d.batch_id, x.source_sha256, 0, min(x.id)
    FROM document x JOIN dossier d ON d.id = x.dossier_id
    WHERE x.source_sha256 IS NOT NULL
    GROUP BY d.batch_id, x.source_sha256;
