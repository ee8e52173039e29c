using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Herald.Server.Tests.Support;

namespace Herald.Server.Tests.Delivery;

/// <summary>
/// A config whose deliveries fail without a success for <c>Delivery:AutoDisable:After</c> (here 1 h) with at least
/// <c>Delivery:AutoDisable:MinFailures</c> (here 4) failed attempts is disabled, and <c>herald.config.disabled</c> is
/// triggered in its organization. Sync triggers, no retries: every trigger is one recorded attempt on the fake clock.
/// </summary>
public class AutoDisableScenarios : ReceiverScenario
{
    private Receiver _notices = null!;

    protected override IReadOnlyDictionary<string, string?> ExtraSettings => new Dictionary<string, string?>
    {
        ["Delivery:AutoDisable:After"] = "01:00:00",
        ["Delivery:AutoDisable:MinFailures"] = "4",
    };

    public override async ValueTask InitializeAsync()
    {
        _notices = await Receiver.StartAsync();
        await base.InitializeAsync();
        Receiver.Default = new Answer.Status(500, """{"error":"down"}""");
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        await _notices.DisposeAsync();
    }

    private async Task<string> FailingConfigAsync() =>
        (await Client.CreateConfigAsync(Receiver.Url, """ "retryPolicy":{"enabled":false} """)).Id;

    private async Task FailAsync(string configId, int times = 1)
    {
        for (var i = 0; i < times; i++)
        {
            var answer = await Client.TriggerAsync(configId, sync: true);
            Assert.Equal("failed", answer["status"]!.GetValue<string>());
        }
    }

    private async Task<JsonNode> ConfigAsync(string configId) =>
        await (await Client.GetAsync($"/v1/webhooks/configs/{configId}", Ct)).ReadAsync();

    /// <summary>The disabling runs after the outcome's commit, off the delivery path: give it time, then look.</summary>
    private async Task AssertStillEnabledAsync(string configId)
    {
        await Task.Delay(300, Ct);
        var config = await ConfigAsync(configId);
        Assert.True(config["enabled"]!.GetValue<bool>(), config.ToJsonString());
        Assert.Equal("active", config["status"]!.GetValue<string>());
        Assert.Null(config["disabledReason"]);
    }

    /// <summary>A config of the organization subscribed to the notice, delivering to <see cref="_notices"/>.</summary>
    private async Task<JsonNode> NoticeConfigAsync()
    {
        var notice = await Client.PostJsonAsync("/v1/webhooks/configs",
            $$"""{"name":"Ops alerts","eventName":"herald.config.disabled","url":"{{_notices.Url}}"}""");
        notice.EnsureSuccessStatusCode();
        return await notice.ReadAsync();
    }

    private Task<JsonNode> DisabledAsync(string configId) =>
        Eventually.ReturnsAsync(() => ConfigAsync(configId), c => c["enabled"]?.GetValue<bool>() == false, $"config {configId} to be disabled");

    [Fact]
    public async Task A_config_failing_for_the_span_with_enough_failures_is_disabled_and_the_notice_reaches_its_subscribers_signed()
    {
        var configId = await FailingConfigAsync();
        var noticeConfig = await NoticeConfigAsync();
        var secret = noticeConfig["signingSecret"]!.GetValue<string>();

        await FailAsync(configId, 3);
        await AssertStillEnabledAsync(configId);
        // Enough failures, but not yet the span.
        App.Clock.Advance(TimeSpan.FromMinutes(59));
        await FailAsync(configId, 2);
        await AssertStillEnabledAsync(configId);
        Assert.Empty(_notices.Received);

        App.Clock.Advance(TimeSpan.FromMinutes(2));
        await FailAsync(configId);
        var disabled = await DisabledAsync(configId);

        Assert.Equal("inactive", disabled["status"]!.GetValue<string>());
        var reason = disabled["disabledReason"]!.GetValue<string>();
        Assert.Contains("6 attempts failed", reason);
        Assert.Contains("Delivery:AutoDisable:After", reason);
        Assert.Equal("2026-03-01T13:01:00.000Z", disabled["disabledAt"]!.GetValue<string>());
        var refused = await Client.PostJsonAsync($"/v1/webhooks/configs/{configId}/trigger", """{"metadata":{},"entity":{}}""");
        Assert.False(refused.IsSuccessStatusCode);

        var received = Assert.Single(await _notices.WaitForAsync(1));
        var body = JsonNode.Parse(received.Text)!;
        Assert.Equal(configId, body["entity"]!["id"]!.GetValue<string>());
        Assert.Equal("Receiver", body["entity"]!["name"]!.GetValue<string>());
        Assert.Equal(Receiver.Url.ToString(), body["entity"]!["url"]!.GetValue<string>());
        Assert.Equal("webhook_config", body["entity"]!["_schema"]!.GetValue<string>());
        Assert.Equal(reason, body["reason"]!.GetValue<string>());
        Assert.Equal("status 500", body["last_failure"]!["failure"]!.GetValue<string>());
        Assert.Equal("2026-03-01T13:01:00.000Z", body["last_failure"]!["at"]!.GetValue<string>());
        Assert.Equal("2026-03-01T13:01:00.000Z", body["disabled_at"]!.GetValue<string>());
        Assert.Equal(6, body["failed_attempts"]!.GetValue<int>());
        Assert.Equal(noticeConfig["id"]!.GetValue<string>(), body["metadata"]!["webhook_id"]!.GetValue<string>());
        AssertSigned(received, secret);
        // The warning is logged once the disabling has committed, the same moment its notice may go out: it may follow
        // the notice's arrival.
        await Eventually.ReturnsAsync(
            () => Task.FromResult(App.Logs.Lines.Any(l => l.Level == Microsoft.Extensions.Logging.LogLevel.Warning && l.Message.StartsWith($"Disabled config {configId}: ", StringComparison.Ordinal))),
            logged => logged, "the disabling's warning in the log");
        var metrics = await (await App.Client(null).GetAsync("/metrics", Ct)).Content.ReadAsStringAsync(Ct);
        Assert.Contains("herald_configs_auto_disabled_total", metrics);

        // Enabling it again clears what Herald recorded, and its next failure starts a new count.
        var enabled = await Client.PutJsonAsync($"/v1/webhooks/configs/{configId}",
            $$"""{"name":"Receiver","eventName":"order_created","url":"{{Receiver.Url}}","enabled":true}""");
        enabled.EnsureSuccessStatusCode();
        var again = await enabled.ReadAsync();
        Assert.Equal("active", again["status"]!.GetValue<string>());
        Assert.Null(again["disabledReason"]);
        Assert.Null(again["disabledAt"]);
        App.Clock.Advance(TimeSpan.FromHours(2));
        await FailAsync(configId);
        await AssertStillEnabledAsync(configId);
        Assert.Single(_notices.Received);
    }

    /// <summary>Has the database refuse (or, with false, accept again) every new event of the notice, from outside Herald.</summary>
    protected virtual async Task RefuseNoticesAsync(bool refuse)
    {
        await using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={Path.Combine(App.DataDirectory, "herald.db")}");
        await connection.OpenAsync(Ct);
        await using var command = connection.CreateCommand();
        command.CommandText = refuse
            ? $"CREATE TRIGGER refuse_notices BEFORE INSERT ON webhook_events WHEN NEW.event_name = '{Herald.Server.Delivery.AutoDisable.EventName}' BEGIN SELECT RAISE(ABORT, 'notices refused'); END"
            : "DROP TRIGGER refuse_notices";
        await command.ExecuteNonQueryAsync(Ct);
    }

    [Fact]
    public async Task A_config_is_never_disabled_without_its_notice_and_when_the_notice_cannot_be_written_the_next_failure_tries_again()
    {
        var configId = await FailingConfigAsync();
        await NoticeConfigAsync();
        await FailAsync(configId, 4);
        App.Clock.Advance(TimeSpan.FromMinutes(61));
        await RefuseNoticesAsync(true);

        // The streak is long enough, but the notice cannot be written: the disabling is not written either.
        await FailAsync(configId);
        await Eventually.ReturnsAsync(() => Task.FromResult(App.Logs.Lines), lines => lines.Any(l => l.Message.StartsWith($"Disabling config {configId}", StringComparison.Ordinal)),
            "the failed disabling to be logged");
        await AssertStillEnabledAsync(configId);
        Assert.Empty(_notices.Received);

        await RefuseNoticesAsync(false);
        await FailAsync(configId);
        var disabled = await DisabledAsync(configId);
        Assert.Contains("6 attempts failed", disabled["disabledReason"]!.GetValue<string>());
        var received = Assert.Single(await _notices.WaitForAsync(1));
        Assert.Equal(configId, JsonNode.Parse(received.Text)!["entity"]!["id"]!.GetValue<string>());
    }

    [Fact]
    public async Task One_success_in_the_span_starts_the_count_afresh()
    {
        var configId = await FailingConfigAsync();
        await FailAsync(configId, 3);
        App.Clock.Advance(TimeSpan.FromMinutes(61));
        Receiver.Enqueue(new Answer.Status(200, "{}"));
        var ok = await Client.TriggerAsync(configId, sync: true);
        Assert.Equal("succeeded", ok["status"]!.GetValue<string>());

        // Four failures after the success, but all within the last minute: not disabled.
        await FailAsync(configId, 4);
        await AssertStillEnabledAsync(configId);
        // The span now runs from the first failure after the success, and the count is 5.
        App.Clock.Advance(TimeSpan.FromMinutes(61));
        await FailAsync(configId);
        var disabled = await DisabledAsync(configId);
        Assert.Contains("5 attempts failed", disabled["disabledReason"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_long_span_with_too_few_failures_does_not_disable()
    {
        var configId = await FailingConfigAsync();
        await FailAsync(configId, 2);
        App.Clock.Advance(TimeSpan.FromHours(3));
        await FailAsync(configId);
        await AssertStillEnabledAsync(configId);
        await FailAsync(configId);
        await DisabledAsync(configId);
    }

    /// <summary>Standard Webhooks: v1 is base64 HMAC-SHA256, keyed by the secret's bytes, over "id.timestamp.body".</summary>
    private static void AssertSigned(ReceivedRequest request, string secret)
    {
        var key = Convert.FromBase64String(secret["whsec_".Length..]);
        var content = Encoding.UTF8.GetBytes($"{request.Header("webhook-id")}.{request.Header("webhook-timestamp")}.").Concat(request.Body).ToArray();
        var expected = "v1," + Convert.ToBase64String(HMACSHA256.HashData(key, content));
        Assert.Contains(expected, request.Header("webhook-signature").Split(' '));
    }
}

/// <summary>The same scenarios with Herald on PostgreSQL.</summary>
public sealed class PostgresAutoDisableScenarios(PostgresServer server) : AutoDisableScenarios
{
    private string _connectionString = null!;

    protected override async Task<Dictionary<string, string?>> StorageAsync()
    {
        var storage = await server.StorageAsync();
        _connectionString = storage["Storage:ConnectionString"]!;
        return storage;
    }

    protected override async Task RefuseNoticesAsync(bool refuse)
    {
        await using var connection = new Npgsql.NpgsqlConnection(_connectionString);
        await connection.OpenAsync(Ct);
        await using var command = connection.CreateCommand();
        // Declared on the partitioned table, the trigger is on each of its day partitions, those made later too.
        command.CommandText = refuse
            ? $"""
              CREATE FUNCTION refuse_notices() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'notices refused'; END $$;
              CREATE TRIGGER refuse_notices BEFORE INSERT ON webhook_events FOR EACH ROW
                  WHEN (NEW.event_name = '{Herald.Server.Delivery.AutoDisable.EventName}') EXECUTE FUNCTION refuse_notices();
              """
            : "DROP TRIGGER refuse_notices ON webhook_events; DROP FUNCTION refuse_notices();";
        await command.ExecuteNonQueryAsync(Ct);
    }
}
