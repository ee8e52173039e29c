using System.Security.Claims;
using System.Text.Json.Serialization;
using Herald.Server.Authentication;
using Herald.Server.Configs;
using Herald.Server.Egress;
using Herald.Server.Environments;
using Herald.Server.Events;
using Herald.Server.Http;

namespace Herald.Server.ReceiverAuth;

/// <summary>
/// POST /v1/webhooks/configs/{configId}/test-oauth   testOAuth
///
/// Runs the config's token exchange as a delivery would (env references, egress, destination guard), uncached,
/// and sends nothing to the receiver. 200 when a token came back; 400 when the config does not use OAuth or
/// cannot make the request (a missing variable, an invalid endpoint, a blocked destination, a missing egress
/// proxy); 500 when the exchange itself failed, as the contract says. Failure bodies carry <c>success: false</c>
/// beside the contract's <c>message</c>.
/// </summary>
public static class TestOAuthApi
{
    public static IEndpointRouteBuilder MapTestOAuth(this IEndpointRouteBuilder routes)
    {
        routes.MapPost("/v1/webhooks/configs/{configId}/test-oauth", TestOAuth)
            .WithName("testOAuth")
            .WithTags("webhooks")
            .RequireAuthorization()
            .Produces<TestOAuthResponse>()
            .Produces<ErrorResp>(StatusCodes.Status400BadRequest)
            .Produces<ErrorResp>(StatusCodes.Status404NotFound)
            .Produces<ErrorResp>(StatusCodes.Status500InternalServerError);
        return routes;
    }

    public static async Task<IResult> TestOAuth(
        string configId, ClaimsPrincipal user, IConfigStore configs, ConfigSecretsBox secrets, RequestBuilder requests, CancellationToken cancellationToken)
    {
        var config = await configs.GetAsync(user.OrgId(), ConfigId.From(configId), cancellationToken);
        if (config is null)
        {
            return Problem.NotFound($"No webhook config with id '{configId}'");
        }
        if (config.Document.Auth is not { AuthType: "OAUTH_CLIENT_CREDENTIALS", OAuthConfig: not null })
        {
            return Problem.BadRequest($"Webhook config {configId} does not use OAUTH_CLIENT_CREDENTIALS auth");
        }

        // Every message below may quote what the secret variables resolved to (an endpoint, a host name): masked.
        var mask = new SecretMask();
        var (grant, failure) = await requests.TestOAuthAsync(config, secrets.Open(config), mask, cancellationToken);
        if (grant is not null)
        {
            return Results.Ok(new TestOAuthResponse(true, "OAuth token exchange successful", grant.ExpiresIn, grant.TokenType));
        }
        var exchangeFailed = failure!.Code == DeliveryCode.OAuthTokenExchangeError;
        var reason = mask.Apply(failure.Message);
        return Results.Json(
            new TestOAuthResponse(false, exchangeFailed ? $"OAuth token exchange failed: {reason}" : $"OAuth token request could not be made: {reason}"),
            statusCode: exchangeFailed ? StatusCodes.Status500InternalServerError : StatusCodes.Status400BadRequest);
    }
}

/// <summary>The contract's <c>TestOAuthResponse</c>.</summary>
public sealed record TestOAuthResponse(
    [property: JsonPropertyName("success")] bool Success,
    [property: JsonPropertyName("message")] string Message,
    [property: JsonPropertyName("expires_in")] double? ExpiresIn = null,
    [property: JsonPropertyName("token_type")] string? TokenType = null);
