namespace Herald.Server.Filters;

public static class FiltersSetup
{
    /// <summary>The filter; its JSONata conditions come from whoever registers <see cref="IJsonataCondition"/> (Transforms).</summary>
    public static IServiceCollection AddFilters(this IServiceCollection services)
    {
        services.AddSingleton<EventFilter>();
        return services;
    }
}
