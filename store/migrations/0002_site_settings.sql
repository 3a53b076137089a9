-- 0002: site settings chosen by the admin (warehouse URL, agency code, idle lock...).
-- Kept in the encrypted store, not in a plain file, because they name the ward
-- and the enrolment secrets that go with them.

CREATE TABLE site_setting (
    key        TEXT PRIMARY KEY,
    value      TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    updated_by INTEGER REFERENCES user(id)
) WITHOUT ROWID;

INSERT INTO site_setting (key, value, updated_at) VALUES
    ('agency_code', '000.00.00.H29', strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    ('idle_lock_minutes', '10', strftime('%Y-%m-%dT%H:%M:%fZ', 'now'));
