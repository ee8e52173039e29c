namespace Herald.Server.Intake;

/// <summary>A job the queue committed: its request, its id, and, for one run at once, the run the caller awaits.</summary>
public sealed record EnqueuedJob
{
    public required JobRequest Request { get; init; }

    public required long JobId { get; init; }

    /// <summary>Set for <see cref="JobStart.Now"/>: completes when the run's outcome is committed.</summary>
    public Task<JobRun>? Run { get; init; }
}
