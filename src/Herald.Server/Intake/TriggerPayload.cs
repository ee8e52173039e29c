using System.Text.Json;
using System.Text.Json.Nodes;
using Herald.Server.Configs;
using Herald.Server.Http;

namespace Herald.Server.Intake;

/// <summary>
/// Fills the trigger payload's metadata (wire-format section 4): <c>webhook_id</c>, <c>webhook_name</c>,
/// <c>organization_id</c> (the caller's; another value is refused), <c>creation_timestamp</c> and
/// <c>correlation_id</c>, each only when absent. Event Catalog envelopes (<c>event_*</c>) are kept as given.
/// </summary>
public static class TriggerPayload
{
    public static (JsonObject? Payload, string? Error) Fill(JsonObject body, string configId, WebhookConfig config, OrganizationId orgId, DateTimeOffset now, Guid correlationId)
    {
        if (config.EventName?.StartsWith("event_", StringComparison.Ordinal) == true)
        {
            return (body, null);
        }

        var metadata = body["metadata"];
        if (metadata is null)
        {
            metadata = new JsonObject();
            body["metadata"] = metadata;
        }
        if (metadata is not JsonObject fields)
        {
            return (null, "metadata must be an object");
        }
        if (fields["organization_id"] is { } given)
        {
            if (given.GetValueKind() != JsonValueKind.String)
            {
                return (null, "metadata.organization_id must be a string");
            }
            if (given.GetValue<string>() != orgId.Value)
            {
                return (null, "metadata.organization_id must be the caller's organization");
            }
        }
        SetIfAbsent(fields, "webhook_id", configId);
        SetIfAbsent(fields, "webhook_name", config.Name);
        SetIfAbsent(fields, "organization_id", orgId.Value);
        SetIfAbsent(fields, "creation_timestamp", HeraldJson.Timestamp(now));
        SetIfAbsent(fields, "correlation_id", correlationId.ToString());
        return (body, null);
    }

    /// <summary>
    /// What <see cref="Fill"/> may add to <paramref name="body"/>, as it is now: the metadata fields it lacks, or the
    /// whole metadata when it has none. <see cref="TakeBack"/> removes them again.
    /// </summary>
    public static string[] Absent(JsonObject body) => body["metadata"] switch
    {
        null => ["metadata"],
        JsonObject fields => Filled.Where(name => fields[name] is null).ToArray(),
        _ => [],
    };

    /// <summary>Undoes a <see cref="Fill"/>, given what was <see cref="Absent"/> before it, so that it can be filled again under another config.</summary>
    public static void TakeBack(JsonObject body, string[] absent)
    {
        if (absent is ["metadata"])
        {
            body.Remove("metadata");
        }
        else if (body["metadata"] is JsonObject fields)
        {
            foreach (var name in absent)
            {
                fields.Remove(name);
            }
        }
    }

    private static readonly string[] Filled = ["webhook_id", "webhook_name", "organization_id", "creation_timestamp", "correlation_id"];

    private static void SetIfAbsent(JsonObject fields, string name, string? value)
    {
        if (fields[name] is null && value is not null)
        {
            fields[name] = value;
        }
    }
}
