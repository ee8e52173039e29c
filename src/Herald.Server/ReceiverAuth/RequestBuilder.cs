using System.Text;
using Herald.Server.Configs;
using Herald.Server.Delivery;

namespace Herald.Server.ReceiverAuth;

/// <summary>The request around the body, or why it could not be built.</summary>
public readonly record struct BuiltRequest(OutgoingRequest? Request, Prepared.Fail? Failure);

/// <summary>
/// Steps 5-6 of a delivery, run on every attempt from the config as it is now: the url and the receiver's auth
/// (wire-format section 3).
/// </summary>
public sealed class RequestBuilder
{
    public Task<BuiltRequest> BuildAsync(ConfigRecord config, ConfigSecrets secrets, string method, byte[] body, CancellationToken cancellationToken)
    {
        var document = config.Document;
        if (!Uri.TryCreate(document.Url, UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps))
        {
            return Task.FromResult(new BuiltRequest(null, new Prepared.Fail(DeliveryCodes.InternalError, $"The config's url '{document.Url}' is not an absolute http(s) url", Retryable: false)));
        }
        var headers = new List<KeyValuePair<string, string>>();
        if (AuthHeader(document.Auth, secrets) is { } auth)
        {
            headers.Add(auth);
        }
        return Task.FromResult(new BuiltRequest(new OutgoingRequest(url, method, body, headers), null));
    }

    private static KeyValuePair<string, string>? AuthHeader(Auth? auth, ConfigSecrets secrets) => auth?.AuthType switch
    {
        "BASIC" when auth.BasicAuthConfig is { } basic => new("Authorization",
            "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{basic.Username}:{secrets.Password}"))),
        "API_KEY" when auth.ApiKeyConfig?.KeyName is { Length: > 0 } name => new(name, secrets.KeyValue ?? ""),
        _ => null,
    };
}
