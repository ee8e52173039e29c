using Herald.Server.Http;
namespace Herald.Server.Configs;

/// <summary>
/// The <c>Configs</c> section: how many configs an organization keeps and how large one may be. <c>getConfigs</c>
/// lists an organization's configs whole (the contract has no paging), so together they bound that answer.
/// </summary>
public sealed class ConfigsOptions
{
    public const string Section = "Configs";

    /// <summary>Configs one organization may keep; <c>createConfig</c> beyond it is a 400.</summary>
    public int MaxPerOrganization { get; set; } = 1000;

    /// <summary>One config as stored: its JSON document plus its sealed secrets, in bytes.</summary>
    public int MaxStoredBytes { get; set; } = 256 * 1024;

    public const int DefaultMaxRateLimit = 1000;

    /// <summary>The highest <c>rateLimit</c> (deliveries per second) a config may ask for.</summary>
    public int MaxRateLimit { get; set; } = DefaultMaxRateLimit;

    /// <summary>Configs a node keeps in memory for triggers; beyond it the cache starts over (each config is read again).</summary>
    public int TriggerCacheSize { get; set; } = 10_000;

    public ConfigsOptions Validated() =>
        MaxPerOrganization < 1 ? throw new InvalidSettingException("Configs:MaxPerOrganization must be at least 1")
        : MaxStoredBytes < 1024 ? throw new InvalidSettingException("Configs:MaxStoredBytes must be at least 1024")
        : MaxRateLimit is < 1 or > 1_000_000 ? throw new InvalidSettingException($"Configs:MaxRateLimit must be between 1 and 1000000 (got {MaxRateLimit})")
        : TriggerCacheSize < 1 ? throw new InvalidSettingException($"Configs:TriggerCacheSize must be at least 1 (got {TriggerCacheSize})")
        : this;
}
