using Herald.Server.Storage;

namespace Herald.Server.Secrets;

public static class SecretsSetup
{
    public static IServiceCollection AddSecrets(this IServiceCollection services)
    {
        services.AddSingleton(sp => new SecretBox(MasterKey.Resolve(
            sp.GetRequiredService<IConfiguration>().GetSection(SecretsOptions.Section).Get<SecretsOptions>() ?? new SecretsOptions(),
            sp.GetRequiredService<StorageOptions>(),
            sp.GetRequiredService<ILoggerFactory>().CreateLogger("Herald.Secrets"))));
        return services;
    }
}
