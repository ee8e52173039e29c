using System.Text;
using System.Text.Json.Nodes;
using Herald.Server.Configs;
using Herald.Server.Events;
using Herald.Server.Http;

namespace Herald.Server.Delivery;

/// <summary>What the pipeline decided for one attempt: send this request, skip the event, or fail it.</summary>
public abstract record Prepared
{
    public sealed record Send(OutgoingRequest Request, string Payload, string? OriginalPayload) : Prepared;

    public sealed record Skip(string Reason) : Prepared;

    public sealed record Fail(string Code, string Message, bool Retryable) : Prepared;
}

/// <summary>
/// Steps 1-7 of a delivery (wire-format section 1) up to, not including, the signature: build the payload once
/// (kept on the event and reused by retries), then the request with the receiver's auth.
/// </summary>
public sealed class DeliveryPipeline
{
    /// <summary>Keys of Event Catalog envelopes that stay inside Herald.</summary>
    private static readonly string[] InternalCatalogKeys = ["_downgrades", "_automation_chain"];

    public Prepared Prepare(DeliveryJob job, EventRecord stored, WebhookConfig config, ConfigSecrets secrets)
    {
        string payload;
        if (stored.Payload is not null && !job.ReapplyTransform)
        {
            payload = stored.Payload;
        }
        else if (JsonNode.Parse(stored.Input) is JsonObject input)
        {
            payload = BuildPayload(stored.EventName, input).ToJsonString(HeraldJson.Payload);
        }
        else
        {
            return new Prepared.Fail(DeliveryCodes.InternalError, "The stored event input is not a JSON object", Retryable: false);
        }

        if (!Uri.TryCreate(config.Url, UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps))
        {
            return new Prepared.Fail(DeliveryCodes.InternalError, $"The config's url '{config.Url}' is not an absolute http(s) url", Retryable: false);
        }

        var method = config.HttpMethod ?? "POST";
        var body = WebhookSender.CarriesBody(method) ? Encoding.UTF8.GetBytes(payload) : [];
        var headers = new List<KeyValuePair<string, string>>();
        if (AuthHeader(config.Auth, secrets) is { } auth)
        {
            headers.Add(auth);
        }
        return new Prepared.Send(new OutgoingRequest(url, method, body, headers), payload, null);
    }

    /// <summary>The payload for the receiver: catalog envelopes lose their internal keys; others go as triggered.</summary>
    public static JsonObject BuildPayload(string eventName, JsonObject input)
    {
        var payload = (JsonObject)input.DeepClone();
        if (eventName.StartsWith("event_", StringComparison.Ordinal))
        {
            foreach (var key in InternalCatalogKeys)
            {
                payload.Remove(key);
            }
        }
        return payload;
    }

    private static KeyValuePair<string, string>? AuthHeader(Auth? auth, ConfigSecrets secrets) => auth?.AuthType switch
    {
        "BASIC" when auth.BasicAuthConfig is { } basic => new("Authorization",
            "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{basic.Username}:{secrets.Password}"))),
        "API_KEY" when auth.ApiKeyConfig?.KeyName is { Length: > 0 } name => new(name, secrets.KeyValue ?? ""),
        _ => null,
    };
}
