-- The first start's admin is made once per store; see migrations/sqlite/0006_bootstrap.sql.
CREATE TABLE bootstrap (
    id          BIGINT PRIMARY KEY CHECK (id = 1),
    happened_at TEXT COLLATE "C" NOT NULL
);
