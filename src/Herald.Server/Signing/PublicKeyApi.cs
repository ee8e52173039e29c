using System.Text.Json.Serialization;
using Herald.Server.Http;

namespace Herald.Server.Signing;

/// <summary>
/// GET /v1/webhooks/.well-known/public-key   getPublicKey   (unauthenticated)
/// </summary>
public static class PublicKeyApi
{
    public static IEndpointRouteBuilder MapPublicKey(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/v1/webhooks/.well-known/public-key", GetPublicKey)
            .WithName("getPublicKey")
            .WithTags("webhooks")
            .AllowAnonymous()
            .Produces<PublicKeyResponse>()
            .Produces<ErrorResp>(StatusCodes.Status400BadRequest);
        return routes;
    }

    public static async Task<IResult> GetPublicKey(string? orgId, OrgKeys keys, SigningOptions options, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(orgId))
        {
            return Problem.BadRequest("Query parameter 'orgId' is required");
        }
        if (!IsWellFormedOrgId(orgId))
        {
            return Problem.BadRequest("Query parameter 'orgId' must be 1-128 characters of letters, digits, '-', '_', '.' or ':'");
        }
        var key = await keys.GetOrCreateAsync(orgId, cancellationToken);
        return Results.Ok(new PublicKeyResponse(PublicKeyPem.Encode(key.PublicKey), "ed25519", options.Issuer));
    }

    internal static bool IsWellFormedOrgId(string orgId) =>
        orgId.Length <= 128 && orgId.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or ':');
}

public sealed record PublicKeyResponse(
    [property: JsonPropertyName("public_key")] string PublicKey,
    [property: JsonPropertyName("algorithm")] string Algorithm,
    [property: JsonPropertyName("issuer")] string Issuer);
