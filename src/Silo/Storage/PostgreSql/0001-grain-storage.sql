-- Dispatch: grain storage for the Orleans ADO.NET persistence provider on PostgreSQL 15.
-- Written from the provider's contract (../shared/ADONET-FACTS.md, section 4), not from the
-- upstream scripts. Re-runnable: every statement is CREATE ... IF NOT EXISTS, CREATE OR REPLACE
-- or an upsert, so PostgresSchema applies it again whenever its text changes.
-- Identifiers are unquoted (the providers' loader runs an unquoted SELECT on OrleansQuery).

-- The queries the Orleans ADO.NET providers load at start (keys are case-sensitive).
CREATE TABLE IF NOT EXISTS OrleansQuery
(
    QueryKey  varchar(64) NOT NULL,
    QueryText text        NOT NULL,
    CONSTRAINT PK_OrleansQuery PRIMARY KEY (QueryKey)
);

CREATE TABLE IF NOT EXISTS OrleansStorage
(
    GrainIdHash            integer      NOT NULL,
    GrainIdN0              bigint       NOT NULL,
    GrainIdN1              bigint       NOT NULL,
    GrainTypeHash          integer      NOT NULL,
    GrainTypeString        varchar(512) NOT NULL,
    GrainIdExtensionString varchar(512) NULL,
    ServiceId              varchar(150) NOT NULL,
    PayloadBinary          bytea        NULL,
    ModifiedOn             timestamptz  NOT NULL DEFAULT now(),
    Version                integer      NOT NULL
);

-- SHA-256 of a string's UTF-8 bytes (NULL for NULL). convert_to is only STABLE in the catalogue
-- because it reads the database encoding, which never changes for a database, so the digest is
-- immutable and may appear in an index. Never change this body: the index below depends on it.
CREATE OR REPLACE FUNCTION dispatch_text_digest(value text) RETURNS bytea
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
AS $fn$ SELECT sha256(convert_to(value, 'UTF8')) $fn$;

-- One row per persistence identity. Hashes collide, so the key is the whole identity; the two
-- long strings (up to 512 characters each, too long together for a B-tree entry) take part by
-- their SHA-256 digests, and NULLS NOT DISTINCT makes two NULL extensions equal. Two rows with
-- the same identity always have the same digests, so a duplicate can never exist (a concurrent
-- first write loses with a version conflict); every query still compares the full strings, so a
-- digest can never make two grains share a row. Leading with the hashes makes it the index every
-- query below seeks on.
CREATE UNIQUE INDEX IF NOT EXISTS UX_OrleansStorage_Identity ON OrleansStorage
(
    GrainIdHash, GrainTypeHash, GrainIdN0, GrainIdN1, ServiceId,
    dispatch_text_digest(GrainTypeString), dispatch_text_digest(GrainIdExtensionString)
) NULLS NOT DISTINCT;

-- Reads the state: a row with PayloadBinary NULL is a cleared state (its version goes on).
INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('ReadFromStorageKey', $q$
SELECT PayloadBinary, Version
FROM OrleansStorage
WHERE GrainIdHash = @GrainIdHash AND GrainTypeHash = @GrainTypeHash
  AND GrainIdN0 = @GrainIdN0 AND GrainIdN1 = @GrainIdN1
  AND ServiceId = @ServiceId AND GrainTypeString = @GrainTypeString
  AND GrainIdExtensionString IS NOT DISTINCT FROM @GrainIdExtensionString;
$q$) ON CONFLICT (QueryKey) DO UPDATE SET QueryText = excluded.QueryText;

-- Writes the state with optimistic concurrency, in one statement (one transaction). At most one
-- branch returns a row: the insert, when the grain holds no version and no row exists (a row
-- inserted by a concurrent first write makes it do nothing), or the update of the row whose
-- version the grain holds (a concurrent update re-checks the version and does nothing). No row
-- back is a version conflict, which the provider raises as InconsistentStateException.
INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('WriteToStorageKey', $q$
WITH inserted AS
(
    INSERT INTO OrleansStorage
        (GrainIdHash, GrainIdN0, GrainIdN1, GrainTypeHash, GrainTypeString, GrainIdExtensionString,
         ServiceId, PayloadBinary, ModifiedOn, Version)
    SELECT @GrainIdHash, @GrainIdN0, @GrainIdN1, @GrainTypeHash, @GrainTypeString, @GrainIdExtensionString,
           @ServiceId, @PayloadBinary, now(), 1
    WHERE @GrainStateVersion IS NULL
    ON CONFLICT DO NOTHING
    RETURNING Version
),
updated AS
(
    UPDATE OrleansStorage
    SET PayloadBinary = @PayloadBinary, ModifiedOn = now(), Version = Version + 1
    WHERE GrainIdHash = @GrainIdHash AND GrainTypeHash = @GrainTypeHash
      AND GrainIdN0 = @GrainIdN0 AND GrainIdN1 = @GrainIdN1
      AND ServiceId = @ServiceId AND GrainTypeString = @GrainTypeString
      AND GrainIdExtensionString IS NOT DISTINCT FROM @GrainIdExtensionString
      AND Version = @GrainStateVersion
    RETURNING Version
)
SELECT Version AS NewGrainStateVersion FROM inserted
UNION ALL
SELECT Version AS NewGrainStateVersion FROM updated;
$q$) ON CONFLICT (QueryKey) DO UPDATE SET QueryText = excluded.QueryText;

-- Clears the state but keeps the row and its version sequence; returns the new version.
INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('ClearStorageKey', $q$
UPDATE OrleansStorage
SET PayloadBinary = NULL, ModifiedOn = now(), Version = Version + 1
WHERE GrainIdHash = @GrainIdHash AND GrainTypeHash = @GrainTypeHash
  AND GrainIdN0 = @GrainIdN0 AND GrainIdN1 = @GrainIdN1
  AND ServiceId = @ServiceId AND GrainTypeString = @GrainTypeString
  AND GrainIdExtensionString IS NOT DISTINCT FROM @GrainIdExtensionString
  AND Version = @GrainStateVersion
RETURNING Version AS NewGrainStateVersion;
$q$) ON CONFLICT (QueryKey) DO UPDATE SET QueryText = excluded.QueryText;

-- Removes the row (used when DeleteStateOnClear is set), only at the version the grain holds;
-- returns a value other than that version, so the provider counts it as done.
INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('DeleteStorageKey', $q$
DELETE FROM OrleansStorage
WHERE GrainIdHash = @GrainIdHash AND GrainTypeHash = @GrainTypeHash
  AND GrainIdN0 = @GrainIdN0 AND GrainIdN1 = @GrainIdN1
  AND ServiceId = @ServiceId AND GrainTypeString = @GrainTypeString
  AND GrainIdExtensionString IS NOT DISTINCT FROM @GrainIdExtensionString
  AND Version = @GrainStateVersion
RETURNING Version + 1 AS NewGrainStateVersion;
$q$) ON CONFLICT (QueryKey) DO UPDATE SET QueryText = excluded.QueryText;
