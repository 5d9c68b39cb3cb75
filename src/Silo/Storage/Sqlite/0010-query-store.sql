-- Dispatch: the query store on SQLite. One row per request and its history entries, projected
-- from the request grains' stored state (src/Silo/QueryStore), for lists, search, statistics by
-- period and exports. Derived data: rebuilt from OrleansStorage by the start-up catch-up and by
-- `dotnet run --project src/Silo -- rebuild-query-store`. Re-runnable.

CREATE TABLE IF NOT EXISTS query_requests
(
    id                  TEXT    NOT NULL PRIMARY KEY,   -- the request's Guid, 'D' format
    key_n0              INTEGER NOT NULL,               -- the grain storage row's GrainIdN0/N1
    key_n1              INTEGER NOT NULL,
    state_version       INTEGER NOT NULL,               -- OrleansStorage.Version projected here
    version             INTEGER NOT NULL,               -- the request's own version (history length)
    place_path          TEXT    NOT NULL,               -- '/region/county/town/community/'
    community_id        TEXT    NOT NULL,
    kind                INTEGER NOT NULL,
    status              INTEGER NOT NULL,
    urgency             INTEGER NOT NULL,
    title               TEXT    NOT NULL,
    description         TEXT    NULL,
    categories          TEXT    NOT NULL,               -- '|goods|food|', lower case
    places              INTEGER NOT NULL,
    places_taken        INTEGER NOT NULL,
    claimants           TEXT    NOT NULL,               -- '|vol-1|vol-2|'
    owner               TEXT    NULL,
    escalation_level    INTEGER NOT NULL,
    escalation_place_id TEXT    NOT NULL,
    overdue             INTEGER NOT NULL,
    next_due_ms         INTEGER NULL,
    points              INTEGER NOT NULL,
    points_awarded      INTEGER NOT NULL,
    offer_to            TEXT    NULL,
    offers              INTEGER NOT NULL,
    offers_accepted     INTEGER NOT NULL,
    offers_declined     INTEGER NOT NULL,
    offers_lapsed       INTEGER NOT NULL,
    rating              INTEGER NULL,
    created_by          TEXT    NOT NULL,
    created_ms          INTEGER NOT NULL,               -- Unix milliseconds, UTC
    updated_ms          INTEGER NOT NULL,
    first_claimed_ms    INTEGER NULL,
    completed_ms        INTEGER NULL,
    verified_ms         INTEGER NULL,
    finished_ms         INTEGER NULL                    -- verified or cancelled
);

-- A subtree is a range of place_path ('/r/c/' <= path < '/r/c0'), in creation order.
CREATE INDEX IF NOT EXISTS ix_query_requests_path_created ON query_requests (place_path, created_ms);
CREATE INDEX IF NOT EXISTS ix_query_requests_status_path ON query_requests (status, place_path, created_ms);
CREATE INDEX IF NOT EXISTS ix_query_requests_created_id ON query_requests (created_ms, id);
CREATE INDEX IF NOT EXISTS ix_query_requests_key ON query_requests (key_n0, key_n1, state_version);

CREATE TABLE IF NOT EXISTS query_history
(
    request_id TEXT    NOT NULL,
    seq        INTEGER NOT NULL,
    at_ms      INTEGER NOT NULL,
    actor      TEXT    NOT NULL,
    action     INTEGER NOT NULL,
    from_status INTEGER NULL,
    to_status  INTEGER NOT NULL,
    note       TEXT    NULL,
    PRIMARY KEY (request_id, seq)
) WITHOUT ROWID;

-- Substring search over title and description, Chinese included: trigrams (queries of 3
-- characters or more; shorter ones fall back to LIKE within the other filters). Titles and
-- descriptions never change after creation, but the triggers keep the index exact anyway.
CREATE VIRTUAL TABLE IF NOT EXISTS query_requests_text USING fts5
(
    title, description, content = 'query_requests', content_rowid = 'rowid', tokenize = 'trigram'
);

CREATE TRIGGER IF NOT EXISTS query_requests_text_insert AFTER INSERT ON query_requests
BEGIN
    INSERT INTO query_requests_text (rowid, title, description) VALUES (new.rowid, new.title, new.description);
END;

CREATE TRIGGER IF NOT EXISTS query_requests_text_delete AFTER DELETE ON query_requests
BEGIN
    INSERT INTO query_requests_text (query_requests_text, rowid, title, description) VALUES ('delete', old.rowid, old.title, old.description);
END;

CREATE TRIGGER IF NOT EXISTS query_requests_text_update AFTER UPDATE OF title, description ON query_requests
BEGIN
    INSERT INTO query_requests_text (query_requests_text, rowid, title, description) VALUES ('delete', old.rowid, old.title, old.description);
    INSERT INTO query_requests_text (rowid, title, description) VALUES (new.rowid, new.title, new.description);
END;

-- What the projection was built with: a build whose projection differs rebuilds the store.
CREATE TABLE IF NOT EXISTS query_store_meta
(
    name  TEXT NOT NULL PRIMARY KEY,
    value TEXT NOT NULL
);

-- The request grains' rows, by key and version: the start-up catch-up compares them with
-- query_requests without reading any payload it does not need.
CREATE INDEX IF NOT EXISTS ix_orleansstorage_requests ON OrleansStorage (ServiceId, GrainIdN0, GrainIdN1, Version)
WHERE GrainTypeString = 'request';
