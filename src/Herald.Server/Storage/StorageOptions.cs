namespace Herald.Server.Storage;

public enum StorageProvider
{
    Sqlite,
    Postgres,
}

/// <summary>The <c>Storage</c> section: which engine holds Herald's state, and where.</summary>
public sealed class StorageOptions
{
    public const string Section = "Storage";

    /// <summary><c>Sqlite</c> (embedded, the default) or <c>Postgres</c> (several nodes sharing one database).</summary>
    public StorageProvider Provider { get; set; } = StorageProvider.Sqlite;

    /// <summary>The engine's connection string. SQLite defaults to <c>Data Source={DataDirectory}/herald.db</c>.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>Folder for the embedded database and the generated master key when none is configured.</summary>
    public string DataDirectory { get; set; } = "data";

    /// <summary>
    /// On PostgreSQL: whether the commits that only record attempts' outcomes also wait until the server has written
    /// them to disk. By default they do not (<c>synchronous_commit</c> off for those transactions alone): a server
    /// crash within its WAL writer's delay (200 ms by default) can then forget an outcome, and the event, whose job is
    /// forgotten as done with it, is delivered again. Accepted events, config writes and every other commit always
    /// wait. SQLite ignores it (its commits are on disk at the next checkpoint either way).
    /// </summary>
    public bool FlushOutcomes { get; set; }
}
