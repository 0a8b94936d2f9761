-- Referrals tact suggests on its own: a client's message that calls for a service in the
-- directory records it as 'suggested' (with the message that called for it); it becomes
-- 'offered' when the worker's reply names the service, or when a worker records it by hand.
-- SQLite cannot relax NOT NULL on offered_at in place, so the table is rebuilt (nothing refers
-- to it).
CREATE TABLE referrals_new (
    id               INTEGER PRIMARY KEY,
    conversation_id  INTEGER NOT NULL REFERENCES conversations (id),
    resource_id      INTEGER NOT NULL REFERENCES resources (id),
    category         TEXT NOT NULL,
    status           TEXT NOT NULL DEFAULT 'offered' CHECK (status IN ('suggested', 'offered')),
    message_id       INTEGER REFERENCES messages (id),
    suggested_at     TEXT,
    offered_at       TEXT,
    CHECK (status = 'suggested' OR offered_at IS NOT NULL)
);
INSERT INTO referrals_new (id, conversation_id, resource_id, category, status, offered_at)
    SELECT id, conversation_id, resource_id, category, 'offered', offered_at FROM referrals;
DROP TABLE referrals;
ALTER TABLE referrals_new RENAME TO referrals;
CREATE INDEX referrals_by_conversation ON referrals (conversation_id, resource_id);
