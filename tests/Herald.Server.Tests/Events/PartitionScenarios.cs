using System.Net;
using System.Text.Json.Nodes;
using Herald.Server.Storage.Postgres;
using Herald.Server.Tests.Support;
using Npgsql;

namespace Herald.Server.Tests.Events;

/// <summary>
/// On PostgreSQL the event log lives in day partitions: retention drops whole days, reads cross partition boundaries,
/// and a database made by the schema before partitions is migrated in place with every row still readable.
/// </summary>
public sealed class PostgresPartitionScenarios(PostgresServer server) : IAsyncLifetime
{
    private HeraldApp? _app;
    private Receiver _receiver = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _receiver = await Receiver.StartAsync();

    public async ValueTask DisposeAsync()
    {
        _app?.Dispose();
        await _receiver.DisposeAsync();
    }

    /// <summary>Every event of the config, newest first, read in pages of <paramref name="limit"/> through the v2 list.</summary>
    private static async Task<List<string>> ListAsync(HttpClient client, string configId, int limit)
    {
        var ids = new List<string>();
        JsonNode? cursor = null;
        do
        {
            var body = new JsonObject { ["limit"] = limit, ["cursor"] = cursor?.DeepClone() };
            var page = await (await client.PostJsonAsync($"/v2/webhooks/configs/{configId}/events", body.ToJsonString())).ReadAsync();
            ids.AddRange(page["data"]!.AsArray().Select(e => e!["event_id"]!.GetValue<string>()));
            cursor = page["next_cursor"];
        }
        while (cursor is not null);
        return ids;
    }

    private async Task<List<string>> PartitionsAsync(HeraldApp app)
    {
        var names = (string)(await app.ScalarAsync("""
            SELECT string_agg(c.relname, ',' ORDER BY c.relname) FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
            JOIN pg_class p ON p.oid = i.inhparent WHERE p.relname IN ('webhook_events', 'delivery_attempts')
            """))!;
        return [.. names.Split(',')];
    }

    [Fact]
    public async Task Retention_drops_the_partitions_of_days_past_it_and_reads_lists_and_replays_cross_the_remaining_days()
    {
        var settings = await server.StorageAsync();
        settings["Delivery:AllowPrivateNetworks"] = "true";
        settings["Events:RetentionDays"] = "5";
        _app = new HeraldApp(settings);
        var app = _app;
        var client = app.Client();
        var (configId, _) = await client.CreateConfigAsync(_receiver.Url);

        // Two events a day for six days, from 2026-03-01 12:00 (UTC), each delivered at once.
        var byDay = new List<string[]>();
        for (var day = 0; day < 6; day++)
        {
            var ids = new string[2];
            for (var i = 0; i < 2; i++)
            {
                ids[i] = (await client.TriggerAsync(configId, sync: true))["event_id"]!.GetValue<string>();
                app.Clock.Advance(TimeSpan.FromMinutes(1));
            }
            byDay.Add(ids);
            if (day < 5)
            {
                app.Clock.Advance(TimeSpan.FromDays(1));
            }
        }
        var all = byDay.SelectMany(d => d).Reverse().ToList();

        // Pages of three straddle the days: newest first, nothing lost or repeated at a boundary.
        Assert.Equal(all, await ListAsync(client, configId, 3));
        Assert.Contains("webhook_events_p20260301", await PartitionsAsync(app));

        // Retention of five days, from 2026-03-06 12:00 on: each day goes whole once it ended before the cutoff.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while ((await PartitionsAsync(app)).Contains("webhook_events_p20260303"))
        {
            Assert.True(DateTime.UtcNow < deadline, "timed out waiting for the partitions to be dropped");
            app.Clock.Advance(TimeSpan.FromHours(1));
            await Task.Delay(50, Ct);
        }
        var left = await PartitionsAsync(app);
        foreach (var day in new[] { "20260301", "20260302", "20260303" })
        {
            Assert.DoesNotContain($"webhook_events_p{day}", left);
            Assert.DoesNotContain($"delivery_attempts_p{day}", left);
        }
        foreach (var day in new[] { "20260304", "20260305", "20260306" })
        {
            Assert.Contains($"webhook_events_p{day}", left);
            Assert.Contains($"delivery_attempts_p{day}", left);
        }

        // The recent days are intact and read as before; the old ones are gone.
        var kept = byDay.Skip(3).SelectMany(d => d).Reverse().ToList();
        Assert.Equal(kept, await ListAsync(client, configId, 3));
        foreach (var gone in byDay.Take(3).SelectMany(d => d))
        {
            Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/v1/webhooks/configs/{configId}/events/{gone}", Ct)).StatusCode);
        }
        foreach (var id in kept)
        {
            var stored = await client.EventAsync(configId, id);
            Assert.Equal("succeeded", stored["status"]!.GetValue<string>());
            var attempts = await (await client.GetAsync($"/v1/webhooks/configs/{configId}/events/{id}/attempts", Ct)).ReadAsync();
            Assert.Single(attempts["data"]!.AsArray());
        }

        // A replay of the oldest kept event, written today, finds its event two partitions back.
        var oldest = byDay[3][0];
        Assert.Equal(HttpStatusCode.NoContent, (await client.PostAsync($"/v1/webhooks/configs/{configId}/events/{oldest}/replay", null, Ct)).StatusCode);
        await Eventually.ReturnsAsync(
            async () => (await (await client.GetAsync($"/v1/webhooks/configs/{configId}/events/{oldest}/attempts", Ct)).ReadAsync())["data"]!.AsArray().Count,
            count => count == 2, "the replay's attempt");
        Assert.Equal("succeeded", (await client.EventAsync(configId, oldest))["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_database_made_by_the_schema_before_partitions_is_migrated_in_place_and_every_row_reads_back()
    {
        var connectionString = await server.CreateDatabaseAsync();
        // The schema as it was before step 8, with events over three days, their attempts and a queued job.
        var events = Enumerable.Range(0, 30).Select(i => (Id: Guid.CreateVersion7(new DateTimeOffset(2026, 2, 26, 23, 0, 0, TimeSpan.Zero).AddHours(i * 2)).ToString(),
            Created: new DateTimeOffset(2026, 2, 26, 23, 0, 0, TimeSpan.Zero).AddHours(i * 2))).ToList();
        await using (var connection = new NpgsqlConnection(connectionString))
        {
            await connection.OpenAsync(Ct);
            var sql = "CREATE TABLE schema_migrations (version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL);"
                + string.Concat(PostgresMigrations.All.Where(m => m.Version < 8).Select(m => $"{m.Sql};INSERT INTO schema_migrations VALUES ({m.Version}, 'x', now());"));
            await using (var schema = new NpgsqlCommand(sql, connection))
            {
                await schema.ExecuteNonQueryAsync(Ct);
            }
            foreach (var (id, created) in events)
            {
                await using var insert = new NpgsqlCommand("""
                    INSERT INTO webhook_events (event_id, org_id, config_id, event_name, created_at, status, retry_attempt, http_method, url, metadata, input, payload, http_response, start_date, end_date)
                    VALUES ($1, 'org-a', 'cfg-legacy', 'order_created', $2, 'succeeded', 0, 'POST', 'https://receiver.example/hook', '{}', $3, '', '{"status_code":200}', $2, $2)
                    """, connection);
                insert.Parameters.Add(new NpgsqlParameter { Value = id });
                insert.Parameters.Add(new NpgsqlParameter { Value = created });
                insert.Parameters.Add(new NpgsqlParameter { Value = new JsonObject { ["metadata"] = new JsonObject(), ["entity"] = new JsonObject { ["n"] = id } }.ToJsonString() });
                await insert.ExecuteNonQueryAsync(Ct);
                await using var attempt = new NpgsqlCommand(
                    "INSERT INTO delivery_attempts (event_id, org_id, number, kind, started_at, duration_ms, status_code) VALUES ($1, 'org-a', 1, 'deliver', $2, 7, 200)", connection);
                attempt.Parameters.Add(new NpgsqlParameter { Value = id });
                attempt.Parameters.Add(new NpgsqlParameter { Value = created });
                await attempt.ExecuteNonQueryAsync(Ct);
            }
        }

        var settings = new Dictionary<string, string?>
        {
            ["Storage:Provider"] = "Postgres", ["Storage:ConnectionString"] = connectionString, ["Delivery:AllowPrivateNetworks"] = "true",
        };
        _app = new HeraldApp(settings);
        var client = _app.Client();
        var (configId, _) = await client.CreateConfigAsync(_receiver.Url);
        // The rows belong to a config this database never had: give them the new one.
        await _app.ExecuteSqlAsync($"UPDATE webhook_events SET config_id = '{configId}' WHERE config_id = 'cfg-legacy'");

        Assert.Equal(PostgresMigrations.All[^1].Version, Convert.ToInt32(await _app.ScalarAsync("SELECT MAX(version) FROM schema_migrations"), System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal("p", (string)(await _app.ScalarAsync("SELECT relkind::text FROM pg_class WHERE relname = 'webhook_events'"))!);
        Assert.Equal(events.Select(e => e.Id).Reverse(), await ListAsync(client, configId, 7));
        foreach (var (id, created) in events)
        {
            var stored = await client.EventAsync(configId, id);
            Assert.Equal("succeeded", stored["status"]!.GetValue<string>());
            Assert.Equal(id, JsonNode.Parse(stored["payload"]!.GetValue<string>())!["entity"]!["n"]!.GetValue<string>());
            var attempts = (await (await client.GetAsync($"/v1/webhooks/configs/{configId}/events/{id}/attempts", Ct)).ReadAsync())["data"]!.AsArray();
            Assert.Equal(200, Assert.Single(attempts)!["status_code"]!.GetValue<int>());
        }
        // New attempts keep numbering after the copied ones, and new events land in their own day.
        var fresh = (await client.TriggerAsync(configId, sync: true))["event_id"]!.GetValue<string>();
        Assert.Equal("succeeded", (await client.EventAsync(configId, fresh))["status"]!.GetValue<string>());
        Assert.Equal(31L, Convert.ToInt64(await _app.ScalarAsync("SELECT COUNT(DISTINCT attempt_id) FROM delivery_attempts"), System.Globalization.CultureInfo.InvariantCulture));
    }
}
