using Herald.Server.Configs;
using Herald.Server.Events;
using Herald.Server.Http;

namespace Herald.Server.Intake;

/// <summary>
/// A job Intake asks the queue for: the delivery of a new event, or the replay of one in the log. A new event and its
/// config travel with it, so that a job this node runs at once needs no reads.
/// </summary>
public sealed record JobRequest
{
    public required string EventId { get; init; }

    public required OrganizationId OrgId { get; init; }

    public required ConfigId ConfigId { get; init; }

    public required JobKind Kind { get; init; }

    public bool ReapplyTransform { get; init; }

    public required JobStart Start { get; init; }

    /// <summary>The new event, in hand (null for a replay: the runner reads the stored one).</summary>
    public EventRecord? Event { get; init; }

    /// <summary>The config as the event was accepted under it, in hand (null for a replay).</summary>
    public ConfigRecord? Config { get; init; }

    /// <summary>The delivery of a new event under its config.</summary>
    public static JobRequest Deliver(EventRecord stored, ConfigRecord config, JobStart start) => new()
    {
        EventId = stored.EventId,
        OrgId = stored.OrgId,
        ConfigId = stored.ConfigId,
        Kind = JobKind.Deliver,
        Start = start,
        Event = stored,
        Config = config,
    };

    /// <summary>A replay of an event in the log; it waits in the queue.</summary>
    public static JobRequest Replay(string eventId, OrganizationId orgId, ConfigId configId, bool reapplyTransform) => new()
    {
        EventId = eventId,
        OrgId = orgId,
        ConfigId = configId,
        Kind = JobKind.Replay,
        ReapplyTransform = reapplyTransform,
        Start = JobStart.Queue,
    };
}
