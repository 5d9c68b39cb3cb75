-- Dispatch: the query store on PostgreSQL 15. One row per request and its history entries,
-- projected from the request grains' stored state (src/Silo/QueryStore), for lists, search,
-- statistics by period and exports. Derived data: rebuilt from OrleansStorage by the start-up
-- catch-up and by `dotnet run --project src/Silo -- rebuild-query-store`. Re-runnable.

-- Trigram search (a trusted extension: the database owner may create it). It indexes Chinese
-- text too: ILIKE '%保温杯%' is answered from the index for patterns of 3 characters or more.
CREATE EXTENSION IF NOT EXISTS pg_trgm;

CREATE TABLE IF NOT EXISTS query_requests
(
    id                  uuid    NOT NULL PRIMARY KEY,
    key_n0              bigint  NOT NULL,                -- the grain storage row's GrainIdN0/N1
    key_n1              bigint  NOT NULL,
    state_version       integer NOT NULL,                -- OrleansStorage.Version projected here
    version             integer NOT NULL,                -- the request's own version (history length)
    place_path          text    COLLATE "C" NOT NULL,    -- '/region/county/town/community/'; byte order for ranges
    community_id        text    NOT NULL,
    kind                integer NOT NULL,
    status              integer NOT NULL,
    urgency             integer NOT NULL,
    title               text    NOT NULL,
    description         text    NULL,
    categories          text    NOT NULL,                -- '|goods|food|', lower case
    places              integer NOT NULL,
    places_taken        integer NOT NULL,
    claimants           text    NOT NULL,                -- '|vol-1|vol-2|'
    owner               text    NULL,
    escalation_level    integer NOT NULL,
    escalation_place_id text    NOT NULL,
    overdue             integer NOT NULL,
    next_due_ms         bigint  NULL,
    points              integer NOT NULL,
    points_awarded      integer NOT NULL,
    offer_to            text    NULL,
    offers              integer NOT NULL,
    offers_accepted     integer NOT NULL,
    offers_declined     integer NOT NULL,
    offers_lapsed       integer NOT NULL,
    rating              integer NULL,
    created_by          text    NOT NULL,
    created_ms          bigint  NOT NULL,                -- Unix milliseconds, UTC
    updated_ms          bigint  NOT NULL,
    first_claimed_ms    bigint  NULL,
    completed_ms        bigint  NULL,
    verified_ms         bigint  NULL,
    finished_ms         bigint  NULL                     -- verified or cancelled
);

CREATE INDEX IF NOT EXISTS ix_query_requests_path_created ON query_requests (place_path, created_ms);
CREATE INDEX IF NOT EXISTS ix_query_requests_status_path ON query_requests (status, place_path, created_ms);
CREATE INDEX IF NOT EXISTS ix_query_requests_created_id ON query_requests (created_ms, id);
CREATE INDEX IF NOT EXISTS ix_query_requests_key ON query_requests (key_n0, key_n1, state_version);
CREATE INDEX IF NOT EXISTS ix_query_requests_text ON query_requests
    USING gin ((title || ' ' || coalesce(description, '')) gin_trgm_ops);

CREATE TABLE IF NOT EXISTS query_history
(
    request_id  uuid    NOT NULL,
    seq         integer NOT NULL,
    at_ms       bigint  NOT NULL,
    actor       text    NOT NULL,
    action      integer NOT NULL,
    from_status integer NULL,
    to_status   integer NOT NULL,
    note        text    NULL,
    PRIMARY KEY (request_id, seq)
);

-- What the projection was built with: a build whose projection differs rebuilds the store.
CREATE TABLE IF NOT EXISTS query_store_meta
(
    name  text NOT NULL PRIMARY KEY,
    value text NOT NULL
);

-- The request grains' rows, by key and version: the start-up catch-up compares them with
-- query_requests without reading any payload it does not need.
CREATE INDEX IF NOT EXISTS ix_orleansstorage_requests ON OrleansStorage (ServiceId, GrainIdN0, GrainIdN1, Version)
WHERE GrainTypeString = 'request';
