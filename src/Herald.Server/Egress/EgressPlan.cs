using Herald.Server.Configs;
using Herald.Server.Http;

namespace Herald.Server.Egress;

/// <summary>How a request leaves Herald: straight to the receiver, or tunnelled through an egress proxy.</summary>
/// <param name="Name">For messages and logs: <c>direct</c>, <c>static-ip</c>, <c>secure-proxy:&lt;key&gt;</c>.</param>
public sealed record EgressRoute(string Name, Uri? Proxy)
{
    public static readonly EgressRoute Direct = new("direct", null);
}

/// <summary>The route a config asks for, or why it cannot have it (<c>STATIC_IP_UNAVAILABLE</c>).</summary>
public readonly record struct EgressDecision(EgressRoute? Route, string? Unavailable);

/// <summary>
/// The egress proxies the operator configured, checked once: each an <c>http://[user:password@]host:port</c> HTTP
/// CONNECT proxy. A malformed entry stops the start instead of failing deliveries later.
/// </summary>
public sealed class EgressProxies
{
    public EgressProxies(EgressOptions options)
    {
        StaticIp = Parse("Delivery:StaticIpProxy", options.StaticIpProxy);
        DefaultSecure = Parse("Delivery:SecureProxy", options.SecureProxy);
        Secure = options.SecureProxies
            .Where(p => !string.IsNullOrWhiteSpace(p.Value))
            .ToDictionary(p => p.Key, p => Parse($"Delivery:SecureProxies:{p.Key}", p.Value)!, StringComparer.OrdinalIgnoreCase);
    }

    public Uri? StaticIp { get; }

    public Uri? DefaultSecure { get; }

    /// <summary>Secure proxies by <c>integration_id</c> or <c>use_case_slug</c>, case-insensitively.</summary>
    public IReadOnlyDictionary<string, Uri> Secure { get; }

    private static Uri? Parse(string key, string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }
        if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttp || string.IsNullOrEmpty(uri.Host)
            || uri.AbsolutePath != "/" || uri.Query.Length > 0)
        {
            throw new InvalidSettingException($"{key} must be an http://[user:password@]host:port URL of an HTTP CONNECT proxy");
        }
        return uri;
    }
}

/// <summary>
/// Which egress a config's deliveries (and its OAuth token requests) take (wire-format section 8). Pure.
/// <c>secureProxy</c> wins over <c>enableStaticIP</c> and never falls back to it: a config that asks for a proxy
/// that is not configured gets none rather than another path.
/// </summary>
public static class EgressPlan
{
    public static EgressDecision For(WebhookConfig config, EgressProxies proxies)
    {
        if (config.SecureProxy is { } secure)
        {
            foreach (var key in (string?[])[secure.IntegrationId, secure.UseCaseSlug])
            {
                if (key is not null && proxies.Secure.TryGetValue(key, out var proxy))
                {
                    return new(new EgressRoute($"secure-proxy:{key}", proxy), null);
                }
            }
            return proxies.DefaultSecure is { } fallback
                ? new(new EgressRoute("secure-proxy", fallback), null)
                : new(null, $"secureProxy (integration_id {secure.IntegrationId}, use_case_slug {secure.UseCaseSlug}) asks for a secure egress proxy, and none is configured for it");
        }
        if (config.EnableStaticIP == true)
        {
            return proxies.StaticIp is { } proxy
                ? new(new EgressRoute("static-ip", proxy), null)
                : new(null, "enableStaticIP asks for the static IP egress proxy, and none is configured");
        }
        return new(EgressRoute.Direct, null);
    }
}
