-- Sessions of the web interface; see migrations/sqlite/0008_web_sessions.sql.
CREATE TABLE web_sessions (
    token_digest  TEXT PRIMARY KEY,
    worker_id     BIGINT NOT NULL REFERENCES workers (id),
    csrf_token    TEXT NOT NULL,
    created_at    TEXT COLLATE "C" NOT NULL,
    expires_at    TEXT COLLATE "C" NOT NULL
);
CREATE INDEX web_sessions_by_worker ON web_sessions (worker_id);
