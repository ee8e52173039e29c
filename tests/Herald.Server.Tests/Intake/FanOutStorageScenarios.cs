using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using Herald.Server.Configs;
using Herald.Server.Delivery;
using Herald.Server.Intake;
using Herald.Server.Http;
using Herald.Server.Tests.Support;

namespace Herald.Server.Tests.Intake;

/// <summary>
/// A fan-out keeps its payload once, however many configs subscribe: each event stores only what is its own, and every
/// receiver still gets, byte for byte, what a trigger of its config would have sent. On the engine the subclass picks.
/// </summary>
public abstract class FanOutStorageScenarios : IAsyncLifetime
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

    private async Task<(HeraldApp App, HttpClient Client)> StartAsync(params (string Key, string Value)[] extra)
    {
        var settings = await StorageAsync();
        settings["Delivery:AllowPrivateNetworks"] = "true";
        foreach (var (key, value) in extra)
        {
            settings[key] = value;
        }
        _app = new HeraldApp(settings);
        return (_app, _app.Client());
    }

    private async Task<string> ConfigAsync(HttpClient client, string eventName, string name, string path = "/")
    {
        var body = new JsonObject { ["name"] = name, ["eventName"] = eventName, ["url"] = new Uri(_receiver.Url, path).ToString() };
        var response = await client.PostJsonAsync("/v1/webhooks/configs", body.ToJsonString());
        response.EnsureSuccessStatusCode();
        // Fan-out lists configs in their creation order; a tick between creations makes that order this one.
        _app!.Clock.Advance(TimeSpan.FromSeconds(1));
        return (await response.ReadAsync())["id"]!.GetValue<string>();
    }

    private static async Task<IReadOnlyList<string>> FanOutAsync(HttpClient client, string eventName, string payload)
    {
        var response = await client.PostJsonAsync("/v1/webhooks/events", $$"""{"eventName":"{{eventName}}","payload":{{payload}}}""");
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        return (await response.ReadAsync())["event_ids"]!.AsArray().Select(e => e!.GetValue<string>()).ToList();
    }

    private static async Task<long> LongAsync(HeraldApp app, string sql) => Convert.ToInt64(await app.ScalarAsync(sql), CultureInfo.InvariantCulture);

    [Fact]
    public async Task A_fan_out_to_100_configs_stores_its_payload_once()
    {
        var (app, client) = await StartAsync(("Roles", "api"));
        var configs = new List<string>();
        for (var i = 0; i < 100; i++)
        {
            configs.Add(await ConfigAsync(client, "order_created", $"receiver-{i}"));
        }
        var blob = new string('x', 1024 * 1024);
        var payload = $$$"""{"metadata":{"action":"Created"},"entity":{"_id":"e-1","name":"Zoë","blob":"{{{blob}}}"}}""";

        var eventIds = await FanOutAsync(client, "order_created", payload);

        Assert.Equal(100, eventIds.Count);
        // What each event keeps of its own is a few bytes, not a copy of the payload.
        var perEvents = await LongAsync(app,
            "SELECT COALESCE(SUM(LENGTH(input) + LENGTH(COALESCE(payload, '')) + LENGTH(COALESCE(metadata, ''))), 0) FROM webhook_events");
        Assert.True(perEvents < 100 * 200, $"the events hold {perEvents} characters of payload and metadata");
        Assert.Equal(1, await LongAsync(app, "SELECT COUNT(*) FROM event_inputs"));
        var shared = await LongAsync(app, "SELECT SUM(LENGTH(body)) FROM event_inputs");
        Assert.InRange(shared, blob.Length, blob.Length + 500);

        // Each event still reads as its own: its config's metadata, the payload around it.
        foreach (var (configId, eventId) in configs.Zip(eventIds).Where((_, i) => i is 0 or 57 or 99))
        {
            var stored = await client.EventAsync(configId, eventId);
            Assert.Equal(configId, stored["metadata"]!["webhook_id"]!.GetValue<string>());
            Assert.Equal("Created", stored["metadata"]!["action"]!.GetValue<string>());
        }
    }

    public static TheoryData<string, string> Payloads => new()
    {
        { "order_created", """{"entity":{"_id":"e-1","name":"Zoë \"quoted\" <b>&</b>"},"metadata":{"webhook_id":null,"action":"Created"},"tail":[1,2.50,{"x":null}]}""" },
        { "order_created", """{"entity":{"_id":"e-1"}}""" },
        { "order_created", """{"metadata":{}}""" },
        { "order_created", """{"metadata":{"webhook_name":"given","correlation_id":"c-given","creation_timestamp":"2020-01-01T00:00:00.000Z"},"x":"\u2028 𝄞"}""" },
        { "event_OrderSubmission", """{"_event_version":"1.0","metadata":{"source":"catalog"},"order":{"total":3}}""" },
    };

    [Theory]
    [MemberData(nameof(Payloads))]
    public async Task Every_receiver_gets_byte_for_byte_what_a_trigger_of_its_config_would_send_and_replays_resend_it(string eventName, string payload)
    {
        var (_, client) = await StartAsync();
        var names = new[] { "Orders \"ERP\" – Zoë", "crm", "<script>" };
        var configs = new Dictionary<string, string>();
        for (var i = 0; i < names.Length; i++)
        {
            configs[$"/r{i}"] = await ConfigAsync(client, eventName, names[i], $"/r{i}");
        }

        var eventIds = await FanOutAsync(client, eventName, payload);

        var received = await _receiver.WaitForAsync(names.Length);
        foreach (var request in received)
        {
            var configId = configs[request.Path];
            var index = int.Parse(request.Path[2..], CultureInfo.InvariantCulture);
            var name = names[index];
            var sent = JsonNode.Parse(request.Text)!;
            var metadata = sent["metadata"];
            var now = DateTimeOffset.Parse(metadata?["creation_timestamp"]?.GetValue<string>() ?? "2026-01-01T00:00:00Z", CultureInfo.InvariantCulture);
            var correlation = Guid.TryParse(metadata?["correlation_id"]?.GetValue<string>(), out var id) ? id : Guid.Empty;
            var (expected, _) = TriggerPayload.Fill(JsonNode.Parse(payload)!.AsObject(), configId, new WebhookConfig { Name = name, EventName = eventName }, new OrganizationId(HeraldApp.OrgA), now, correlation);
            Assert.Equal(expected!.ToJsonString(HeraldJson.Payload), request.Text);

            var eventId = eventIds[index];
            var stored = await client.EventWithStatusAsync(configId, eventId, "succeeded");
            Assert.Equal(request.Text, stored["payload"]!.GetValue<string>());
            Assert.Equal(metadata?.ToJsonString(), stored["metadata"]?.ToJsonString());
        }

        // A verbatim replay and one that builds the body again from the stored input both send the same bytes.
        var (path, first) = (received[0].Path, received[0].Text);
        var replayed = eventIds[int.Parse(path[2..], CultureInfo.InvariantCulture)];
        Assert.Equal(HttpStatusCode.NoContent, (await client.PostAsync($"/v1/webhooks/configs/{configs[path]}/events/{replayed}/replay", null, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await client.PostJsonAsync($"/v1/webhooks/configs/{configs[path]}/events/{replayed}/replay", """{"reapply_transform":true}""")).StatusCode);
        var again = await _receiver.WaitForAsync(names.Length + 2);
        Assert.Equal([first, first], again.Skip(names.Length).Select(r => r.Text));
    }

    [Fact]
    public async Task Retention_deletes_the_shared_payload_with_the_last_event_of_its_fan_out()
    {
        var (app, client) = await StartAsync(("Events:RetentionDays", "28"), ("Events:PurgePause", "00:00:00.010"));
        var first = await ConfigAsync(client, "order_created", "first");
        var second = await ConfigAsync(client, "order_created", "second");
        var eventIds = await FanOutAsync(client, "order_created", """{"entity":{"_id":"e-1"}}""");
        await client.EventWithStatusAsync(first, eventIds[0], "succeeded");
        await client.EventWithStatusAsync(second, eventIds[1], "succeeded");
        // A job far in the future keeps the second event in the log, as a pending replay would.
        await app.ExecuteSqlAsync($"INSERT INTO delivery_jobs (event_id, org_id, config_id, kind, due_at) VALUES ('{eventIds[1]}', '{HeraldApp.OrgA}', '{second}', 'replay', '2099-01-01T00:00:00.0000000Z')");

        await PurgeUntilAsync(app, TimeSpan.FromDays(29), async () => (await client.GetAsync($"/v1/webhooks/configs/{first}/events/{eventIds[0]}", Ct)).StatusCode == HttpStatusCode.NotFound);

        Assert.Equal(1, await LongAsync(app, "SELECT COUNT(*) FROM event_inputs"));
        Assert.Equal(eventIds[1], (await client.EventAsync(second, eventIds[1]))["event_id"]!.GetValue<string>());

        await app.ExecuteSqlAsync($"DELETE FROM delivery_jobs WHERE event_id = '{eventIds[1]}'");
        // The shared payload goes in the purge's step after the events' (on PostgreSQL, after their partitions): wait for both.
        await PurgeUntilAsync(app, TimeSpan.FromHours(1), async () =>
            await LongAsync(app, "SELECT COUNT(*) FROM webhook_events") == 0 && await LongAsync(app, "SELECT COUNT(*) FROM event_inputs") == 0);

        Assert.Equal(0, await LongAsync(app, "SELECT COUNT(*) FROM event_inputs"));
    }

    /// <summary>Moves the clock by <paramref name="by"/>, then an hour at a time (the purge interval) until <paramref name="done"/>.</summary>
    private static async Task PurgeUntilAsync(HeraldApp app, TimeSpan by, Func<Task<bool>> done)
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
}

public sealed class SqliteFanOutStorageScenarios : FanOutStorageScenarios
{
    protected override Task<Dictionary<string, string?>> StorageAsync() => Task.FromResult(new Dictionary<string, string?>());
}

public sealed class PostgresFanOutStorageScenarios(PostgresServer server) : FanOutStorageScenarios
{
    protected override Task<Dictionary<string, string?>> StorageAsync() => server.StorageAsync();
}
