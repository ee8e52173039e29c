namespace Herald.Server.Payloads;

/// <summary>
/// The <c>Entities</c> section: an epilot-compatible Entity API that <c>hydrate_entity</c> reads entities from.
/// Without <see cref="BaseUrl"/> there is no entity source and events are delivered with the entity as sent.
/// </summary>
public sealed class EntitiesOptions
{
    public const string Section = "Entities";

    /// <summary>The API's base address, e.g. <c>https://entity.sls.epilot.io</c>; requests go to <c>{BaseUrl}/v1/entity/{slug}/{id}</c>.</summary>
    public string? BaseUrl { get; set; }

    /// <summary>The bearer token sent for organizations without their own entry in <see cref="OrgTokens"/>.</summary>
    public string? Token { get; set; }

    /// <summary>Bearer tokens by organization id. An organization with neither is asked without a token.</summary>
    public Dictionary<string, string> OrgTokens { get; set; } = [];

    /// <summary>The whole request: connect, send and read the answer.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Larger answers are refused (the entity and its relations become part of the payload).</summary>
    public int MaxResponseBytes { get; set; } = 5 * 1024 * 1024;

    public string? TokenFor(string orgId) => OrgTokens.TryGetValue(orgId, out var token) && !string.IsNullOrEmpty(token) ? token : Token;
}
