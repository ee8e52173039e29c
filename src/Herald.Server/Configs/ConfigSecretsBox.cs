using Herald.Server.Http;
using System.Text.Json;
using Herald.Server.Secrets;

namespace Herald.Server.Configs;

/// <summary>Seals a config's secrets as one value bound to that config's organization and id.</summary>
public sealed class ConfigSecretsBox(SecretBox box)
{
    public byte[] Seal(OrganizationId orgId, ConfigId id, ConfigSecrets secrets) =>
        box.Seal(JsonSerializer.SerializeToUtf8Bytes(secrets), Owner(orgId, id));

    public ConfigSecrets Open(ConfigRecord record) =>
        JsonSerializer.Deserialize<ConfigSecrets>(box.Open(record.SealedSecrets, Owner(record.OrgId, record.Id)))!;

    /// <summary>Where a config's secrets are sealed, each for the owner <c>config:{org}:{id}</c>.</summary>
    public static readonly SealedColumn Column = new("webhook_configs", "id", "secrets", "config");

    private static string Owner(OrganizationId orgId, ConfigId id) => Column.Owner(orgId.Value, id.Value);
}
