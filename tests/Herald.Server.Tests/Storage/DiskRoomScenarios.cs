using System.Net;
using System.Text.Json.Nodes;
using Herald.Server.Tests.Support;
using Microsoft.Extensions.Logging;

namespace Herald.Server.Tests.Storage;

/// <summary>
/// On SQLite, a node keeps <c>Storage:MinFreeBytes</c> free on the database's disk for the work it accepted: below it,
/// new events and replays are refused with a 503 that names the free bytes and the setting, readiness answers 503, and
/// the events accepted before are still delivered and recorded. A disk short of the reserve is staged with a reserve
/// larger than any disk (an exbibyte), on the same database file a first node accepted an event into.
/// </summary>
public sealed class DiskRoomScenarios : IAsyncLifetime
{
    private const string LargerThanAnyDisk = "1152921504606846976";

    private readonly TempDirectory _data = new("herald-disk-room");
    private Receiver _receiver = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _receiver = await Receiver.StartAsync();

    public async ValueTask DisposeAsync()
    {
        await _receiver.DisposeAsync();
        _data.Dispose();
    }

    private Dictionary<string, string?> OnTheSameFile(params (string Key, string Value)[] more)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Storage:DataDirectory"] = _data.Path,
            ["Storage:ConnectionString"] = $"Data Source={Path.Combine(_data.Path, "herald.db")}",
            ["Delivery:AllowPrivateNetworks"] = "true",
        };
        foreach (var (key, value) in more)
        {
            settings[key] = value;
        }
        return settings;
    }

    [Fact]
    public async Task Below_the_reserve_new_events_and_replays_are_refused_naming_the_setting_and_accepted_ones_are_still_delivered()
    {
        string configId;
        string accepted;
        // An API node alone: the event is accepted and its job waits in the queue for a worker.
        using (var first = new HeraldApp(OnTheSameFile(("Roles", "api"))))
        {
            var client = first.Client();
            (configId, _) = await client.CreateConfigAsync(_receiver.Url);
            accepted = (await client.TriggerAsync(configId))["event_id"]!.GetValue<string>();
        }

        using var app = new HeraldApp(OnTheSameFile(("Storage:MinFreeBytes", LargerThanAnyDisk)));
        var api = app.Client();

        // What was accepted before is delivered and recorded, reserve or not.
        await api.EventWithStatusAsync(configId, accepted, "succeeded");
        Assert.Single(_receiver.Received);

        var trigger = await api.PostJsonAsync($"/v1/webhooks/configs/{configId}/trigger", """{"metadata":{},"entity":{"_id":"e-2"}}""");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, trigger.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(Server.Http.ErrorHandling.RetryAfterSeconds), trigger.Headers.RetryAfter?.Delta);
        var message = await trigger.MessageAsync();
        Assert.Contains("Storage:MinFreeBytes", message);
        Assert.Contains("bytes free", message);
        Assert.Contains(_data.Path, message);

        var replay = await api.PostAsync($"/v1/webhooks/configs/{configId}/events/{accepted}/replay", null, Ct);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, replay.StatusCode);
        Assert.Contains("Storage:MinFreeBytes", await replay.MessageAsync());

        var sync = await api.PostJsonAsync($"/v1/webhooks/configs/{configId}/trigger?sync=true", """{"metadata":{},"entity":{"_id":"e-3"}}""");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, sync.StatusCode);

        // Nothing of the refused requests was written or sent.
        Assert.Equal(1L, await app.ScalarAsync("SELECT count(*) FROM webhook_events"));
        Assert.Equal(0L, await app.ScalarAsync("SELECT count(*) FROM delivery_jobs"));
        Assert.Single(_receiver.Received);

        var ready = await api.GetAsync("/health/ready", Ct);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        var readiness = JsonNode.Parse(await ready.Content.ReadAsStringAsync(Ct))!;
        Assert.Equal("unavailable", readiness["status"]!.GetValue<string>());
        Assert.Contains("Storage:MinFreeBytes", readiness["message"]!.GetValue<string>());

        // The shortage is logged once, as a warning, not once per refused request.
        Assert.Single(app.Logs.Lines, line => line.Message.Contains("less than Storage:MinFreeBytes"));
        Assert.DoesNotContain(app.Logs.Lines, line => line.Category == "Herald.Errors");
    }

    [Fact]
    public async Task With_the_default_reserve_on_a_disk_with_room_the_node_is_ready_and_takes_events()
    {
        using var app = new HeraldApp(OnTheSameFile());
        var api = app.Client();
        var (configId, _) = await api.CreateConfigAsync(_receiver.Url);

        var eventId = (await api.TriggerAsync(configId))["event_id"]!.GetValue<string>();

        await api.EventWithStatusAsync(configId, eventId, "succeeded");
        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync("/health/ready", Ct)).StatusCode);
        Assert.True(new DriveInfo(_data.Path).AvailableFreeSpace > Server.Storage.StorageOptions.DefaultMinFreeBytes,
            "the test machine's temp disk has less room than the default reserve");
    }

    /// <summary>
    /// A recovery whose replays meet a disk short of the reserve waits for room without an error logged each pass: the
    /// shortage was said once. A config that fails its one event, a recovery asked of the short node, and three of its
    /// worker's passes (one a second).
    /// </summary>
    [Fact]
    public async Task A_recovery_waits_for_room_without_logging_each_pass()
    {
        string configId;
        using (var first = new HeraldApp(OnTheSameFile()) { SystemClock = true })
        {
            var client = first.Client();
            (configId, _) = await client.CreateConfigAsync(_receiver.Url, "\"retryPolicy\":{\"enabled\":false}");
            _receiver.Enqueue(new Answer.Status(400));
            var eventId = (await client.TriggerAsync(configId))["event_id"]!.GetValue<string>();
            await client.EventWithStatusAsync(configId, eventId, "failed");
        }

        using var app = new HeraldApp(OnTheSameFile(("Storage:MinFreeBytes", LargerThanAnyDisk))) { SystemClock = true };
        var api = app.Client();
        var recover = await api.PostJsonAsync($"/v1/webhooks/configs/{configId}/recover",
            $$"""{"since":"{{DateTimeOffset.UtcNow.AddHours(-1):O}}"}""");
        Assert.True(recover.IsSuccessStatusCode, await recover.Content.ReadAsStringAsync(Ct));
        await Task.Delay(TimeSpan.FromSeconds(3.5), Ct);

        Assert.Single(_receiver.Received);
        Assert.Single(app.Logs.Lines, line => line.Message.Contains("less than Storage:MinFreeBytes"));
        Assert.DoesNotContain(app.Logs.Lines, line => line.Message.Contains("running recoveries failed"));
        Assert.Equal(1L, await app.ScalarAsync("SELECT count(*) FROM event_recoveries"));
    }

    /// <summary>
    /// Free space that can no longer be read (the folder gone) ends the refusal, said as such: the writes themselves
    /// will tell whether there is room. Before, it was logged as room again with -1 bytes free.
    /// </summary>
    [Fact]
    public async Task A_disk_whose_free_space_can_no_longer_be_read_is_said_so_and_work_is_taken()
    {
        var folder = Directory.CreateDirectory(Path.Combine(_data.Path, "gone")).FullName;
        var lines = new LogLines();
        using var loggers = LoggerFactory.Create(builder => builder.AddProvider(lines));
        var room = new Server.Storage.DiskRoom(new Server.Storage.StorageOptions { MinFreeBytes = long.MaxValue }, folder, loggers.CreateLogger<Server.Storage.DiskRoom>());
        Assert.Contains("Storage:MinFreeBytes", room.Shortage());

        Directory.Delete(folder);
        await Task.Delay(TimeSpan.FromSeconds(1.1), Ct);

        Assert.Null(room.Shortage());
        Assert.Contains(lines.Lines, line => line.Message.Contains("can no longer be read") && line.Message.Contains(folder));
        Assert.DoesNotContain(lines.Lines, line => line.Message.Contains("room again"));
    }

    [Fact]
    public void A_negative_reserve_stops_the_start_naming_the_setting()
    {
        var error = HeraldApp.StartFailure(new Dictionary<string, string?> { ["Storage:MinFreeBytes"] = "-1" });

        Assert.Contains("Storage:MinFreeBytes must be at least 0 (got -1)", error.ToString());
    }
}
