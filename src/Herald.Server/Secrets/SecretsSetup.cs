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
    /// Declares a column of sealed values for <see cref="Resealing"/>: each feature names its own. The row's key is its
    /// organization and one more column, and the owner its value was sealed for is <c>{ownerPrefix}:{org}:{id}</c>.
    /// </summary>
    public static IServiceCollection AddSealedColumn(this IServiceCollection services, string table, string idColumn, string valueColumn, string ownerPrefix)
    {
        services.AddSingleton(new SealedColumn(table, idColumn, valueColumn, ownerPrefix));
        return services;
    }
}
