using System.Collections.Concurrent;
using Npgsql;

namespace Herald.Server.Storage.Postgres;

/// <summary>
/// The day partitions of the event log's tables (migration 8): made by the first writer of a day, before its first row
/// (<see cref="EnsureDaysAsync"/>), and dropped once their whole day is older than the retention. The days this process
/// knows to have their partitions are remembered, so a writer asks the server only for a day it has not seen yet: once
/// a day per node. None is made ahead of time, so that no empty partition sits in the plans of reads.
/// </summary>
public sealed class PostgresPartitions(NpgsqlDataSource dataSource)
{
    private readonly ConcurrentDictionary<DateOnly, bool> _known = new();

    /// <summary>The UTC day of a moment, as partitions are cut.</summary>
    public static DateOnly DayOf(DateTimeOffset at) => DateOnly.FromDateTime(at.UtcDateTime);

    /// <summary>
    /// Makes sure the partitions of <paramref name="days"/> exist before rows of those days are written; costs nothing
    /// for days this process has seen. Runs on a connection of its own, so a partition made stays made whatever
    /// becomes of the writer's transaction.
    /// </summary>
    public ValueTask EnsureDaysAsync(IEnumerable<DateOnly> days, CancellationToken cancellationToken)
    {
        List<DateOnly>? missing = null;
        foreach (var day in days)
        {
            if (!_known.ContainsKey(day) && !(missing ??= []).Contains(day))
            {
                missing.Add(day);
            }
        }
        return missing is null ? ValueTask.CompletedTask : new ValueTask(EnsureMissingAsync(missing, cancellationToken));
    }

    private async Task EnsureMissingAsync(List<DateOnly> days, CancellationToken cancellationToken)
    {
        foreach (var day in days)
        {
            await using var command = dataSource.CreateCommand("SELECT herald_ensure_partitions($1, $1)");
            command.Parameters.Add(new NpgsqlParameter { Value = day });
            await command.ExecuteScalarAsync(cancellationToken);
            _known[day] = true;
        }
    }

    /// <summary>The day partitions of the event log's tables whose whole day is before <paramref name="cutoff"/>, oldest first.</summary>
    public async Task<IReadOnlyList<string>> ExpiredAsync(DateTimeOffset cutoff, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT c.relname FROM pg_inherits i
            JOIN pg_class c ON c.oid = i.inhrelid JOIN pg_class p ON p.oid = i.inhparent
            WHERE p.relname IN ('webhook_events', 'delivery_attempts') AND c.relname ~ '_p[0-9]{8}$'
              AND (to_date(right(c.relname, 8), 'YYYYMMDD') + 1)::timestamp AT TIME ZONE 'UTC' <= $1
            ORDER BY right(c.relname, 8), c.relname
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = cutoff });
        var names = new List<string>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            names.Add(reader.GetString(0));
        }
        return names;
    }

    /// <summary>
    /// Drops one expired partition in its own transaction, unless something in it must stay (see
    /// <c>herald_drop_expired_partition</c>); a drop that would wait more than a few seconds for its locks is left for
    /// the next pass. True when it was dropped.
    /// </summary>
    public async Task<bool> DropAsync(string partition, DateTimeOffset cutoff, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var timeout = new NpgsqlCommand("SET LOCAL lock_timeout = '5s'", connection, transaction))
        {
            await timeout.ExecuteNonQueryAsync(cancellationToken);
        }
        await using var drop = new NpgsqlCommand("SELECT herald_drop_expired_partition($1, $2)", connection, transaction);
        drop.Parameters.Add(new NpgsqlParameter { Value = partition });
        drop.Parameters.Add(new NpgsqlParameter { Value = cutoff });
        try
        {
            var dropped = (bool)(await drop.ExecuteScalarAsync(cancellationToken))!;
            await transaction.CommitAsync(cancellationToken);
            if (dropped)
            {
                _known.TryRemove(DateOnly.ParseExact(partition[^8..], "yyyyMMdd", System.Globalization.CultureInfo.InvariantCulture), out _);
            }
            return dropped;
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.LockNotAvailable)
        {
            return false;
        }
    }
}
