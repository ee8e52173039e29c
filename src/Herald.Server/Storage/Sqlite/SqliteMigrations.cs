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
    ];
}
