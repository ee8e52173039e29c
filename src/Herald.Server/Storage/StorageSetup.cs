using Herald.Server.Http;
using Herald.Server.Storage.Postgres;
using Herald.Server.Storage.Sqlite;

namespace Herald.Server.Storage;

public static class StorageSetup
{
    /// <summary>Registers the configured engine. Features register their stores with <see cref="StoreRegistration.AddStore{TStore,TSqlite,TPostgres}"/>.</summary>
    public static IServiceCollection AddStorage(this IServiceCollection services)
    {
        // Options are read when first resolved, not while registering, so that every configuration source
        // (including a test host's overrides) has been added by then.
        services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IConfiguration>().GetSection(StorageOptions.Section).Get<StorageOptions>() ?? new StorageOptions();
            // A relative data folder is relative to the content root, wherever the process was started from.
            options.DataDirectory = Path.GetFullPath(options.DataDirectory, sp.GetRequiredService<IHostEnvironment>().ContentRootPath);
            return options.Validated();
        });
        services.AddSingleton(sp => new SqliteDatabase(sp.GetRequiredService<StorageOptions>(), sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<StorageOptions>();
            return string.IsNullOrWhiteSpace(options.ConnectionString)
                ? throw new InvalidSettingException("Storage:ConnectionString is required when Storage:Provider is Postgres")
                : new PostgresDatabase(options, sp.GetRequiredService<TimeProvider>());
        });
        services.AddSingleton<IDatabase>(sp => sp.GetRequiredService<StorageOptions>().Provider == StorageProvider.Postgres
            ? sp.GetRequiredService<PostgresDatabase>()
            : sp.GetRequiredService<SqliteDatabase>());
        // One write lane per database: every feature's writes take turns on it and share its compiled statements.
        services.AddSingleton(sp => new SqliteWriteLane(sp.GetRequiredService<SqliteDatabase>()));
        services.AddSingleton<IWriteSessions>(sp => sp.GetRequiredService<StorageOptions>().Provider == StorageProvider.Postgres
            ? new PostgresWriteSessions(sp.GetRequiredService<PostgresDatabase>())
            : new SqliteWriteSessions(sp.GetRequiredService<SqliteWriteLane>()));
        services.AddSingleton<GroupCommit>();
        services.AddSingleton(sp => new DiskRoom(
            sp.GetRequiredService<StorageOptions>(),
            sp.GetRequiredService<StorageOptions>().Provider == StorageProvider.Sqlite ? sp.GetRequiredService<SqliteDatabase>().FileDirectory : null,
            sp.GetRequiredService<ILogger<DiskRoom>>()));
        services.AddHostedService<MigrationRunner>();
        // On SQLite, the log's checkpoints run off the request path (a no-op on PostgreSQL).
        services.AddHostedService<SqliteCheckpoints>();
        return services;
    }

    /// <summary>Applies migrations before the server takes requests (hosted services start before Kestrel listens).</summary>
    private sealed class MigrationRunner(IDatabase database) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken) => database.MigrateAsync(cancellationToken);

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
