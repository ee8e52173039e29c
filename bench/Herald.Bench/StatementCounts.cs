using System.Text.RegularExpressions;
using Npgsql;

namespace Herald.Bench;

/// <summary>
/// One kind of statement the server ran during the timed part, per delivery: how often, the server's execution time
/// (microseconds), the shared buffers it dirtied and wrote, the write-ahead log it produced (bytes), and the time the
/// server spent compiling it with its JIT (microseconds; PostgreSQL compiles a statement whose planned cost is high),
/// and how often and how long (microseconds) the server planned it: a prepared statement that keeps its plan is planned
/// once per connection, one planned for each run as often as it runs.
/// </summary>
public sealed record StatementCount(
    string Statement, double PerDelivery, double ExecMicros, double BlocksDirtied, double BlocksWritten, double WalBytes, double JitMicros, double Plans, double PlanMicros);

/// <summary>Row changes of one table (its partitions summed) per delivery, and how many of the updates were HOT.</summary>
public sealed record TableCount(string Table, double Inserts, double Updates, double HotUpdates, double Deletes);

/// <summary>Statements and round trips per delivery, from <c>pg_stat_statements</c> and the <see cref="RoundTripProxy"/>.</summary>
public sealed record StatementFigures(double Statements, double RoundTrips, double Commits, IReadOnlyList<StatementCount> Kinds,
    double WalBytes, double WalRecords, double WalFullPages, IReadOnlyList<TableCount> Tables);

/// <summary>
/// Reads PostgreSQL's <c>pg_stat_statements</c> (loaded by <see cref="PostgresInstance"/> when the run counts
/// statements), <c>pg_stat_wal</c> and <c>pg_stat_user_tables</c>: reset before the timed part, read after it. BEGIN
/// and COMMIT count as statements, as they are sent.
/// </summary>
public static partial class StatementCounts
{
    /// <summary>
    /// How long to wait before reading the table counters: a backend that went idle sends its pending counters
    /// within 10 s (PostgreSQL's idle flush interval).
    /// </summary>
    private static readonly TimeSpan TableStatsSettle = TimeSpan.FromSeconds(11);

    public static async Task ResetAsync(string connectionString, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand("SELECT pg_stat_statements_reset(); SELECT pg_stat_reset_shared('wal'); SELECT pg_stat_reset()", connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Herald's statements since the reset (the probe's and this read's left out), per delivery.</summary>
    public static async Task<StatementFigures> ReadAsync(string connectionString, int deliveries, long roundTrips, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand("""
            SELECT query, SUM(calls)::bigint, SUM(total_exec_time)::float8, SUM(shared_blks_dirtied)::bigint,
                   SUM(shared_blks_written)::bigint, SUM(wal_bytes)::float8,
                   SUM(jit_generation_time + jit_inlining_time + jit_optimization_time + jit_emission_time)::float8,
                   SUM(plans)::bigint, SUM(total_plan_time)::float8
            FROM pg_stat_statements
            WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())
            GROUP BY query ORDER BY 2 DESC
            """, connection);
        var kinds = new Dictionary<string, (long Calls, double Ms, long Dirtied, long Written, double Wal, double JitMs, long Plans, double PlanMs)>(StringComparer.Ordinal);
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                var query = Short(reader.GetString(0));
                if (query.Contains("pg_stat_", StringComparison.Ordinal) || query.StartsWith("SELECT COUNT(*) FROM delivery_jobs", StringComparison.Ordinal))
                {
                    continue; // this read, the reset, the drain probe
                }
                var old = kinds.GetValueOrDefault(query);
                kinds[query] = (old.Calls + reader.GetInt64(1), old.Ms + reader.GetDouble(2), old.Dirtied + reader.GetInt64(3),
                    old.Written + reader.GetInt64(4), old.Wal + reader.GetDouble(5), old.JitMs + reader.GetDouble(6), old.Plans + reader.GetInt64(7), old.PlanMs + reader.GetDouble(8));
            }
        }
        double wal = 0, records = 0, fullPages = 0;
        await using (var walCommand = new NpgsqlCommand("SELECT wal_bytes::float8, wal_records::float8, wal_fpi::float8 FROM pg_stat_wal", connection))
        await using (var reader = await walCommand.ExecuteReaderAsync(cancellationToken))
        {
            if (await reader.ReadAsync(cancellationToken))
            {
                wal = reader.GetDouble(0);
                records = reader.GetDouble(1);
                fullPages = reader.GetDouble(2);
            }
        }
        await Task.Delay(TableStatsSettle, cancellationToken);
        var tables = new List<TableCount>();
        await using (var tableCommand = new NpgsqlCommand("""
            SELECT COALESCE(parent.relname, s.relname) AS name, SUM(s.n_tup_ins)::float8, SUM(s.n_tup_upd)::float8,
                   SUM(s.n_tup_hot_upd)::float8, SUM(s.n_tup_del)::float8
            FROM pg_stat_user_tables s
            LEFT JOIN pg_inherits i ON i.inhrelid = s.relid
            LEFT JOIN pg_class parent ON parent.oid = i.inhparent
            GROUP BY 1 HAVING SUM(s.n_tup_ins + s.n_tup_upd + s.n_tup_del) > 0 ORDER BY 1
            """, connection))
        await using (var reader = await tableCommand.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                tables.Add(new TableCount(reader.GetString(0), reader.GetDouble(1) / deliveries, reader.GetDouble(2) / deliveries,
                    reader.GetDouble(3) / deliveries, reader.GetDouble(4) / deliveries));
            }
        }
        var all = kinds.Values.Sum(k => k.Calls);
        var commits = kinds.Where(k => k.Key.StartsWith("COMMIT", StringComparison.OrdinalIgnoreCase)).Sum(k => k.Value.Calls);
        return new StatementFigures((double)all / deliveries, (double)roundTrips / deliveries, (double)commits / deliveries,
            kinds.OrderByDescending(k => k.Value.Calls).Select(k => new StatementCount(k.Key, (double)k.Value.Calls / deliveries,
                k.Value.Ms * 1000 / deliveries, (double)k.Value.Dirtied / deliveries, (double)k.Value.Written / deliveries,
                k.Value.Wal / deliveries, k.Value.JitMs * 1000 / deliveries, (double)k.Value.Plans / deliveries, k.Value.PlanMs * 1000 / deliveries)).ToList(),
            wal / deliveries, records / deliveries, fullPages / deliveries, tables);
    }

    /// <summary>The statement on one line, cut to its first 90 characters.</summary>
    private static string Short(string query)
    {
        var line = Spaces().Replace(query, " ").Trim();
        return line.Length <= 90 ? line : line[..90] + "...";
    }

    [GeneratedRegex(@"\s+")]
    private static partial Regex Spaces();
}
