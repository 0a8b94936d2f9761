-- Deliveries already received from other systems (a Chatwoot webhook delivery id), so a
-- retried delivery is recognised and not ingested twice.
CREATE TABLE deliveries (
    source       TEXT NOT NULL,
    delivery_id  TEXT NOT NULL,
    received_at  TEXT COLLATE "C" NOT NULL,
    PRIMARY KEY (source, delivery_id)
);
