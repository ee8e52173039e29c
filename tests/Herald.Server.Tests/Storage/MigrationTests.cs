using Herald.Server.Storage;
using Herald.Server.Storage.Sqlite;
using Herald.Server.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace Herald.Server.Tests.Storage;

public abstract class MigrationContract
{
    protected abstract Task<IDatabase> MigratedAsync();

    [Fact]
    public async Task Migrating_twice_is_harmless_and_the_database_answers()
    {
        var database = await MigratedAsync();

        await database.MigrateAsync(TestContext.Current.CancellationToken);

        Assert.True(await database.PingAsync(TestContext.Current.CancellationToken));
    }
}

public sealed class SqliteMigrationTests : MigrationContract, IDisposable
{
    private readonly TempDirectory _folder = new();

    protected override async Task<IDatabase> MigratedAsync() => await Engines.SqliteAsync(_folder, new FakeTimeProvider());

    [Fact]
    public async Task The_database_file_is_in_wal_mode()
    {
        var database = await Engines.SqliteAsync(_folder, new FakeTimeProvider());
        await using var connection = await database.OpenAsync(TestContext.Current.CancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode";

        Assert.Equal("wal", (string?)await command.ExecuteScalarAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Moving_events_to_a_rowid_table_keeps_them_and_their_indexes()
    {
        var ct = TestContext.Current.CancellationToken;
        var database = new SqliteDatabase(new StorageOptions { DataDirectory = _folder.Path }, new FakeTimeProvider());
        // The schema as it was before step 6, with one event in it.
        await using (var connection = await database.OpenAsync(ct))
        await using (var command = connection.CreateCommand())
        {
            command.CommandText = "CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL);"
                + string.Concat(SqliteMigrations.All.Where(m => m.Version < 6).Select(m => $"{m.Sql};INSERT INTO schema_migrations VALUES ({m.Version}, 'x', 'x');"))
                + """
                  INSERT INTO webhook_events (event_id, org_id, config_id, event_name, created_at, status, input, payload)
                  VALUES ('e-1', 'org', 'cfg', 'order_created', '2026-01-02T03:04:05.0000000Z', 'succeeded', '{"a":1}', '{"a":1}');
                  """;
            await command.ExecuteNonQueryAsync(ct);
        }

        await database.MigrateAsync(ct);

        await using var check = await database.OpenAsync(ct);
        await using var query = check.CreateCommand();
        query.CommandText = """
            SELECT (SELECT input || status FROM webhook_events WHERE event_id = 'e-1'),
                   (SELECT sql FROM sqlite_master WHERE name = 'webhook_events'),
                   (SELECT COUNT(*) FROM sqlite_master WHERE type = 'index' AND name IN ('ix_webhook_events_page', 'ix_webhook_events_created'))
            """;
        await using var reader = await query.ExecuteReaderAsync(ct);
        await reader.ReadAsync(ct);
        Assert.Equal("""{"a":1}succeeded""", reader.GetString(0));
        Assert.DoesNotContain("WITHOUT ROWID", reader.GetString(1), StringComparison.OrdinalIgnoreCase);
        Assert.Equal(2, reader.GetInt32(2));
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _folder.Dispose();
    }
}

public sealed class PostgresMigrationTests(PostgresServer server) : MigrationContract
{
    protected override async Task<IDatabase> MigratedAsync() => await Engines.PostgresAsync(server, new FakeTimeProvider());

    [Fact]
    public async Task A_day_partition_of_events_keeps_half_its_pages_free_for_outcome_updates()
    {
        var ct = TestContext.Current.CancellationToken;
        var database = await Engines.PostgresAsync(server, new FakeTimeProvider());
        await database.Partitions.EnsureDaysAsync([new DateOnly(2026, 3, 1)], ct);

        await using var command = database.DataSource.CreateCommand(
            "SELECT relname, array_to_string(reloptions, ',') FROM pg_class WHERE relname IN ('webhook_events_p20260301', 'delivery_attempts_p20260301') ORDER BY relname");
        await using var reader = await command.ExecuteReaderAsync(ct);
        var options = new Dictionary<string, string>();
        while (await reader.ReadAsync(ct))
        {
            options[reader.GetString(0)] = reader.GetString(1);
        }

        Assert.Equal("fillfactor=50", options["webhook_events_p20260301"]);
        Assert.Equal("fillfactor=100", options["delivery_attempts_p20260301"]);
    }

    /// <summary>
    /// PostgreSQL logs a HOT update's row from the first to the last byte that changed: a new day of events puts the
    /// columns an outcome writes after the input, and an event written through the parent and updated reads back whole.
    /// </summary>
    [Fact]
    public async Task A_day_partition_of_events_keeps_the_outcomes_columns_after_the_input()
    {
        var ct = TestContext.Current.CancellationToken;
        var database = await Engines.PostgresAsync(server, new FakeTimeProvider());
        await database.Partitions.EnsureDaysAsync([new DateOnly(2026, 3, 2)], ct);

        var order = new List<string>();
        await using (var command = database.DataSource.CreateCommand(
            "SELECT attname FROM pg_attribute WHERE attrelid = 'webhook_events_p20260302'::regclass AND attnum > 0 AND NOT attisdropped ORDER BY attnum"))
        await using (var reader = await command.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
            {
                order.Add(reader.GetString(0));
            }
        }
        string[] outcome = ["status", "retry_attempt", "payload", "original_payload", "http_response", "start_date", "end_date"];
        Assert.Equal(outcome, order.TakeLast(outcome.Length));
        Assert.True(order.IndexOf("input") < order.IndexOf("status"), string.Join(", ", order));

        await using (var write = database.DataSource.CreateCommand("""
            INSERT INTO webhook_events (event_id, org_id, config_id, event_name, created_at, status, retry_attempt, http_method, url, metadata, input)
            VALUES ('e-1', 'org-1', 'cfg-1', 'order_created', '2026-03-02T10:00:00Z', 'in_progress', 0, 'POST', 'https://r.example/hook', '{}', '{"entity":{}}');
            UPDATE webhook_events SET status = 'succeeded', http_response = '{"status_code":200}', end_date = '2026-03-02T10:00:01Z' WHERE event_id = 'e-1'
            """))
        {
            await write.ExecuteNonQueryAsync(ct);
        }
        await using var read = database.DataSource.CreateCommand("SELECT status, input, url, http_response, created_at FROM webhook_events WHERE event_id = 'e-1'");
        await using var row = await read.ExecuteReaderAsync(ct);
        Assert.True(await row.ReadAsync(ct));
        Assert.Equal("succeeded", row.GetString(0));
        Assert.Equal("""{"entity":{}}""", row.GetString(1));
        Assert.Equal("https://r.example/hook", row.GetString(2));
        Assert.Equal("""{"status_code":200}""", row.GetString(3));
        Assert.Equal(new DateTimeOffset(2026, 3, 2, 10, 0, 0, TimeSpan.Zero), row.GetFieldValue<DateTimeOffset>(4));
    }
}
