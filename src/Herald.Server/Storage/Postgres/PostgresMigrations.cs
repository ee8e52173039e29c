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
    ];
}
