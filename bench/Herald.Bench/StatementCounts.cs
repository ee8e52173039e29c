using System.Text.RegularExpressions;
using Npgsql;

namespace Herald.Bench;

/// <summary>One kind of statement the server ran during the timed part, and how often per delivery.</summary>
public sealed record StatementCount(string Statement, double PerDelivery);

/// <summary>Statements and round trips per delivery, from <c>pg_stat_statements</c> and the <see cref="RoundTripProxy"/>.</summary>
public sealed record StatementFigures(double Statements, double RoundTrips, double Commits, IReadOnlyList<StatementCount> Kinds);

/// <summary>
/// Reads PostgreSQL's <c>pg_stat_statements</c> (loaded by <see cref="PostgresInstance"/> when the run counts
/// statements): reset before the timed part, read after it. BEGIN and COMMIT count as statements, as they are sent.
/// </summary>
public static partial class StatementCounts
{
    public static async Task ResetAsync(string connectionString, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand("SELECT pg_stat_statements_reset()", connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Herald's statements since the reset (the probe's and this read's left out), per delivery.</summary>
    public static async Task<StatementFigures> ReadAsync(string connectionString, int deliveries, long roundTrips, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand("""
            SELECT query, SUM(calls)::bigint FROM pg_stat_statements
            WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())
            GROUP BY query ORDER BY 2 DESC
            """, connection);
        var kinds = new Dictionary<string, long>(StringComparer.Ordinal);
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                var query = Short(reader.GetString(0));
                if (query.Contains("pg_stat_statements", StringComparison.Ordinal) || query.StartsWith("SELECT COUNT(*) FROM delivery_jobs", StringComparison.Ordinal))
                {
                    continue; // this read, the reset, the drain probe
                }
                kinds[query] = kinds.GetValueOrDefault(query) + reader.GetInt64(1);
            }
        }
        var all = kinds.Values.Sum();
        var commits = kinds.Where(k => k.Key.StartsWith("COMMIT", StringComparison.OrdinalIgnoreCase)).Sum(k => k.Value);
        return new StatementFigures((double)all / deliveries, (double)roundTrips / deliveries, (double)commits / deliveries,
            kinds.OrderByDescending(k => k.Value).Select(k => new StatementCount(k.Key, (double)k.Value / deliveries)).ToList());
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
