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

    /// <summary>128 MiB.</summary>
    public const long DefaultMinFreeBytes = 128L * 1024 * 1024;

    /// <summary>
    /// On SQLite, the free bytes the disk that holds the database file must keep: below it a node takes no new events
    /// or replays (<see cref="DiskRoom"/>), so that what it accepted can still be delivered and recorded. 0 turns the
    /// check off; PostgreSQL's disk is the server's, and not checked here.
    /// </summary>
    public long MinFreeBytes { get; set; } = DefaultMinFreeBytes;

    public StorageOptions Validated() => MinFreeBytes < 0
        ? throw new Http.InvalidSettingException($"{Section}:MinFreeBytes must be at least 0 (got {MinFreeBytes}); 0 turns the check of the database disk's free space off")
        : this;
}
