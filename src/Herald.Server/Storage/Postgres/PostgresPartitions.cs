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
    /// <summary>
    /// How many rows this process has written into one day partition when it has the server analyze that partition:
    /// each is four times the one before (see <see cref="Wrote"/>).
    /// </summary>
    internal static readonly long[] Refreshes = [1_000, 4_000, StatisticsEnough];

    /// <summary>
    /// The rows a partition's statistics must count for its plans to be right however large the day grows: the last
    /// refresh, and a node leaves a partition alone once the server's statistics count this many (whichever node's
    /// analyze, or the server's own, counted them).
    /// </summary>
    internal const long StatisticsEnough = 16_000;

    private readonly ConcurrentDictionary<DateOnly, bool> _known = new();
    private readonly ConcurrentDictionary<(string Table, DateOnly Day), long> _written = new();
    private readonly Lock _refreshing = new();
    private Task _refreshed = Task.CompletedTask;

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

    /// <summary>
    /// Counts rows written into <paramref name="table"/>'s partition of <paramref name="day"/>, and has the server
    /// analyze that partition, in the background, each time the count passes one of <see cref="Refreshes"/>.
    /// <para>
    /// Why: a write plans its statement once per connection (<see cref="PostgresWriteSession.OnePlanPerStatement"/>),
    /// for the tables as they are then, and keeps that plan until something about those tables changes. Planned
    /// while the day's partition held a few hundred rows, the update of events' outcomes (one statement for a batch
    /// of events, found by id within a window of days) read the whole partition for each batch: for so few rows that
    /// looks cheaper than looking up each id. The plan stayed as the partition grew, and each outcome then cost the
    /// server a read of the whole day: in one three-node benchmark run 125 ms a statement and 2.3 ms of the server's
    /// CPU per delivery, 15 to 30 times its usual (<c>bench/README.md</c>, 2026-12-06, evening). The server's own
    /// analyze, which also makes every connection plan again, comes at most once a minute and later the more rows a
    /// table holds. An analyze once the partition holds a few thousand rows makes the connections plan the lookup by
    /// id, which is right from there on however large the day grows.
    /// </para>
    /// <para>
    /// So the refreshes stop at <see cref="StatisticsEnough"/> rows, and a node skips its refresh when the
    /// partition's statistics already count that many: the server's own analyze keeps them fresh from there. Until
    /// 2026-12-07 each node also analyzed at 64,000 and 256,000 rows, whatever the statistics said: about a second of
    /// the server's CPU each, per node and table, at the busiest time of the day, and for nothing the plans needed.
    /// </para>
    /// </summary>
    public void Wrote(string table, DateOnly day, int rows)
    {
        var after = _written.AddOrUpdate((table, day), static (_, added) => added, static (_, written, added) => written + added, rows);
        var before = after - rows;
        if (before == 0)
        {
            // A new day: the counts of days before yesterday are done with.
            foreach (var old in _written.Keys.Where(key => key.Day < day.AddDays(-1)))
            {
                _written.TryRemove(old, out _);
            }
        }
        if (Array.Exists(Refreshes, refresh => before < refresh && refresh <= after))
        {
            lock (_refreshing)
            {
                _refreshed = _refreshed.ContinueWith(_ => AnalyzeAsync(table, day), TaskScheduler.Default).Unwrap();
            }
        }
    }

    /// <summary>The (table, day) pairs whose writes are counted now (for tests).</summary>
    internal IReadOnlyCollection<(string Table, DateOnly Day)> Counted => [.. _written.Keys];

    /// <summary>Completes once every analyze asked for so far has ended (for tests, and before the data source closes).</summary>
    internal Task Refreshed
    {
        get
        {
            lock (_refreshing)
            {
                return _refreshed;
            }
        }
    }

    private async Task AnalyzeAsync(string table, DateOnly day)
    {
        var partition = $"{table}_p{day:yyyyMMdd}";
        try
        {
            // reltuples is what the last analyze (or vacuum) counted, -1 before the first; no row: no partition.
            await using (var counted = dataSource.CreateCommand("SELECT reltuples FROM pg_class WHERE oid = to_regclass($1)"))
            {
                counted.Parameters.Add(new NpgsqlParameter { Value = partition });
                if (await counted.ExecuteScalarAsync() is not float rows || rows >= StatisticsEnough)
                {
                    return;
                }
            }
            // SKIP_LOCKED: another node analyzing the same partition is as good.
            await using var command = dataSource.CreateCommand($"ANALYZE (SKIP_LOCKED) \"{partition}\"");
            await command.ExecuteNonQueryAsync();
        }
        catch (Exception)
        {
            // Whatever the cause (the partition dropped meanwhile, the node stopping, the server away), only the plans'
            // refresh is lost: the server's own analyze comes later. There is no caller to tell.
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
