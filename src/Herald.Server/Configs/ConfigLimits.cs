using System.Text.Json;
using Herald.Server.Http;

namespace Herald.Server.Configs;

/// <summary>The refusals of <see cref="ConfigsOptions"/>, each naming its limit and setting. Pure.</summary>
public static class ConfigLimits
{
    /// <summary>The bytes a config takes as stored: its document as the stores write it, plus the sealed secrets.</summary>
    public static int StoredBytes(ConfigRecord record) =>
        JsonSerializer.SerializeToUtf8Bytes(record.Document, HeraldJson.Options).Length + record.SealedSecrets.Length;

    public static string? TooLarge(ConfigRecord record, ConfigsOptions options)
    {
        var size = StoredBytes(record);
        return size <= options.MaxStoredBytes
            ? null
            : $"Config is {size} bytes as stored (document and secrets), above the limit of {options.MaxStoredBytes} bytes "
                + $"(setting {ConfigsOptions.Section}:{nameof(ConfigsOptions.MaxStoredBytes)})";
    }

    public static string TooMany(ConfigsOptions options) =>
        $"An organization keeps at most {options.MaxPerOrganization} configs (setting {ConfigsOptions.Section}:{nameof(ConfigsOptions.MaxPerOrganization)}); "
        + "delete one before creating another";
}
