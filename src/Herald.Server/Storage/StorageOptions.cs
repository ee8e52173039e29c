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
}
