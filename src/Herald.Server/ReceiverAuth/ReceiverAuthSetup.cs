namespace Herald.Server.ReceiverAuth;

public static class ReceiverAuthSetup
{
    /// <summary>Building each attempt's request: env resolution, custom headers, Basic, API key and OAuth tokens.</summary>
    public static IServiceCollection AddReceiverAuth(this IServiceCollection services)
    {
        services.AddSingleton<OAuthTokens>();
        services.AddSingleton<RequestBuilder>();
        return services;
    }
}
