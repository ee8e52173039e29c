namespace Herald.Server.Egress;

public static class EgressSetup
{
    /// <summary>What one request to a receiver needs: its options, the egress proxies, guarded clients and the sender.</summary>
    public static IServiceCollection AddEgress(this IServiceCollection services)
    {
        services.AddSingleton(sp => (sp.GetRequiredService<IConfiguration>().GetSection(EgressOptions.Section).Get<EgressOptions>() ?? new EgressOptions()).Validated());
        services.AddSingleton<EgressProxies>();
        services.AddSingleton<EgressClients>();
        services.AddSingleton<WebhookSender>();
        return services;
    }
}
