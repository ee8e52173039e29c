using System.Security.Claims;
using System.Text.Json.Serialization;
using Herald.Server.Authentication;
using Herald.Server.Http;

namespace Herald.Server.Signing;

/// <summary>
/// POST /v1/webhooks/configs/{configId}/rotate-secret   rotateSigningSecret   (Herald extension)
/// POST /v1/webhooks/signing-keys/rotate                rotateSigningKey      (Herald extension)
/// </summary>
/// <remarks>
/// Both act on the caller's own organization. For <see cref="SigningOptions.RotationOverlap"/> the replaced secret or
/// key signs beside the new one (two <c>v1</c>, or two <c>v1a</c>, entries), so receivers can switch over; then it is
/// deleted. The new signing secret is shown in this answer only.
/// </remarks>
public static class RotationApi
{
    public static IEndpointRouteBuilder MapRotation(this IEndpointRouteBuilder routes)
    {
        routes.MapPost("/v1/webhooks/configs/{configId}/rotate-secret", RotateSigningSecret).WithName("rotateSigningSecret").WithTags("webhooks")
            .RequireAuthorization().Produces<RotatedSecretResp>().Produces<ErrorResp>(StatusCodes.Status404NotFound)
            .Produces<ErrorResp>(StatusCodes.Status409Conflict);
        routes.MapPost("/v1/webhooks/signing-keys/rotate", RotateSigningKey).WithName("rotateSigningKey").WithTags("webhooks")
            .RequireAuthorization().Produces<PublicKeyResponse>();
        return routes;
    }

    public static async Task<IResult> RotateSigningSecret(string configId, ClaimsPrincipal user, SecretRotation rotation, CancellationToken cancellationToken) =>
        await rotation.RotateAsync(user.OrgId(), ConfigId.From(configId), cancellationToken) switch
        {
            SecretRotationOutcome.Rotated rotated => Results.Ok(new RotatedSecretResp(
                rotated.SigningSecret, rotated.PreviousExpiresAt is { } end ? HeraldJson.Timestamp(end) : null)),
            SecretRotationOutcome.Refused refused => Problem.Status(refused.StatusCode, refused.Message),
            _ => Problem.NotFound($"No webhook config with id '{configId}'"),
        };

    public static async Task<IResult> RotateSigningKey(ClaimsPrincipal user, OrgKeys keys, SigningOptions options, CancellationToken cancellationToken) =>
        Results.Ok(PublicKeyApi.Answer(await keys.RotateAsync(user.OrgId(), cancellationToken), options));
}

/// <summary>The answer of <c>rotateSigningSecret</c>: the new secret (shown this once) and the old one's end.</summary>
public sealed record RotatedSecretResp(
    [property: JsonPropertyName("signingSecret")] string SigningSecret,
    [property: JsonPropertyName("previousSecretExpiresAt")] string? PreviousSecretExpiresAt);
