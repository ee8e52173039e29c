using System.Security.Claims;
using Herald.Server.Authentication;
using Microsoft.AspNetCore.Authentication;
using Microsoft.IdentityModel.Tokens;

namespace Herald.Server.Console;

/// <summary>
/// A console sign-in: the token is checked by calling the API with it, then kept inside the session cookie's ticket,
/// which cookie authentication encrypts with the console's data protection keys (never in clear).
/// </summary>
public static class ConsoleSession
{
    public const string Scheme = "HeraldConsole";
    public const string Policy = "HeraldConsole";
    public const string CookieName = "herald_console";
    public const string TokenClaim = "herald:console-token";

    /// <summary>Checks <paramref name="token"/> against the API and signs in for its organization; returns why not otherwise.</summary>
    public static async Task<string?> SignInAsync(HttpContext context, HeraldApi api, string? token, TimeProvider time, ConsoleOptions options)
    {
        token = token?.Trim();
        if (string.IsNullOrEmpty(token))
        {
            return "Enter an API token.";
        }
        api.Token = token;
        var caller = await api.GetAsync("v1/webhooks/me", context.RequestAborted);
        if (caller.Status == StatusCodes.Status401Unauthorized)
        {
            return $"Herald does not accept this token: {caller.Message ?? "invalid bearer token"}. Use a static API token (Auth:Tokens) or a JWT that Auth:Jwt accepts.";
        }
        if (!caller.Ok || caller.Body?["org_id"]?.GetValue<string>() is not { Length: > 0 } orgId)
        {
            return $"The sign-in could not be checked: {caller.Error}";
        }

        var now = time.GetUtcNow();
        var expires = now + options.SessionLifetime;
        if (JwtExpiry(token) is { } jwtExpiry && jwtExpiry < expires)
        {
            expires = jwtExpiry;
        }
        var identity = new ClaimsIdentity(
            [new Claim(Organization.ClaimType, orgId), new Claim(TokenClaim, token), new Claim(ClaimTypes.Name, orgId)],
            Scheme);
        await context.SignInAsync(Scheme, new ClaimsPrincipal(identity), new AuthenticationProperties
        {
            IssuedUtc = now,
            ExpiresUtc = expires,
            IsPersistent = false,
            AllowRefresh = false,
        });
        return null;
    }

    /// <summary>The <c>exp</c> of a JWT, read without validation (the API validated the token already); null for other tokens.</summary>
    public static DateTimeOffset? JwtExpiry(string token)
    {
        var parts = token.Split('.');
        if (parts.Length != 3)
        {
            return null;
        }
        try
        {
            using var payload = System.Text.Json.JsonDocument.Parse(Base64UrlEncoder.DecodeBytes(parts[1]));
            return payload.RootElement.TryGetProperty("exp", out var exp) && exp.TryGetInt64(out var seconds)
                ? DateTimeOffset.FromUnixTimeSeconds(seconds)
                : null;
        }
        catch (Exception e) when (e is System.Text.Json.JsonException or FormatException or ArgumentException)
        {
            return null;
        }
    }
}
