using System.Text.Json.Nodes;
using Herald.Server.Tests.Support;

namespace Herald.Server.Tests.Delivery;

/// <summary>How each kind of answer (or non-answer) ends an event, and when retries come, on the fake clock.</summary>
public class OutcomeScenarios : ReceiverScenario
{
    private Receiver _elsewhere = null!;

    protected override IReadOnlyDictionary<string, string?> ExtraSettings => new Dictionary<string, string?> { ["Delivery:MaxResponseBytes"] = "65536" };

    public override async ValueTask InitializeAsync()
    {
        _elsewhere = await Receiver.StartAsync();
        await base.InitializeAsync();
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        await _elsewhere.DisposeAsync();
    }

    private async Task<(string ConfigId, string EventId)> TriggerAsync(string extra = "")
    {
        var (configId, _) = await Client.CreateConfigAsync(Receiver.Url, extra);
        var accepted = await Client.TriggerAsync(configId);
        return (configId, accepted["event_id"]!.GetValue<string>());
    }

    /// <summary>Waits until <paramref name="count"/> attempts of the event are recorded (their outcome decided).</summary>
    private Task WaitForAttemptsAsync(string configId, string eventId, int count) =>
        Eventually.ReturnsAsync(() => AttemptsAsync(configId, eventId), a => a.Count >= count, $"{count} recorded attempts");

    /// <summary>Moves the fake clock in steps, letting the workers catch up between them.</summary>
    private async Task AdvanceAsync(TimeSpan by)
    {
        App.Clock.Advance(by);
        await Task.Delay(50, Ct);
    }

    [Fact]
    public async Task A_500_is_retried_5_seconds_later_and_the_retry_can_succeed()
    {
        Receiver.Enqueue(new Answer.Status(500, """{"error":"down"}"""));
        var (configId, eventId) = await TriggerAsync();
        await WaitForAttemptsAsync(configId, eventId, 1);
        var pending = await Client.EventWithStatusAsync(configId, eventId, "in_progress");
        Assert.Equal(500, pending["http_response"]!["status_code"]!.GetValue<int>());
        Assert.Equal("down", pending["http_response"]!["body"]!["error"]!.GetValue<string>());

        await AdvanceAsync(TimeSpan.FromSeconds(4.4));
        Assert.Single(Receiver.Received);
        await AdvanceAsync(TimeSpan.FromSeconds(1.2));
        var received = await Receiver.WaitForAsync(2);

        Assert.Equal(received[0].Header("webhook-id"), received[1].Header("webhook-id"));
        Assert.Equal(received[0].Text, received[1].Text);
        Assert.NotEqual(received[0].Header("webhook-timestamp"), received[1].Header("webhook-timestamp"));
        var done = await Client.EventWithStatusAsync(configId, eventId, "succeeded");
        Assert.Equal(1, done["retry_attempt"]!.GetValue<int>());
    }

    [Fact]
    public async Task The_full_retry_schedule_is_5s_5min_30min_2h_5h_with_jitter_then_failed()
    {
        Receiver.Default = new Answer.Status(503);
        var (configId, eventId) = await TriggerAsync("\"retryPolicy\":{\"enabled\":true,\"maxAttempts\":5}");
        await WaitForAttemptsAsync(configId, eventId, 1);
        var start = App.Clock.GetUtcNow();
        TimeSpan[] schedule = [TimeSpan.FromSeconds(5), TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(30), TimeSpan.FromHours(2), TimeSpan.FromHours(5)];

        var elapsed = TimeSpan.Zero;
        for (var retry = 0; retry < schedule.Length; retry++)
        {
            // Not before 90% of the scheduled delay...
            var early = schedule[retry] * 0.89;
            await AdvanceAsync(early);
            await Task.Delay(100, Ct);
            Assert.Equal(retry + 1, Receiver.Received.Count);
            // ...and by 110% of it.
            await AdvanceAsync(schedule[retry] * 0.22);
            await WaitForAttemptsAsync(configId, eventId, retry + 2);
            elapsed += schedule[retry] * 1.11;
            var expected = retry == schedule.Length - 1 ? "failed" : "in_progress";
            Assert.Equal(retry + 1, (await Client.EventWithStatusAsync(configId, eventId, expected))["retry_attempt"]!.GetValue<int>());
        }

        var final = await Client.EventWithStatusAsync(configId, eventId, "failed");
        Assert.Equal(5, final["retry_attempt"]!.GetValue<int>());
        await AdvanceAsync(TimeSpan.FromHours(10));
        await Task.Delay(200, Ct);
        Assert.Equal(6, Receiver.Received.Count);
        Assert.True(App.Clock.GetUtcNow() - start >= elapsed);
    }

    [Theory]
    [InlineData(301)]
    [InlineData(302)]
    [InlineData(400)]
    [InlineData(404)]
    [InlineData(410)]
    public async Task Redirects_and_client_errors_fail_at_once_without_retry_or_following(int status)
    {
        Receiver.Enqueue(new Answer.Status(status, null, Headers: new Dictionary<string, string> { ["Location"] = _elsewhere.Url.ToString() }));
        var (configId, eventId) = await TriggerAsync();

        var failed = await Client.EventWithStatusAsync(configId, eventId, "failed");
        await AdvanceAsync(TimeSpan.FromMinutes(10));
        await Task.Delay(200, Ct);

        Assert.Equal(status, failed["http_response"]!["status_code"]!.GetValue<int>());
        Assert.Single(Receiver.Received);
        Assert.Empty(_elsewhere.Received);
    }

    [Theory]
    [InlineData(408)]
    [InlineData(429)]
    [InlineData(502)]
    public async Task Throttling_and_server_errors_are_retried(int status)
    {
        Receiver.Enqueue(new Answer.Status(status));
        var (configId, eventId) = await TriggerAsync();
        await WaitForAttemptsAsync(configId, eventId, 1);

        await AdvanceAsync(TimeSpan.FromSeconds(6));

        await Receiver.WaitForAsync(2);
        await Client.EventWithStatusAsync(configId, eventId, "succeeded");
    }

    [Fact]
    public async Task A_retry_after_longer_than_the_schedule_is_honoured()
    {
        Receiver.Enqueue(new Answer.Status(429, null, Headers: new Dictionary<string, string> { ["Retry-After"] = "120" }));
        var (configId, eventId) = await TriggerAsync();
        await WaitForAttemptsAsync(configId, eventId, 1);

        await AdvanceAsync(TimeSpan.FromSeconds(6));
        await Task.Delay(200, Ct);
        Assert.Single(Receiver.Received);
        await AdvanceAsync(TimeSpan.FromSeconds(115));

        await Receiver.WaitForAsync(2);
        await Client.EventWithStatusAsync(configId, eventId, "succeeded");
    }

    [Fact]
    public async Task A_receiver_that_never_answers_times_out_after_30_seconds_and_is_retried()
    {
        Receiver.Enqueue(new Answer.Hang());
        var (configId, eventId) = await TriggerAsync();
        await Receiver.WaitForAsync(1);

        await AdvanceAsync(TimeSpan.FromSeconds(29));
        Assert.Null((await Client.EventAsync(configId, eventId))["http_response"]);
        await AdvanceAsync(TimeSpan.FromSeconds(2));

        await WaitForAttemptsAsync(configId, eventId, 1);
        var pending = await Client.EventAsync(configId, eventId);
        Assert.Equal("in_progress", pending["status"]!.GetValue<string>());
        Assert.Equal("TIMEOUT", pending["http_response"]!["code"]!.GetValue<string>());
        Assert.Null(pending["http_response"]!["status_code"]);
        await AdvanceAsync(TimeSpan.FromSeconds(6));
        await Client.EventWithStatusAsync(configId, eventId, "succeeded");
    }

    [Fact]
    public async Task A_reset_connection_is_retried()
    {
        Receiver.Enqueue(new Answer.Reset());
        var (configId, eventId) = await TriggerAsync();

        await WaitForAttemptsAsync(configId, eventId, 1);
        var pending = await Client.EventAsync(configId, eventId);
        Assert.Equal("CONNECTION_ERROR", pending["http_response"]!["code"]!.GetValue<string>());
        await AdvanceAsync(TimeSpan.FromSeconds(6));
        await Client.EventWithStatusAsync(configId, eventId, "succeeded");
    }

    [Fact]
    public async Task A_refused_connection_is_retried()
    {
        var port = _elsewhere.Url.Port;
        await _elsewhere.DisposeAsync();
        var (configId, _) = await Client.CreateConfigAsync(new Uri($"http://127.0.0.1:{port}/gone"));
        var eventId = (await Client.TriggerAsync(configId))["event_id"]!.GetValue<string>();

        var pending = await Eventually.ReturnsAsync(() => Client.EventAsync(configId, eventId), e => e["http_response"] is not null, "the refusal to be recorded");

        Assert.Equal("in_progress", pending["status"]!.GetValue<string>());
        Assert.Equal("CONNECTION_ERROR", pending["http_response"]!["code"]!.GetValue<string>());
        _elsewhere = await Receiver.StartAsync();
    }

    [Fact]
    public async Task A_response_over_64_KiB_keeps_its_status_drops_its_body_and_says_so()
    {
        Receiver.Enqueue(new Answer.Status(200, "\"" + new string('x', 70 * 1024) + "\""));
        var (configId, eventId) = await TriggerAsync();

        var done = await Client.EventWithStatusAsync(configId, eventId, "succeeded");

        Assert.Equal(200, done["http_response"]!["status_code"]!.GetValue<int>());
        Assert.Equal("INTERNAL_RESPONSE_TOO_LARGE", done["http_response"]!["code"]!.GetValue<string>());
        Assert.Null(done["http_response"]!["body"]);
    }

    [Fact]
    public async Task A_text_answer_is_recorded_as_the_message()
    {
        Receiver.Enqueue(new Answer.Status(200, "thanks", "text/plain"));
        var (configId, eventId) = await TriggerAsync();

        var done = await Client.EventWithStatusAsync(configId, eventId, "succeeded");

        Assert.Equal("thanks", done["http_response"]!["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task With_retries_disabled_a_500_fails_at_once()
    {
        Receiver.Enqueue(new Answer.Status(500));
        var (configId, eventId) = await TriggerAsync("\"retryPolicy\":{\"enabled\":false}");

        var failed = await Client.EventWithStatusAsync(configId, eventId, "failed");
        await AdvanceAsync(TimeSpan.FromMinutes(1));
        await Task.Delay(200, Ct);

        Assert.Equal(0, failed["retry_attempt"]!.GetValue<int>());
        Assert.Single(Receiver.Received);
    }

    [Fact]
    public async Task A_sync_trigger_reports_a_failed_first_attempt_while_retries_go_on()
    {
        Receiver.Enqueue(new Answer.Status(503, """{"retry":"later"}"""));
        var (configId, _) = await Client.CreateConfigAsync(Receiver.Url);

        var outcome = await Client.TriggerAsync(configId, sync: true);

        Assert.Equal("failed", outcome["status"]!.GetValue<string>());
        Assert.Equal("503", outcome["status_code"]!.GetValue<string>());
        var eventId = outcome["event_id"]!.GetValue<string>();
        await WaitForAttemptsAsync(configId, eventId, 1);
        await AdvanceAsync(TimeSpan.FromSeconds(6));
        await Client.EventWithStatusAsync(configId, eventId, "succeeded");
    }

    [Fact]
    public async Task Each_http_try_is_kept_as_an_attempt()
    {
        Receiver.Enqueue(new Answer.Status(500));
        var (configId, eventId) = await TriggerAsync();
        await WaitForAttemptsAsync(configId, eventId, 1);
        await AdvanceAsync(TimeSpan.FromSeconds(6));
        await Client.EventWithStatusAsync(configId, eventId, "succeeded");

        var attempts = await Eventually.ReturnsAsync(
            () => AttemptsAsync(configId, eventId), a => a.Count == 2, "two attempt rows");

        Assert.Equal([500, 200], attempts.Select(a => a.Status));
        Assert.Equal([1, 2], attempts.Select(a => a.Number));
    }

    private async Task<List<(int Number, int? Status)>> AttemptsAsync(string configId, string eventId)
    {
        var page = await (await Client.GetAsync($"/v1/webhooks/configs/{configId}/events/{eventId}/attempts", Ct)).ReadAsync();
        return page["data"]!.AsArray().Select(a => (a!["number"]!.GetValue<int>(), a["status_code"]?.GetValue<int?>())).ToList();
    }
}

/// <summary>The same scenarios with Herald on PostgreSQL.</summary>
public sealed class PostgresOutcomeScenarios(PostgresServer server) : OutcomeScenarios
{
    protected override Task<Dictionary<string, string?>> StorageAsync() => server.StorageAsync();
}
