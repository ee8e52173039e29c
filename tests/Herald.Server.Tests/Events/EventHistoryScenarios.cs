using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Herald.Server.Tests.Support;

namespace Herald.Server.Tests.Events;

/// <summary>The event history through the real pipeline: v2 and v1 lists, filters, cursors, attempts and isolation, on the engine the subclass picks.</summary>
public abstract class EventHistoryScenarios : IAsyncLifetime
{
    private HeraldApp? _app;
    private Receiver _receiver = null!;
    private HttpClient _client = null!;

    private HeraldApp App => _app ?? throw new InvalidOperationException("StartAsync first");

    protected abstract Task<Dictionary<string, string?>> StorageAsync();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _receiver = await Receiver.StartAsync();

    /// <summary>Starts Herald; in the test body, not in InitializeAsync, so that a missing PostgreSQL skips the test.</summary>
    private async Task StartAsync()
    {
        var settings = await StorageAsync();
        settings["Delivery:AllowPrivateNetworks"] = "true";
        _app = new HeraldApp(settings);
        _client = _app.Client();
    }

    public async ValueTask DisposeAsync()
    {
        _app?.Dispose();
        await _receiver.DisposeAsync();
    }

    private async Task<HttpResponseMessage> ListV2Async(string configId, string body, HttpClient? client = null) =>
        await (client ?? _client).PostJsonAsync($"/v2/webhooks/configs/{configId}/events", body);

    private async Task<JsonNode> PageV2Async(string configId, string body, HttpClient? client = null)
    {
        var response = await ListV2Async(configId, body, client);
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync(Ct));
        return await response.ReadAsync();
    }

    private async Task<JsonNode> PageV1Async(string configId, string query = "", HttpClient? client = null)
    {
        var response = await (client ?? _client).GetAsync($"/v1/webhooks/configs/{configId}/events{query}", Ct);
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync(Ct));
        return await response.ReadAsync();
    }

    /// <summary>
    /// Moves the fake clock a second at a time, letting the workers catch up in between, until <paramref name="done"/>:
    /// a worker that starts its poll just after one step still sees the next.
    /// </summary>
    private async Task AdvanceUntilAsync(Func<Task<bool>> done)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        while (!await done())
        {
            Assert.True(DateTime.UtcNow < deadline, "timed out advancing the clock");
            App.Clock.Advance(TimeSpan.FromSeconds(1));
            await Task.Delay(50, Ct);
        }
    }

    private static string[] Ids(JsonNode page) => page["data"]!.AsArray().Select(e => e!["event_id"]!.GetValue<string>()).ToArray();

    private async Task<string> TriggerAsync(string configId, string payload = """{"entity":{"kind":"wanted"}}""", bool sync = true) =>
        (await _client.TriggerAsync(configId, payload, sync))["event_id"]!.GetValue<string>();

    [Fact]
    public async Task Pages_visit_every_event_once_newest_first_while_new_events_keep_arriving()
    {
        await StartAsync();
        var (configId, _) = await _client.CreateConfigAsync(_receiver.Url);
        // 40 events in groups of four sharing one millisecond: the event id breaks the ties.
        var initial = new List<(DateTimeOffset At, string Id)>();
        for (var i = 0; i < 40; i++)
        {
            if (i % 4 == 0)
            {
                App.Clock.Advance(TimeSpan.FromMilliseconds(1));
            }
            initial.Add((App.Clock.GetUtcNow(), await TriggerAsync(configId, sync: false)));
        }
        var expected = initial.OrderByDescending(e => e.At).ThenByDescending(e => e.Id, StringComparer.Ordinal).Select(e => e.Id).ToList();
        App.Clock.Advance(TimeSpan.FromSeconds(1));

        // The walk starts; from then on another client keeps triggering, and more arrive between pages. The walk
        // must neither see these newer events nor lose or repeat old ones.
        var seen = new List<string>();
        var page = await PageV2Async(configId, """{"limit":6}""");
        using var stop = new CancellationTokenSource();
        var other = App.Client();
        var arriving = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var arrivals = Task.Run(async () =>
        {
            var count = 0;
            while (!stop.IsCancellationRequested)
            {
                await other.PostJsonAsync($"/v1/webhooks/configs/{configId}/trigger", """{"entity":{"kind":"late"}}""");
                arriving.TrySetResult();
                count++;
            }
            return count;
        }, Ct);
        await arriving.Task;
        var pages = 1;
        while (true)
        {
            seen.AddRange(Ids(page));
            var cursor = page["next_cursor"];
            Assert.Equal(cursor is not null, page["has_more"]!.GetValue<bool>());
            if (cursor is null)
            {
                break;
            }
            await TriggerAsync(configId, """{"entity":{"kind":"between pages"}}""", sync: false);
            page = await PageV2Async(configId, new JsonObject { ["limit"] = 6, ["cursor"] = cursor.DeepClone() }.ToJsonString());
            pages++;
        }
        await stop.CancelAsync();
        var late = await arrivals;

        Assert.Equal(7, pages);
        Assert.Equal(expected, seen);
        Assert.True(late > 0, "events arrived during the walk");
        var newest = Ids(await PageV2Async(configId, """{"limit":1}"""))[0];
        Assert.DoesNotContain(newest, expected);
    }

    [Fact]
    public async Task The_last_page_says_so_with_a_null_cursor()
    {
        await StartAsync();
        var (configId, _) = await _client.CreateConfigAsync(_receiver.Url);
        var ids = new[] { await TriggerAsync(configId), await TriggerAsync(configId) };

        var response = await ListV2Async(configId, """{"limit":2}""");
        var text = await response.Content.ReadAsStringAsync(Ct);

        Assert.Contains("\"next_cursor\":null", text);
        Assert.Contains("\"has_more\":false", text);
        Assert.Equal(2, JsonNode.Parse(text)!["data"]!.AsArray().Count);
        var empty = await PageV2Async(configId, new JsonObject { ["cursor"] = new JsonObject { ["created_at"] = "2026-03-01T12:00:00Z", ["event_id"] = ids.Min() } }.ToJsonString());
        Assert.Empty(empty["data"]!.AsArray());
        Assert.Null(empty["next_cursor"]);
    }

    [Fact]
    public async Task Status_time_range_and_event_id_filters_narrow_the_list_alone_and_together()
    {
        await StartAsync();
        var (configId, _) = await _client.CreateConfigAsync(_receiver.Url, """ "filter":{"keyToFilter":"entity.kind","supportedValues":["wanted"]} """);
        var ids = new Dictionary<string, string>();
        async Task At(int minute, string name, Answer? answer, string kind = "wanted")
        {
            App.Clock.SetUtcNow(new DateTimeOffset(2026, 3, 1, 12, minute, 0, TimeSpan.Zero));
            if (answer is not null)
            {
                _receiver.Enqueue(answer);
            }
            ids[name] = await TriggerAsync(configId, $$$"""{"entity":{"kind":"{{{kind}}}"}}""");
        }
        await At(1, "ok-1", new Answer.Status(200));
        await At(2, "failed-2", new Answer.Status(400));
        await At(3, "skipped-3", null, kind: "other");
        await At(4, "ok-4", new Answer.Status(204));
        await At(5, "failed-5", new Answer.Status(410));
        // Last: its retry is due 5 s later, and the clock never gets there.
        await At(6, "pending-6", new Answer.Status(503));

        async Task<string[]> Names(string body) =>
            Ids(await PageV2Async(configId, body)).Select(id => ids.Single(kv => kv.Value == id).Key).ToArray();

        Assert.Equal(["pending-6", "failed-5", "ok-4", "skipped-3", "failed-2", "ok-1"], await Names("{}"));
        Assert.Equal(["ok-4", "ok-1"], await Names("""{"status":"succeeded"}"""));
        Assert.Equal(["failed-5", "failed-2"], await Names("""{"status":"failed"}"""));
        Assert.Equal(["skipped-3"], await Names("""{"status":"skipped"}"""));
        Assert.Equal(["ok-4", "skipped-3", "failed-2"], await Names("""{"timestamp":{"from":"2026-03-01T12:02:00Z","to":"2026-03-01T12:04:00Z"}}"""));
        Assert.Equal(["ok-4", "skipped-3", "failed-2"], await Names("""{"timestamp":{"from":"2026-03-01T13:02:00+01:00","to":"2026-03-01T12:04:00.000Z"}}"""));
        Assert.Equal(["pending-6", "failed-5"], await Names("""{"timestamp":{"from":"2026-03-01T12:04:30Z"}}"""));
        Assert.Equal(["failed-2", "ok-1"], await Names("""{"timestamp":{"to":"2026-03-01T12:02:00Z"}}"""));
        Assert.Equal(["failed-5", "failed-2"], await Names("""{"timestamp":{"from":"2026-03-01T12:01:30Z","to":"2026-03-01T12:05:00Z"},"status":"failed"}"""));
        Assert.Equal(["failed-2"], await Names("""{"timestamp":{"from":"2026-03-01T12:01:30Z","to":"2026-03-01T12:04:59.999Z"},"status":"failed"}"""));
        Assert.Equal(["ok-4"], await Names($$"""{"event_id":"{{ids["ok-4"]}}"}"""));
        Assert.Equal(["ok-4"], await Names($$$"""{"event_id":"{{{ids["ok-4"]}}}","status":"succeeded","timestamp":{"from":"2026-03-01T12:04:00Z","to":"2026-03-01T12:04:00Z"}}"""));
        Assert.Empty(await Names($$"""{"event_id":"{{ids["ok-4"]}}","status":"failed"}"""));
        Assert.Empty(await Names($$$"""{"event_id":"{{{ids["ok-4"]}}}","timestamp":{"to":"2026-03-01T12:03:59.999Z"}}"""));
        Assert.Empty(await Names("""{"event_id":"00000000-0000-7000-8000-000000000000"}"""));

        // Paging within a filter: two failed events, one per page.
        var first = await PageV2Async(configId, """{"status":"failed","limit":1}""");
        var second = await PageV2Async(configId, new JsonObject { ["status"] = "failed", ["limit"] = 1, ["cursor"] = first["next_cursor"]!.DeepClone() }.ToJsonString());
        Assert.Equal([ids["failed-5"]], Ids(first));
        Assert.Equal([ids["failed-2"]], Ids(second));
        Assert.False(second["has_more"]!.GetValue<bool>());

        // The listed event is the whole WebhookEvent, as getEventById shows it.
        var listed = (await PageV2Async(configId, $$"""{"event_id":"{{ids["failed-2"]}}"}"""))["data"]![0]!;
        var single = await _client.EventAsync(configId, ids["failed-2"]);
        Assert.True(JsonNode.DeepEquals(single, listed), $"{listed.ToJsonString()} != {single.ToJsonString()}");
        Assert.Equal(400, listed["http_response"]!["status_code"]!.GetValue<int>());
    }

    [Theory]
    [InlineData("""{"limit":0}""", "limit must be an integer from 1 to 25")]
    [InlineData("""{"limit":26}""", "limit must be an integer from 1 to 25")]
    [InlineData("""{"timestamp":{"from":"last tuesday"}}""", "timestamp.from must be an ISO 8601 date-time")]
    [InlineData("""{"timestamp":{"to":"2026-13-01T00:00:00Z"}}""", "timestamp.to must be an ISO 8601 date-time")]
    [InlineData("""{"status":"in_progress"}""", "status must be one of succeeded, failed, skipped")]
    [InlineData("""{"cursor":{"created_at":"2026-03-01T12:00:00Z"}}""", "cursor.event_id must be a non-empty string")]
    [InlineData("""{"limit":""", "Malformed JSON")]
    [InlineData("""[]""", "must be a JSON object")]
    public async Task A_malformed_search_is_a_400_naming_the_problem(string body, string message)
    {
        await StartAsync();
        var (configId, _) = await _client.CreateConfigAsync(_receiver.Url);

        var response = await ListV2Async(configId, body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(message, await response.MessageAsync());
    }

    [Fact]
    public async Task A_search_without_a_body_is_the_first_page()
    {
        await StartAsync();
        var (configId, _) = await _client.CreateConfigAsync(_receiver.Url);
        var id = await TriggerAsync(configId);

        var response = await _client.PostAsync($"/v2/webhooks/configs/{configId}/events", null, Ct);
        // As axios sends a POST without data.
        var formTyped = await _client.PostAsync($"/v2/webhooks/configs/{configId}/events", new StringContent("", System.Text.Encoding.UTF8, "application/x-www-form-urlencoded"), Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal([id], Ids(await response.ReadAsync()));
        Assert.Equal(HttpStatusCode.OK, formTyped.StatusCode);
        Assert.Equal([id], Ids(await formTyped.ReadAsync()));
    }

    [Fact]
    public async Task The_v1_list_pages_by_25_with_a_base64_cursor_and_filters_in_progress_events()
    {
        await StartAsync();
        var (configId, _) = await _client.CreateConfigAsync(_receiver.Url);
        var ids = new List<string>();
        for (var i = 0; i < 30; i++)
        {
            App.Clock.Advance(TimeSpan.FromSeconds(1));
            ids.Add(await TriggerAsync(configId));
        }
        _receiver.Enqueue(new Answer.Status(500));
        App.Clock.Advance(TimeSpan.FromSeconds(1));
        var pending = await TriggerAsync(configId);
        ids.Add(pending);
        ids.Reverse();

        var first = await PageV1Async(configId);
        var cursor = first["cursor"]!.GetValue<string>();
        var second = await PageV1Async(configId, "?cursor=" + Uri.EscapeDataString(cursor));
        var decoded = JsonNode.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(cursor)))!;
        var v2 = await PageV2Async(configId, new JsonObject { ["cursor"] = decoded.DeepClone() }.ToJsonString());

        Assert.Equal(ids.Take(25), Ids(first));
        Assert.Equal(ids.Skip(25), Ids(second));
        Assert.Null(second["cursor"]);
        Assert.Equal(ids[24], decoded["event_id"]!.GetValue<string>());
        Assert.Equal(ids.Skip(25), Ids(v2));
        Assert.Equal([pending], Ids(await PageV1Async(configId, "?status=in_progress")));
        var succeeded = await PageV1Async(configId, "?status=succeeded");
        var succeededRest = await PageV1Async(configId, "?status=succeeded&cursor=" + Uri.EscapeDataString(succeeded["cursor"]!.GetValue<string>()));
        Assert.Equal(ids.Where(id => id != pending), Ids(succeeded).Concat(Ids(succeededRest)));

        var bad = await _client.GetAsync($"/v1/webhooks/configs/{configId}/events?cursor=bm9wZQ", Ct);
        var badStatus = await _client.GetAsync($"/v1/webhooks/configs/{configId}/events?status=skipped", Ct);
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Equal("cursor must be a cursor returned by this endpoint", await bad.MessageAsync());
        Assert.Equal(HttpStatusCode.BadRequest, badStatus.StatusCode);
    }

    [Fact]
    public async Task Attempts_list_each_http_try_of_an_event()
    {
        await StartAsync();
        var (configId, _) = await _client.CreateConfigAsync(_receiver.Url);
        _receiver.Enqueue(new Answer.Status(503, """{"error":"busy"}"""));
        var eventId = await TriggerAsync(configId);
        await AdvanceUntilAsync(async () => (await _client.EventAsync(configId, eventId))["status"]!.GetValue<string>() == "succeeded");

        var response = await _client.GetAsync($"/v1/webhooks/configs/{configId}/events/{eventId}/attempts", Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var attempts = (await response.ReadAsync())["data"]!.AsArray();
        Assert.Equal(2, attempts.Count);
        Assert.Equal([1, 2], attempts.Select(a => a!["number"]!.GetValue<int>()));
        Assert.All(attempts, a => Assert.Equal("deliver", a!["kind"]!.GetValue<string>()));
        Assert.Equal([503, 200], attempts.Select(a => a!["status_code"]!.GetValue<int>()));
        Assert.Equal("""{"error":"busy"}""", attempts[0]!["response_excerpt"]!.GetValue<string>());
        Assert.Equal("2026-03-01T12:00:00.000Z", attempts[0]!["started_at"]!.GetValue<string>());
        Assert.True(attempts[1]!["duration_ms"]!.GetValue<int>() >= 0);
        Assert.False(attempts[1]!["after_reclaim"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Another_organization_sees_empty_lists_and_404s_for_every_history_read()
    {
        await StartAsync();
        var (configId, _) = await _client.CreateConfigAsync(_receiver.Url);
        var eventId = await TriggerAsync(configId);
        var (otherConfig, _) = await _client.CreateConfigAsync(_receiver.Url);
        var stranger = App.Client(HeraldApp.TokenB);

        var v2 = await PageV2Async(configId, "{}", stranger);
        var v2ById = await PageV2Async(configId, $$"""{"event_id":"{{eventId}}"}""", stranger);
        var v1 = await PageV1Async(configId, client: stranger);
        var byId = await stranger.GetAsync($"/v1/webhooks/configs/{configId}/events/{eventId}", Ct);
        var attempts = await stranger.GetAsync($"/v1/webhooks/configs/{configId}/events/{eventId}/attempts", Ct);
        var wrongConfig = await _client.GetAsync($"/v1/webhooks/configs/{otherConfig}/events/{eventId}/attempts", Ct);
        var unknownConfig = await PageV2Async("no-such-config", "{}");

        Assert.Empty(v2["data"]!.AsArray());
        Assert.False(v2["has_more"]!.GetValue<bool>());
        Assert.Empty(v2ById["data"]!.AsArray());
        Assert.Empty(v1["data"]!.AsArray());
        Assert.Null(v1["cursor"]);
        Assert.Equal(HttpStatusCode.NotFound, byId.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, attempts.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, wrongConfig.StatusCode);
        Assert.Empty(unknownConfig["data"]!.AsArray());
        Assert.Equal([eventId], Ids(await PageV2Async(configId, "{}")));
    }

    [Fact]
    public async Task The_history_of_a_deleted_config_stays_readable()
    {
        await StartAsync();
        var (configId, _) = await _client.CreateConfigAsync(_receiver.Url);
        var eventId = await TriggerAsync(configId);

        (await _client.DeleteAsync($"/v1/webhooks/configs/{configId}", Ct)).EnsureSuccessStatusCode();

        Assert.Equal([eventId], Ids(await PageV2Async(configId, "{}")));
        Assert.Equal([eventId], Ids(await PageV1Async(configId)));
    }
}

public sealed class SqliteEventHistoryTests : EventHistoryScenarios
{
    protected override Task<Dictionary<string, string?>> StorageAsync() => Task.FromResult(new Dictionary<string, string?>());
}

public sealed class PostgresEventHistoryTests(PostgresServer server) : EventHistoryScenarios
{
    protected override Task<Dictionary<string, string?>> StorageAsync() => server.StorageAsync();
}
