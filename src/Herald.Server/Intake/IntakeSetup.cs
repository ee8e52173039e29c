namespace Herald.Server.Intake;

public static class IntakeSetup
{
    /// <summary>Accepting work: triggers, fan-outs, replays, idempotent answers. The queue behind <see cref="IJobQueue"/> is Delivery's to register.</summary>
    public static IServiceCollection AddIntake(this IServiceCollection services)
    {
        services.AddSingleton<IntakeMetrics>();
        services.AddSingleton<Triggering>();
        services.AddSingleton<IdempotentTriggering>();
        services.AddSingleton<EventFanOut>();
        return services;
    }
}
