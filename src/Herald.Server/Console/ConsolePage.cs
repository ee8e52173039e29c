using System.Text.Json;
using System.Text.Json.Nodes;
using Herald.Server.Authentication;
using Microsoft.AspNetCore.Components;

namespace Herald.Server.Console;

/// <summary>
/// What every console page shares: the request, the API client for the session, and helpers to read posted forms.
/// Pages render on the server for each request; a form posts back to its page, which calls the API and renders
/// the outcome or redirects.
/// </summary>
public abstract class ConsolePage : ComponentBase
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    [CascadingParameter] public HttpContext HttpContext { get; set; } = default!;

    [Inject] public HeraldApi Api { get; set; } = default!;

    [Inject] public NavigationManager Nav { get; set; } = default!;

    protected string OrgId => HttpContext.User.OrgId().Value;

    protected bool IsPost => HttpMethods.IsPost(HttpContext.Request.Method);

    protected string Form(string name) => HttpContext.Request.Form[name].ToString();

    protected bool FormChecked(string name) => HttpContext.Request.Form[name].Any(v => v is "on" or "true");

    protected string? Query(string name) => HttpContext.Request.Query[name].FirstOrDefault() is { Length: > 0 } value ? value : null;

    /// <summary>JSON shown to people: indented; a string that holds JSON (a stored payload) is parsed first.</summary>
    public static string Pretty(JsonNode? node)
    {
        if (node is JsonValue value && value.TryGetValue<string>(out var text))
        {
            return Pretty(text);
        }
        return node is null ? "null" : node.ToJsonString(Indented);
    }

    public static string Pretty(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return "";
        }
        try
        {
            return JsonNode.Parse(text) is { } parsed ? parsed.ToJsonString(Indented) : text;
        }
        catch (JsonException)
        {
            return text;
        }
    }

    public static string Str(JsonNode? node) => node is JsonValue v && v.TryGetValue<string>(out var s) ? s : node?.ToJsonString() ?? "";

    public static string Id(string value) => HeraldApi.Segment(value);
}
