using System.Text.Json.Nodes;
using Herald.Server.Configs;
using Herald.Server.Delivery;
using Herald.Server.Http;

namespace Herald.Server.FanOut;

/// <summary>
/// Plans a fan-out: one event for every config of the organization that subscribes to the event name and can be
/// triggered now (enabled and active), each with the payload and its own metadata filled in as a trigger would
/// (wire-format section 4). All of them share one <c>correlation_id</c> unless the payload brings one. The
/// filters of each config run later, in its delivery, so a config that filters the event out ends <c>skipped</c>.
/// </summary>
public sealed class EventFanOut(IConfigStore configs, TimeProvider time)
{
    public async Task<(IReadOnlyList<(ConfigRecord Config, JsonObject Payload)> Events, string? Error)> PlanAsync(
        string orgId, FanOutRequest request, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var correlationId = RandomGuid.NewVersion4();
        // Checked once up front, so a bad payload is refused whether or not any config subscribes.
        var (_, invalid) = TriggerPayload.Fill((JsonObject)request.Payload.DeepClone(), "", new WebhookConfig { EventName = request.EventName }, orgId, now, correlationId);
        if (invalid is not null)
        {
            return ([], $"payload.{invalid}");
        }

        var events = new List<(ConfigRecord, JsonObject)>();
        foreach (var config in await configs.ListAsync(orgId, request.EventName, cancellationToken))
        {
            if (Triggering.RefusalFor(config) is not null)
            {
                continue;
            }
            var (payload, _) = TriggerPayload.Fill((JsonObject)request.Payload.DeepClone(), config.Id, config.Document, orgId, now, correlationId);
            events.Add((config, payload!));
        }
        return (events, null);
    }
}
