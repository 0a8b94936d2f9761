-- Notes waiting to be posted to other systems (guidance as a Chatwoot private note). A row is
-- written before the delivery that caused it is acknowledged, so nothing is lost when the other
-- system is down or tact restarts; a replica claims a row with a short lease before sending, so
-- several replicas never send the same note twice at once.
CREATE TABLE outbox (
    id               INTEGER PRIMARY KEY,
    target           TEXT NOT NULL,           -- "chatwoot"
    address          TEXT NOT NULL,           -- where in the target: "accounts/3/conversations/42"
    content          TEXT NOT NULL,           -- the note; guidance only, no client's words
    status           TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'failed')),
    attempts         INTEGER NOT NULL DEFAULT 0,
    next_attempt_at  TEXT NOT NULL,
    lease_until      TEXT,
    last_error       TEXT,
    created_at       TEXT NOT NULL,
    sent_at          TEXT
);
CREATE INDEX outbox_due ON outbox (status, next_attempt_at);
