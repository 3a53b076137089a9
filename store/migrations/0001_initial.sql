-- 0001: users, the batch -> dossier -> document -> page model, blobs, audit, search.
-- Field names follow Nghị định 30/2020 Phụ lục VI and Thông tư 05/2025/TT-BNV.

CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE user (
    id         INTEGER PRIMARY KEY,
    name       TEXT NOT NULL UNIQUE,
    role       TEXT NOT NULL CHECK (role IN ('clerk', 'supervisor', 'admin')),
    active     INTEGER NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    created_by INTEGER REFERENCES user(id)
);

CREATE TABLE batch (
    id            INTEGER PRIMARY KEY,
    name          TEXT NOT NULL UNIQUE,
    state         TEXT NOT NULL DEFAULT 'open'
                  CHECK (state IN ('open', 'submitted', 'approved', 'rejected')),
    owner_id      INTEGER NOT NULL REFERENCES user(id),
    reject_reason TEXT,
    submitted_at  TEXT,
    reviewed_by   INTEGER REFERENCES user(id),
    reviewed_at   TEXT,
    created_at    TEXT NOT NULL,
    created_by    INTEGER NOT NULL REFERENCES user(id),
    updated_at    TEXT NOT NULL,
    updated_by    INTEGER NOT NULL REFERENCES user(id)
);

CREATE TABLE dossier (
    id              INTEGER PRIMARY KEY,
    batch_id        INTEGER NOT NULL REFERENCES batch(id),
    file_code       TEXT NOT NULL UNIQUE,          -- mã hồ sơ
    paper_file_code TEXT,                          -- mã hồ sơ giấy (required once digitised)
    title           TEXT NOT NULL DEFAULT '',      -- tiêu đề hồ sơ
    maintenance     TEXT CHECK (maintenance IS NULL OR maintenance IN
                        ('01', '02', '03', '04', '05', '06', '07')),  -- thời hạn bảo quản
    mode            TEXT,                          -- chế độ sử dụng (access)
    language        TEXT NOT NULL DEFAULT 'vi',
    start_date      TEXT,
    end_date        TEXT,
    page_total      INTEGER NOT NULL DEFAULT 0,
    description     TEXT,
    created_at      TEXT NOT NULL,
    created_by      INTEGER NOT NULL REFERENCES user(id),
    updated_at      TEXT NOT NULL,
    updated_by      INTEGER NOT NULL REFERENCES user(id)
);
CREATE INDEX dossier_batch ON dossier(batch_id);

CREATE TABLE document (
    id              INTEGER PRIMARY KEY,
    dossier_id      INTEGER NOT NULL REFERENCES dossier(id),
    ordinal         INTEGER NOT NULL,              -- số thứ tự văn bản trong hồ sơ
    type_name       TEXT,                          -- tên loại văn bản
    code_number     TEXT,                          -- số của văn bản
    code_notation   TEXT,                          -- ký hiệu của văn bản
    issued_date     TEXT,                          -- ngày ban hành (ISO 8601)
    organ_name      TEXT,                          -- cơ quan ban hành
    subject         TEXT,                          -- trích yếu nội dung
    signer_position TEXT,                          -- chức vụ người ký
    signer_name     TEXT,                          -- họ tên người ký
    citizen_ids     TEXT NOT NULL DEFAULT '[]',    -- JSON list of CCCD/CMND found
    page_count      INTEGER NOT NULL DEFAULT 0,
    checked         INTEGER NOT NULL DEFAULT 0,
    source          TEXT,
    source_sha256   TEXT,
    pdf_sha256      TEXT REFERENCES blob(sha256),
    extraction      TEXT NOT NULL DEFAULT '{}',    -- JSON: field -> confidence, region
    created_at      TEXT NOT NULL,
    created_by      INTEGER NOT NULL REFERENCES user(id),
    updated_at      TEXT NOT NULL,
    updated_by      INTEGER NOT NULL REFERENCES user(id),
    UNIQUE (dossier_id, ordinal)
);
CREATE INDEX document_source ON document(source_sha256);

CREATE TABLE page (
    id             INTEGER PRIMARY KEY,
    document_id    INTEGER NOT NULL REFERENCES document(id),
    ordinal        INTEGER NOT NULL,
    image_sha256   TEXT NOT NULL REFERENCES blob(sha256),   -- the original image, kept
    sha256         TEXT NOT NULL,
    dpi            INTEGER,
    width          INTEGER,
    height         INTEGER,
    rotation       INTEGER NOT NULL DEFAULT 0,   -- quarter turns applied, degrees
    skew_angle     REAL NOT NULL DEFAULT 0,      -- deskew applied, degrees
    blank          INTEGER NOT NULL DEFAULT 0,
    deleted        INTEGER NOT NULL DEFAULT 0,
    ocr_status     TEXT NOT NULL DEFAULT 'pending'
                   CHECK (ocr_status IN ('pending', 'done', 'failed')),
    ocr_error      TEXT,
    ocr_text       TEXT NOT NULL DEFAULT '',
    words          TEXT NOT NULL DEFAULT '[]',   -- JSON [[text, x, y, w, h, conf], ...]
    created_at     TEXT NOT NULL,
    created_by     INTEGER NOT NULL REFERENCES user(id),
    updated_at     TEXT NOT NULL,
    updated_by     INTEGER NOT NULL REFERENCES user(id),
    UNIQUE (document_id, ordinal)
);

-- Page images and PDFs, content-addressed, stored in 1 MiB chunks so that
-- neither side ever needs a whole file in memory.
CREATE TABLE blob (
    sha256     TEXT PRIMARY KEY,
    size       INTEGER NOT NULL,
    mime       TEXT NOT NULL,
    created_at TEXT NOT NULL
) WITHOUT ROWID;
CREATE TABLE blob_chunk (
    sha256 TEXT NOT NULL REFERENCES blob(sha256),
    seq    INTEGER NOT NULL,
    data   BLOB NOT NULL,
    PRIMARY KEY (sha256, seq)
) WITHOUT ROWID;

-- Append-only, hash-chained audit log.
CREATE TABLE audit (
    id          INTEGER PRIMARY KEY,
    ts          TEXT NOT NULL,
    user_name   TEXT,
    action      TEXT NOT NULL,
    object_type TEXT,
    object_id   TEXT,
    field       TEXT,
    old_value   TEXT,
    new_value   TEXT,
    detail      TEXT,
    prev_hash   TEXT NOT NULL,
    hash        TEXT NOT NULL
);
CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;
CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;

-- Full-text search over folded (lower-case, diacritic-free, đ -> d) text.
-- Contentless: the readable text lives in document/page; rowid = document.id.
CREATE VIRTUAL TABLE doc_search USING fts5(
    meta, body,
    content = '', contentless_delete = 1,
    tokenize = 'unicode61 remove_diacritics 2'
);
-- Rank by BM25 with metadata weighted 4x the body text; `ORDER BY rank` lets
-- FTS5 keep only the top hits instead of sorting every match.
INSERT INTO doc_search (doc_search, rank) VALUES ('rank', 'bm25(4.0, 1.0)');
