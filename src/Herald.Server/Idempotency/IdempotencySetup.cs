using Herald.Server.Storage;

namespace Herald.Server.Idempotency;

public static class IdempotencySetup
{
    public static IServiceCollection AddIdempotency(this IServiceCollection services)
    {
        services.AddStore<IIdempotencyStore, SqliteIdempotencyStore, PostgresIdempotencyStore>();
        services.AddHostedService<IdempotencyPurger>();
        return services;
    }
}
