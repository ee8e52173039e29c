namespace Herald.Server.Storage.Sqlite;

/// <summary>The SQLite schema, step by step. Never edit a released step; add a new one.</summary>
internal static class SqliteMigrations
{
    public static readonly Migration[] All =
    [
        new(1, "webhook configs", """
            CREATE TABLE webhook_configs (
                org_id      TEXT NOT NULL,
                id          TEXT NOT NULL,
                event_name  TEXT NOT NULL,
                version     INTEGER NOT NULL,
                created_at  TEXT NOT NULL,
                updated_at  TEXT NOT NULL,
                document    TEXT NOT NULL,
                secrets     BLOB NOT NULL,
                PRIMARY KEY (org_id, id)
            ) WITHOUT ROWID;
            CREATE UNIQUE INDEX ux_webhook_configs_id ON webhook_configs (id);
            CREATE INDEX ix_webhook_configs_event ON webhook_configs (org_id, event_name);
            """),
        new(2, "organization signing keys", """
            CREATE TABLE org_signing_keys (
                org_id       TEXT NOT NULL,
                key_id       TEXT NOT NULL,
                created_at   TEXT NOT NULL,
                public_key   BLOB NOT NULL,
                private_key  BLOB NOT NULL,
                retired_at   TEXT NULL,
                PRIMARY KEY (org_id, key_id)
            ) WITHOUT ROWID;
            """),
        new(3, "events, delivery jobs and attempts", """
            CREATE TABLE webhook_events (
                event_id          TEXT PRIMARY KEY,
                org_id            TEXT NOT NULL,
                config_id         TEXT NOT NULL,
                event_name        TEXT NOT NULL,
                created_at        TEXT NOT NULL,
                status            TEXT NOT NULL,
                retry_attempt     INTEGER NOT NULL DEFAULT 0,
                http_method       TEXT NULL,
                url               TEXT NULL,
                metadata          TEXT NULL,
                input             TEXT NOT NULL,
                payload           TEXT NULL,
                original_payload  TEXT NULL,
                http_response     TEXT NULL,
                start_date        TEXT NULL,
                end_date          TEXT NULL
            ) WITHOUT ROWID;
            CREATE INDEX ix_webhook_events_page ON webhook_events (org_id, config_id, created_at DESC, event_id DESC);
            CREATE INDEX ix_webhook_events_created ON webhook_events (created_at);

            CREATE TABLE delivery_jobs (
                job_id             INTEGER PRIMARY KEY AUTOINCREMENT,
                event_id           TEXT NOT NULL,
                org_id             TEXT NOT NULL,
                config_id          TEXT NOT NULL,
                kind               TEXT NOT NULL,
                attempt            INTEGER NOT NULL DEFAULT 0,
                reapply_transform  INTEGER NOT NULL DEFAULT 0,
                due_at             TEXT NOT NULL,
                lease_owner        TEXT NULL,
                lease_until        TEXT NULL,
                reclaims           INTEGER NOT NULL DEFAULT 0
            );
            CREATE INDEX ix_delivery_jobs_due ON delivery_jobs (due_at, job_id);
            CREATE INDEX ix_delivery_jobs_event ON delivery_jobs (event_id);

            CREATE TABLE delivery_attempts (
                attempt_id        INTEGER PRIMARY KEY AUTOINCREMENT,
                event_id          TEXT NOT NULL,
                org_id            TEXT NOT NULL,
                number            INTEGER NOT NULL,
                kind              TEXT NOT NULL,
                started_at        TEXT NOT NULL,
                duration_ms       INTEGER NOT NULL,
                status_code       INTEGER NULL,
                code              TEXT NULL,
                message           TEXT NULL,
                response_excerpt  TEXT NULL,
                after_reclaim     INTEGER NOT NULL DEFAULT 0
            );
            CREATE INDEX ix_delivery_attempts_event ON delivery_attempts (event_id, attempt_id);
            CREATE INDEX ix_delivery_attempts_started ON delivery_attempts (started_at);
            """),
        new(4, "environment variables", """
            CREATE TABLE environment_variables (
                org_id        TEXT NOT NULL,
                key           TEXT NOT NULL,
                type          TEXT NOT NULL,
                description   TEXT NULL,
                group_name    TEXT NULL,
                protected     INTEGER NOT NULL DEFAULT 0,
                value         TEXT NULL,
                sealed_value  BLOB NULL,
                version       INTEGER NOT NULL,
                created_at    TEXT NOT NULL,
                updated_at    TEXT NOT NULL,
                PRIMARY KEY (org_id, key)
            ) WITHOUT ROWID;
            """),
        new(5, "idempotency keys", """
            CREATE TABLE idempotency_keys (
                org_id           TEXT NOT NULL,
                scope            TEXT NOT NULL,
                idempotency_key  TEXT NOT NULL,
                created_at       TEXT NOT NULL,
                status_code      INTEGER NOT NULL,
                body             TEXT NOT NULL,
                completed        INTEGER NOT NULL,
                PRIMARY KEY (org_id, scope, idempotency_key)
            ) WITHOUT ROWID;
            CREATE INDEX ix_idempotency_keys_created ON idempotency_keys (created_at);
            """),
        // Events move to a rowid table: their rows carry payloads of kilobytes, and a WITHOUT ROWID table stores a row
        // that large on overflow pages (SQLite recommends WITHOUT ROWID only for rows under ~1/20 of a page), which
        // multiplied the file size and slowed every page of the event list.
        new(6, "replay chains; events in a rowid table", """
            ALTER TABLE delivery_jobs ADD COLUMN after_job_id INTEGER NULL;

            CREATE TABLE webhook_events_v6 (
                event_id          TEXT NOT NULL PRIMARY KEY,
                org_id            TEXT NOT NULL,
                config_id         TEXT NOT NULL,
                event_name        TEXT NOT NULL,
                created_at        TEXT NOT NULL,
                status            TEXT NOT NULL,
                retry_attempt     INTEGER NOT NULL DEFAULT 0,
                http_method       TEXT NULL,
                url               TEXT NULL,
                metadata          TEXT NULL,
                input             TEXT NOT NULL,
                payload           TEXT NULL,
                original_payload  TEXT NULL,
                http_response     TEXT NULL,
                start_date        TEXT NULL,
                end_date          TEXT NULL
            );
            INSERT INTO webhook_events_v6 SELECT * FROM webhook_events ORDER BY created_at, event_id;
            DROP TABLE webhook_events;
            ALTER TABLE webhook_events_v6 RENAME TO webhook_events;
            CREATE INDEX ix_webhook_events_page ON webhook_events (org_id, config_id, created_at DESC, event_id DESC);
            CREATE INDEX ix_webhook_events_created ON webhook_events (created_at);
            """),
        // A fan-out's payload is stored once; each of its events names it and keeps only its own values in input.
        new(7, "shared inputs of fan-outs", """
            CREATE TABLE event_inputs (
                input_id        TEXT NOT NULL PRIMARY KEY,
                stored_at       TEXT NOT NULL,
                body            TEXT NOT NULL,
                slots           TEXT NOT NULL,
                metadata_start  INTEGER NULL,
                metadata_end    INTEGER NULL
            );
            CREATE INDEX ix_event_inputs_stored ON event_inputs (stored_at);
            ALTER TABLE webhook_events ADD COLUMN input_id TEXT NULL;
            CREATE INDEX ix_webhook_events_input ON webhook_events (input_id) WHERE input_id IS NOT NULL;
            """),
        // The request each try sent (method, url, headers with credentials redacted), one JSON text per attempt.
        new(8, "the request of each attempt", """
            ALTER TABLE delivery_attempts ADD COLUMN request TEXT NULL;
            """),
        // Rotations: a config whose replaced signing secret awaits deletion (the secret itself stays sealed with the
        // config's other secrets); organization keys are looked up by retirement for their deletion.
        new(9, "signing-secret and key rotations", """
            CREATE TABLE retiring_signing_secrets (
                org_id      TEXT NOT NULL,
                config_id   TEXT NOT NULL,
                expires_at  TEXT NOT NULL,
                PRIMARY KEY (org_id, config_id)
            ) WITHOUT ROWID;
            CREATE INDEX ix_retiring_signing_secrets_expires ON retiring_signing_secrets (expires_at);
            CREATE INDEX ix_org_signing_keys_retired ON org_signing_keys (retired_at) WHERE retired_at IS NOT NULL;
            """),
        // A running recovery of a config's failed events: its window as asked (one per config and window), how far it
        // has queued replays. The row goes when the recovery is done.
        new(10, "event recoveries", """
            CREATE TABLE event_recoveries (
                recovery_id       TEXT NOT NULL PRIMARY KEY,
                org_id            TEXT NOT NULL,
                config_id         TEXT NOT NULL,
                window_key        TEXT NOT NULL,
                since             TEXT NOT NULL,
                until             TEXT NOT NULL,
                total             INTEGER NOT NULL,
                paged             INTEGER NOT NULL DEFAULT 0,
                after_created_at  TEXT NULL,
                after_event_id    TEXT NULL,
                created_at        TEXT NOT NULL
            );
            CREATE UNIQUE INDEX ux_event_recoveries_window ON event_recoveries (org_id, config_id, window_key);
            """),
        // A config's failed attempts since its last success, kept with the outcomes; gone with its config.
        new(11, "config health", """
            CREATE TABLE config_health (
                org_id            TEXT NOT NULL,
                config_id         TEXT NOT NULL,
                first_failure_at  TEXT NOT NULL,
                failures          INTEGER NOT NULL,
                last_failure_at   TEXT NOT NULL,
                last_failure      TEXT NULL,
                PRIMARY KEY (org_id, config_id)
            ) WITHOUT ROWID;
            CREATE TRIGGER tr_webhook_configs_health AFTER DELETE ON webhook_configs
            BEGIN
                DELETE FROM config_health WHERE org_id = old.org_id AND config_id = old.id;
            END;
            """),
        // Jobs handed to the node at once are leased from their insert, with a due time in the past: the claim's walk of
        // (due_at, job_id) stepped over every one of them to find the few that wait. Waiting jobs and leased ones now
        // have an index each: a claim reads only what it may take.
        new(12, "claims read waiting jobs and expired leases from indexes of their own", """
            CREATE INDEX ix_delivery_jobs_waiting ON delivery_jobs (due_at, job_id) WHERE lease_until IS NULL;
            CREATE INDEX ix_delivery_jobs_leased ON delivery_jobs (lease_until) WHERE lease_until IS NOT NULL;
            DROP INDEX ix_delivery_jobs_due;
            """),
        // A claim takes each organization's waiting jobs in turn (DeliveryWorker): it finds the organizations with
        // waiting jobs, and each one's oldest, through this index, one step each, however many jobs wait.
        new(13, "claims take organizations in turn", """
            CREATE INDEX ix_delivery_jobs_waiting_by_org ON delivery_jobs (org_id, due_at) WHERE lease_until IS NULL;
            """),
    ];
}
