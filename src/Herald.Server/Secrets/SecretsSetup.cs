using Herald.Server.Storage;

namespace Herald.Server.Secrets;

public static class SecretsSetup
{
    public static IServiceCollection AddSecrets(this IServiceCollection services, IConfiguration configuration)
    {
        var options = configuration.GetSection(SecretsOptions.Section).Get<SecretsOptions>() ?? new SecretsOptions();
        services.AddSingleton(sp => new SecretBox(MasterKey.Resolve(
            options,
            sp.GetRequiredService<StorageOptions>(),
            sp.GetRequiredService<ILoggerFactory>().CreateLogger("Herald.Secrets"))));
        return services;
    }
}
