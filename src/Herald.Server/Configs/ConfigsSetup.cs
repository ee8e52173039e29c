using Herald.Server.Secrets;
using Herald.Server.Storage;

namespace Herald.Server.Configs;

public static class ConfigsSetup
{
    public static IServiceCollection AddConfigs(this IServiceCollection services)
    {
        services.AddSingleton(sp => (sp.GetRequiredService<IConfiguration>().GetSection(ConfigsOptions.Section).Get<ConfigsOptions>() ?? new ConfigsOptions()).Validated());
        services.AddSingleton<ConfigChanges>();
        services.AddStore<IConfigStore, SqliteConfigStore, PostgresConfigStore>();
        services.AddSealedColumn("webhook_configs", "id", "secrets", ConfigSecretsBox.OwnerPrefix);
        services.AddSingleton<TriggerConfigs>();
        services.AddSingleton<ConfigSecretsBox>();
        return services;
    }
}
