using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Herald.Server.Configs;
using Herald.Server.Http;

namespace Herald.Server.Environments;

/// <summary>
/// Checks create and update bodies against the Environments contract and the subset Herald serves. Pure: JSON in,
/// the first problem out, naming the field. Unknown members are ignored, as for configs.
/// </summary>
public static partial class EnvironmentValidator
{
    /// <summary>The contract's bound for one secret (the KMS limit it documents for secret list items).</summary>
    public const int MaxSecretBytes = 4096;

    /// <summary>Our bound for a plain string value: the contract's limit for a whole serialised list value.</summary>
    public const int MaxStringLength = 32_768;

    public const int MaxDescriptionLength = 1024;
    public const int MaxGroupLength = 255;

    public const string KeyRule = "must match ^[a-z0-9][a-z0-9_.\\-]{0,127}$ (lowercase letters, digits, '_', '.', '-'; at most 128 characters)";

    public static bool IsValidKey(string? key) => key is not null && KeyPattern().IsMatch(key);

    public static string? ForCreate(JsonObject body)
    {
        if (StoredText.FirstNul(body) is { } nul)
        {
            return StoredText.NulRefused(nul);
        }
        var fields = new JsonFields(body);
        var key = fields.String("key", required: true);
        if (key is not null && !IsValidKey(key))
        {
            return $"key {KeyRule}";
        }
        var type = fields.Enum("type", EnvironmentTypes.All, required: true);
        return fields.Errors.FirstOrDefault() ?? Common(fields, type!);
    }

    /// <summary>
    /// An update (upsert) body: every member optional. The value is judged by the type it will have: the one in
    /// the body, else the stored variable's, else String (a new variable's default).
    /// </summary>
    public static string? ForUpdate(JsonObject body, string? storedType)
    {
        if (StoredText.FirstNul(body) is { } nul)
        {
            return StoredText.NulRefused(nul);
        }
        var fields = new JsonFields(body);
        var type = fields.Enum("type", EnvironmentTypes.All);
        return fields.Errors.FirstOrDefault() ?? Common(fields, type ?? storedType ?? EnvironmentTypes.String);
    }

    private static string? Common(JsonFields fields, string type)
    {
        if (!EnvironmentTypes.Supported.Contains(type))
        {
            return $"type {type} is not supported: Herald serves String and SecretString variables";
        }
        var value = fields.String("value");
        fields.String("description", maxLength: MaxDescriptionLength);
        fields.String("group", maxLength: MaxGroupLength);
        fields.Bool("protected");
        if (fields.Errors.FirstOrDefault() is { } error)
        {
            return error;
        }
        if (value is not null && type == EnvironmentTypes.SecretString && Encoding.UTF8.GetByteCount(value) > MaxSecretBytes)
        {
            return $"value must be at most {MaxSecretBytes} bytes (UTF-8) for a SecretString";
        }
        if (value is not null && value.Length > MaxStringLength)
        {
            return $"value must be at most {MaxStringLength} characters";
        }
        return null;
    }

    [GeneratedRegex(@"^[a-z0-9][a-z0-9_.\-]{0,127}\z")]
    private static partial Regex KeyPattern();
}
