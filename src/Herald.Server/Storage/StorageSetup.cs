using Herald.Server.Storage.Postgres;
using Herald.Server.Storage.Sqlite;

namespace Herald.Server.Storage;

public static class StorageSetup
{
    /// <summary>Registers the configured engine. Features register their stores with <see cref="AddStore{TStore,TSqlite,TPostgres}"/>.</summary>
    public static IServiceCollection AddStorage(this IServiceCollection services, IConfiguration configuration)
    {
        var options = configuration.GetSection(StorageOptions.Section).Get<StorageOptions>() ?? new StorageOptions();
        services.AddSingleton(options);
        if (options.Provider == StorageProvider.Postgres)
        {
            if (string.IsNullOrWhiteSpace(options.ConnectionString))
            {
                throw new InvalidOperationException("Storage:ConnectionString is required when Storage:Provider is Postgres");
            }
            services.AddSingleton<PostgresDatabase>();
            services.AddSingleton<IDatabase>(sp => sp.GetRequiredService<PostgresDatabase>());
        }
        else
        {
            services.AddSingleton<SqliteDatabase>();
            services.AddSingleton<IDatabase>(sp => sp.GetRequiredService<SqliteDatabase>());
        }
        services.AddHostedService<MigrationRunner>();
        return services;
    }

    public static IServiceCollection AddStore<TStore, TSqlite, TPostgres>(this IServiceCollection services)
        where TStore : class
        where TSqlite : class, TStore
        where TPostgres : class, TStore
    {
        services.AddSingleton<TStore>(sp => sp.GetRequiredService<StorageOptions>().Provider == StorageProvider.Postgres
            ? ActivatorUtilities.CreateInstance<TPostgres>(sp)
            : ActivatorUtilities.CreateInstance<TSqlite>(sp));
        return services;
    }

    /// <summary>Applies migrations before the server takes requests (hosted services start before Kestrel listens).</summary>
    private sealed class MigrationRunner(IDatabase database) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken) => database.MigrateAsync(cancellationToken);

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
