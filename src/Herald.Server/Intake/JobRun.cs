using Herald.Server.Egress;
using Herald.Server.Events;

namespace Herald.Server.Intake;

/// <summary>
/// How a job run at once (<see cref="JobStart.Now"/>) ended, once its outcome is committed. <see cref="Result"/> is
/// null when no request was made. <see cref="Status"/> is the event's new state (in progress while retries are due).
/// </summary>
public sealed record JobRun
{
    public required EventStatus Status { get; init; }

    public AttemptResult? Result { get; init; }

    /// <summary>True when this node gave the job back unfinished (it was stopping): the queue delivers it later.</summary>
    public bool GivenBack { get; init; }

    public DateTimeOffset? StartDate { get; init; }

    public DateTimeOffset? EndDate { get; init; }
}
