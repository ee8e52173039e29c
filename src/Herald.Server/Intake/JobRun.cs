using Herald.Server.Egress;
using Herald.Server.Events;

namespace Herald.Server.Intake;

/// <summary>
/// How a job run at once (<see cref="JobStart.Now"/>) ended, once its outcome is committed. <see cref="Result"/> is
/// null when no request was made; a run this node gave back unfinished (it was stopping) ends
/// <see cref="EventStatus.InProgress"/>: the queue delivers it later.
/// </summary>
public sealed record JobRun
{
    public required EventStatus Status { get; init; }

    public AttemptResult? Result { get; init; }

    public DateTimeOffset? StartDate { get; init; }

    public DateTimeOffset? EndDate { get; init; }
}
