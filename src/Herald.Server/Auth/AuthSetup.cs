using System.Security.Cryptography;
using Microsoft.AspNetCore.Authentication;
using Microsoft.IdentityModel.Tokens;

namespace Herald.Server.Auth;

public static class AuthSetup
{
    public static IServiceCollection AddHeraldAuth(this IServiceCollection services, IConfiguration configuration)
    {
        var options = configuration.GetSection(AuthOptions.Section).Get<AuthOptions>() ?? new AuthOptions();
        services.AddSingleton(options);
        services.AddSingleton<StaticTokens>();

        var builder = services.AddAuthentication(BearerHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, BearerHandler>(BearerHandler.SchemeName, _ => { });
        if (options.Jwt.IsConfigured)
        {
            builder.AddJwtBearer(BearerHandler.JwtSchemeName, jwt =>
            {
                jwt.MapInboundClaims = false;
                jwt.RequireHttpsMetadata = options.Jwt.RequireHttpsMetadata;
                if (!string.IsNullOrWhiteSpace(options.Jwt.Authority))
                {
                    jwt.Authority = options.Jwt.Authority;
                }
                jwt.TokenValidationParameters = new TokenValidationParameters
                {
                    ValidateIssuer = !string.IsNullOrWhiteSpace(options.Jwt.Issuer),
                    ValidIssuer = options.Jwt.Issuer,
                    ValidateAudience = !string.IsNullOrWhiteSpace(options.Jwt.Audience),
                    ValidAudience = options.Jwt.Audience,
                    ValidateLifetime = true,
                    IssuerSigningKey = string.IsNullOrWhiteSpace(options.Jwt.SigningKey) ? null : SigningKey(options.Jwt.SigningKey),
                };
            });
        }
        services.AddAuthorization();
        return services;
    }

    /// <summary>A PEM public key (RSA, then EC) or, failing that, base64 of a symmetric key.</summary>
    private static SecurityKey SigningKey(string value)
    {
        if (value.Contains("-----BEGIN", StringComparison.Ordinal))
        {
            try
            {
                var rsa = RSA.Create();
                rsa.ImportFromPem(value);
                return new RsaSecurityKey(rsa);
            }
            catch (ArgumentException)
            {
                var ec = ECDsa.Create();
                ec.ImportFromPem(value);
                return new ECDsaSecurityKey(ec);
            }
        }
        try
        {
            return new SymmetricSecurityKey(Convert.FromBase64String(value));
        }
        catch (FormatException)
        {
            throw new InvalidOperationException("Auth:Jwt:SigningKey must be a PEM public key or base64 of a symmetric key");
        }
    }
}
