using Herald.Server.Storage;

namespace Herald.Server.Delivery;

public static class DeliverySetup
{
    /// <summary>Triggering, the queue and the attempt machinery; the background workers only when <paramref name="runWorkers"/>.</summary>
    public static IServiceCollection AddDelivery(this IServiceCollection services, bool runWorkers)
    {
        services.AddSingleton(sp => (sp.GetRequiredService<IConfiguration>().GetSection(DeliveryOptions.Section).Get<DeliveryOptions>() ?? new DeliveryOptions()).Validated());
        services.AddSingleton(sp => sp.GetRequiredService<IConfiguration>().GetSection(WorkerOptions.Section).Get<WorkerOptions>() ?? new WorkerOptions());
        services.AddStore<IDeliveryStore, SqliteDeliveryStore, PostgresDeliveryStore>();
        services.AddSingleton<DeliverySignal>();
        services.AddSingleton<DeliveryMetrics>();
        services.AddSingleton<DeliveryPipeline>();
        services.AddSingleton<DeliveryScheduler>();
        services.AddSingleton<AttemptRunner>();
        services.AddSingleton<QueueWriter>();
        services.AddSingleton<Triggering>();
        services.AddSingleton<IdempotentTriggering>();
        services.AddSingleton<LeaseKeeper>();
        services.AddHostedService(sp => sp.GetRequiredService<LeaseKeeper>());
        if (runWorkers)
        {
            services.AddSingleton<DeliveryWorker>();
            services.AddHostedService(sp => sp.GetRequiredService<DeliveryWorker>());
            services.AddHostedService<PostgresWakeListener>();
        }
        return services;
    }
}
