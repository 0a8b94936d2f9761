-- When supervisors were alerted that an open commitment passed its due time: once per
-- commitment, whichever replica sees it first.
ALTER TABLE commitments ADD COLUMN alerted_at TEXT;
