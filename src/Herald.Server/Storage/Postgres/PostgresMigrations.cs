namespace Herald.Server.Storage.Postgres;

/// <summary>The PostgreSQL schema, step by step. Never edit a released step; add a new one.</summary>
internal static class PostgresMigrations
{
    public static readonly Migration[] All =
    [
        new(1, "webhook configs", """
            CREATE TABLE webhook_configs (
                org_id      text NOT NULL,
                id          text NOT NULL,
                event_name  text NOT NULL,
                version     bigint NOT NULL,
                created_at  timestamptz NOT NULL,
                updated_at  timestamptz NOT NULL,
                document    jsonb NOT NULL,
                secrets     bytea NOT NULL,
                PRIMARY KEY (org_id, id)
            );
            CREATE UNIQUE INDEX ux_webhook_configs_id ON webhook_configs (id);
            CREATE INDEX ix_webhook_configs_event ON webhook_configs (org_id, event_name);
            """),
        new(2, "organization signing keys", """
            CREATE TABLE org_signing_keys (
                org_id       text NOT NULL,
                key_id       text NOT NULL,
                created_at   timestamptz NOT NULL,
                public_key   bytea NOT NULL,
                private_key  bytea NOT NULL,
                retired_at   timestamptz NULL,
                PRIMARY KEY (org_id, key_id)
            );
            """),
        new(3, "events, delivery jobs and attempts", """
            CREATE TABLE webhook_events (
                event_id          text PRIMARY KEY,
                org_id            text NOT NULL,
                config_id         text NOT NULL,
                event_name        text NOT NULL,
                created_at        timestamptz NOT NULL,
                status            text NOT NULL,
                retry_attempt     integer NOT NULL DEFAULT 0,
                http_method       text NULL,
                url               text NULL,
                metadata          text NULL,
                input             text NOT NULL,
                payload           text NULL,
                original_payload  text NULL,
                http_response     text NULL,
                start_date        timestamptz NULL,
                end_date          timestamptz NULL
            );
            CREATE INDEX ix_webhook_events_page ON webhook_events (org_id, config_id, created_at DESC, event_id DESC);
            CREATE INDEX ix_webhook_events_created ON webhook_events (created_at);

            CREATE TABLE delivery_jobs (
                job_id             bigserial PRIMARY KEY,
                event_id           text NOT NULL,
                org_id             text NOT NULL,
                config_id          text NOT NULL,
                kind               text NOT NULL,
                attempt            integer NOT NULL DEFAULT 0,
                reapply_transform  boolean NOT NULL DEFAULT false,
                due_at             timestamptz NOT NULL,
                lease_owner        text NULL,
                lease_until        timestamptz NULL,
                reclaims           integer NOT NULL DEFAULT 0
            );
            CREATE INDEX ix_delivery_jobs_due ON delivery_jobs (due_at, job_id);
            CREATE INDEX ix_delivery_jobs_event ON delivery_jobs (event_id);

            CREATE TABLE delivery_attempts (
                attempt_id        bigserial PRIMARY KEY,
                event_id          text NOT NULL,
                org_id            text NOT NULL,
                number            integer NOT NULL,
                kind              text NOT NULL,
                started_at        timestamptz NOT NULL,
                duration_ms       integer NOT NULL,
                status_code       integer NULL,
                code              text NULL,
                message           text NULL,
                response_excerpt  text NULL,
                after_reclaim     boolean NOT NULL DEFAULT false
            );
            CREATE INDEX ix_delivery_attempts_event ON delivery_attempts (event_id, attempt_id);
            CREATE INDEX ix_delivery_attempts_started ON delivery_attempts (started_at);
            """),
        new(4, "environment variables", """
            CREATE TABLE environment_variables (
                org_id        text NOT NULL,
                key           text NOT NULL,
                type          text NOT NULL,
                description   text NULL,
                group_name    text NULL,
                protected     boolean NOT NULL DEFAULT false,
                value         text NULL,
                sealed_value  bytea NULL,
                version       bigint NOT NULL,
                created_at    timestamptz NOT NULL,
                updated_at    timestamptz NOT NULL,
                PRIMARY KEY (org_id, key)
            );
            """),
        new(5, "idempotency keys", """
            CREATE TABLE idempotency_keys (
                org_id           text NOT NULL,
                scope            text NOT NULL,
                idempotency_key  text NOT NULL,
                created_at       timestamptz NOT NULL,
                status_code      integer NOT NULL,
                body             text NOT NULL,
                completed        boolean NOT NULL,
                PRIMARY KEY (org_id, scope, idempotency_key)
            );
            CREATE INDEX ix_idempotency_keys_created ON idempotency_keys (created_at);
            """),
        new(6, "replay chains: a job may wait for the job before it", """
            ALTER TABLE delivery_jobs ADD COLUMN after_job_id bigint NULL;
            """),
        // A fan-out's payload is stored once; each of its events names it and keeps only its own values in input.
        new(7, "shared inputs of fan-outs", """
            CREATE TABLE event_inputs (
                input_id        text PRIMARY KEY,
                stored_at       timestamptz NOT NULL,
                body            text NOT NULL,
                slots           text NOT NULL,
                metadata_start  integer NULL,
                metadata_end    integer NULL
            );
            CREATE INDEX ix_event_inputs_stored ON event_inputs (stored_at);
            ALTER TABLE webhook_events ADD COLUMN input_id text NULL;
            CREATE INDEX ix_webhook_events_input ON webhook_events (input_id) WHERE input_id IS NOT NULL;
            """),
        // The event log by day: webhook_events by created_at, delivery_attempts by started_at, one partition per UTC
        // day. (The shared inputs of fan-outs, one row per fan-out, stay in one table, swept by rows.) Writers make the partition of a day before its first row
        // (herald_ensure_partition); retention drops whole days (herald_drop_expired_partition) instead of deleting rows.
        // No default partition: with one, a page of events newest first would merge every partition's rows instead of
        // reading the partitions in order. Primary keys carry the partition key; an event id that is a UUIDv7 carries
        // its created_at (herald_uuid7_time), which lookups by id turn into bounds, so only the partitions around it are
        // read. Existing rows are copied over in this step.
        new(8, "event log partitioned by day", """
            CREATE FUNCTION herald_uuid7_time(id text) RETURNS timestamptz
            LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
                SELECT CASE WHEN id ~ '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-7[0-9a-fA-F]{3}-[89abAB][0-9a-fA-F]{3}-[0-9a-fA-F]{12}$'
                    THEN to_timestamp(('x' || lpad(substr(translate(id, '-', ''), 1, 12), 16, '0'))::bit(64)::bigint / 1000.0) END
            $$;

            -- A partition's own indexes, named after the parent's (so plans name them), made before it is attached:
            -- attaching then adopts them into the parent's indexes.
            CREATE FUNCTION herald_partition_indexes(parent text, part text, suffix text) RETURNS void
            LANGUAGE plpgsql AS $$
            BEGIN
                IF parent = 'webhook_events' THEN
                    EXECUTE format('CREATE INDEX %I ON %I (org_id, config_id, created_at DESC, event_id DESC)', 'ix_webhook_events_page_' || suffix, part);
                    EXECUTE format('CREATE INDEX %I ON %I (input_id) WHERE input_id IS NOT NULL', 'ix_webhook_events_input_' || suffix, part);
                ELSIF parent = 'delivery_attempts' THEN
                    EXECUTE format('CREATE INDEX %I ON %I (event_id, attempt_id)', 'ix_delivery_attempts_event_' || suffix, part);
                END IF;
            END $$;

            -- The day partition of one table (webhook_events or delivery_attempts), made unless it exists.
            -- True when it was made.
            CREATE FUNCTION herald_ensure_partition(parent text, day date) RETURNS boolean
            LANGUAGE plpgsql AS $$
            DECLARE
                part text := parent || '_p' || to_char(day, 'YYYYMMDD');
                lower_bound timestamptz := day::timestamp AT TIME ZONE 'UTC';
                upper_bound timestamptz := (day + 1)::timestamp AT TIME ZONE 'UTC';
            BEGIN
                IF parent NOT IN ('webhook_events', 'delivery_attempts') THEN
                    RAISE EXCEPTION '% is not a partitioned table of the event log', parent;
                END IF;
                IF to_regclass(part) IS NOT NULL THEN
                    RETURN false;
                END IF;
                -- The lock ATTACH takes anyway (inserts go on meanwhile): two makers of one day wait for each other, and
                -- taking it makes this transaction see a partition the other one made.
                EXECUTE format('LOCK TABLE %I IN SHARE UPDATE EXCLUSIVE MODE', parent);
                IF to_regclass(part) IS NOT NULL THEN
                    RETURN false;
                END IF;
                -- Events are updated once or twice after their insert: room on the page keeps those updates HOT.
                EXECUTE format('CREATE TABLE %I (LIKE %I INCLUDING DEFAULTS) WITH (fillfactor = %s)', part, parent, CASE parent WHEN 'webhook_events' THEN 80 ELSE 100 END);
                PERFORM herald_partition_indexes(parent, part, to_char(day, '"p"YYYYMMDD'));
                EXECUTE format('ALTER TABLE %I ATTACH PARTITION %I FOR VALUES FROM (%L) TO (%L)', parent, part, lower_bound, upper_bound);
                RETURN true;
            END $$;

            -- Every day partition of the two tables from first_day to last_day. Returns how many were made.
            CREATE FUNCTION herald_ensure_partitions(first_day date, last_day date) RETURNS integer
            LANGUAGE sql AS $$
                SELECT COALESCE(SUM(herald_ensure_partition(t, d::date)::int), 0)::int
                FROM generate_series(first_day, last_day, interval '1 day') d,
                     unnest(ARRAY['webhook_events', 'delivery_attempts']) t
            $$;

            -- One day partition whose whole day is older than cutoff: dropped, unless a job still names one of its events
            -- (then its other events are deleted and it stays until the jobs are done). True when dropped.
            CREATE FUNCTION herald_drop_expired_partition(part text, cutoff timestamptz) RETURNS boolean
            LANGUAGE plpgsql AS $$
            DECLARE
                held boolean;
            BEGIN
                IF part !~ '^(webhook_events|delivery_attempts)_p[0-9]{8}$' OR to_regclass(part) IS NULL
                   OR (to_date(right(part, 8), 'YYYYMMDD') + 1)::timestamp AT TIME ZONE 'UTC' > cutoff THEN
                    RETURN false;
                END IF;
                IF part LIKE 'webhook_events_p%' THEN
                    EXECUTE format('SELECT EXISTS (SELECT 1 FROM delivery_jobs j WHERE EXISTS (SELECT 1 FROM %I e WHERE e.event_id = j.event_id))', part) INTO held;
                    IF held THEN
                        EXECUTE format('DELETE FROM %I e WHERE NOT EXISTS (SELECT 1 FROM delivery_jobs j WHERE j.event_id = e.event_id)', part);
                        RETURN false;
                    END IF;
                END IF;
                EXECUTE format('DROP TABLE %I', part);
                RETURN true;
            END $$;

            ALTER TABLE webhook_events RENAME TO webhook_events_unpartitioned;
            ALTER TABLE delivery_attempts RENAME TO delivery_attempts_unpartitioned;
            ALTER SEQUENCE delivery_attempts_attempt_id_seq OWNED BY NONE;
            ALTER INDEX ix_webhook_events_page RENAME TO ix_webhook_events_page_unpartitioned;
            ALTER INDEX ix_webhook_events_input RENAME TO ix_webhook_events_input_unpartitioned;
            ALTER INDEX ix_delivery_attempts_event RENAME TO ix_delivery_attempts_event_unpartitioned;
            ALTER TABLE webhook_events_unpartitioned RENAME CONSTRAINT webhook_events_pkey TO webhook_events_unpartitioned_pkey;
            ALTER TABLE delivery_attempts_unpartitioned RENAME CONSTRAINT delivery_attempts_pkey TO delivery_attempts_unpartitioned_pkey;

            CREATE TABLE webhook_events (LIKE webhook_events_unpartitioned INCLUDING DEFAULTS, PRIMARY KEY (event_id, created_at)) PARTITION BY RANGE (created_at);
            CREATE INDEX ix_webhook_events_page ON webhook_events (org_id, config_id, created_at DESC, event_id DESC);
            CREATE INDEX ix_webhook_events_input ON webhook_events (input_id) WHERE input_id IS NOT NULL;
            CREATE TABLE delivery_attempts (LIKE delivery_attempts_unpartitioned INCLUDING DEFAULTS, PRIMARY KEY (attempt_id, started_at)) PARTITION BY RANGE (started_at);
            CREATE INDEX ix_delivery_attempts_event ON delivery_attempts (event_id, attempt_id);

            -- A partition for every day that has rows, then the rows. The time indexes (created_at, started_at) gave way to the partitions: retention drops days, and a purge of one day reads one partition.
            SELECT herald_ensure_partition('webhook_events', d) FROM (SELECT DISTINCT (created_at AT TIME ZONE 'UTC')::date AS d FROM webhook_events_unpartitioned) days;
            SELECT herald_ensure_partition('delivery_attempts', d) FROM (SELECT DISTINCT (started_at AT TIME ZONE 'UTC')::date AS d FROM delivery_attempts_unpartitioned) days;
            INSERT INTO webhook_events SELECT * FROM webhook_events_unpartitioned;
            INSERT INTO delivery_attempts SELECT * FROM delivery_attempts_unpartitioned;
            DROP TABLE webhook_events_unpartitioned;
            DROP TABLE delivery_attempts_unpartitioned;
            ALTER SEQUENCE delivery_attempts_attempt_id_seq OWNED BY delivery_attempts.attempt_id;
            """),
        // The request each try sent (method, url, headers with credentials redacted), one JSON text per attempt. Added
        // to the partitioned table, so to every day partition, and to those made later (LIKE the parent).
        new(9, "the request of each attempt", """
            ALTER TABLE delivery_attempts ADD COLUMN request text NULL;
            """),
        // Rotations: a config whose replaced signing secret awaits deletion (the secret itself stays sealed with the
        // config's other secrets); organization keys are looked up by retirement for their deletion.
        new(10, "signing-secret and key rotations", """
            CREATE TABLE retiring_signing_secrets (
                org_id      text NOT NULL,
                config_id   text NOT NULL,
                expires_at  timestamptz NOT NULL,
                PRIMARY KEY (org_id, config_id)
            );
            CREATE INDEX ix_retiring_signing_secrets_expires ON retiring_signing_secrets (expires_at);
            CREATE INDEX ix_org_signing_keys_retired ON org_signing_keys (retired_at) WHERE retired_at IS NOT NULL;
            """),
        // A running recovery of a config's failed events: its window as asked (one per config and window), how far it
        // has queued replays. The row goes when the recovery is done.
        new(11, "event recoveries", """
            CREATE TABLE event_recoveries (
                recovery_id       text PRIMARY KEY,
                org_id            text NOT NULL,
                config_id         text NOT NULL,
                window_key        text NOT NULL,
                since             timestamptz NOT NULL,
                until             timestamptz NOT NULL,
                total             integer NOT NULL,
                paged             integer NOT NULL DEFAULT 0,
                after_created_at  timestamptz NULL,
                after_event_id    text NULL,
                created_at        timestamptz NOT NULL
            );
            CREATE UNIQUE INDEX ux_event_recoveries_window ON event_recoveries (org_id, config_id, window_key);
            """),
        // A config's failed attempts since its last success, kept with the outcomes; gone with its config.
        new(12, "config health", """
            CREATE TABLE config_health (
                org_id            text NOT NULL,
                config_id         text NOT NULL,
                first_failure_at  timestamptz NOT NULL,
                failures          integer NOT NULL,
                last_failure_at   timestamptz NOT NULL,
                last_failure      text NULL,
                PRIMARY KEY (org_id, config_id)
            );
            CREATE FUNCTION herald_forget_config_health() RETURNS trigger
            LANGUAGE plpgsql AS $$
            BEGIN
                DELETE FROM config_health WHERE org_id = OLD.org_id AND config_id = OLD.id;
                RETURN OLD;
            END $$;
            CREATE TRIGGER tr_webhook_configs_health AFTER DELETE ON webhook_configs
            FOR EACH ROW EXECUTE FUNCTION herald_forget_config_health();
            """),
        // An event's outcome rewrites its row (about 1.3 KB for a typical trigger) and two thirds of those rewrites found
        // no room on the row's page at fillfactor 80 (four or five rows a page, room for one new version): not HOT, so a
        // new entry in each of the partition's indexes. At fillfactor 50 a page keeps room for the new versions of its
        // rows. Existing day partitions take the setting for the pages they fill from now on. Self-contained:
        // herald_ensure_partition is redefined here whole.
        new(13, "event partitions keep room on their pages for outcome updates", """
            DO $$
            DECLARE
                part text;
            BEGIN
                FOR part IN SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid JOIN pg_class p ON p.oid = i.inhparent
                            WHERE p.relname = 'webhook_events'
                LOOP
                    EXECUTE format('ALTER TABLE %I SET (fillfactor = 50)', part);
                END LOOP;
            END $$;

            CREATE OR REPLACE FUNCTION herald_ensure_partition(parent text, day date) RETURNS boolean
            LANGUAGE plpgsql AS $$
            DECLARE
                part text := parent || '_p' || to_char(day, 'YYYYMMDD');
                lower_bound timestamptz := day::timestamp AT TIME ZONE 'UTC';
                upper_bound timestamptz := (day + 1)::timestamp AT TIME ZONE 'UTC';
            BEGIN
                IF parent NOT IN ('webhook_events', 'delivery_attempts') THEN
                    RAISE EXCEPTION '% is not a partitioned table of the event log', parent;
                END IF;
                IF to_regclass(part) IS NOT NULL THEN
                    RETURN false;
                END IF;
                -- The lock ATTACH takes anyway (inserts go on meanwhile): two makers of one day wait for each other, and
                -- taking it makes this transaction see a partition the other one made.
                EXECUTE format('LOCK TABLE %I IN SHARE UPDATE EXCLUSIVE MODE', parent);
                IF to_regclass(part) IS NOT NULL THEN
                    RETURN false;
                END IF;
                -- Events are updated once or twice after their insert: room on the page keeps those updates HOT.
                EXECUTE format('CREATE TABLE %I (LIKE %I INCLUDING DEFAULTS) WITH (fillfactor = %s)', part, parent, CASE parent WHEN 'webhook_events' THEN 50 ELSE 100 END);
                PERFORM herald_partition_indexes(parent, part, to_char(day, '"p"YYYYMMDD'));
                EXECUTE format('ALTER TABLE %I ATTACH PARTITION %I FOR VALUES FROM (%L) TO (%L)', parent, part, lower_bound, upper_bound);
                RETURN true;
            END $$;
            """),
        // A trigger may use the config record its node read before, unread: the group commit that writes its event
        // checks, in the same transaction, that each config's row is still the version read (its xmin and version),
        // and fails whole, with SQLSTATE HR001, when one is not, so that its triggers read their configs again. A
        // procedure, so that the check answers no rows among the batch's statements.
        new(14, "triggers check their configs' stamps in the transaction that writes their events", """
            CREATE PROCEDURE herald_check_config_stamps(orgs text[], ids text[], row_versions xid[], versions bigint[])
            LANGUAGE plpgsql AS $$
            DECLARE
                changed text;
            BEGIN
                SELECT string_agg(s.org_id || '/' || s.id, ', ') INTO changed
                FROM unnest(orgs, ids, row_versions, versions) AS s(org_id, id, row_version, version)
                WHERE NOT EXISTS (SELECT 1 FROM webhook_configs c
                                  WHERE c.org_id = s.org_id AND c.id = s.id AND c.xmin = s.row_version AND c.version = s.version);
                IF changed IS NOT NULL THEN
                    RAISE EXCEPTION 'webhook configs changed since this node read them: %', changed USING ERRCODE = 'HR001';
                END IF;
            END $$;
            """),
        // Jobs handed to a node at once are leased from their insert, with a due time in the past: the claim's walk of
        // (due_at, job_id) stepped over every one of them (and their dead versions) to find the few that wait, about
        // 3 ms a claim under load, the most expensive statement per delivery. Waiting jobs and leased ones now have an
        // index each: a claim reads only what it may take.
        new(15, "claims read waiting jobs and expired leases from indexes of their own", """
            CREATE INDEX ix_delivery_jobs_waiting ON delivery_jobs (due_at, job_id) WHERE lease_until IS NULL;
            CREATE INDEX ix_delivery_jobs_leased ON delivery_jobs (lease_until) WHERE lease_until IS NOT NULL;
            DROP INDEX ix_delivery_jobs_due;
            """),
        // An outcome update is HOT, and PostgreSQL then logs only the part of the row between the first and the last
        // byte that changed. In the parent's column order that part reached from status to end_date, the input and
        // metadata included (1.5 KB of log per delivery). A new day partition of the events puts the columns an
        // outcome writes last, in the parent's order among themselves; rows inserted through the parent are mapped to
        // it. Existing partitions keep their order. Self-contained: herald_ensure_partition is redefined here whole.
        new(16, "event partitions keep the columns an outcome writes at the end of the row", """
            CREATE OR REPLACE FUNCTION herald_ensure_partition(parent text, day date) RETURNS boolean
            LANGUAGE plpgsql AS $$
            DECLARE
                part text := parent || '_p' || to_char(day, 'YYYYMMDD');
                lower_bound timestamptz := day::timestamp AT TIME ZONE 'UTC';
                upper_bound timestamptz := (day + 1)::timestamp AT TIME ZONE 'UTC';
                columns text;
            BEGIN
                IF parent NOT IN ('webhook_events', 'delivery_attempts') THEN
                    RAISE EXCEPTION '% is not a partitioned table of the event log', parent;
                END IF;
                IF to_regclass(part) IS NOT NULL THEN
                    RETURN false;
                END IF;
                -- The lock ATTACH takes anyway (inserts go on meanwhile): two makers of one day wait for each other, and
                -- taking it makes this transaction see a partition the other one made.
                EXECUTE format('LOCK TABLE %I IN SHARE UPDATE EXCLUSIVE MODE', parent);
                IF to_regclass(part) IS NOT NULL THEN
                    RETURN false;
                END IF;
                IF parent = 'webhook_events' THEN
                    -- Events are updated once or twice after their insert: room on the page keeps those updates HOT, and
                    -- the outcome's columns at the end keep what they log short.
                    SELECT string_agg(format('%I %s%s%s', a.attname, format_type(a.atttypid, a.atttypmod),
                                             CASE WHEN a.attnotnull THEN ' NOT NULL' ELSE '' END,
                                             COALESCE(' DEFAULT ' || pg_get_expr(d.adbin, d.adrelid), '')),
                                      ', ' ORDER BY a.attname IN ('status', 'retry_attempt', 'payload', 'original_payload', 'http_response', 'start_date', 'end_date'), a.attnum)
                    INTO columns
                    FROM pg_attribute a LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
                    WHERE a.attrelid = parent::regclass AND a.attnum > 0 AND NOT a.attisdropped;
                    EXECUTE format('CREATE TABLE %I (%s) WITH (fillfactor = 50)', part, columns);
                ELSE
                    EXECUTE format('CREATE TABLE %I (LIKE %I INCLUDING DEFAULTS) WITH (fillfactor = 100)', part, parent);
                END IF;
                PERFORM herald_partition_indexes(parent, part, to_char(day, '"p"YYYYMMDD'));
                EXECUTE format('ALTER TABLE %I ATTACH PARTITION %I FOR VALUES FROM (%L) TO (%L)', parent, part, lower_bound, upper_bound);
                RETURN true;
            END $$;
            """),
        // A statement sent with the commit, whose answer nobody reads before it, can still stop the transaction: it
        // calls this with its own SQLSTATE when what it found is not what the writer assumed (a completion written as
        // if its lease were held, say).
        new(17, "statements fail their transaction with a state of their own", """
            CREATE FUNCTION herald_fail(state text, message text) RETURNS void
            LANGUAGE plpgsql AS $$
            BEGIN
                RAISE EXCEPTION USING ERRCODE = state, MESSAGE = message;
            END $$;
            """),
        // A claim takes each organization's waiting jobs in turn (DeliveryWorker): it finds the organizations with
        // waiting jobs, and each one's oldest, through this index, one step each, however many jobs wait.
        new(18, "claims take organizations in turn", """
            CREATE INDEX ix_delivery_jobs_waiting_by_org ON delivery_jobs (org_id, due_at, job_id) WHERE lease_until IS NULL;
            """),
    ];
}
