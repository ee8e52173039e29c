using System.Text.Json;
using Microsoft.IdentityModel.Tokens;

namespace Herald.Server.Authentication;

/// <summary>
/// The organization a validated JWT acts for: its <c>Auth:Jwt:OrgClaim</c> claim, which must be one non-empty string.
/// Read from the token's payload itself, because the claims the JWT handler derives hide the claim's JSON type: an
/// array becomes several claims of one type (a one-element array looks like a string), objects and numbers become
/// text, and any of them would otherwise pass as an organization id.
/// </summary>
public static class OrgClaim
{
    private static readonly JsonDocumentOptions Strict = new() { AllowDuplicateProperties = false };

    public static (string? OrgId, string? Error) Read(string jwt, string claim)
    {
        var parts = jwt.Split('.');
        if (parts.Length != 3)
        {
            return (null, Missing(claim));
        }
        try
        {
            using var payload = JsonDocument.Parse(Base64UrlEncoder.DecodeBytes(parts[1]), Strict);
            if (payload.RootElement.ValueKind != JsonValueKind.Object || !payload.RootElement.TryGetProperty(claim, out var value))
            {
                return (null, Missing(claim));
            }
            if (value.ValueKind != JsonValueKind.String)
            {
                return (null, NotAName(claim, $"a JSON {value.ValueKind.ToString().ToLowerInvariant()}"));
            }
            var orgId = value.GetString();
            return string.IsNullOrWhiteSpace(orgId) ? (null, NotAName(claim, "empty")) : (orgId, null);
        }
        catch (Exception e) when (e is JsonException or FormatException or ArgumentException or InvalidOperationException)
        {
            return (null, NotAName(claim, "unreadable"));
        }
    }

    private static string Missing(string claim) =>
        $"Token has no '{claim}' claim naming the organization (the claim's name is the setting Auth:Jwt:OrgClaim)";

    private static string NotAName(string claim, string found) =>
        $"Token claim '{claim}' must be a non-empty string naming the organization, but is {found} (the claim's name is the setting Auth:Jwt:OrgClaim)";
}
