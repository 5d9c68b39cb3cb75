-- Dispatch: cluster membership for the Orleans ADO.NET clustering provider on PostgreSQL 15
-- (silos and clients of one cluster find each other here). Written from the provider's contract
-- (../shared/ADONET-FACTS.md, section 6). Re-runnable. Needs OrleansQuery from 0001.
--
-- Every change of membership goes through one version row per cluster (DeploymentId is the
-- ClusterId): an insert or update of a member succeeds only at the version the silo read, and
-- bumps it. The version row is always locked before a member row, so the two functions below,
-- the heartbeat, the cleanups and the delete cannot deadlock one another.

CREATE TABLE IF NOT EXISTS OrleansMembershipVersionTable
(
    DeploymentId varchar(150) NOT NULL,
    Timestamp    timestamptz  NOT NULL DEFAULT now(),
    Version      integer      NOT NULL DEFAULT 0,
    CONSTRAINT PK_OrleansMembershipVersionTable PRIMARY KEY (DeploymentId)
);

CREATE TABLE IF NOT EXISTS OrleansMembershipTable
(
    DeploymentId varchar(150) NOT NULL,
    Address      varchar(45)  NOT NULL,
    Port         integer      NOT NULL,
    Generation   integer      NOT NULL,
    SiloName     varchar(150) NOT NULL,
    HostName     varchar(150) NOT NULL,
    Status       integer      NOT NULL, -- SiloStatus: 3 Active, 6 Dead
    ProxyPort    integer      NOT NULL, -- 0: not a gateway
    SuspectTimes text         NULL,     -- "ip:port@gen,yyyy-MM-dd HH:mm:ss.fff GMT" items joined by "|"
    StartTime    timestamptz  NOT NULL,
    IAmAliveTime timestamptz  NOT NULL,
    CONSTRAINT PK_OrleansMembershipTable PRIMARY KEY (DeploymentId, Address, Port, Generation),
    CONSTRAINT FK_OrleansMembershipTable_Version FOREIGN KEY (DeploymentId)
        REFERENCES OrleansMembershipVersionTable (DeploymentId) ON DELETE CASCADE
);

-- Inserts a member if the cluster's version is still p_version and the member is absent, and
-- bumps the version. Returns false, having changed nothing, otherwise. Locking the version row
-- (re-checked after a wait) serializes every membership change of the cluster.
CREATE OR REPLACE FUNCTION dispatch_membership_insert(
    p_deployment_id text, p_address text, p_port integer, p_generation integer,
    p_silo_name text, p_host_name text, p_status integer, p_proxy_port integer,
    p_start_time timestamptz, p_i_am_alive_time timestamptz, p_version integer)
RETURNS boolean
LANGUAGE plpgsql
AS $fn$
BEGIN
    PERFORM 1 FROM OrleansMembershipVersionTable
    WHERE DeploymentId = p_deployment_id AND Version = p_version
    FOR NO KEY UPDATE;
    IF NOT FOUND THEN
        RETURN false;
    END IF;

    INSERT INTO OrleansMembershipTable
        (DeploymentId, Address, Port, Generation, SiloName, HostName, Status, ProxyPort,
         SuspectTimes, StartTime, IAmAliveTime)
    VALUES
        (p_deployment_id, p_address, p_port, p_generation, p_silo_name, p_host_name, p_status, p_proxy_port,
         NULL, p_start_time, p_i_am_alive_time)
    ON CONFLICT (DeploymentId, Address, Port, Generation) DO NOTHING;
    IF NOT FOUND THEN
        RETURN false;
    END IF;

    UPDATE OrleansMembershipVersionTable
    SET Version = Version + 1, Timestamp = now()
    WHERE DeploymentId = p_deployment_id;
    RETURN true;
END
$fn$;

-- Updates a member's status, suspicions and heartbeat if the cluster's version is still
-- p_version and the member exists, and bumps the version. Returns false, having changed
-- nothing, otherwise.
CREATE OR REPLACE FUNCTION dispatch_membership_update(
    p_deployment_id text, p_address text, p_port integer, p_generation integer,
    p_status integer, p_suspect_times text, p_i_am_alive_time timestamptz, p_version integer)
RETURNS boolean
LANGUAGE plpgsql
AS $fn$
BEGIN
    PERFORM 1 FROM OrleansMembershipVersionTable
    WHERE DeploymentId = p_deployment_id AND Version = p_version
    FOR NO KEY UPDATE;
    IF NOT FOUND THEN
        RETURN false;
    END IF;

    UPDATE OrleansMembershipTable
    SET Status = p_status, SuspectTimes = p_suspect_times, IAmAliveTime = p_i_am_alive_time
    WHERE DeploymentId = p_deployment_id AND Address = p_address AND Port = p_port AND Generation = p_generation;
    IF NOT FOUND THEN
        RETURN false;
    END IF;

    UPDATE OrleansMembershipVersionTable
    SET Version = Version + 1, Timestamp = now()
    WHERE DeploymentId = p_deployment_id;
    RETURN true;
END
$fn$;

-- Creates the cluster's version row (version 0) unless it exists; one row, one column: whether it
-- did. ON CONFLICT DO NOTHING also absorbs two silos racing to create it, so it never raises.
INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('InsertMembershipVersionKey', $q$
WITH created AS
(
    INSERT INTO OrleansMembershipVersionTable (DeploymentId, Timestamp, Version)
    VALUES (@DeploymentId, now(), 0)
    ON CONFLICT (DeploymentId) DO NOTHING
    RETURNING 1
)
SELECT count(*) > 0 AS Created FROM created;
$q$) ON CONFLICT (QueryKey) DO UPDATE SET QueryText = excluded.QueryText;

-- The version row left-joined to the members: at least one row (when the cluster has no version
-- row yet, one row of version 0 and no member; StartTime NULL means "no member in this row").
INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('MembershipReadAllKey', $q$
SELECT COALESCE(v.Version, 0) AS Version,
       m.Address, m.Port, m.Generation, m.SiloName, m.HostName, m.Status, m.ProxyPort,
       m.SuspectTimes, m.StartTime, m.IAmAliveTime
FROM (VALUES (1)) AS one (n)
LEFT JOIN OrleansMembershipVersionTable AS v ON v.DeploymentId = @DeploymentId
LEFT JOIN OrleansMembershipTable AS m ON m.DeploymentId = v.DeploymentId;
$q$) ON CONFLICT (QueryKey) DO UPDATE SET QueryText = excluded.QueryText;

-- The same shape for one silo; still one row with the version when the silo is absent.
INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('MembershipReadRowKey', $q$
SELECT COALESCE(v.Version, 0) AS Version,
       m.Address, m.Port, m.Generation, m.SiloName, m.HostName, m.Status, m.ProxyPort,
       m.SuspectTimes, m.StartTime, m.IAmAliveTime
FROM (VALUES (1)) AS one (n)
LEFT JOIN OrleansMembershipVersionTable AS v ON v.DeploymentId = @DeploymentId
LEFT JOIN OrleansMembershipTable AS m
       ON m.DeploymentId = v.DeploymentId AND m.Address = @Address AND m.Port = @Port AND m.Generation = @Generation;
$q$) ON CONFLICT (QueryKey) DO UPDATE SET QueryText = excluded.QueryText;

INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('InsertMembershipKey', $q$
SELECT dispatch_membership_insert(@DeploymentId, @Address, @Port, @Generation, @SiloName, @HostName,
                                  @Status, @ProxyPort, @StartTime, @IAmAliveTime, @Version) AS Inserted;
$q$) ON CONFLICT (QueryKey) DO UPDATE SET QueryText = excluded.QueryText;

INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('UpdateMembershipKey', $q$
SELECT dispatch_membership_update(@DeploymentId, @Address, @Port, @Generation,
                                  @Status, @SuspectTimes, @IAmAliveTime, @Version) AS Updated;
$q$) ON CONFLICT (QueryKey) DO UPDATE SET QueryText = excluded.QueryText;

-- The heartbeat: no version change (the provider ignores the result).
INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('UpdateIAmAlivetimeKey', $q$
UPDATE OrleansMembershipTable
SET IAmAliveTime = @IAmAliveTime
WHERE DeploymentId = @DeploymentId AND Address = @Address AND Port = @Port AND Generation = @Generation;
$q$) ON CONFLICT (QueryKey) DO UPDATE SET QueryText = excluded.QueryText;

-- Active gateways (the provider binds @Status = 3) for clients.
INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('GatewaysQueryKey', $q$
SELECT Address, ProxyPort, Generation
FROM OrleansMembershipTable
WHERE DeploymentId = @DeploymentId AND Status = @Status AND ProxyPort > 0;
$q$) ON CONFLICT (QueryKey) DO UPDATE SET QueryText = excluded.QueryText;

-- The whole cluster: the version row, and its members with it (ON DELETE CASCADE; version row
-- first, the same lock order as every other membership change).
INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('DeleteMembershipTableEntriesKey', $q$
DELETE FROM OrleansMembershipVersionTable WHERE DeploymentId = @DeploymentId;
$q$) ON CONFLICT (QueryKey) DO UPDATE SET QueryText = excluded.QueryText;

-- Removes defunct silos in one statement (@IAmAliveTime is the cutoff): only rows declared Dead
-- (6) that started and last beat before the cutoff and carry no suspicion at or after it (a vote
-- that cannot be read counts as recent, so the row stays). Active or merely silent silos are
-- never removed here; declaring them dead is the membership protocol's job.
INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('CleanupDefunctSiloEntriesKey', $q$
DELETE FROM OrleansMembershipTable AS m
WHERE m.DeploymentId = @DeploymentId
  AND m.Status = 6
  AND m.StartTime < @IAmAliveTime
  AND m.IAmAliveTime < @IAmAliveTime
  AND NOT EXISTS
  (
      SELECT 1
      FROM unnest(string_to_array(COALESCE(m.SuspectTimes, ''), '|')) AS vote
      WHERE vote <> ''
        AND CASE
                WHEN vote ~ ',[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}([.][0-9]{1,6})? GMT$'
                THEN (substring(vote FROM ',([0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}(?:[.][0-9]{1,6})?) GMT$')::timestamp
                      AT TIME ZONE 'UTC') >= @IAmAliveTime
                ELSE true
            END
  );
$q$) ON CONFLICT (QueryKey) DO UPDATE SET QueryText = excluded.QueryText;

-- Removes one defunct silo the provider picked (Dead, old, unsuspected, judged in .NET) only if
-- its row still holds exactly the values the provider read; an empty and a NULL SuspectTimes are
-- the same (no suspicion).
INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('CleanupDefunctSiloEntryKey', $q$
DELETE FROM OrleansMembershipTable
WHERE DeploymentId = @DeploymentId AND Address = @Address AND Port = @Port AND Generation = @Generation
  AND Status = 6
  AND StartTime = @StartTime
  AND IAmAliveTime = @IAmAliveTime
  AND COALESCE(SuspectTimes, '') = COALESCE(@SuspectTimes, '');
$q$) ON CONFLICT (QueryKey) DO UPDATE SET QueryText = excluded.QueryText;
