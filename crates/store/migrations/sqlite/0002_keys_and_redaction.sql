-- API keys: only a SHA-256 digest is kept; the key itself is shown once when it is made.
CREATE TABLE api_keys (
    id          INTEGER PRIMARY KEY,
    worker_id   INTEGER NOT NULL REFERENCES workers (id),
    key_digest  TEXT NOT NULL UNIQUE,
    created_at  TEXT NOT NULL,
    revoked_at  TEXT
);

-- The placeholder numbering of each conversation (digests of values, never the values), so
-- <EMAIL_1> stays the same address across its messages.
ALTER TABLE conversations ADD COLUMN redaction_state TEXT;
