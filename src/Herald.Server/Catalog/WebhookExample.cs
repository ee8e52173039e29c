using System.Text.Json.Nodes;
using Herald.Server.Configs;
using Herald.Server.Http;

namespace Herald.Server.Catalog;

/// <summary>
/// The example input of a config: the catalog's example payload for its event (an <c>ExecutionPayload</c>, or an
/// Event Catalog envelope), or an empty entity when the catalog has none, with the metadata a trigger of this config
/// would carry. Pure.
/// </summary>
public static class WebhookExample
{
    public static JsonObject Build(JsonNode? catalogExample, ConfigRecord config, OrganizationId orgId, DateTimeOffset now, Guid correlationId, string? automationId)
    {
        var example = catalogExample?.DeepClone() as JsonObject ?? new JsonObject { ["entity"] = new JsonObject(), ["relations"] = new JsonArray() };
        if (example["metadata"] is not JsonObject metadata)
        {
            metadata = new JsonObject();
            // Metadata first, as a trigger payload has it.
            var rest = example.ToList();
            example.Clear();
            example["metadata"] = metadata;
            foreach (var (key, value) in rest.Where(p => p.Key != "metadata"))
            {
                example[key] = value;
            }
        }

        // What identifies this config and organization is always Herald's; the rest of the example's metadata stays.
        metadata["webhook_id"] = config.Id.Value;
        metadata["webhook_name"] = config.Document.Name;
        metadata["organization_id"] = orgId.Value;
        metadata["creation_timestamp"] = HeraldJson.Timestamp(now);
        metadata["correlation_id"] ??= correlationId.ToString();
        if (automationId is not null)
        {
            metadata["automation_id"] = automationId;
        }
        return example;
    }
}
