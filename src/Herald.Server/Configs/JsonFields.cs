using System.Text.Json;
using System.Text.Json.Nodes;

namespace Herald.Server.Configs;

/// <summary>
/// Typed reads of one JSON object's members, each failure a message that names the field by its full path
/// (<c>auth.basicAuthConfig.username</c>). A member that is absent is fine unless required; <c>null</c> counts as
/// absent except where the contract makes a field nullable, which the caller checks first.
/// </summary>
internal sealed class JsonFields(JsonObject obj, string path, List<string> errors)
{
    public JsonFields(JsonObject obj)
        : this(obj, "", [])
    {
    }

    public List<string> Errors => errors;

    public JsonObject Object => obj;

    public string PathOf(string name) => path.Length == 0 ? name : $"{path}.{name}";

    public bool Has(string name) => obj.TryGetPropertyValue(name, out var node) && node is not null;

    public bool IsExplicitNull(string name) => obj.TryGetPropertyValue(name, out var node) && node is null;

    public string? String(string name, bool required = false, int maxLength = 0, bool nonEmpty = false)
    {
        if (!Present(name, required, out var node))
        {
            return null;
        }
        if (node is not JsonValue value || value.GetValueKind() != JsonValueKind.String)
        {
            return Fail<string>($"{PathOf(name)} must be a string");
        }
        var text = value.GetValue<string>();
        if ((required || nonEmpty) && string.IsNullOrWhiteSpace(text))
        {
            return Fail<string>($"{PathOf(name)} must not be empty");
        }
        if (maxLength > 0 && text.Length > maxLength)
        {
            return Fail<string>($"{PathOf(name)} must be at most {maxLength} characters");
        }
        return text;
    }

    public string? Enum(string name, string[] allowed, bool required = false)
    {
        var text = String(name, required);
        if (text is not null && !allowed.Contains(text, StringComparer.Ordinal))
        {
            return Fail<string>($"{PathOf(name)} must be one of {string.Join(", ", allowed)}");
        }
        return text;
    }

    public bool? Bool(string name, bool required = false)
    {
        if (!Present(name, required, out var node))
        {
            return null;
        }
        return node is JsonValue value && value.GetValueKind() is JsonValueKind.True or JsonValueKind.False
            ? value.GetValue<bool>()
            : Fail<bool?>($"{PathOf(name)} must be a boolean");
    }

    public int? Integer(string name, int min, int max, bool required = false)
    {
        if (!Present(name, required, out var node))
        {
            return null;
        }
        if (node is not JsonValue value || value.GetValueKind() != JsonValueKind.Number
            || !value.TryGetValue<decimal>(out var number) || number != decimal.Truncate(number))
        {
            return Fail<int?>($"{PathOf(name)} must be an integer");
        }
        return number < min || number > max
            ? Fail<int?>($"{PathOf(name)} must be between {min} and {max}")
            : (int)number;
    }

    public JsonFields? Nested(string name, bool required = false)
    {
        if (!Present(name, required, out var node))
        {
            return null;
        }
        if (node is not JsonObject nested)
        {
            return Fail<JsonFields>($"{PathOf(name)} must be an object");
        }
        return new JsonFields(nested, PathOf(name), errors);
    }

    public JsonArray? Array(string name, bool required = false, int maxItems = 0)
    {
        if (!Present(name, required, out var node))
        {
            return null;
        }
        if (node is not JsonArray array)
        {
            return Fail<JsonArray>($"{PathOf(name)} must be an array");
        }
        return maxItems > 0 && array.Count > maxItems
            ? Fail<JsonArray>($"{PathOf(name)} must have at most {maxItems} items")
            : array;
    }

    public List<string>? StringArray(string name, bool required = false, int maxItems = 0)
    {
        var array = Array(name, required, maxItems);
        if (array is null)
        {
            return null;
        }
        var items = new List<string>(array.Count);
        for (var i = 0; i < array.Count; i++)
        {
            if (array[i] is not JsonValue value || value.GetValueKind() != JsonValueKind.String)
            {
                return Fail<List<string>>($"{PathOf(name)}[{i}] must be a string");
            }
            items.Add(value.GetValue<string>());
        }
        return items;
    }

    /// <summary>An object whose every member is a string (custom headers, multipart extra fields).</summary>
    public void StringMap(string name)
    {
        var map = Nested(name);
        if (map is null)
        {
            return;
        }
        foreach (var (key, value) in map.Object)
        {
            if (value is not JsonValue text || text.GetValueKind() != JsonValueKind.String)
            {
                Fail<object>($"{map.PathOf(key)} must be a string");
                return;
            }
        }
    }

    public T? Fail<T>(string message)
    {
        errors.Add(message);
        return default;
    }

    private bool Present(string name, bool required, out JsonNode? node)
    {
        if (obj.TryGetPropertyValue(name, out node) && node is not null)
        {
            return true;
        }
        if (required)
        {
            Fail<object>($"{PathOf(name)} is required");
        }
        return false;
    }
}
