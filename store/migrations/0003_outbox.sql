-- 0003: the sync outbox (one row per approved dossier), this station's warehouse
-- credential and the sync settings a supervisor changes (pause, parallel, bandwidth).
-- All of it lives in the encrypted store: the credential is a secret, and the
-- outbox must survive a kill -9 in the same transaction as its audit rows.
-- Written to be re-runnable (IF NOT EXISTS / OR IGNORE): a store whose version
-- number was set back replays it without losing its outbox.

CREATE TABLE IF NOT EXISTS outbox (
    id             INTEGER PRIMARY KEY,
    dossier_id     INTEGER NOT NULL UNIQUE REFERENCES dossier(id),
    state          TEXT NOT NULL DEFAULT 'waiting'
                   CHECK (state IN ('waiting', 'uploading', 'committed', 'acknowledged',
                                    'failed')),
    -- the step a failed row goes back to when it is tried again
    resume_state   TEXT CHECK (resume_state IS NULL OR
                               resume_state IN ('waiting', 'uploading', 'committed')),
    package_sha256 TEXT,                      -- upper-case hex, known once built
    package_size   INTEGER,
    upload_url     TEXT,                      -- the tus upload, created before any byte is sent
    upload_offset  INTEGER NOT NULL DEFAULT 0,  -- last offset the warehouse acknowledged
    attempts       INTEGER NOT NULL DEFAULT 0,
    last_error     TEXT,
    next_try       TEXT,                      -- ISO time; NULL on a failed row: a supervisor retries
    receipt_id     TEXT UNIQUE,
    receipt        TEXT,                      -- the signed receipt (JSON) exactly as received
    received_at    TEXT,
    queued_at      TEXT NOT NULL,
    updated_at     TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS outbox_state ON outbox(state, next_try);

CREATE TABLE IF NOT EXISTS sync_credential (
    id            INTEGER PRIMARY KEY CHECK (id = 1),
    warehouse_url TEXT NOT NULL,
    station_id    TEXT NOT NULL,
    secret        TEXT NOT NULL,
    receipt_key   TEXT NOT NULL,   -- the warehouse's Ed25519 public key (base64), pinned
    enrolled_at   TEXT NOT NULL,
    enrolled_by   INTEGER REFERENCES user(id)
);

CREATE TABLE IF NOT EXISTS sync_setting (
    key        TEXT PRIMARY KEY,
    value      TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    updated_by INTEGER REFERENCES user(id)
) WITHOUT ROWID;

INSERT OR IGNORE INTO sync_setting (key, value, updated_at) VALUES
    ('paused', '0', strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    ('parallel', '2', strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    ('bandwidth_kbps', '0', strftime('%Y-%m-%dT%H:%M:%fZ', 'now'));
