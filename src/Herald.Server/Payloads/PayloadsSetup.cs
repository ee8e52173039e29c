namespace Herald.Server.Payloads;

public static class PayloadsSetup
{
    /// <summary>The payload shaper, with the Entity API as its entity source when <c>Entities:BaseUrl</c> is set.</summary>
    public static IServiceCollection AddPayloads(this IServiceCollection services)
    {
        // Read when first resolved, so that every configuration source (a test host's too) has been added by then.
        services.AddSingleton(sp => sp.GetRequiredService<IConfiguration>().GetSection(EntitiesOptions.Section).Get<EntitiesOptions>() ?? new EntitiesOptions());
        services.AddSingleton<EntityApiSource>();
        services.AddSingleton(sp => new PayloadShaper(
            string.IsNullOrWhiteSpace(sp.GetRequiredService<EntitiesOptions>().BaseUrl) ? null : sp.GetRequiredService<EntityApiSource>(),
            sp.GetRequiredService<ILogger<PayloadShaper>>()));
        return services;
    }
}
