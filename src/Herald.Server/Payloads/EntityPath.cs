namespace Herald.Server.Payloads;

/// <summary>
/// The Entity API address of an entity: <c>{BaseUrl}/v1/entity/{slug}/{id}</c>. The slug and id come from the
/// event's payload (<c>entity._schema</c>, <c>entity._id</c>), which its sender controls, while the request carries
/// the operator's token; so each must stay one path segment under <c>/v1/entity/</c>. Pure.
/// </summary>
public static class EntityPath
{
    /// <summary>
    /// Why the pair cannot address an entity, or null when it can. Refused: empty values, <c>.</c> and <c>..</c>,
    /// and any <c>/</c>, <c>\</c>, <c>%</c> or control character, which a server might read as (or decode into) a
    /// path step. Everything else is sent percent-encoded within its segment.
    /// </summary>
    public static string? Problem(string slug, string id) => SegmentProblem("entity._schema", slug) ?? SegmentProblem("entity._id", id);

    /// <summary>The entity's url under <paramref name="baseUrl"/> (no trailing slash), or null when it would not lie under <c>{baseUrl}/v1/entity/</c>.</summary>
    public static Uri? UrlOf(string baseUrl, string slug, string id)
    {
        if (Problem(slug, id) is not null)
        {
            return null;
        }
        var prefix = new Uri(baseUrl + "/v1/entity/").AbsolutePath;
        var path = $"{prefix}{Uri.EscapeDataString(slug)}/{Uri.EscapeDataString(id)}";
        var url = new Uri($"{baseUrl}/v1/entity/{Uri.EscapeDataString(slug)}/{Uri.EscapeDataString(id)}?hydrate=true");
        // Belt and braces: whatever the parser made of it, the path must be exactly the two escaped segments.
        return url.AbsolutePath == path ? url : null;
    }

    private static string? SegmentProblem(string field, string value)
    {
        if (value.Length == 0)
        {
            return $"{field} is empty";
        }
        if (value is "." or "..")
        {
            return $"{field} '{value}' is a relative path step";
        }
        return value.Any(c => c is '/' or '\\' or '%' || char.IsControl(c))
            ? $"{field} must not contain '/', '\\', '%' or control characters"
            : null;
    }
}
