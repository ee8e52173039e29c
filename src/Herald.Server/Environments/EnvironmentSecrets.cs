using Herald.Server.Http;
using System.Text;
using Herald.Server.Secrets;

namespace Herald.Server.Environments;

/// <summary>Seals a <c>SecretString</c> value bound to its organization and key, and opens it for delivery only.</summary>
public sealed class EnvironmentSecrets(SecretBox box)
{
    public byte[] Seal(OrganizationId orgId, string key, string value) => box.Seal(Encoding.UTF8.GetBytes(value), Owner(orgId, key));

    /// <summary>The value a reference resolves to, or null when the variable holds none.</summary>
    public string? ValueOf(EnvironmentRecord record) => record.SealedValue is { } sealedValue
        ? Encoding.UTF8.GetString(box.Open(sealedValue, Owner(record.OrgId, record.Key)))
        : record.Value;

    /// <summary>Where secret variables are sealed, each for the owner <c>env:{org}:{key}</c>.</summary>
    public static readonly SealedColumn Column = new("environment_variables", "key", "sealed_value", "env");

    private static string Owner(OrganizationId orgId, string key) => Column.Owner(orgId.Value, key);
}
