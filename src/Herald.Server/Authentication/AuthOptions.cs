namespace Herald.Server.Authentication;

/// <summary>The <c>Auth</c> section: who may call the API, and for which organization.</summary>
public sealed class AuthOptions
{
    public const string Section = "Auth";

    /// <summary>Static API tokens, each mapped to one organization (<c>Auth:Tokens:N:Token</c>, <c>Auth:Tokens:N:OrgId</c>).</summary>
    public List<ApiToken> Tokens { get; set; } = [];

    public JwtOptions Jwt { get; set; } = new();
}

public sealed class ApiToken
{
    public string Token { get; set; } = "";

    public string OrgId { get; set; } = "";
}

/// <summary>JWT bearer tokens, validated against a signing key or an OIDC authority.</summary>
public sealed class JwtOptions
{
    /// <summary>OIDC authority whose discovery document supplies the signing keys.</summary>
    public string? Authority { get; set; }

    /// <summary>A PEM public key (RSA or EC) or base64 of a symmetric HMAC key.</summary>
    public string? SigningKey { get; set; }

    public string? Issuer { get; set; }

    public string? Audience { get; set; }

    /// <summary>The claim that carries the caller's organization id.</summary>
    public string OrgClaim { get; set; } = "org_id";

    public bool RequireHttpsMetadata { get; set; } = true;

    public bool IsConfigured => !string.IsNullOrWhiteSpace(Authority) || !string.IsNullOrWhiteSpace(SigningKey);
}
