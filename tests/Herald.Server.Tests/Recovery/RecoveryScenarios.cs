using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using Herald.Server.Recovery;
using Herald.Server.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Herald.Server.Tests.Recovery;

/// <summary>
/// <c>recoverEvents</c> through the real pipeline, checked by what the receiver gets, on the engine the subclass picks.
/// Recoveries here queue 7 replays a page, so that 30 events take several pages.
/// </summary>
public abstract class RecoveryScenarios : IAsyncLifetime
{
    private const int PageSize = 7;

    private readonly TempDirectory _data = new("herald-recovery");
    private readonly List<HeraldApp> _apps = [];
    private Dictionary<string, string?>? _storage;
    private Receiver _receiver = null!;

    protected abstract Task<Dictionary<string, string?>> StorageAsync();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _receiver = await Receiver.StartAsync();

    public async ValueTask DisposeAsync()
    {
        _apps.ForEach(app => app.Dispose());
        await _receiver.DisposeAsync();
        _data.Dispose();
    }

    /// <summary>
    /// Starts Herald in the test body (a missing PostgreSQL skips the test instead of failing it). Every app of one test
    /// shares one database, so a second one is the first restarted.
    /// </summary>
    private async Task<HeraldApp> StartAsync(string roles = "all", DateTimeOffset? at = null)
    {
        if (_storage is null)
        {
            _storage = await StorageAsync();
            if (!_storage.ContainsKey("Storage:ConnectionString"))
            {
                _storage["Storage:DataDirectory"] = _data.Path;
                _storage["Storage:ConnectionString"] = $"Data Source={Path.Combine(_data.Path, "herald.db")}";
            }
        }
        var settings = new Dictionary<string, string?>(_storage)
        {
            ["Delivery:AllowPrivateNetworks"] = "true",
            ["Recovery:PageSize"] = PageSize.ToString(CultureInfo.InvariantCulture),
            ["Roles"] = roles,
        };
        var app = new HeraldApp(settings);
        _apps.Add(app);
        if (at is { } now)
        {
            app.Clock.SetUtcNow(now);
        }
        app.Client();
        return app;
    }

    /// <summary>
    /// A config without retries whose receiver fails: 5 failed events, then 30 inside the window with a succeeded one
    /// among them, then 5 more; one minute apart. Another config's failed event lies in the window too.
    /// Returns the config, the 30 failed events inside oldest first, and the window's ends (the first and last of them).
    /// </summary>
    private async Task<(string ConfigId, List<string> Inside, List<string> Outside, DateTimeOffset Since, DateTimeOffset Until)> FailedEventsAsync(HeraldApp app)
    {
        var client = app.Client();
        var (configId, _) = await client.CreateConfigAsync(_receiver.Url, """ "retryPolicy":{"enabled":false} """);
        var (otherId, _) = await client.CreateConfigAsync(_receiver.Url, """ "retryPolicy":{"enabled":false} """);
        _receiver.Default = new Answer.Status(500, """{"error":"down"}""");
        var inside = new List<string>();
        var outside = new List<string>();
        DateTimeOffset since = default, until = default;
        for (var i = 0; i < 41; i++)
        {
            var succeeds = i == 20;
            _receiver.Default = new Answer.Status(succeeds ? 200 : 500, "{}");
            var outcome = await client.TriggerAsync(configId, $$$"""{"metadata":{},"entity":{"n":{{{i}}}}}""", sync: true);
            Assert.Equal(succeeds ? "succeeded" : "failed", outcome["status"]!.GetValue<string>());
            var eventId = outcome["event_id"]!.GetValue<string>();
            var createdAt = DateTimeOffset.Parse((await client.EventAsync(configId, eventId))["created_at"]!.GetValue<string>(), CultureInfo.InvariantCulture);
            if (i is < 5 or > 35)
            {
                outside.Add(eventId);
            }
            else if (!succeeds)
            {
                inside.Add(eventId);
                since = inside.Count == 1 ? createdAt : since;
                until = createdAt;
            }
            if (i == 10)
            {
                _receiver.Default = new Answer.Status(500, "{}");
                await client.TriggerAsync(otherId, sync: true);
            }
            app.Clock.Advance(TimeSpan.FromMinutes(1));
        }
        Assert.Equal(30, inside.Count);
        Assert.Equal(10, outside.Count);
        return (configId, inside, outside, since, until);
    }

    private static Task<HttpResponseMessage> RecoverAsync(HttpClient client, string configId, string body) =>
        client.PostAsync($"/v1/webhooks/configs/{configId}/recover", Json.Body(body), Ct);

    private static string Window(DateTimeOffset since, DateTimeOffset until) =>
        new JsonObject { ["since"] = Herald.Server.Events.Timestamp.Format(since), ["until"] = Herald.Server.Events.Timestamp.Format(until) }.ToJsonString();

    private static async Task<long> RunningAsync(HeraldApp app) =>
        Convert.ToInt64(await app.ScalarAsync("SELECT COUNT(*) FROM event_recoveries"), CultureInfo.InvariantCulture);

    private async Task AssertRecoveredAsync(HeraldApp app, string configId, int before, List<string> inside, List<string> outside)
    {
        var replays = (await _receiver.WaitForAsync(before + inside.Count, TimeSpan.FromSeconds(60))).Skip(before).ToList();
        Assert.Equal(inside.Select(WebhookSteps.MessageIdOf), replays.Select(r => r.Header("webhook-id")));
        await Eventually.ReturnsAsync(() => RunningAsync(app), n => n == 0, "the recovery to finish", TimeSpan.FromSeconds(30));
        var client = app.Client();
        await client.WaitForStatusAsync(configId, inside, "succeeded", TimeSpan.FromSeconds(30));
        foreach (var eventId in outside)
        {
            Assert.Equal("failed", (await client.EventAsync(configId, eventId))["status"]!.GetValue<string>());
        }
        // Nothing more comes: no event twice, none outside the window, none of the other config.
        await Task.Delay(TimeSpan.FromSeconds(1.5), Ct);
        Assert.Equal(before + inside.Count, _receiver.Received.Count);
    }

    [Fact]
    public async Task Recovering_a_window_replays_exactly_its_failed_events_oldest_first_and_asking_again_while_it_runs_starts_nothing()
    {
        var app = await StartAsync();
        var (configId, inside, outside, since, until) = await FailedEventsAsync(app);
        // Each answer takes 200 ms, a page of 7 longer than the worker's 1 s poll: were a page queued before the one
        // before it is done, their replays would be sent side by side and arrive out of order.
        _receiver.Default = new Answer.Slow(TimeSpan.FromMilliseconds(200));
        var before = _receiver.Received.Count;
        var client = app.Client();

        var first = await RecoverAsync(client, configId, Window(since, until));
        var again = await RecoverAsync(client, configId, Window(since, until));

        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        Assert.Equal(30, (await first.ReadAsync())["recovered"]!.GetValue<int>());
        Assert.Equal(HttpStatusCode.Accepted, again.StatusCode);
        Assert.Equal(30, (await again.ReadAsync())["recovered"]!.GetValue<int>());
        await AssertRecoveredAsync(app, configId, before, inside, outside);
        var attempts = (await (await client.GetAsync($"/v1/webhooks/configs/{configId}/events/{inside[0]}/attempts", Ct)).ReadAsync())["data"]!.AsArray();
        Assert.Equal(["deliver", "replay"], attempts.Select(a => a!["kind"]!.GetValue<string>()));
    }

    [Fact]
    public async Task A_recovery_is_recorded_so_that_a_restart_in_the_middle_goes_on_after_the_last_page_queued()
    {
        // The first node serves the API only: it records the recovery, one pass of its worker queues the first page,
        // and it stops with that page still in the queue. The node started after it on the same database finishes.
        var first = await StartAsync(roles: "api");
        var (configId, inside, outside, since, until) = await FailedEventsAsync(first);
        _receiver.Default = new Answer.Status(200, "{}");
        var before = _receiver.Received.Count;
        var answer = await RecoverAsync(first.Client(), configId, Window(since, until));
        Assert.Equal(30, (await answer.ReadAsync())["recovered"]!.GetValue<int>());
        Assert.Equal(1, await first.Services.GetRequiredService<RecoveryWorker>().RunOnceAsync(Ct));
        Assert.Equal(PageSize, Convert.ToInt64(await first.ScalarAsync("SELECT COUNT(*) FROM delivery_jobs"), CultureInfo.InvariantCulture));
        var paged = Convert.ToInt64(await first.ScalarAsync("SELECT paged FROM event_recoveries"), CultureInfo.InvariantCulture);
        Assert.Equal(PageSize, paged);
        var stoppedAt = first.Clock.GetUtcNow();
        first.Dispose();
        _apps.Remove(first);
        Assert.Equal(before, _receiver.Received.Count);

        var second = await StartAsync(at: stoppedAt);

        await AssertRecoveredAsync(second, configId, before, inside, outside);
    }

    [Fact]
    public async Task Until_defaults_to_now_and_the_same_request_without_it_finds_the_running_recovery()
    {
        var app = await StartAsync(roles: "api");
        var (configId, inside, _, since, _) = await FailedEventsAsync(app);
        var client = app.Client();
        var body = new JsonObject { ["since"] = Herald.Server.Events.Timestamp.Format(since) }.ToJsonString();

        var first = await (await RecoverAsync(client, configId, body)).ReadAsync();
        app.Clock.Advance(TimeSpan.FromMinutes(5));
        var again = await (await RecoverAsync(client, configId, body)).ReadAsync();
        var bounded = await (await RecoverAsync(client, configId, Window(since, app.Clock.GetUtcNow()))).ReadAsync();

        // Up to now: the 30 inside and the 5 failed after them.
        Assert.Equal(inside.Count + 5, first["recovered"]!.GetValue<int>());
        Assert.Equal(inside.Count + 5, again["recovered"]!.GetValue<int>());
        Assert.Equal(inside.Count + 5, bounded["recovered"]!.GetValue<int>());
        Assert.Equal(2, await RunningAsync(app));
    }

    [Theory]
    [InlineData("{}", "since is required")]
    [InlineData("""{"since":"yesterday"}""", "since must be an ISO 8601 date-time")]
    [InlineData("""{"since":"2026-02-20"}""", "since must be an ISO 8601 date-time")]
    [InlineData("""{"since":42}""", "since must be an ISO 8601 date-time")]
    [InlineData("""{"since":"2026-02-20T00:00:00Z","until":true}""", "until must be an ISO 8601 date-time")]
    [InlineData("""{"since":"2026-02-20T00:00:00Z","until":"2026-02-20T00:00:00Z"}""", "since must be before until")]
    [InlineData("""{"since":"2026-03-01T13:00:00Z"}""", "since must be before until (now, when until is absent)")]
    [InlineData("""{"since":"2026-02-01T00:00:00Z","until":"2026-02-15T00:00:01Z"}""", "until must be at most 14 days after since (setting Recovery:MaxWindow)")]
    [InlineData("[]", "JSON object")]
    public async Task A_malformed_window_is_a_400_naming_the_field(string body, string message)
    {
        var app = await StartAsync();
        var client = app.Client();
        var (configId, _) = await client.CreateConfigAsync(_receiver.Url);

        var response = await RecoverAsync(client, configId, body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(message, await response.MessageAsync());
        Assert.Equal(0, await RunningAsync(app));
    }

    [Fact]
    public async Task Another_organizations_config_is_a_404_a_disabled_one_a_422_and_a_window_without_failures_recovers_nothing()
    {
        var app = await StartAsync();
        var client = app.Client();
        var (configId, _) = await client.CreateConfigAsync(_receiver.Url);
        var (disabledId, _) = await client.CreateConfigAsync(_receiver.Url, """ "enabled":false """);
        var window = Window(app.Clock.GetUtcNow().AddDays(-1), app.Clock.GetUtcNow());

        var foreign = await RecoverAsync(app.Client(HeraldApp.TokenB), configId, window);
        var disabled = await RecoverAsync(client, disabledId, window);
        var anonymous = await RecoverAsync(app.Client(token: null), configId, window);
        var empty = await RecoverAsync(client, configId, window);

        Assert.Equal(HttpStatusCode.NotFound, foreign.StatusCode);
        Assert.Contains(configId, await foreign.MessageAsync());
        Assert.Equal(HttpStatusCode.UnprocessableEntity, disabled.StatusCode);
        Assert.Contains("disabled", await disabled.MessageAsync());
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, empty.StatusCode);
        Assert.Equal(0, (await empty.ReadAsync())["recovered"]!.GetValue<int>());
        Assert.Equal(0, await RunningAsync(app));
    }
}

public sealed class SqliteRecoveryTests : RecoveryScenarios
{
    protected override Task<Dictionary<string, string?>> StorageAsync() => Task.FromResult(new Dictionary<string, string?>());
}

public sealed class PostgresRecoveryTests(PostgresServer server) : RecoveryScenarios
{
    protected override Task<Dictionary<string, string?>> StorageAsync() => server.StorageAsync();
}
