using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Herald.Server.Http;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace Herald.Server.Authentication;

/// <summary>
/// Accepts <c>Authorization: Bearer &lt;token&gt;</c> where the token is either a configured static API token or a
/// JWT that the JwtBearer scheme validates. Either way the principal carries the organization in
/// <see cref="Organization.ClaimType"/>. Failures answer 401 with a <c>{"message"}</c> body.
/// </summary>
public sealed class BearerHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    AuthOptions auth,
    StaticTokens tokens) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "HeraldBearer";
    public const string JwtSchemeName = "Jwt";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        string? header = Request.Headers.Authorization;
        if (string.IsNullOrEmpty(header))
        {
            return AuthenticateResult.Fail("Missing Authorization header: send 'Authorization: Bearer <token>'");
        }
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) || header.Length <= 7)
        {
            return AuthenticateResult.Fail("Authorization header must be 'Bearer <token>'");
        }

        var token = header[7..].Trim();
        if (tokens.Find(token) is { } orgId)
        {
            return Success(orgId, "token");
        }

        if (!auth.Jwt.IsConfigured)
        {
            return AuthenticateResult.Fail("Invalid bearer token");
        }

        var jwt = await Context.AuthenticateAsync(JwtSchemeName);
        if (!jwt.Succeeded)
        {
            return AuthenticateResult.Fail("Invalid bearer token");
        }
        var (org, error) = OrgClaim.Read(token, auth.Jwt.OrgClaim);
        return error is not null ? AuthenticateResult.Fail(error) : Success(org!, "jwt");
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var result = await HandleAuthenticateOnceSafeAsync();
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = "Bearer";
        await Response.WriteAsJsonAsync(new ErrorResp(result.Failure?.Message ?? "Unauthorized"));
    }

    private AuthenticateResult Success(string orgId, string kind)
    {
        var identity = new ClaimsIdentity([new Claim(Organization.ClaimType, orgId)], kind);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), Scheme.Name));
    }
}

/// <summary>The configured static tokens, compared by SHA-256 digest in constant time.</summary>
public sealed class StaticTokens
{
    private readonly (byte[] Digest, string OrgId)[] _tokens;

    public StaticTokens(AuthOptions options)
    {
        _tokens = options.Tokens
            .Where(t => !string.IsNullOrWhiteSpace(t.Token) && !string.IsNullOrWhiteSpace(t.OrgId))
            .Select(t => (Digest(t.Token), t.OrgId))
            .ToArray();
    }

    /// <summary>How many usable tokens are configured (both a token and an organization).</summary>
    public int Count => _tokens.Length;

    public string? Find(string token)
    {
        var digest = Digest(token);
        string? found = null;
        foreach (var (candidate, orgId) in _tokens)
        {
            if (CryptographicOperations.FixedTimeEquals(candidate, digest))
            {
                found = orgId;
            }
        }
        return found;
    }

    private static byte[] Digest(string token) => SHA256.HashData(Encoding.UTF8.GetBytes(token));
}
