-- The case store (SQLite). Times are RFC 3339 UTC text ("2026-11-23T16:30:00Z"), so they sort
-- as strings and read the same in every language. Client identity is a pseudonym only; message
-- text is stored redacted, and the original only as ciphertext under the organisation's key, with
-- the moment after which it is erased.

CREATE TABLE workers (
    id            INTEGER PRIMARY KEY,
    name          TEXT NOT NULL,
    role          TEXT NOT NULL CHECK (role IN ('worker', 'supervisor', 'admin')),
    time_zone     TEXT NOT NULL DEFAULT 'UTC',
    working_hours TEXT,                       -- as written: "mon-fri 09:00-17:00"
    created_at    TEXT NOT NULL
);

CREATE TABLE clients (
    id          INTEGER PRIMARY KEY,
    pseudonym   TEXT NOT NULL UNIQUE,         -- never a name: an opaque id from the channel
    created_at  TEXT NOT NULL
);

CREATE TABLE conversations (
    id           INTEGER PRIMARY KEY,
    external_id  TEXT UNIQUE,                 -- the channel's id (a Chatwoot conversation)
    worker_id    INTEGER NOT NULL REFERENCES workers (id),
    client_id    INTEGER NOT NULL REFERENCES clients (id),
    language     TEXT,
    opened_at    TEXT NOT NULL
);
CREATE INDEX conversations_by_worker ON conversations (worker_id);

CREATE TABLE messages (
    id                   INTEGER PRIMARY KEY,
    conversation_id      INTEGER NOT NULL REFERENCES conversations (id),
    role                 TEXT NOT NULL CHECK (role IN ('client', 'worker')),
    redacted_text        TEXT NOT NULL,
    original_ciphertext  TEXT,                -- only when the organisation enables it
    erase_original_after TEXT,                -- retention: the ciphertext is erased after this
    analysis             TEXT,                -- the analysis or coaching report, as JSON, redacted
    sent_at              TEXT NOT NULL
);
CREATE INDEX messages_by_conversation ON messages (conversation_id, id);

CREATE TABLE incidents (
    id               INTEGER PRIMARY KEY,
    conversation_id  INTEGER NOT NULL REFERENCES conversations (id),
    message_id       INTEGER REFERENCES messages (id),
    kind             TEXT NOT NULL CHECK (kind IN ('boundary_crossing', 'abuse', 'urgent_disclosure', 'conflict_of_interest')),
    severity         TEXT NOT NULL CHECK (severity IN ('low', 'moderate', 'high', 'urgent')),
    status           TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'in_progress', 'resolved')),
    summary          TEXT NOT NULL,           -- the findings behind it, no personal data
    notes            TEXT NOT NULL DEFAULT '',
    handled_by       INTEGER REFERENCES workers (id),
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL
);
CREATE INDEX incidents_by_conversation ON incidents (conversation_id);

CREATE TABLE escalations (
    id               INTEGER PRIMARY KEY,
    incident_id      INTEGER REFERENCES incidents (id),
    conversation_id  INTEGER NOT NULL REFERENCES conversations (id),
    from_worker      INTEGER NOT NULL REFERENCES workers (id),
    to_worker        INTEGER REFERENCES workers (id),
    reason           TEXT NOT NULL,
    created_at       TEXT NOT NULL
);

CREATE TABLE resources (
    id               INTEGER PRIMARY KEY,
    name             TEXT NOT NULL,
    categories       TEXT NOT NULL,           -- JSON array of disclosure categories
    languages        TEXT NOT NULL,           -- JSON array of language codes; empty = any
    regions          TEXT NOT NULL,           -- JSON array of ISO 3166 codes; empty = everywhere
    contact          TEXT NOT NULL,
    opening_hours    TEXT,
    notes            TEXT NOT NULL DEFAULT '',
    last_verified    TEXT,                    -- HSDS assured_date
    review_days      INTEGER NOT NULL DEFAULT 180 CHECK (review_days > 0)
);

CREATE TABLE referrals (
    id               INTEGER PRIMARY KEY,
    conversation_id  INTEGER NOT NULL REFERENCES conversations (id),
    resource_id      INTEGER NOT NULL REFERENCES resources (id),
    category         TEXT NOT NULL,
    offered_at       TEXT NOT NULL
);

CREATE TABLE commitments (
    id               INTEGER PRIMARY KEY,
    conversation_id  INTEGER NOT NULL REFERENCES conversations (id),
    message_id       INTEGER REFERENCES messages (id),
    kind             TEXT NOT NULL CHECK (kind IN ('promise', 'follow_up')),
    what             TEXT NOT NULL,
    due_at           TEXT NOT NULL,
    ambiguous        INTEGER NOT NULL DEFAULT 0,
    status           TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'kept', 'late', 'broken')),
    closed_at        TEXT,
    created_at       TEXT NOT NULL
);
CREATE INDEX commitments_by_due ON commitments (status, due_at);

-- Who read or changed what. Append-only: the triggers refuse any update or delete.
CREATE TABLE audit_log (
    id         INTEGER PRIMARY KEY,
    at         TEXT NOT NULL,
    actor      INTEGER REFERENCES workers (id),
    action     TEXT NOT NULL,                 -- "read", "create", "update"
    target     TEXT NOT NULL,                 -- "conversation:12", "incident:4"
    detail     TEXT NOT NULL DEFAULT ''
);
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
