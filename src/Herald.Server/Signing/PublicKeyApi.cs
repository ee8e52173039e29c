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
/// a config (it will sign deliveries, so its key is created now); any other name is a 404.
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

    public static async Task<IResult> GetPublicKey(string? orgId, OrgKeys keys, IConfigStore configs, SigningOptions options, CancellationToken cancellationToken)
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
        var key = await keys.FindAsync(org, cancellationToken)
            ?? (await configs.AnyAsync(org, cancellationToken) ? await keys.GetOrCreateAsync(org, cancellationToken) : null);
        if (key is null)
        {
            return Problem.NotFound($"No organization '{orgId}' is known here: an organization has a public key once it has a webhook config");
        }
        return Results.Ok(new PublicKeyResponse(PublicKeyPem.Encode(key.PublicKey), "ed25519", options.Issuer));
    }

    internal static bool IsWellFormedOrgId(string orgId) =>
        orgId.Length <= 128 && orgId.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or ':');
}

public sealed record PublicKeyResponse(
    [property: JsonPropertyName("public_key")] string PublicKey,
    [property: JsonPropertyName("algorithm")] string Algorithm,
    [property: JsonPropertyName("issuer")] string Issuer);
