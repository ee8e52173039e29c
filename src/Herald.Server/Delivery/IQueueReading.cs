namespace Herald.Server.Delivery;

/// <summary>The queue at one moment, for the gauges: jobs not yet finished, and the due time of the oldest one waiting for a worker.</summary>
public sealed record QueueState(long Depth, DateTimeOffset? OldestDueAt);

/// <summary>Reads <see cref="QueueState"/>: two aggregates over the jobs table, which holds only unfinished jobs.</summary>
public interface IQueueReading
{
    Task<QueueState> ReadAsync(DateTimeOffset now, CancellationToken cancellationToken);
}
