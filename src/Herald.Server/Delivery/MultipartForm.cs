using System.Text.Json.Nodes;
using Herald.Server.Files;
using Herald.Server.Http;

namespace Herald.Server.Delivery;

/// <summary>One file part of a <c>binary_multipart</c> form: the form field it goes under and the attachment it carries.</summary>
public sealed record FormFile(string Field, FileReference File);

/// <summary>
/// What a <c>binary_multipart</c> request is built from, and what the event log keeps of it as <c>payload</c>: the
/// form's extra fields as <c>extraFields</c> produced them (before env resolution, so no variable value is stored)
/// and the picked file references in part order, never the bytes. A retry or a plain replay rebuilds the same
/// request from it, reading the files again.
/// </summary>
public sealed record MultipartForm(IReadOnlyList<KeyValuePair<string, string>> Fields, IReadOnlyList<FormFile> Files)
{
    private const string Root = "form_data";

    /// <summary><c>{"form_data": {"fields": {...}, "files": [{"field": "file", "attachment": {...}}]}}</c>.</summary>
    public string ToJson()
    {
        var fields = new JsonObject(Fields.Select(f => KeyValuePair.Create(f.Key, (JsonNode?)f.Value)));
        var files = new JsonArray(Files.Select(f => (JsonNode?)new JsonObject { ["field"] = f.Field, ["attachment"] = f.File.Item.DeepClone() }).ToArray());
        return new JsonObject { [Root] = new JsonObject { ["fields"] = fields, ["files"] = files } }.ToJsonString(HeraldJson.Payload);
    }

    /// <summary>The form a stored payload records, or null when the payload is not one (a body stored before the mode was set).</summary>
    public static MultipartForm? TryParse(string payload)
    {
        JsonNode? parsed;
        try
        {
            parsed = JsonNode.Parse(payload);
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
        if (parsed is not JsonObject { Count: 1 } root || root[Root] is not JsonObject form
            || form["fields"] is not JsonObject fields || form["files"] is not JsonArray files)
        {
            return null;
        }
        var fieldList = new List<KeyValuePair<string, string>>();
        foreach (var (name, value) in fields)
        {
            if (value is not JsonValue text || !text.TryGetValue<string>(out var s))
            {
                return null;
            }
            fieldList.Add(KeyValuePair.Create(name, s));
        }
        var fileList = new List<FormFile>();
        foreach (var item in files)
        {
            if (item is not JsonObject part || part["field"] is not JsonValue field || !field.TryGetValue<string>(out var fieldName)
                || FileReference.From(part["attachment"], "attachment").Reference is not { } reference)
            {
                return null;
            }
            fileList.Add(new FormFile(fieldName, reference));
        }
        return new MultipartForm(fieldList, fileList);
    }
}
