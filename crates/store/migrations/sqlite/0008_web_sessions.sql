-- Sessions of the web interface: an API key is exchanged once for a session cookie. Only the
-- cookie's digest is kept, beside the token every form must carry (CSRF) and the moment the
-- session ends on its own.
CREATE TABLE web_sessions (
    token_digest  TEXT PRIMARY KEY,
    worker_id     INTEGER NOT NULL REFERENCES workers (id),
    csrf_token    TEXT NOT NULL,
    created_at    TEXT NOT NULL,
    expires_at    TEXT NOT NULL
);
CREATE INDEX web_sessions_by_worker ON web_sessions (worker_id);
