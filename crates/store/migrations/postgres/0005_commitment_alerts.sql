-- When supervisors were alerted that an open commitment passed its due time; see
-- migrations/sqlite/0005_commitment_alerts.sql.
ALTER TABLE commitments ADD COLUMN alerted_at TEXT COLLATE "C";
