-- Looking after workers (issue 7): teams, absences, the on-call rota, wellbeing prompts and
-- notifications held back until a worker's shift.
--
-- A team is a supervisor and the workers whose supervisor_id names them. Exposure, prompts and
-- weekly reports are shown to the worker, their own supervisor and admins, never to other
-- workers or to supervisors of other teams.
ALTER TABLE workers ADD COLUMN supervisor_id INTEGER REFERENCES workers (id);
CREATE INDEX workers_by_supervisor ON workers (supervisor_id);

-- Holidays and absences, as days in the worker's own calendar (2026-12-24), both included. No
-- reason beyond holiday or absence: why someone is away (sickness) is not tact's business.
CREATE TABLE absences (
    id          INTEGER PRIMARY KEY,
    worker_id   INTEGER NOT NULL REFERENCES workers (id),
    first_day   TEXT NOT NULL,
    last_day    TEXT NOT NULL,
    kind        TEXT NOT NULL DEFAULT 'absence' CHECK (kind IN ('holiday', 'absence')),
    created_by  INTEGER REFERENCES workers (id),
    created_at  TEXT NOT NULL,
    CHECK (last_day >= first_day)
);
CREATE INDEX absences_by_worker ON absences (worker_id, first_day);

-- Who takes urgent messages outside their worker's hours: [starts_at, ends_at).
CREATE TABLE on_call (
    id          INTEGER PRIMARY KEY,
    worker_id   INTEGER NOT NULL REFERENCES workers (id),
    starts_at   TEXT NOT NULL,
    ends_at     TEXT NOT NULL,
    created_by  INTEGER REFERENCES workers (id),
    created_at  TEXT NOT NULL,
    CHECK (ends_at > starts_at)
);
CREATE INDEX on_call_by_time ON on_call (starts_at, ends_at);

-- Breaks, debriefs and supervisor notices raised by the exposure rules, once each (the key is
-- the rule's own identity), with whether they were taken or set aside. The reason holds counts
-- and kinds only, never a client's words.
CREATE TABLE wellbeing_prompts (
    id               INTEGER PRIMARY KEY,
    worker_id        INTEGER NOT NULL REFERENCES workers (id),
    kind             TEXT NOT NULL CHECK (kind IN ('break', 'debrief', 'supervisor_notice')),
    key              TEXT NOT NULL UNIQUE,
    conversation_id  INTEGER REFERENCES conversations (id),
    reason           TEXT NOT NULL,
    raised_at        TEXT NOT NULL,
    taken_at         TEXT,
    taken_by         INTEGER REFERENCES workers (id),
    dismissed_at     TEXT
);
CREATE INDEX wellbeing_prompts_by_worker ON wellbeing_prompts (worker_id, raised_at);

-- A worker is told about a client's message when it is due: at once for urgent messages routed
-- to whoever is on call, at the start of their next shift for messages that came after hours.
CREATE TABLE notifications (
    id               INTEGER PRIMARY KEY,
    worker_id        INTEGER NOT NULL REFERENCES workers (id),
    conversation_id  INTEGER NOT NULL REFERENCES conversations (id),
    message_id       INTEGER NOT NULL REFERENCES messages (id),
    reason           TEXT NOT NULL CHECK (reason IN ('deferred', 'on_call', 'colleague')),
    notify_at        TEXT NOT NULL,
    delivered_at     TEXT,
    created_at       TEXT NOT NULL
);
CREATE INDEX notifications_due ON notifications (delivered_at, notify_at);
CREATE INDEX notifications_by_worker ON notifications (worker_id, notify_at);
