using Herald.Server.Storage;

namespace Herald.Server.Secrets;

public static class SecretsSetup
{
    /// <summary>The master keys, and the start's pass that seals again what an earlier key sealed.</summary>
    public static IServiceCollection AddSecrets(this IServiceCollection services)
    {
        services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IConfiguration>().GetSection(SecretsOptions.Section).Get<SecretsOptions>() ?? new SecretsOptions();
            var key = MasterKey.Resolve(options, sp.GetRequiredService<StorageOptions>(), sp.GetRequiredService<ILoggerFactory>().CreateLogger("Herald.Secrets"));
            return new SecretBox(key, MasterKey.Previous(options, key));
        });
        services.AddStore<ISealedValues, SqliteSealedValues, PostgresSealedValues>();
        services.AddSingleton<Resealing>();
        services.AddHostedService(sp => sp.GetRequiredService<Resealing>());
        return services;
    }

    /// <summary>
    /// Declares a column of sealed values for <see cref="Resealing"/>: each feature names its own, the one whose
    /// <see cref="SealedColumn.Owner"/> it seals its values for.
    /// </summary>
    public static IServiceCollection AddSealedColumn(this IServiceCollection services, SealedColumn column)
    {
        services.AddSingleton(column);
        return services;
    }
}
