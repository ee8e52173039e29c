namespace Herald.Server.Storage;

/// <summary>One numbered schema step. Steps are applied in order, once, each in its own transaction.</summary>
public sealed record Migration(int Version, string Name, string Sql);

/// <summary>Applies an engine's migrations and answers whether the database is reachable.</summary>
public interface IDatabase
{
    StorageProvider Provider { get; }

    Task MigrateAsync(CancellationToken cancellationToken);

    Task<bool> PingAsync(CancellationToken cancellationToken);
}
