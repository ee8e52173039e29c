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
    ];
}
