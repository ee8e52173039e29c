using System.Security.Cryptography;
using Herald.Server.Http;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace Herald.Server.Authentication;

public static class AuthSetup
{
    public static IServiceCollection AddHeraldAuth(this IServiceCollection services)
    {
        services.AddSingleton(sp => sp.GetRequiredService<IConfiguration>().GetSection(AuthOptions.Section).Get<AuthOptions>() ?? new AuthOptions());
        services.AddSingleton<StaticTokens>();

        // The JWT scheme is always registered; BearerHandler only consults it when Auth:Jwt is configured.
        services.AddAuthentication(BearerHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, BearerHandler>(BearerHandler.SchemeName, _ => { })
            .AddJwtBearer(BearerHandler.JwtSchemeName);
        services.AddSingleton<IConfigureOptions<JwtBearerOptions>, ConfigureJwt>();
        services.AddAuthorization();
        return services;
    }

    private sealed class ConfigureJwt(AuthOptions auth) : IConfigureNamedOptions<JwtBearerOptions>
    {
        public void Configure(string? name, JwtBearerOptions jwt)
        {
            if (name != BearerHandler.JwtSchemeName)
            {
                return;
            }
            var options = auth.Jwt;
            jwt.MapInboundClaims = false;
            jwt.RequireHttpsMetadata = options.RequireHttpsMetadata;
            if (!string.IsNullOrWhiteSpace(options.Authority))
            {
                jwt.Authority = options.Authority;
            }
            jwt.TokenValidationParameters = new TokenValidationParameters
            {
                ValidateIssuer = !string.IsNullOrWhiteSpace(options.Issuer),
                ValidIssuer = options.Issuer,
                ValidateAudience = !string.IsNullOrWhiteSpace(options.Audience),
                ValidAudience = options.Audience,
                ValidateLifetime = true,
                ValidateIssuerSigningKey = true,
                IssuerSigningKey = string.IsNullOrWhiteSpace(options.SigningKey) ? null : SigningKey(options.SigningKey),
            };
        }

        public void Configure(JwtBearerOptions options) => Configure(Options.DefaultName, options);
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
            throw new InvalidSettingException("Auth:Jwt:SigningKey must be a PEM public key or base64 of a symmetric key");
        }
    }
}
