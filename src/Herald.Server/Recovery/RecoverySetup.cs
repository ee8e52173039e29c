using Herald.Server.Storage;

namespace Herald.Server.Recovery;

public static class RecoverySetup
{
    /// <summary>Recoveries of failed events: their store and options; the worker that queues their replays only where workers run.</summary>
    public static IServiceCollection AddRecovery(this IServiceCollection services, bool runWorker)
    {
        services.AddSingleton(sp => (sp.GetRequiredService<IConfiguration>().GetSection(RecoveryOptions.Section).Get<RecoveryOptions>() ?? new RecoveryOptions()).Validated());
        services.AddStore<IRecoveryStore, SqliteRecoveryStore, PostgresRecoveryStore>();
        services.AddSingleton<RecoverySignal>();
        services.AddSingleton<RecoveryWorker>();
        if (runWorker)
        {
            services.AddHostedService(sp => sp.GetRequiredService<RecoveryWorker>());
        }
        return services;
    }
}
