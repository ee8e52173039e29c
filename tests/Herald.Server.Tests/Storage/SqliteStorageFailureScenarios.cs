using System.Net;
using Herald.Server.Storage.Sqlite;
using Herald.Server.Tests.Support;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace Herald.Server.Tests.Storage;

/// <summary>
/// A SQLite file that cannot grow, as on a full disk, cannot be written, as on a file system remounted read-only, or
/// cannot be opened, as when its volume is gone, or holds data SQLite reports damaged: staged on the write lane's
/// connection (<c>PRAGMA max_page_count</c>, <c>PRAGMA query_only</c>), by moving the data folder away, or by cutting
/// a table's schema entry short, SQLite answers with <c>SQLITE_FULL</c>, <c>SQLITE_READONLY</c>, <c>SQLITE_CANTOPEN</c>
/// or <c>SQLITE_CORRUPT</c>, as it does for the real causes.
/// </summary>
public sealed class SqliteStorageFailureScenarios : IAsyncLifetime
{
    private Receiver _receiver = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _receiver = await Receiver.StartAsync();

    public async ValueTask DisposeAsync() => await _receiver.DisposeAsync();

    /// <summary>
    /// The trigger is answered 503 with a message that names the full disk and the setting behind the file's place, not
    /// 500; nothing of it is written; once there is room again, the same node delivers the next trigger.
    /// </summary>
    [Fact]
    public Task A_trigger_that_finds_the_database_file_unable_to_grow_is_answered_503_naming_the_disk_and_the_setting() =>
        RefusedThenDeliveredAsync(
            async connection =>
            {
                await using var count = connection.CreateCommand();
                count.CommandText = "PRAGMA page_count";
                var pages = (long)(await count.ExecuteScalarAsync(Ct))!;
                await ExecuteAsync(connection, $"PRAGMA max_page_count = {pages}");
            },
            // More pages than the file has free.
            textLength: 200_000,
            named: "disk is full");

    /// <summary>The same for a file that cannot be written: 503 naming the read-only file and the setting, not 500.</summary>
    [Fact]
    public Task A_trigger_that_finds_the_database_file_read_only_is_answered_503_naming_the_file_and_the_setting() =>
        RefusedThenDeliveredAsync(connection => ExecuteAsync(connection, "PRAGMA query_only = ON"), textLength: 10, named: "read-only");

    /// <summary>
    /// Stages the failure on the write lane's connection, then has a trigger answered 503 with a message holding
    /// <paramref name="named"/> and the setting, nothing of it written, and after the staging is undone, the next
    /// trigger delivered by the same node.
    /// </summary>
    private async Task RefusedThenDeliveredAsync(Func<SqliteConnection, Task> stage, int textLength, string named)
    {
        using var app = new HeraldApp(new Dictionary<string, string?> { ["Delivery:AllowPrivateNetworks"] = "true" });
        var client = app.Client();
        var (configId, _) = await client.CreateConfigAsync(_receiver.Url);
        await app.Services.GetRequiredService<SqliteWriteLane>().RunAsync(async session =>
        {
            await stage(session.Connection);
            return 0;
        }, Ct);

        var refused = await client.PostJsonAsync($"/v1/webhooks/configs/{configId}/trigger", $$$"""{"metadata":{},"entity":{"_id":"e-1","text":"{{{new string('x', textLength)}}}"}}""");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
        var message = await refused.MessageAsync();
        Assert.Contains(named, message);
        Assert.Contains("Storage:DataDirectory", message);
        Assert.Equal(0L, await app.ScalarAsync("SELECT count(*) FROM webhook_events"));
        Assert.Contains(app.Logs.Lines, line => line.Category == "Herald.Errors" && line.Message.Contains("database was unavailable for POST"));

        // The staging lives on the connection, which the write lane closed into the pool when its write failed (the lane
        // starts its next turn on a fresh one): closing the pool's idle connections undoes it.
        SqliteConnection.ClearAllPools();
        var after = (await client.TriggerAsync(configId))["event_id"]!.GetValue<string>();
        await client.EventWithStatusAsync(configId, after, "succeeded");
    }

    private static async Task ExecuteAsync(SqliteConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(Ct);
    }

    /// <summary>
    /// A file that cannot be opened, as when its volume is unmounted: here the data folder is moved away while the node
    /// runs, and its idle pooled connections closed, so a read opens a new connection. The read is answered 503 naming
    /// the file and the setting, not 500; with the folder back, the same node serves it.
    /// </summary>
    [Fact]
    public async Task A_read_that_cannot_open_the_database_file_is_answered_503_naming_the_file_and_the_setting()
    {
        using var app = new HeraldApp();
        var client = app.Client();
        await client.CreateConfigAsync(_receiver.Url);
        var away = app.DataDirectory + "-away";
        Directory.Move(app.DataDirectory, away);
        try
        {
            SqliteConnection.ClearAllPools();

            var refused = await client.GetAsync("/v1/webhooks/configs", Ct);

            Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
            var message = await refused.MessageAsync();
            Assert.Contains("cannot be opened", message);
            Assert.Contains("Storage:DataDirectory", message);
        }
        finally
        {
            Directory.Move(away, app.DataDirectory);
        }

        var listed = await client.GetAsync("/v1/webhooks/configs", Ct);
        Assert.Equal(HttpStatusCode.OK, listed.StatusCode);
    }

    /// <summary>
    /// A file whose data SQLite reports damaged (<c>SQLITE_CORRUPT</c>): here the configs' table's entry in the schema is
    /// cut short through <c>PRAGMA writable_schema</c>, which SQLite reports as a malformed schema, as it does for a
    /// damaged page. The read is answered 503 naming the damage and the setting, not 500; with the entry mended, the
    /// same node serves it.
    /// </summary>
    [Fact]
    public async Task A_read_that_finds_the_database_file_damaged_is_answered_503_naming_the_damage_and_the_setting()
    {
        using var app = new HeraldApp();
        var client = app.Client();
        await client.CreateConfigAsync(_receiver.Url);
        var whole = (string)(await app.ScalarAsync("SELECT sql FROM sqlite_schema WHERE name = 'webhook_configs'"))!;
        await SetSchemaEntryAsync(app, "webhook_configs", "CREATE TABLE webhook_configs (");

        var refused = await client.GetAsync("/v1/webhooks/configs", Ct);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
        var message = await refused.MessageAsync();
        Assert.Contains("damaged", message);
        Assert.Contains("Storage:DataDirectory", message);
        Assert.Contains(app.Logs.Lines, line => line.Category == "Herald.Errors" && line.Message.Contains("database was unavailable for GET"));

        await SetSchemaEntryAsync(app, "webhook_configs", whole);
        var listed = await client.GetAsync("/v1/webhooks/configs", Ct);
        Assert.Equal(HttpStatusCode.OK, listed.StatusCode);
    }

    /// <summary>Rewrites a table's entry in the schema on a connection of the test's own, and has every connection read the schema again.</summary>
    private static async Task SetSchemaEntryAsync(HeraldApp app, string table, string sql)
    {
        await using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = Path.Combine(app.DataDirectory, "herald.db"), Pooling = false }.ToString());
        await connection.OpenAsync(Ct);
        await ExecuteAsync(connection, "PRAGMA writable_schema = ON");
        await using (var update = connection.CreateCommand())
        {
            update.CommandText = "UPDATE sqlite_schema SET sql = $sql WHERE name = $name";
            update.Parameters.AddWithValue("$sql", sql);
            update.Parameters.AddWithValue("$name", table);
            Assert.Equal(1, await update.ExecuteNonQueryAsync(Ct));
        }
        await using var version = connection.CreateCommand();
        version.CommandText = "PRAGMA schema_version";
        var current = (long)(await version.ExecuteScalarAsync(Ct))!;
        await ExecuteAsync(connection, $"PRAGMA schema_version = {current + 1}");
    }
}
