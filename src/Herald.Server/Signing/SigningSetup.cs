using Herald.Server.Storage;

namespace Herald.Server.Signing;

public static class SigningSetup
{
    public static IServiceCollection AddSigning(this IServiceCollection services)
    {
        services.AddSingleton(sp => sp.GetRequiredService<IConfiguration>().GetSection(SigningOptions.Section).Get<SigningOptions>() ?? new SigningOptions());
        services.AddStore<IOrgKeyStore, SqliteOrgKeyStore, PostgresOrgKeyStore>();
        services.AddSingleton<OrgKeys>();
        return services;
    }
}
