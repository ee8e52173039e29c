namespace Herald.Server.Catalog;

public static class CatalogSetup
{
    /// <summary>The configured events and the steps that downgrade an event to a config's pinned version.</summary>
    public static IServiceCollection AddCatalog(this IServiceCollection services)
    {
        services.AddSingleton<EventCatalog>();
        services.AddSingleton<CatalogDowngrades>();
        return services;
    }
}
