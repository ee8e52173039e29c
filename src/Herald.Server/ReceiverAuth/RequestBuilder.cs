using System.Text;
using Herald.Server.Configs;
using Herald.Server.Delivery;
using Herald.Server.Environments;

namespace Herald.Server.ReceiverAuth;

/// <summary>The request around the body, or why it could not be built.</summary>
public readonly record struct BuiltRequest(OutgoingRequest? Request, Prepared.Fail? Failure)
{
    public static BuiltRequest Fail(string code, string message, bool retryable = false, int? statusCode = null) =>
        new(null, new Prepared.Fail(code, message, retryable, statusCode));
}

/// <summary>
/// Steps 5-6 of a delivery, run on every attempt from the config as it is now: env references resolved from the
/// organization's variables (section 5), the egress route (section 8), the url, the custom headers (section 4) and
/// the receiver's auth (section 3).
/// </summary>
public sealed class RequestBuilder(EnvironmentValues environment, EgressProxies proxies)
{
    public async Task<BuiltRequest> BuildAsync(ConfigRecord config, ConfigSecrets secrets, string method, byte[] body, CancellationToken cancellationToken)
    {
        var document = config.Document;
        var (egress, unavailable) = EgressPlan.For(document, proxies);
        if (unavailable is not null)
        {
            return BuiltRequest.Fail(DeliveryCodes.StaticIpUnavailable, unavailable);
        }
        var customHeaders = CustomHeaders.Allowed(document.PayloadConfiguration?.CustomHeaders, ApiKeyHeader(document.Auth));
        var fields = EnvFields.Of(document, secrets, customHeaders);
        var values = await environment.ForAsync(config.OrgId, EnvFields.Names(fields), cancellationToken);
        var (resolved, unresolved) = EnvFields.Resolve(fields, values);
        if (unresolved is not null)
        {
            return BuiltRequest.Fail(DeliveryCodes.EnvVariableNotFound, unresolved);
        }

        var urlText = resolved![EnvFields.Url];
        if (!Uri.TryCreate(urlText, UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps))
        {
            return BuiltRequest.Fail(DeliveryCodes.InternalError, $"The config's url '{urlText}' is not an absolute http(s) url");
        }
        var headers = customHeaders.Select(h => KeyValuePair.Create(h.Key, resolved[EnvFields.Header(h.Key)]!)).ToList();
        if (AuthHeader(document.Auth, resolved) is { } auth)
        {
            headers.Add(auth);
        }
        if (headers.FirstOrDefault(h => !CustomHeaders.IsSafeValue(h.Value)) is { Key: not null } unsafeHeader)
        {
            return BuiltRequest.Fail(DeliveryCodes.InternalError, $"Header '{unsafeHeader.Key}' would carry a line break or NUL; the request was not sent");
        }
        return new BuiltRequest(new OutgoingRequest(url, method, body, headers, egress), null);
    }

    private static string? ApiKeyHeader(Auth? auth) => auth?.AuthType == "API_KEY" ? auth.ApiKeyConfig?.KeyName : null;

    private static KeyValuePair<string, string>? AuthHeader(Auth? auth, IReadOnlyDictionary<string, string?> resolved) => auth?.AuthType switch
    {
        "BASIC" when auth.BasicAuthConfig is not null => new("Authorization",
            "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{resolved[EnvFields.BasicUsername]}:{resolved[EnvFields.BasicPassword]}"))),
        "API_KEY" when auth.ApiKeyConfig?.KeyName is { Length: > 0 } name => new(name, resolved[EnvFields.ApiKeyValue] ?? ""),
        _ => null,
    };
}
