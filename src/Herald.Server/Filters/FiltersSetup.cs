namespace Herald.Server.Filters;

public static class FiltersSetup
{
    public static IServiceCollection AddFilters(this IServiceCollection services)
    {
        services.AddSingleton<Transforms.JsonataRuntime>();
        services.AddSingleton<IJsonataCondition, Transforms.JsonataCondition>();
        services.AddSingleton<EventFilter>();
        return services;
    }
}
