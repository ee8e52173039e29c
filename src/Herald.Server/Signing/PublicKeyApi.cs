using System.Text.Json.Serialization;
using Herald.Server.Configs;
using Herald.Server.Http;

namespace Herald.Server.Signing;

/// <summary>
/// GET /v1/webhooks/.well-known/public-key   getPublicKey   (unauthenticated)
/// </summary>
/// <remarks>
/// Anyone may ask, so asking never stores anything for a name Herald does not know: an organization's key is
/// answered when it exists (created at its first signed delivery or an earlier answer) or when the organization keeps
/// a config (it will sign deliveries, so its key is created now); any other name is a 404. <c>public_key</c> is the
/// newest key; beyond the contract, <c>keys</c> lists every key that signs now, a retiring one with its end.
/// </remarks>
public static class PublicKeyApi
{
    public static IEndpointRouteBuilder MapPublicKey(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/v1/webhooks/.well-known/public-key", GetPublicKey)
            .WithName("getPublicKey")
            .WithTags("webhooks")
            .AllowAnonymous()
            .Produces<PublicKeyResponse>()
            .Produces<ErrorResp>(StatusCodes.Status400BadRequest)
            .Produces<ErrorResp>(StatusCodes.Status404NotFound);
        return routes;
    }

    public static async Task<IResult> GetPublicKey(
        string? orgId, HttpResponse response, OrgKeys keys, IConfigStore configs, SigningOptions options, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(orgId))
        {
            return Problem.BadRequest("Query parameter 'orgId' is required");
        }
        if (!IsWellFormedOrgId(orgId))
        {
            return Problem.BadRequest("Query parameter 'orgId' must be 1-128 characters of letters, digits, '-', '_', '.' or ':'");
        }
        var org = OrganizationId.From(orgId);
        var inUse = await keys.InUseAsync(org, create: false, cancellationToken);
        if (inUse.Count == 0 && await configs.AnyAsync(org, cancellationToken))
        {
            inUse = await keys.InUseAsync(org, create: true, cancellationToken);
        }
        if (inUse.Count == 0)
        {
            return Problem.NotFound($"No organization '{orgId}' is known here: an organization has a public key once it has a webhook config");
        }
        response.Headers.CacheControl = $"public, max-age={CacheSeconds(options)}";
        return Results.Ok(Answer(inUse, options));
    }

    /// <summary>
    /// How long a receiver may keep a key answer (<c>Cache-Control: max-age</c>): five minutes, or less when
    /// <see cref="SigningOptions.RotationOverlap"/> is short, so that a receiver fetches the key a rotation adds while
    /// the key it replaces still signs beside it: half of the overlap that is left after the minute another node may
    /// take to see the rotation (<see cref="OrgKeys.RefreshInterval"/>).
    /// </summary>
    internal static int CacheSeconds(SigningOptions options) =>
        (int)Math.Clamp((options.RotationOverlap - OrgKeys.RefreshInterval).TotalSeconds / 2, 0, 300);

    /// <summary>The newest key as the contract has it, and every key in use (a Herald extension).</summary>
    internal static PublicKeyResponse Answer(IReadOnlyList<OrgSigningKey> inUse, SigningOptions options) =>
        new(PublicKeyPem.Encode(inUse[0].PublicKey), "ed25519", options.Issuer,
            inUse.Select(k => new PublicKeyInUse(
                k.KeyId, PublicKeyPem.Encode(k.PublicKey), HeraldJson.Timestamp(k.CreatedAt), k.RetiredAt is { } end ? HeraldJson.Timestamp(end) : null)).ToList());

    internal static bool IsWellFormedOrgId(string orgId) =>
        orgId.Length <= 128 && orgId.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or ':');
}

/// <summary>The contract's <c>PublicKeyResponse</c>, with Herald's <c>keys</c>.</summary>
public sealed record PublicKeyResponse(
    [property: JsonPropertyName("public_key")] string PublicKey,
    [property: JsonPropertyName("algorithm")] string Algorithm,
    [property: JsonPropertyName("issuer")] string Issuer,
    [property: JsonPropertyName("keys")] IReadOnlyList<PublicKeyInUse> Keys);

/// <summary>One key that signs now (a Herald extension): newest first; <c>expires_at</c> only on a retiring key.</summary>
public sealed record PublicKeyInUse(
    [property: JsonPropertyName("key_id")] string KeyId,
    [property: JsonPropertyName("public_key")] string PublicKey,
    [property: JsonPropertyName("created_at")] string CreatedAt,
    [property: JsonPropertyName("expires_at")] string? ExpiresAt);
