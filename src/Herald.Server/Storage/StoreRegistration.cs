namespace Herald.Server.Storage;

/// <summary>How a feature registers its store: one interface, one implementation per engine, chosen by the configured provider.</summary>
public static class StoreRegistration
{
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
}
