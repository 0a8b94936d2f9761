-- The first start's admin is made once per store, even when several replicas start together on
-- an empty database: whoever inserts this single row makes the admin.
CREATE TABLE bootstrap (
    id          INTEGER PRIMARY KEY CHECK (id = 1),
    happened_at TEXT NOT NULL
);
