using System.Text;
using System.Text.Json.Nodes;
using Herald.Server.Catalog;
using Herald.Server.Configs;
using Herald.Server.Egress;
using Herald.Server.Environments;
using Herald.Server.Events;
using Herald.Server.Filters;
using Herald.Server.Http;
using Herald.Server.Payloads;
using Herald.Server.ReceiverAuth;
using Herald.Server.Transforms;

namespace Herald.Server.Delivery;

/// <summary>
/// Steps 1-7 of a delivery (wire-format section 1) up to, not including, the signature. The body is built once,
/// on the first attempt (shape the input, filter, transform), kept on the event and reused by every retry; the
/// request around it (url, receiver auth, headers) is built fresh for every attempt from the config as it is now.
/// </summary>
public sealed class DeliveryPipeline(
    PayloadShaper shaper,
    EventFilter filter,
    PayloadTransform transform,
    RequestBuilder requests,
    CatalogDowngrades downgrades,
    IConfigStore configs,
    FileDelivery files)
{
    /// <param name="mask">Collects the secret variable values the request is built with; the caller masks the attempt's messages with it.</param>
    public async Task<Prepared> PrepareAsync(DeliveryJob job, EventRecord stored, ConfigRecord config, ConfigSecrets secrets, SecretMask mask, CancellationToken cancellationToken)
    {
        // Written out here, once per attempt, when the event is a fan-out's (whose records built at acceptance carry
        // the shared input); any other record holds it whole already.
        var input = stored.InputText();
        string payload;
        string? originalPayload = null;
        string? hydration;
        if (stored.Payload is not null && !job.ReapplyTransform && FileDelivery.IsMultipart(config.Document)
            && MultipartForm.TryParse(stored.Payload) is { } recorded)
        {
            // A multipart body is never stored: its recorded form is sent again, the files read again.
            return await files.SendFormAsync(recorded, config, secrets, RecordedHydration(stored.HttpResponse), mask, cancellationToken);
        }
        if (stored.Payload is not null && !job.ReapplyTransform)
        {
            payload = stored.Payload;
            hydration = RecordedHydration(stored.HttpResponse);
        }
        else if (PassesThrough(stored.EventName, config.Document))
        {
            // Every step below would hand the input on unchanged, and writing it out again would give its stored text.
            payload = input;
            hydration = null;
        }
        else
        {
            if (JsonNode.Parse(input) is not JsonObject parsed)
            {
                return new Prepared.Fail(DeliveryCode.InternalError, "The stored event input is not a JSON object", Retryable: false);
            }
            var versioned = await PinVersionAsync(stored.EventName, parsed, config, cancellationToken);
            if (versioned.Failure is { } versionFailure)
            {
                return versionFailure;
            }
            var shaped = await shaper.ShapeAsync(versioned.Envelope!, config, cancellationToken);
            if (shaped.Failure is { } shapeFailure)
            {
                return shapeFailure;
            }
            var filtered = filter.Decide(config.Document, shaped.Input!);
            if (filtered.Error is { } error)
            {
                return new Prepared.Fail(DeliveryCode.InternalError, error, Retryable: false);
            }
            hydration = shaped.Hydration;
            if (filtered.SkipReason is { } reason)
            {
                return new Prepared.Skip(reason, hydration);
            }
            if (FileDelivery.IsMultipart(config.Document))
            {
                return await files.MultipartAsync(config, secrets, shaped.Input!, hydration, mask, cancellationToken);
            }
            if (FileDelivery.IsJsonBase64(config.Document) && await files.AddFileDataAsync(config.OrgId, shaped.Input!, cancellationToken) is { } fileFailure)
            {
                return fileFailure;
            }
            var transformed = transform.Apply(stored.EventName, config, shaped.Input!);
            if (transformed.Failure is { } transformFailure)
            {
                return transformFailure;
            }
            payload = transformed.Body?.ToJsonString(HeraldJson.Payload) ?? "null";
            originalPayload = transformed.Transformed ? shaped.Input!.ToJsonString(HeraldJson.Payload) : null;
        }

        var method = config.Document.HttpMethod ?? "POST";
        var body = WebhookSender.CarriesBody(method) ? Encoding.UTF8.GetBytes(payload) : [];
        var request = await requests.BuildAsync(config, secrets, method, body, mask, cancellationToken);
        return request.Failure is { } failure ? failure : new Prepared.Send(request.Request!, payload, originalPayload, hydration, string.Equals(payload, input, StringComparison.Ordinal));
    }

    /// <summary>
    /// True when no step of the body's making changes anything for this config and event: not an Event Catalog event
    /// (no version pinning, no internal keys to drop), no <c>payloadConfiguration</c> (no hydration, changesets or
    /// dropped parts), no <c>filter</c> key and no <c>filterConditions</c> (nothing to skip on), no transform and no
    /// file <c>deliveryMode</c>. Then
    /// the body is the stored input, byte for byte, without parsing it.
    /// </summary>
    internal static bool PassesThrough(string eventName, WebhookConfig config) =>
        !CatalogDowngrades.IsCatalogEvent(eventName)
        && config.PayloadConfiguration is null
        && !EventFilter.Applies(config)
        && string.IsNullOrWhiteSpace(config.JsonataExpression)
        && config.DeliveryMode is null;

    /// <summary>
    /// Event Catalog events meet the config at its pinned <c>eventVersion</c>: a config without one is pinned to the
    /// event's <c>_event_version</c> by its first delivery, and a config pinned to an older version gets the event
    /// downgraded. Other events, and envelopes without a version stamp, pass as they are.
    /// </summary>
    private async Task<DowngradeResult> PinVersionAsync(string eventName, JsonObject input, ConfigRecord config, CancellationToken cancellationToken)
    {
        if (config.Document.EventVersion is null && CatalogDowngrades.IsCatalogEvent(eventName)
            && EventVersion.TryParse(CatalogDowngrades.StampedVersion(input), out var stamped))
        {
            await configs.BackfillEventVersionAsync(config.OrgId, config.Id, stamped.ToString(), cancellationToken);
        }
        return downgrades.ForConfig(eventName, input, config.Document.EventVersion);
    }

    /// <summary>A retry reuses the body built on the first attempt, and with it the hydration note recorded then.</summary>
    private static string? RecordedHydration(string? httpResponse) =>
        httpResponse is not null && JsonNode.Parse(httpResponse)?["hydration"] is JsonValue note && note.TryGetValue<string>(out var text) ? text : null;
}
