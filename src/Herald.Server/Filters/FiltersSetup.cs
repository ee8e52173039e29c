namespace Herald.Server.Filters;

public static class FiltersSetup
{
    public static IServiceCollection AddFilters(this IServiceCollection services)
    {
        services.AddSingleton<IJsonataCondition, UnavailableJsonataCondition>();
        services.AddSingleton<EventFilter>();
        return services;
    }
}
