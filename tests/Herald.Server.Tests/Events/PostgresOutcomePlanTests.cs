using Herald.Server.Delivery;
using Herald.Server.Events;
using Herald.Server.Storage.Postgres;
using Herald.Server.Tests.Support;
using Microsoft.Extensions.Time.Testing;
using Npgsql;

namespace Herald.Server.Tests.Events;

/// <summary>
/// The plan of the events' outcome update on PostgreSQL is made once per connection. Made while the day's partition
/// was small, it reads the whole partition for each batch; the writers have the partition analyzed as it grows, which
/// makes every connection plan it again, now by id.
/// </summary>
public sealed class PostgresOutcomePlanTests(PostgresServer server)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task An_outcome_update_planned_while_the_days_partition_was_small_is_planned_again_by_id_once_the_day_has_grown()
    {
        var now = DateTimeOffset.UtcNow;
        await using var database = await Engines.PostgresAsync(server, new FakeTimeProvider(now));
        var sessions = new PostgresWriteSessions(database);
        var writer = new PostgresEventWriter();
        await InsertAsync(sessions, writer, now, 0, 20);
        var partition = $"webhook_events_p{now:yyyyMMdd}";
        await using var connection = await database.DataSource.OpenConnectionAsync(Ct);
        // Only the writers' analyze may make the plan again here, not the server's own.
        await ExecuteAsync(connection, $"ALTER TABLE {partition} SET (autovacuum_enabled = false)");
        await ExecuteAsync(connection, $"PREPARE outcome AS {PostgresEventWriter.UpdateSql}");

        var small = await ExplainAsync(connection, now);
        Assert.DoesNotContain("event_id = u.event_id", Conditions(small));
        Assert.Contains("created_at >=", Conditions(small));

        // The day grows past the first refreshes, in batches as a group commit writes them.
        for (var from = 20; from < 20_000; from += 500)
        {
            await InsertAsync(sessions, writer, now, from, 500);
        }
        await database.Partitions.Refreshed;

        var grown = await ExplainAsync(connection, now);
        Assert.Contains("event_id = u.event_id", Conditions(grown));
    }

    [Fact]
    public async Task A_node_analyzes_a_partition_only_while_its_statistics_count_fewer_rows_than_the_plans_need()
    {
        var now = DateTimeOffset.UtcNow;
        var day = PostgresPartitions.DayOf(now);
        await using var database = await Engines.PostgresAsync(server, new FakeTimeProvider(now));
        var sessions = new PostgresWriteSessions(database);
        await InsertAsync(sessions, new PostgresEventWriter(), now, 0, 20);
        var partition = $"webhook_events_p{now:yyyyMMdd}";
        await using var connection = await database.DataSource.OpenConnectionAsync(Ct);
        // Only this test's node may analyze here, not the server's own analyze nor the writers' counts.
        await ExecuteAsync(connection, $"ALTER TABLE {partition} SET (autovacuum_enabled = false)");
        await database.Partitions.Refreshed;
        var partitions = new PostgresPartitions(database.DataSource);

        // Its statistics count no row yet: passing the first refresh has the partition analyzed.
        partitions.Wrote("webhook_events", day, (int)PostgresPartitions.Refreshes[0]);
        await partitions.Refreshed;
        Assert.Equal(20, await CountedAsync(connection, partition));

        // Another node's analyze (here the test's own) counted enough rows; more are written since.
        await AddRowsAsync(connection, now, PostgresPartitions.StatisticsEnough);
        await ExecuteAsync(connection, $"ANALYZE {partition}");
        var counted = await CountedAsync(connection, partition);
        Assert.True(counted >= PostgresPartitions.StatisticsEnough, $"the statistics count {counted} rows");
        await AddRowsAsync(connection, now, 1_000);

        // Passing every further refresh leaves the partition alone: its statistics stay as they were.
        partitions.Wrote("webhook_events", day, (int)PostgresPartitions.Refreshes[^1]);
        await partitions.Refreshed;
        Assert.Equal(counted, await CountedAsync(connection, partition));
        Assert.All(PostgresPartitions.Refreshes, refresh => Assert.True(refresh <= PostgresPartitions.StatisticsEnough));
    }

    [Fact]
    public async Task The_counts_of_written_rows_are_kept_for_today_and_yesterday_only()
    {
        await using var dataSource = NpgsqlDataSource.Create(await server.CreateDatabaseAsync());
        var partitions = new PostgresPartitions(dataSource);
        var day = new DateOnly(2026, 12, 1);

        partitions.Wrote("webhook_events", day, 10);
        partitions.Wrote("delivery_attempts", day, 10);
        partitions.Wrote("webhook_events", day.AddDays(1), 10);
        Assert.Equal(3, partitions.Counted.Count);
        partitions.Wrote("webhook_events", day.AddDays(2), 10);

        Assert.Equal([("webhook_events", day.AddDays(1)), ("webhook_events", day.AddDays(2))], partitions.Counted.OrderBy(c => c.Day));
    }

    private static async Task InsertAsync(PostgresWriteSessions sessions, PostgresEventWriter writer, DateTimeOffset at, int from, int count)
    {
        var events = Enumerable.Range(from, count).Select(i => EventStoreContract.Event($"plan-{i:D6}", "org-1", "cfg-1", at)).ToList();
        await sessions.WriteAsync(async session =>
        {
            await writer.InsertAsync(session, events, Ct);
            return true;
        }, Ct);
    }

    /// <summary>The rows the partition's statistics count (<c>pg_class.reltuples</c>: -1 before its first analyze).</summary>
    private static async Task<long> CountedAsync(NpgsqlConnection connection, string partition)
    {
        await using var command = new NpgsqlCommand("SELECT reltuples FROM pg_class WHERE oid = to_regclass($1)", connection);
        command.Parameters.Add(new NpgsqlParameter { Value = partition });
        return (long)Convert.ToSingle(await command.ExecuteScalarAsync(Ct));
    }

    /// <summary>Adds events of <paramref name="at"/>'s day straight through SQL (faster than the writer for many rows).</summary>
    private static async Task AddRowsAsync(NpgsqlConnection connection, DateTimeOffset at, long count)
    {
        await using var command = new NpgsqlCommand("""
            INSERT INTO webhook_events (event_id, org_id, config_id, event_name, created_at, status, input)
            SELECT 'bulk-' || gen_random_uuid(), 'org-1', 'cfg-1', 'Test', $1, 'succeeded', '{"metadata":{}}'
            FROM generate_series(1, $2)
            """, connection);
        command.Parameters.Add(new NpgsqlParameter { Value = at });
        command.Parameters.Add(new NpgsqlParameter { Value = count });
        await command.ExecuteNonQueryAsync(Ct);
    }

    /// <summary>The plan the connection has for the prepared update, with the settings of an outcome's transaction.</summary>
    private static async Task<string> ExplainAsync(NpgsqlConnection connection, DateTimeOffset at)
    {
        await using var transaction = await connection.BeginTransactionAsync(Ct);
        foreach (var setting in PostgresDeliveryStore.QueueSettings.Prepend(PostgresWriteSession.OnePlanPerStatement))
        {
            await ExecuteAsync(connection, setting);
        }
        var window = $"'{at.AddDays(-1):O}'::timestamptz, '{at.AddDays(1):O}'::timestamptz";
        await using var explain = new NpgsqlCommand(
            $"EXPLAIN EXECUTE outcome(ARRAY['plan-000001'], ARRAY['succeeded'], ARRAY[0], ARRAY[NULL]::text[], ARRAY[NULL]::text[], ARRAY[NULL]::text[], ARRAY[NULL]::timestamptz[], ARRAY[NULL]::timestamptz[], {window})",
            connection, transaction);
        var lines = new List<string>();
        await using (var reader = await explain.ExecuteReaderAsync(Ct))
        {
            while (await reader.ReadAsync(Ct))
            {
                lines.Add(reader.GetString(0));
            }
        }
        await transaction.RollbackAsync(Ct);
        return string.Join('\n', lines);
    }

    /// <summary>The plan's index conditions: what it looks rows up by.</summary>
    private static string Conditions(string plan) =>
        string.Join('\n', plan.Split('\n').Where(line => line.Contains("Index Cond:", StringComparison.Ordinal)));

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(Ct);
    }
}
