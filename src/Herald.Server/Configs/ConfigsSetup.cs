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
        services.AddSealedColumn(ConfigSecretsBox.Column);
        services.AddSingleton<TriggerConfigs>();
        services.AddSingleton<ConfigSecretsBox>();
        return services;
    }
}
