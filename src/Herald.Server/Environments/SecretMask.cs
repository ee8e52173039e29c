using System.Text.Json;
using System.Text.Json.Nodes;

namespace Herald.Server.Environments;

/// <summary>
/// The values of the <c>SecretString</c> variables one attempt (or one <c>testOAuth</c> call) resolved, and their
/// removal from every text Herald keeps or answers for it: a secret may end up in an error message (an invalid url,
/// a host name that does not resolve) or be echoed by a receiver or token endpoint, and the event log must not show
/// what the Environments API never returns. Each secret is replaced by <c>***</c> as written, percent-encoded,
/// form-encoded and JSON-escaped, ignoring case (host names come back lower-cased). Not thread-safe: one per attempt.
/// </summary>
public sealed class SecretMask
{
    public const string Mark = "***";

    private readonly List<string> _forms = [];

    public bool IsEmpty => _forms.Count == 0;

    public void Add(string secret)
    {
        if (secret.Length == 0)
        {
            return;
        }
        var escaped = Uri.EscapeDataString(secret);
        foreach (var form in (string[])[secret, escaped, escaped.Replace("%20", "+", StringComparison.Ordinal), JsonSerializer.Serialize(secret)[1..^1]])
        {
            if (!_forms.Contains(form, StringComparer.OrdinalIgnoreCase))
            {
                _forms.Add(form);
            }
        }
        // Longest first, so that a secret containing another is masked whole.
        _forms.Sort((a, b) => b.Length.CompareTo(a.Length));
    }

    /// <summary>Whether <paramref name="text"/> holds one of the secrets, in any of the forms <see cref="Apply(string?)"/> masks.</summary>
    public bool Reveals(string text) => _forms.Exists(form => text.Contains(form, StringComparison.OrdinalIgnoreCase));

    public string? Apply(string? text)
    {
        if (text is null || IsEmpty)
        {
            return text;
        }
        foreach (var form in _forms)
        {
            text = text.Replace(form, Mark, StringComparison.OrdinalIgnoreCase);
        }
        return text;
    }

    /// <summary>A copy of <paramref name="node"/> with every string value masked (the node itself when nothing is to be masked).</summary>
    public JsonNode? Apply(JsonNode? node)
    {
        if (node is null || IsEmpty)
        {
            return node;
        }
        return node switch
        {
            JsonObject obj => new JsonObject(obj.Select(p => KeyValuePair.Create(p.Key, Apply(p.Value)))),
            JsonArray array => new JsonArray(array.Select(Apply).ToArray()),
            JsonValue value when value.GetValueKind() == JsonValueKind.String => JsonValue.Create(Apply(value.GetValue<string>())),
            _ => node.DeepClone(),
        };
    }
}
