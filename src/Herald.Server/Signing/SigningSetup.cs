using Herald.Server.Secrets;
using Herald.Server.Storage;

namespace Herald.Server.Signing;

public static class SigningSetup
{
    /// <summary>Organization keys, signing-secret rotation; the deletion of what rotations retire only where workers run.</summary>
    public static IServiceCollection AddSigning(this IServiceCollection services, bool runCleanup)
    {
        services.AddSingleton(sp => (sp.GetRequiredService<IConfiguration>().GetSection(SigningOptions.Section).Get<SigningOptions>() ?? new SigningOptions()).Validated());
        services.AddStore<IOrgKeyStore, SqliteOrgKeyStore, PostgresOrgKeyStore>();
        services.AddSealedColumn(OrgKeys.Column);
        services.AddStore<IRetiringSecretStore, SqliteRetiringSecretStore, PostgresRetiringSecretStore>();
        services.AddSingleton<OrgKeys>();
        services.AddSingleton<SecretRotation>();
        services.AddSingleton<SigningCleanup>();
        if (runCleanup)
        {
            services.AddHostedService(sp => sp.GetRequiredService<SigningCleanup>());
        }
        return services;
    }
}
