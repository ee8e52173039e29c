using Herald.Server.Http;
using System.Text.Json;
using System.Text.Json.Nodes;
using Herald.Server.Configs;
using Herald.Server.Egress;
using Herald.Server.Events;

namespace Herald.Server.Payloads;

/// <summary>The input after <c>payloadConfiguration</c> shaped it (and how hydration went), or why it could not be shaped.</summary>
public readonly record struct ShapedInput(JsonObject? Input, Prepared.Fail? Failure, string? Hydration = null);

/// <summary>What became of <c>hydrate_entity</c> for one event; recorded on the event as <c>http_response.hydration</c>.</summary>
public static class Hydration
{
    /// <summary>The entity (and, with <c>include_relations: true</c>, its relations) came from the entity source.</summary>
    public const string Hydrated = "hydrated";

    /// <summary>No entity source is configured, or the payload has no <c>entity</c> with <c>_schema</c> and <c>_id</c>: the entity went as sent.</summary>
    public const string Skipped = "skipped";

    /// <summary>The entity source does not know the entity (e.g. it was deleted since): the entity went as sent.</summary>
    public const string NotFound = "not_found";

    /// <summary>The schema slug and id the entity source is asked for, or null when the payload does not name them.</summary>
    public static (string Slug, string Id)? TargetOf(JsonObject input) =>
        input["entity"] is JsonObject entity && Text(entity["_schema"]) is { } slug && Text(entity["_id"]) is { } id ? (slug, id) : null;

    private static string? Text(JsonNode? node) =>
        node is JsonValue value && value.GetValueKind() == JsonValueKind.String && value.GetValue<string>() is { Length: > 0 } text ? text : null;
}

/// <summary>
/// Step 1 of a delivery (wire-format section 4): the input payload the filters and the transform see, shaped by
/// <c>payloadConfiguration</c>, in this order: <c>hydrate_entity</c> replaces <c>entity</c> with the current one from
/// the entity source (and <c>relations</c> with its relations when <c>include_relations</c> is true);
/// <c>apply_changesets</c> shows the entity with its pending changesets applied (<see cref="Changesets"/>); then the
/// <c>include_*</c> flags drop what they exclude (<see cref="PayloadParts"/>). Runs once per event, on its first
/// attempt; a failure of the entity source fails that attempt (retryable when the source may recover) and the next
/// attempt shapes the input again.
/// </summary>
public sealed partial class PayloadShaper(IEntitySource? entities, ILogger<PayloadShaper> logger)
{
    public async Task<ShapedInput> ShapeAsync(JsonObject input, ConfigRecord config, CancellationToken cancellationToken)
    {
        var configuration = config.Document.PayloadConfiguration;
        string? hydration = null;
        if (configuration?.HydrateEntity == true)
        {
            var target = Hydration.TargetOf(input);
            if (entities is null || target is not { } entity)
            {
                hydration = Hydration.Skipped;
                LogHydrationSkipped(logger, config.Id, entities is null ? "no entity source is configured" : "the payload has no entity with _schema and _id");
            }
            else if (EntityPath.Problem(entity.Slug, entity.Id) is { } refused)
            {
                // The payload's sender would steer a request that carries the operator's token: fail, never skip, so a
                // receiver expecting hydrated data does not get the sender's version of the entity instead.
                LogHydrationFailed(logger, config.Id, entity.Slug, entity.Id, refused);
                return new ShapedInput(null, new Prepared.Fail(DeliveryCode.InternalError, $"Entity hydration refused: {refused}; the Entity API was not asked", Retryable: false));
            }
            else
            {
                FetchedEntity? fetched;
                try
                {
                    fetched = await entities.GetAsync(config.OrgId, entity.Slug, entity.Id, cancellationToken);
                }
                catch (EntitySourceException e)
                {
                    LogHydrationFailed(logger, config.Id, entity.Slug, entity.Id, e.Message);
                    return new ShapedInput(null, new Prepared.Fail(DeliveryCode.InternalError, $"Entity hydration failed: {e.Message}", e.Retryable));
                }
                if (fetched is null)
                {
                    hydration = Hydration.NotFound;
                }
                else
                {
                    input["entity"] = fetched.Entity;
                    if (configuration.IncludeRelations == true)
                    {
                        input["relations"] = fetched.Relations;
                    }
                    hydration = Hydration.Hydrated;
                }
            }
        }
        if (configuration?.ApplyChangesets == true && input["entity"] is JsonObject shown)
        {
            Changesets.Apply(shown);
        }
        PayloadParts.DropExcluded(input, configuration);
        return new ShapedInput(input, null, hydration);
    }

    [LoggerMessage(EventId = 300, Level = LogLevel.Information, Message = "Hydration skipped for config {ConfigId}: {Reason}")]
    private static partial void LogHydrationSkipped(ILogger logger, ConfigId configId, string reason);

    [LoggerMessage(EventId = 301, Level = LogLevel.Warning, Message = "Hydration failed for config {ConfigId}, entity {Slug}/{EntityId}: {Reason}")]
    private static partial void LogHydrationFailed(ILogger logger, ConfigId configId, string slug, string entityId, string reason);
}
