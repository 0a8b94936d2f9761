-- Role-play training (issue 8): one row per session a worker starts. While it is played the row
-- holds the serialised session (the scenario, where it stands, the turns so far) so a reply can
-- arrive at any replica; once it ends, the end state, its outcome and the average score are
-- recorded beside it for progress over time. Replies are the trainee's own practice text, never
-- client data.
CREATE TABLE training_sessions (
    id             INTEGER PRIMARY KEY,
    worker_id      INTEGER NOT NULL REFERENCES workers (id),
    scenario_id    TEXT NOT NULL,
    language       TEXT NOT NULL,
    state_json     TEXT NOT NULL,
    started_at     TEXT NOT NULL,
    finished_at    TEXT,
    end_state      TEXT,
    outcome        TEXT CHECK (outcome IN ('good', 'mixed', 'poor')),
    average_score  INTEGER CHECK (average_score BETWEEN 0 AND 100),
    turns          INTEGER NOT NULL DEFAULT 0 CHECK (turns >= 0),
    CHECK ((finished_at IS NULL) = (outcome IS NULL)),
    CHECK ((finished_at IS NULL) = (end_state IS NULL)),
    CHECK ((finished_at IS NULL) = (average_score IS NULL))
);
CREATE INDEX training_sessions_by_worker ON training_sessions (worker_id, started_at);
