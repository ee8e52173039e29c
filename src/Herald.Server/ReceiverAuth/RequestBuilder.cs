using System.Text;
using Herald.Server.Configs;
using Herald.Server.Egress;
using Herald.Server.Environments;
using Herald.Server.Events;

namespace Herald.Server.ReceiverAuth;

/// <summary>The request around the body, or why it could not be built.</summary>
public readonly record struct BuiltRequest(OutgoingRequest? Request, Prepared.Fail? Failure)
{
    public static BuiltRequest Fail(DeliveryCode code, string message, bool retryable = false, int? statusCode = null) =>
        new(null, new Prepared.Fail(code, message, retryable, statusCode));
}

/// <summary>
/// Steps 5-6 of a delivery, run on every attempt from the config as it is now: env references resolved from the
/// organization's variables (section 5), the egress route (section 8), the url, the custom headers (section 4) and
/// the receiver's auth (section 3), an OAuth token included. The values of secret variables it resolves go into the
/// attempt's <see cref="SecretMask"/>, which its caller applies to every message of the attempt; the request names
/// the headers that carry credentials, for the attempt's record of it (<see cref="RequestRedaction"/>).
/// </summary>
public sealed class RequestBuilder(EnvironmentValues environment, EgressProxies proxies, OAuthTokens tokens, EgressOptions options)
{
    private const string OAuth = "OAUTH_CLIENT_CREDENTIALS";
    private const string BasicHeaderField = "auth.basicAuthConfig";
    private const string AccessTokenField = "the access token of auth.oauthConfig";

    public async Task<BuiltRequest> BuildAsync(ConfigRecord config, ConfigSecrets secrets, string method, byte[] body, SecretMask mask, CancellationToken cancellationToken)
    {
        var document = config.Document;
        // Refused at save since the rule exists; a config stored before it is stopped here rather than sent without its key.
        if (ApiKeyHeader(document.Auth) is { } keyName && CustomHeaders.NameProblem(keyName) is { } problem)
        {
            return BuiltRequest.Fail(DeliveryCode.InternalError, $"auth.apiKeyConfig.keyName {problem}; update the config (the request was not sent)");
        }
        var customHeaders = CustomHeaders.Allowed(document.PayloadConfiguration?.CustomHeaders, ApiKeyHeader(document.Auth));
        var (egress, resolved, failure) = await ResolveAsync(config, secrets, customHeaders, mask, cancellationToken);
        if (failure is not null)
        {
            return new BuiltRequest(null, failure);
        }

        var urlText = resolved![EnvFields.Url];
        if (!Uri.TryCreate(urlText, UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps))
        {
            return BuiltRequest.Fail(DeliveryCode.InternalError, $"The config's url '{urlText}' is not an absolute http(s) url");
        }
        var headers = customHeaders.Select(h => new BuiltHeader(h.Key, resolved[EnvFields.Header(h.Key)]!, EnvFields.Header(h.Key))).ToList();
        var auth = await AuthHeaderAsync(config, resolved, egress, mask, cancellationToken);
        if (auth.Failure is not null)
        {
            return new BuiltRequest(null, auth.Failure);
        }
        // Kept out of the attempt's record of the request: the auth header (a header a secret variable went into is
        // found by the mask when the record is taken).
        var credentials = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        if (auth.Header is { } header)
        {
            headers.Add(header);
            credentials.Add(header.Name);
        }
        if (RequestHeaders.Check(headers, options.MaxRequestHeaderBytes) is { } refused)
        {
            return new BuiltRequest(null, refused);
        }
        return new BuiltRequest(new OutgoingRequest(url, method, body, headers.Select(h => KeyValuePair.Create(h.Name, h.Value)).ToList(), egress)
        {
            Redaction = new RequestRedaction(credentials, mask),
        }, null);
    }

    /// <summary>
    /// After a 401 from the receiver: forgets the OAuth token the request carried, so that building the request
    /// again fetches a fresh one. False when the config does not use OAuth (nothing to renew).
    /// </summary>
    public bool DropRejectedToken(ConfigRecord config, OutgoingRequest rejected)
    {
        if (config.Document.Auth?.AuthType != OAuth)
        {
            return false;
        }
        var bearer = rejected.Headers.FirstOrDefault(h => h.Key == "Authorization").Value;
        if (bearer?.StartsWith("Bearer ", StringComparison.Ordinal) == true)
        {
            tokens.Drop(Scope(config), bearer["Bearer ".Length..]);
        }
        return true;
    }

    /// <summary><c>testOAuth</c>: the config's token exchange as a delivery would make it, uncached, sending nothing else.</summary>
    public async Task<TokenResult> TestOAuthAsync(ConfigRecord config, ConfigSecrets secrets, SecretMask mask, CancellationToken cancellationToken)
    {
        var (egress, resolved, failure) = await ResolveAsync(config, secrets, [], mask, cancellationToken);
        if (failure is not null)
        {
            return new TokenResult(null, failure);
        }
        var (request, invalid) = TokenRequestFor(config.Document.Auth!.OAuthConfig!, resolved!);
        return invalid is not null ? new TokenResult(null, invalid) : await tokens.ExchangeAsync(request!, egress, mask, cancellationToken);
    }

    private async Task<(EgressRoute? Egress, IReadOnlyDictionary<string, string?>? Resolved, Prepared.Fail? Failure)> ResolveAsync(
        ConfigRecord config, ConfigSecrets secrets, IEnumerable<KeyValuePair<string, string>> customHeaders, SecretMask mask, CancellationToken cancellationToken)
    {
        var (egress, unavailable) = EgressPlan.For(config.Document, proxies);
        if (unavailable is not null)
        {
            return (null, null, new Prepared.Fail(DeliveryCode.StaticIpUnavailable, unavailable, Retryable: false));
        }
        var fields = EnvFields.Of(config.Document, secrets, customHeaders);
        var values = await environment.ForAsync(config.OrgId, EnvFields.Names(fields), mask, cancellationToken);
        var (resolved, unresolved) = EnvFields.Resolve(fields, values, options.MaxRequestHeaderBytes);
        return unresolved is not null ? (null, null, unresolved) : (egress, resolved, null);
    }

    private async Task<(BuiltHeader? Header, Prepared.Fail? Failure)> AuthHeaderAsync(
        ConfigRecord config, IReadOnlyDictionary<string, string?> resolved, EgressRoute? egress, SecretMask mask, CancellationToken cancellationToken)
    {
        var auth = config.Document.Auth;
        switch (auth?.AuthType)
        {
            case "BASIC" when auth.BasicAuthConfig is not null:
                var credentials = $"{resolved[EnvFields.BasicUsername]}:{resolved[EnvFields.BasicPassword]}";
                return (new("Authorization", "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes(credentials)), BasicHeaderField), null);
            case "API_KEY" when auth.ApiKeyConfig?.KeyName is { Length: > 0 } name:
                return (new(name, resolved[EnvFields.ApiKeyValue] ?? "", EnvFields.ApiKeyValue), null);
            case OAuth when auth.OAuthConfig is { } oauth:
                var (request, invalid) = TokenRequestFor(oauth, resolved);
                if (invalid is not null)
                {
                    return (null, invalid);
                }
                var token = await tokens.GetAsync(Scope(config), request!, egress, mask, cancellationToken);
                return token.Grant is { } grant ? (new("Authorization", "Bearer " + grant.AccessToken, AccessTokenField), null) : (null, token.Failure);
            default:
                return (null, null);
        }
    }

    private static (TokenRequest? Request, Prepared.Fail? Failure) TokenRequestFor(OAuthConfig oauth, IReadOnlyDictionary<string, string?> resolved)
    {
        var (request, error) = TokenRequests.Build(
            resolved[EnvFields.OAuthEndpoint], oauth.HttpMethod, resolved[EnvFields.OAuthClientId], resolved[EnvFields.OAuthClientSecret], oauth.CustomParameterList);
        return error is null ? (request, null) : (null, new Prepared.Fail(DeliveryCode.InternalError, error, Retryable: false));
    }

    private static TokenScope Scope(ConfigRecord config) => new(config.OrgId, config.Id, config.Version);

    private static string? ApiKeyHeader(Auth? auth) => auth?.AuthType == "API_KEY" ? auth.ApiKeyConfig?.KeyName : null;
}
