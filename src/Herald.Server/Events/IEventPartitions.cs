using Herald.Server.Storage.Postgres;
using Npgsql;

namespace Herald.Server.Events;

/// <summary>
/// How retention lets go of old days, per engine. On PostgreSQL the event log is kept in day partitions (events by
/// <c>created_at</c>, attempts by <c>started_at</c>): a day goes whole, by dropping its partitions, once its last moment
/// is older than the retention, so an event is kept up to a day longer than <see cref="EventsOptions.RetentionDays"/>;
/// the shared inputs of fan-outs (one row per fan-out) whose events are gone are then deleted as rows. On SQLite rows
/// are deleted in batches (<see cref="IEventStore.PurgeEventsAsync"/>).
/// </summary>
public interface IEventPartitions
{
    /// <summary>True where retention drops partitions instead of deleting rows.</summary>
    bool Partitioned { get; }

    /// <summary>
    /// Drops the partitions whose day ended before <paramref name="cutoff"/>. A day's events partition that a queued job still needs stays, holding only the events
    /// with jobs, until they are done. Returns how many partitions went.
    /// </summary>
    Task<int> DropExpiredAsync(DateTimeOffset cutoff, CancellationToken cancellationToken);
}

/// <summary>SQLite keeps the event log in plain tables: retention deletes rows.</summary>
public sealed class SqliteEventPartitions : IEventPartitions
{
    public bool Partitioned => false;

    public Task<int> DropExpiredAsync(DateTimeOffset cutoff, CancellationToken cancellationToken) => Task.FromResult(0);
}

/// <summary>The event log's day partitions on PostgreSQL (see <see cref="PostgresPartitions"/>).</summary>
public sealed class PostgresEventPartitions(PostgresDatabase database, EventsOptions options) : IEventPartitions
{
    public bool Partitioned => true;

    public async Task<int> DropExpiredAsync(DateTimeOffset cutoff, CancellationToken cancellationToken)
    {
        var dropped = 0;
        foreach (var partition in await database.Partitions.ExpiredAsync(cutoff, cancellationToken))
        {
            dropped += await database.Partitions.DropAsync(partition, cutoff, cancellationToken) ? 1 : 0;
        }
        // Shared inputs of fan-outs whose events are all gone. A shared input is older than its events, and only its own
        // fan-out's events (written with it) ever name it, so once none is left none will come.
        int swept;
        do
        {
            await using var sweep = database.DataSource.CreateCommand("""
                DELETE FROM event_inputs WHERE input_id IN (
                    SELECT i.input_id FROM event_inputs i
                    WHERE i.stored_at < $1 AND NOT EXISTS (SELECT 1 FROM webhook_events e WHERE e.input_id = i.input_id)
                    LIMIT $2 FOR UPDATE SKIP LOCKED)
                """);
            sweep.Parameters.Add(new NpgsqlParameter { Value = cutoff });
            sweep.Parameters.Add(new NpgsqlParameter { Value = options.PurgeBatchSize });
            swept = await sweep.ExecuteNonQueryAsync(cancellationToken);
        }
        while (swept == options.PurgeBatchSize);
        return dropped;
    }
}
