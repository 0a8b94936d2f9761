-- Referrals tact suggests on its own; see migrations/sqlite/0007_suggested_referrals.sql.
ALTER TABLE referrals ADD COLUMN status TEXT NOT NULL DEFAULT 'offered'
    CHECK (status IN ('suggested', 'offered'));
ALTER TABLE referrals ADD COLUMN message_id BIGINT REFERENCES messages (id);
ALTER TABLE referrals ADD COLUMN suggested_at TEXT COLLATE "C";
ALTER TABLE referrals ALTER COLUMN offered_at DROP NOT NULL;
ALTER TABLE referrals ADD CHECK (status = 'suggested' OR offered_at IS NOT NULL);
CREATE INDEX referrals_by_conversation ON referrals (conversation_id, resource_id);
