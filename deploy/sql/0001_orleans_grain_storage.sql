-- 0001_orleans_grain_storage.sql
--
-- PostgreSQL schema for Orleans grain persistence through the ADO.NET provider:
--   NuGet Microsoft.Orleans.Persistence.AdoNet 10.4.2, Invariant = "Npgsql" (Npgsql 10.x).
-- The NuGet package ships no SQL, so OrleansChat owns this script. It follows the
-- contract of upstream dotnet/orleans src/AdoNet (Shared/PostgreSQL-Main.sql +
-- Orleans.Persistence.AdoNet/PostgreSQL-Persistence.sql incl. the 3.6.0 timestamptz migration).
--
-- Contract the provider relies on (do not change without re-checking the provider source):
--   * At startup it reads OrleansQuery(QueryKey, QueryText) and needs the rows
--     WriteToStorageKey, ReadFromStorageKey, ClearStorageKey and (for DeleteStateOnClear=true)
--     DeleteStorageKey.
--   * It binds parameters BY NAME: @GrainIdHash (int4), @GrainIdN0 (int8), @GrainIdN1 (int8),
--     @GrainTypeHash (int4), @GrainTypeString (text), @GrainIdExtensionString (text, may be NULL),
--     @ServiceId (text), @GrainStateVersion (int4, NULL on first write), @PayloadBinary (bytea).
--   * It reads result columns BY NAME: PayloadBinary and Version (read), NewGrainStateVersion
--     (write/clear/delete). The ETag is the integer Version, so it must stay int4.
--   * "GrainTypeString" receives the *state name* of [PersistentState("name", ...)], not the
--     grain class name.
--
-- Written to be applied once inside a single transaction (no psql meta-commands, no
-- CREATE DATABASE, no explicit BEGIN/COMMIT). It is also idempotent: re-running it is harmless.
-- Unquoted identifiers fold to lower case in PostgreSQL (orleansquery, orleansstorage, ...).

-- ---------------------------------------------------------------------------------------------
-- Query catalogue shared by all Orleans ADO.NET providers.
-- ---------------------------------------------------------------------------------------------
CREATE TABLE IF NOT EXISTS OrleansQuery
(
    QueryKey  varchar(64)   NOT NULL,
    QueryText varchar(8000) NOT NULL,

    CONSTRAINT OrleansQuery_Key PRIMARY KEY (QueryKey)
);

-- ---------------------------------------------------------------------------------------------
-- Grain state rows. One row per (ServiceId, state name, grain key).
--   GrainIdN0/GrainIdN1 : the two halves of a Guid key, or (0, key) for an integer key,
--                         or (0, 0) for a string key.
--   GrainIdExtensionString : the key extension of compound keys, or the WHOLE key for
--                         string-keyed grains; NULL for plain Guid/integer keys.
--   PayloadBinary       : serialized state; NULL after ClearStateAsync (unless DeleteStateOnClear).
--   Version             : the ETag (1 on first write, +1 on every write/clear).
-- ---------------------------------------------------------------------------------------------
CREATE TABLE IF NOT EXISTS OrleansStorage
(
    GrainIdHash            integer      NOT NULL,
    GrainIdN0              bigint       NOT NULL,
    GrainIdN1              bigint       NOT NULL,
    GrainTypeHash          integer      NOT NULL,
    GrainTypeString        varchar(512) NOT NULL,
    GrainIdExtensionString varchar(512),
    ServiceId              varchar(150) NOT NULL,
    PayloadBinary          bytea,
    ModifiedOn             timestamptz  NOT NULL,
    Version                integer
);

CREATE INDEX IF NOT EXISTS IX_OrleansStorage
    ON OrleansStorage USING btree (GrainIdHash, GrainTypeHash);

-- ---------------------------------------------------------------------------------------------
-- Upsert used by WriteToStorageKey. Returns a single row with NewGrainStateVersion:
--   * the new version when the write succeeded;
--   * the unchanged input version (or NULL on a first write) when it did not, which the
--     provider turns into an InconsistentStateException (ETag conflict).
-- Parameter names/types mirror the provider's bound parameters (see header).
-- ---------------------------------------------------------------------------------------------
CREATE OR REPLACE FUNCTION WriteToStorage(
    _GrainIdHash            integer,
    _GrainIdN0              bigint,
    _GrainIdN1              bigint,
    _GrainTypeHash          integer,
    _GrainTypeString        varchar,
    _GrainIdExtensionString varchar,
    _ServiceId              varchar,
    _GrainStateVersion      integer,
    _PayloadBinary          bytea)
    RETURNS TABLE (NewGrainStateVersion integer)
    LANGUAGE plpgsql
AS $body$
DECLARE
    _NewVersion integer := _GrainStateVersion;
    _Affected   integer := 0;
BEGIN
    IF _GrainStateVersion IS NOT NULL THEN
        -- The grain has read (or written) the state before: optimistic update guarded by
        -- the version. A concurrent writer holding a stale version updates zero rows.
        UPDATE OrleansStorage AS s
        SET    PayloadBinary = _PayloadBinary,
               ModifiedOn    = now(),
               Version       = s.Version + 1
        WHERE  s.GrainIdHash = _GrainIdHash
          AND  s.GrainTypeHash = _GrainTypeHash
          AND  s.GrainIdN0 = _GrainIdN0
          AND  s.GrainIdN1 = _GrainIdN1
          AND  s.GrainTypeString = _GrainTypeString
          AND  s.GrainIdExtensionString IS NOT DISTINCT FROM _GrainIdExtensionString
          AND  s.ServiceId = _ServiceId
          AND  s.Version IS NOT NULL
          AND  s.Version = _GrainStateVersion;

        GET DIAGNOSTICS _Affected = ROW_COUNT;
        IF _Affected > 0 THEN
            _NewVersion := _GrainStateVersion + 1;
        END IF;
    ELSE
        -- First write for this grain/state. Serialize concurrent first writes of the same
        -- grain (e.g. a duplicate activation) with a transaction-scoped advisory lock, so that
        -- exactly one INSERT wins and the others see its row and return NULL (conflict).
        -- (Addition over upstream, which relies on the NOT EXISTS check alone.)
        PERFORM pg_advisory_xact_lock(hashtext('OrleansStorage'), _GrainIdHash);

        INSERT INTO OrleansStorage
            (GrainIdHash, GrainIdN0, GrainIdN1, GrainTypeHash, GrainTypeString,
             GrainIdExtensionString, ServiceId, PayloadBinary, ModifiedOn, Version)
        SELECT _GrainIdHash, _GrainIdN0, _GrainIdN1, _GrainTypeHash, _GrainTypeString,
               _GrainIdExtensionString, _ServiceId, _PayloadBinary, now(), 1
        WHERE NOT EXISTS
        (
            SELECT 1
            FROM   OrleansStorage AS s
            WHERE  s.GrainIdHash = _GrainIdHash
              AND  s.GrainTypeHash = _GrainTypeHash
              AND  s.GrainIdN0 = _GrainIdN0
              AND  s.GrainIdN1 = _GrainIdN1
              AND  s.GrainTypeString = _GrainTypeString
              AND  s.GrainIdExtensionString IS NOT DISTINCT FROM _GrainIdExtensionString
              AND  s.ServiceId = _ServiceId
        );

        GET DIAGNOSTICS _Affected = ROW_COUNT;
        IF _Affected > 0 THEN
            _NewVersion := 1;
        END IF;
    END IF;

    RETURN QUERY SELECT _NewVersion;
END
$body$;

-- ---------------------------------------------------------------------------------------------
-- Storage queries read by AdoNetGrainStorage at silo startup.
-- Note: inside these literals single quotes are doubled.
-- ---------------------------------------------------------------------------------------------
INSERT INTO OrleansQuery (QueryKey, QueryText)
VALUES
(
    'WriteToStorageKey',
    'SELECT NewGrainStateVersion
     FROM WriteToStorage(@GrainIdHash, @GrainIdN0, @GrainIdN1, @GrainTypeHash, @GrainTypeString,
                         @GrainIdExtensionString, @ServiceId, @GrainStateVersion, @PayloadBinary);'
),
(
    'ReadFromStorageKey',
    'SELECT PayloadBinary, Version
     FROM   OrleansStorage
     WHERE  GrainIdHash = @GrainIdHash
       AND  GrainTypeHash = @GrainTypeHash
       AND  GrainIdN0 = @GrainIdN0
       AND  GrainIdN1 = @GrainIdN1
       AND  GrainTypeString = @GrainTypeString
       AND  ((@GrainIdExtensionString IS NULL AND GrainIdExtensionString IS NULL)
             OR GrainIdExtensionString = @GrainIdExtensionString)
       AND  ServiceId = @ServiceId;'
),
(
    'ClearStorageKey',
    'UPDATE OrleansStorage
     SET    PayloadBinary = NULL,
            ModifiedOn = now(),
            Version = Version + 1
     WHERE  GrainIdHash = @GrainIdHash
       AND  GrainTypeHash = @GrainTypeHash
       AND  GrainIdN0 = @GrainIdN0
       AND  GrainIdN1 = @GrainIdN1
       AND  GrainTypeString = @GrainTypeString
       AND  ((@GrainIdExtensionString IS NULL AND GrainIdExtensionString IS NULL)
             OR GrainIdExtensionString = @GrainIdExtensionString)
       AND  ServiceId = @ServiceId
       AND  Version IS NOT NULL
       AND  Version = @GrainStateVersion
     RETURNING Version AS NewGrainStateVersion;'
),
(
    'DeleteStorageKey',
    'DELETE FROM OrleansStorage
     WHERE  GrainIdHash = @GrainIdHash
       AND  GrainTypeHash = @GrainTypeHash
       AND  GrainIdN0 = @GrainIdN0
       AND  GrainIdN1 = @GrainIdN1
       AND  GrainTypeString = @GrainTypeString
       AND  ((@GrainIdExtensionString IS NULL AND GrainIdExtensionString IS NULL)
             OR GrainIdExtensionString = @GrainIdExtensionString)
       AND  ServiceId = @ServiceId
       AND  Version IS NOT NULL
       AND  Version = @GrainStateVersion
     RETURNING Version + 1 AS NewGrainStateVersion;'
)
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = EXCLUDED.QueryText;
