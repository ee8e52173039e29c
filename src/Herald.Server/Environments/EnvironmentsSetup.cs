using Herald.Server.Secrets;
using Herald.Server.Storage;

namespace Herald.Server.Environments;

public static class EnvironmentsSetup
{
    public static IServiceCollection AddEnvironments(this IServiceCollection services)
    {
        services.AddSingleton(sp => (sp.GetRequiredService<IConfiguration>().GetSection(EnvironmentsOptions.Section).Get<EnvironmentsOptions>() ?? new EnvironmentsOptions()).Validated());
        services.AddStore<IEnvironmentStore, SqliteEnvironmentStore, PostgresEnvironmentStore>();
        services.AddSingleton<EnvironmentSecrets>();
        services.AddSealedColumn(EnvironmentSecrets.Column);
        services.AddSingleton<EnvironmentValues>();
        return services;
    }
}
