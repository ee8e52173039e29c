using System.Text.Json.Nodes;

namespace Herald.Server.Configs;

/// <summary>
/// The rules for what a config puts into request headers, checked at save so that a bad literal is a 400 naming
/// its field rather than a failed delivery later. Values that variables bring are checked again on every attempt
/// (<see cref="RequestBuilder"/>). Messages never repeat a value, since some of these fields are secrets.
/// </summary>
public static partial class ConfigValidator
{
    /// <summary>The API key header name: the custom header name rule, but refused instead of dropped.</summary>
    private static void ApiKeyName(JsonFields apiKey, string? keyName)
    {
        if (keyName is not null && CustomHeaders.NameProblem(keyName) is { } problem)
        {
            apiKey.Fail<object>($"{apiKey.PathOf("keyName")} {problem}");
        }
    }

    /// <summary>A value sent as a header as it is written (custom header values, the API key value, OAuth header parameters).</summary>
    private static void HeaderValue(JsonFields fields, string name, string? value)
    {
        if (value is not null && !CustomHeaders.IsSafeValue(value))
        {
            fields.Fail<object>($"{fields.PathOf(name)} {CustomHeaders.ValueRule}");
        }
    }

    /// <summary>
    /// A Basic credential. It travels base64-encoded as UTF-8 (RFC 7617), so any letter is fine, but a control
    /// character is never part of a real credential and is refused.
    /// </summary>
    private static void Credential(JsonFields fields, string name, string? value)
    {
        if (value is not null && value.Any(char.IsControl))
        {
            fields.Fail<object>($"{fields.PathOf(name)} must not contain control characters");
        }
    }

    private static void CustomHeaderValues(JsonFields payload)
    {
        if (payload.Object["custom_headers"] is not JsonObject headers)
        {
            return;
        }
        var fields = new JsonFields(headers, payload.PathOf("custom_headers"), payload.Errors);
        foreach (var (name, value) in headers)
        {
            if (value is JsonValue text && text.TryGetValue<string>(out var literal))
            {
                HeaderValue(fields, name, literal);
            }
        }
    }
}
