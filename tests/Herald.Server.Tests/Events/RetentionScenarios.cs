using System.Net;
using System.Text.Json.Nodes;
using Herald.Server.Tests.Support;

namespace Herald.Server.Tests.Events;

/// <summary>The event log lets go of old events in the background, driven by the fake clock, on the engine the subclass picks.</summary>
public abstract class RetentionScenarios : IAsyncLifetime
{
    private HeraldApp? _app;
    private Receiver _receiver = null!;

    protected abstract Task<Dictionary<string, string?>> StorageAsync();


    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _receiver = await Receiver.StartAsync();

    public async ValueTask DisposeAsync()
    {
        _app?.Dispose();
        await _receiver.DisposeAsync();
    }

    private static async Task<string[]> ListAsync(HttpClient client, string configId)
    {
        var ids = new List<string>();
        JsonNode? cursor = null;
        do
        {
            var page = await (await client.PostJsonAsync($"/v2/webhooks/configs/{configId}/events", new JsonObject { ["cursor"] = cursor?.DeepClone() }.ToJsonString())).ReadAsync();
            ids.AddRange(page["data"]!.AsArray().Select(e => e!["event_id"]!.GetValue<string>()));
            cursor = page["next_cursor"];
        }
        while (cursor is not null);
        return [.. ids];
    }

    /// <summary>Moves the clock by <paramref name="by"/>, then an hour at a time (the purge interval) until <paramref name="done"/>.</summary>
    private static async Task AdvanceUntilAsync(HeraldApp app, TimeSpan by, Func<Task<bool>> done)
    {
        app.Clock.Advance(by);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (!await done())
        {
            Assert.True(DateTime.UtcNow < deadline, "timed out waiting for the purge");
            await Task.Delay(50, Ct);
            app.Clock.Advance(TimeSpan.FromHours(1));
        }
    }

    [Fact]
    public async Task Events_older_than_the_retention_go_with_their_attempts_in_batches_unless_a_job_still_needs_them()
    {
        var settings = await StorageAsync();
        settings["Delivery:AllowPrivateNetworks"] = "true";
        settings["Events:RetentionDays"] = "28";
        settings["Events:PurgeBatchSize"] = "2";
        settings["Events:PurgePause"] = "00:00:00.010";
        _app = new HeraldApp(settings);
        var app = _app;
        var client = app.Client();
        var (configId, _) = await client.CreateConfigAsync(_receiver.Url);
        var old = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            old.Add((await client.TriggerAsync(configId, sync: true))["event_id"]!.GetValue<string>());
        }
        var queued = old[2];
        // A job far in the future keeps this old event in the log, as a pending retry or replay would.
        await app.ExecuteSqlAsync($"INSERT INTO delivery_jobs (event_id, org_id, config_id, kind, due_at) VALUES ('{queued}', '{HeraldApp.OrgA}', '{configId}', 'replay', '2099-01-01T00:00:00.0000000Z')");
        app.Clock.Advance(TimeSpan.FromDays(10));
        var young = (await client.TriggerAsync(configId, sync: true))["event_id"]!.GetValue<string>();

        // 28 days after the old events: they go, in batches of two; the young one and the queued one stay. A pass
        // purges events first, then attempts: done once the queued event's old try is gone too.
        async Task<JsonArray> AttemptsOfQueuedAsync() =>
            (await (await client.GetAsync($"/v1/webhooks/configs/{configId}/events/{queued}/attempts", Ct)).ReadAsync())["data"]!.AsArray();
        await AdvanceUntilAsync(app, TimeSpan.FromDays(18) + TimeSpan.FromMinutes(1),
            async () => (await ListAsync(client, configId)).Length == 2 && (await AttemptsOfQueuedAsync()).Count == 0);

        Assert.Equal([young, queued], await ListAsync(client, configId));
        foreach (var gone in old.Where(id => id != queued))
        {
            Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/v1/webhooks/configs/{configId}/events/{gone}", Ct)).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/v1/webhooks/configs/{configId}/events/{gone}/attempts", Ct)).StatusCode);
        }
        // The queued event stays, but its tries older than the retention go.
        Assert.Empty(await AttemptsOfQueuedAsync());
        var youngAttempts = await (await client.GetAsync($"/v1/webhooks/configs/{configId}/events/{young}/attempts", Ct)).ReadAsync();
        Assert.Single(youngAttempts["data"]!.AsArray());

        // Deliveries carry on meanwhile, and the young event goes in its turn.
        var fresh = (await client.TriggerAsync(configId, sync: true))["event_id"]!.GetValue<string>();
        await AdvanceUntilAsync(app, TimeSpan.FromDays(10), async () => !(await ListAsync(client, configId)).Contains(young));
        Assert.Equal([fresh, queued], await ListAsync(client, configId));
    }

    [Fact]
    public async Task A_retention_below_one_day_stops_the_start()
    {
        var settings = await StorageAsync();
        settings["Events:RetentionDays"] = "0";
        var error = HeraldApp.StartFailure(settings);

        Assert.True(error.ToString().Contains("Events:RetentionDays must be at least 1", StringComparison.Ordinal), error.ToString());
    }
}

public sealed class SqliteRetentionTests : RetentionScenarios
{
    protected override Task<Dictionary<string, string?>> StorageAsync() => Task.FromResult(new Dictionary<string, string?>());
}

public sealed class PostgresRetentionTests(PostgresServer server) : RetentionScenarios
{
    protected override Task<Dictionary<string, string?>> StorageAsync() => server.StorageAsync();
}
