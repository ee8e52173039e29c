using Herald.Server.Storage;

namespace Herald.Server.Delivery;

public static class DeliverySetup
{
    /// <summary>
    /// The queue (Intake's <see cref="Intake.IJobQueue"/>), the job runner and the attempt machinery; the claim loop only
    /// when <paramref name="runWorkers"/>. The event log's and idempotency's stores are their own features' to register.
    /// </summary>
    public static IServiceCollection AddDelivery(this IServiceCollection services, bool runWorkers)
    {
        services.AddSingleton(sp => (sp.GetRequiredService<IConfiguration>().GetSection(DeliveryOptions.Section).Get<DeliveryOptions>() ?? new DeliveryOptions()).Validated());
        services.AddSingleton(sp => (sp.GetRequiredService<IConfiguration>().GetSection(WorkerOptions.Section).Get<WorkerOptions>() ?? new WorkerOptions()).Validated());
        services.AddStore<IDeliveryStore, SqliteDeliveryStore, PostgresDeliveryStore>();
        services.AddSingleton<DeliverySignal>();
        services.AddStore<IQueueReading, SqliteQueueReading, PostgresQueueReading>();
        services.AddSingleton<QueueGauges>();
        services.AddStore<Events.INextAttempts, SqliteNextAttempts, PostgresNextAttempts>();
        services.AddSingleton<DeliveryMetrics>();
        services.AddSingleton<AttemptReports>();
        services.AddSingleton<FileDelivery>();
        services.AddSingleton<DeliveryPipeline>();
        services.AddSingleton<DeliveryScheduler>();
        services.AddSingleton<AttemptRunner>();
        services.AddStore<IConfigHealthStore, SqliteConfigHealthStore, PostgresConfigHealthStore>();
        services.AddSingleton<FailingConfigs>();
        services.AddSingleton<OutcomeWriter>();
        services.AddSingleton<JobClaims>();
        services.AddSingleton<JobQueue>();
        services.AddSingleton<Intake.IJobQueue>(sp => sp.GetRequiredService<JobQueue>());
        services.AddSingleton<LeaseKeeper>();
        services.AddHostedService(sp => sp.GetRequiredService<LeaseKeeper>());
        // Every node runs jobs: sync triggers on any node, claimed and handed-over jobs where workers run.
        services.AddSingleton<JobRunner>();
        services.AddHostedService(sp => sp.GetRequiredService<JobRunner>());
        // Outcomes are recorded on every node (sync triggers run anywhere), so every node may disable a failing config.
        services.AddSingleton<AutoDisable>();
        services.AddHostedService(sp => sp.GetRequiredService<AutoDisable>());
        if (runWorkers)
        {
            services.AddSingleton<DeliveryWorker>();
            services.AddHostedService(sp => sp.GetRequiredService<DeliveryWorker>());
            services.AddHostedService<PostgresWakeListener>();
        }
        return services;
    }
}
