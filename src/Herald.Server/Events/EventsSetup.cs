using Herald.Server.Storage;

namespace Herald.Server.Events;

public static class EventsSetup
{
    /// <summary>The event log: its store and writer, its options; its background retention only where workers run.</summary>
    public static IServiceCollection AddEvents(this IServiceCollection services, bool runRetention)
    {
        services.AddStore<IEventStore, SqliteEventStore, PostgresEventStore>();
        services.AddStore<IEventWriter, SqliteEventWriter, PostgresEventWriter>();
        services.AddStore<IEventPartitions, SqliteEventPartitions, PostgresEventPartitions>();
        services.AddSingleton(sp => (sp.GetRequiredService<IConfiguration>().GetSection(EventsOptions.Section).Get<EventsOptions>() ?? new EventsOptions()).Validated());
        services.AddSingleton<EventRetention>();
        if (runRetention)
        {
            services.AddHostedService(sp => sp.GetRequiredService<EventRetention>());
        }
        return services;
    }
}
