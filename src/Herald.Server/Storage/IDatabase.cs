namespace Herald.Server.Storage;

/// <summary>Applies an engine's migrations and answers whether the database is reachable.</summary>
public interface IDatabase
{
    StorageProvider Provider { get; }

    Task MigrateAsync(CancellationToken cancellationToken);

    Task<bool> PingAsync(CancellationToken cancellationToken);
}
