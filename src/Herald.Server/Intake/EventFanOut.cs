using Herald.Server.Configs;
using Herald.Server.Http;

namespace Herald.Server.Intake;

/// <summary>
/// Plans a fan-out: one event for every config of the organization that subscribes to the event name and can be
/// triggered now (enabled and active), each with the payload and its own metadata filled in as a trigger would
/// (wire-format section 4). All of them share one <c>correlation_id</c> unless the payload brings one. The payload
/// is filled and written out once (<see cref="FanOutInput"/>); each event adds only its own values. The filters of
/// each config run later, in its delivery, so a config that filters the event out ends <c>skipped</c>.
/// </summary>
public sealed class EventFanOut(IConfigStore configs, TimeProvider time)
{
    public async Task<(IReadOnlyList<(ConfigRecord Config, EventInput Input)> Events, string? Error)> PlanAsync(
        OrganizationId orgId, FanOutRequest request, CancellationToken cancellationToken)
    {
        // Checked before the configs are read, so a bad payload is refused whether or not any config subscribes.
        var (input, invalid) = FanOutInput.Prepare(request.Payload, request.EventName, orgId, time.GetUtcNow(), RandomGuid.NewVersion4());
        if (invalid is not null)
        {
            return ([], $"payload.{invalid}");
        }

        var events = new List<(ConfigRecord, EventInput)>();
        foreach (var config in await configs.ListAsync(orgId, request.EventName, cancellationToken))
        {
            if (Triggering.RefusalFor(config) is null)
            {
                events.Add((config, input!.InputFor(config)));
            }
        }
        return (events, null);
    }
}
