using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Herald.Server.Tests.Support;
using Microsoft.Extensions.Logging;

namespace Herald.Server.Tests.Telemetry;

/// <summary>What an operator sees of deliveries: /metrics, OTLP traces, the attempt log, next_attempt_at, traceparent.</summary>
public class TelemetryScenarios : IAsyncLifetime
{
    // An organization of its own: meters are process-wide, so the counts are read by this organization's series.
    private readonly string _org = "org-telemetry-" + Guid.NewGuid().ToString("N")[..8];
    private const string Token = "token-for-telemetry";
    private Receiver _receiver = null!;
    private OtlpCollector _collector = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _receiver = await Receiver.StartAsync();
        _collector = await OtlpCollector.StartAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await _receiver.DisposeAsync();
        await _collector.DisposeAsync();
    }

    /// <summary>The engine the app runs on: SQLite unless a subclass says otherwise.</summary>
    protected virtual Task<Dictionary<string, string?>> StorageAsync() => Task.FromResult(new Dictionary<string, string?>());

    private async Task<HeraldApp> AppAsync(Dictionary<string, string?>? extra = null)
    {
        var settings = await StorageAsync();
        foreach (var (key, value) in new Dictionary<string, string?>
        {
            ["Delivery:AllowPrivateNetworks"] = "true",
            ["Auth:Tokens:2:Token"] = Token,
            ["Auth:Tokens:2:OrgId"] = _org,
            ["Metrics:OrganizationAttribute"] = "true",
            ["Logging:LogLevel:Herald.Server.Delivery"] = "Information",
        })
        {
            settings[key] = value;
        }
        foreach (var (key, value) in extra ?? [])
        {
            settings[key] = value;
        }
        return new HeraldApp(settings);
    }

    private Dictionary<string, string?> Otlp() => new()
    {
        ["OTEL_EXPORTER_OTLP_ENDPOINT"] = _collector.Url.ToString().TrimEnd('/'),
        ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
        ["OTEL_BSP_SCHEDULE_DELAY"] = "100",
    };

    /// <summary>The value of the Prometheus sample <paramref name="name"/> whose labels include all of <paramref name="labels"/>.</summary>
    private static double? Sample(string text, string name, params string[] labels) => MetricsText.Sample(text, name, labels);

    [Fact]
    public async Task Metrics_count_five_deliveries_by_outcome_with_their_durations()
    {
        using var app = await AppAsync();
        var client = app.Client(Token);
        _receiver.Enqueue(new Answer.Status(200), new Answer.Status(400), new Answer.Status(200), new Answer.Status(400), new Answer.Status(200));
        var (configId, _) = await client.CreateConfigAsync(_receiver.Url);
        var ids = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            ids.Add((await client.TriggerAsync(configId, sync: true))["event_id"]!.GetValue<string>());
        }
        var org = $"organization=\"{_org}\"";

        var text = await Eventually.ReturnsAsync(() => app.Client(null).GetStringAsync("/metrics", Ct),
            t => Sample(t, "herald_deliveries_total", org, "outcome=\"failed\"") == 2 && Sample(t, "herald_deliveries_total", org, "outcome=\"succeeded\"") == 3,
            "/metrics to count 3 succeeded and 2 failed deliveries");
        Assert.Equal(3, Sample(text, "herald_attempt_duration_seconds_count", org, "outcome=\"succeeded\""));
        Assert.Equal(2, Sample(text, "herald_attempt_duration_seconds_count", org, "outcome=\"failed\""));
        Assert.NotNull(Sample(text, "herald_attempt_duration_seconds_bucket", org, "outcome=\"succeeded\"", "le=\"0.005\""));
        Assert.Equal(5, Sample(text, "herald_triggers_accepted_total", org));
        Assert.Contains("herald_queue_depth", text);
        Assert.Null(Sample(text, "herald_deliveries_total", org, "outcome=\"retrying\""));
    }

    /// <summary>
    /// The runtime's own instruments come with Herald's: the process's memory and CPU, the garbage collector's work and
    /// what was allocated, the thread pool's queue. What was allocated grows as triggers are served.
    /// </summary>
    [Fact]
    public async Task Metrics_show_the_runtime_s_memory_allocations_and_thread_pool()
    {
        using var app = await AppAsync();
        var client = app.Client(Token);
        var scraper = app.Client(null);
        var (configId, _) = await client.CreateConfigAsync(_receiver.Url);
        var runtime = "otel_scope_name=\"System.Runtime\"";

        var before = await scraper.GetStringAsync("/metrics", Ct);
        for (var i = 0; i < 20; i++)
        {
            await client.TriggerAsync(configId, sync: true);
        }
        var allocated = Sample(before, "dotnet_gc_heap_total_allocated_bytes_total", runtime);
        Assert.NotNull(allocated);
        // The exporter serves one scrape's text for 300 ms, so a scrape right after may still be the earlier one.
        var after = await Eventually.ReturnsAsync(() => scraper.GetStringAsync("/metrics", Ct),
            t => Sample(t, "dotnet_gc_heap_total_allocated_bytes_total", runtime) > allocated, "what was allocated to grow with 20 sync triggers");

        Assert.True(Sample(before, "dotnet_process_memory_working_set_bytes", runtime) > 0, "the working set is served");
        Assert.True(Sample(after, "dotnet_process_cpu_time_seconds_total", runtime, "cpu_mode=\"user\"") > 0, "the CPU time is served");
        Assert.NotNull(Sample(after, "dotnet_thread_pool_queue_length", runtime));
        Assert.NotNull(Sample(after, "dotnet_gc_collections_total", runtime, "gc_heap_generation=\"gen0\""));
    }

    [Fact]
    public async Task Metrics_behind_a_token_need_it()
    {
        using var app = await AppAsync(new() { ["Metrics:Token"] = "scrape-secret" });
        var anonymous = app.Client(null);
        using var refused = await anonymous.GetAsync("/metrics", Ct);
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Contains("Metrics:Token", await refused.Content.ReadAsStringAsync(Ct));

        using var request = new HttpRequestMessage(HttpMethod.Get, "/metrics");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "scrape-secret");
        using var allowed = await anonymous.SendAsync(request, Ct);
        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
    }

    [Fact]
    public async Task An_otlp_collector_gets_the_trigger_span_and_its_attempt_span_in_one_trace()
    {
        var settings = Otlp();
        settings["Delivery:PropagateTraceContext"] = "true";
        using var app = await AppAsync(settings);
        var client = app.Client(Token);
        var (configId, _) = await client.CreateConfigAsync(_receiver.Url);
        await client.TriggerAsync(configId);
        var received = (await _receiver.WaitForAsync(1))[0];

        // The receiver's traceparent names the trace: both spans carry its id.
        var traceId = Convert.FromHexString(received.Header("traceparent").Split('-')[1]);
        await Eventually.ReturnsAsync(() => Task.FromResult(_collector.Exports("/v1/traces").SelectMany(b => b).ToArray()),
            body => Contains(body, "herald.trigger") && Contains(body, "herald.attempt") && Occurrences(body, traceId) >= 2,
            "an OTLP export with the trigger's and the attempt's spans in one trace");
    }

    [Fact]
    public async Task Deliveries_carry_no_traceparent_unless_asked()
    {
        using var app = await AppAsync(Otlp());
        var client = app.Client(Token);
        var (configId, _) = await client.CreateConfigAsync(_receiver.Url);
        await client.TriggerAsync(configId, sync: true);
        var received = await _receiver.WaitForAsync(1);
        Assert.DoesNotContain("traceparent", received[0].Headers.Keys);
        Assert.DoesNotContain("tracestate", received[0].Headers.Keys);
    }

    [Fact]
    public async Task A_failed_attempt_logs_one_warning_with_its_next_due_time_which_the_event_shows_until_the_retry()
    {
        using var app = await AppAsync();
        var client = app.Client(Token);
        _receiver.Enqueue(new Answer.Status(503));
        var (configId, _) = await client.CreateConfigAsync(_receiver.Url);
        var eventId = (await client.TriggerAsync(configId))["event_id"]!.GetValue<string>();

        var pending = await Eventually.ReturnsAsync(() => client.EventAsync(configId, eventId),
            e => e["next_attempt_at"] is not null, "the event to show its next attempt");
        var next = pending["next_attempt_at"]!.GetValue<string>();
        Assert.Equal("in_progress", pending["status"]!.GetValue<string>());
        var listed = await (await client.GetAsync($"/v1/webhooks/configs/{configId}/events", Ct)).ReadAsync();
        Assert.Equal(next, listed["data"]![0]!["next_attempt_at"]!.GetValue<string>());

        // The log line is written after the outcome's commit, so the event can show next_attempt_at a moment before it.
        var warnings = await Eventually.ReturnsAsync(
            () => Task.FromResult(app.Logs.Lines.Where(l => l.Level == LogLevel.Warning && l.Message.Contains(eventId, StringComparison.Ordinal)).ToList()),
            w => w.Count > 0, "the failed attempt's warning");
        await Task.Delay(200, Ct);
        warnings = app.Logs.Lines.Where(l => l.Level == LogLevel.Warning && l.Message.Contains(eventId, StringComparison.Ordinal)).ToList();
        var warning = Assert.Single(warnings);
        Assert.Contains("Attempt 1 ", warning.Message);
        Assert.Contains("status 503", warning.Message);
        Assert.Contains("next attempt at " + next, warning.Message);
        Assert.DoesNotContain("(null)", warning.Message);
        Assert.DoesNotContain(app.Logs.Lines, l => l.Message.Contains(eventId, StringComparison.Ordinal) && l.Message.Contains("Delivered", StringComparison.Ordinal));

        for (var i = 0; i < 20 && (await client.EventAsync(configId, eventId))["status"]!.GetValue<string>() != "succeeded"; i++)
        {
            app.Clock.Advance(TimeSpan.FromSeconds(1));
            await Task.Delay(100, Ct);
        }
        var done = await client.EventWithStatusAsync(configId, eventId, "succeeded");
        Assert.Null(done["next_attempt_at"]);
        await Eventually.ReturnsAsync(() => Task.FromResult(app.Logs.Lines),
            lines => lines.Any(l => l.Level == LogLevel.Information && l.Message.Contains(eventId, StringComparison.Ordinal)
                && l.Message.Contains("Delivered", StringComparison.Ordinal) && l.Message.Contains("attempt 2", StringComparison.Ordinal)),
            "the information line for the delivery on attempt 2");
    }

    private static bool Contains(byte[] body, string text) => Occurrences(body, Encoding.UTF8.GetBytes(text)) > 0;

    private static int Occurrences(byte[] body, byte[] part)
    {
        var count = 0;
        for (var at = body.AsSpan().IndexOf(part); at >= 0; count++)
        {
            var next = body.AsSpan(at + 1).IndexOf(part);
            at = next < 0 ? -1 : at + 1 + next;
        }
        return count;
    }
}

/// <summary>The same scenarios with Herald on PostgreSQL (its queue gauges and next_attempt_at read PostgreSQL's tables).</summary>
public sealed class PostgresTelemetryScenarios(PostgresServer server) : TelemetryScenarios
{
    protected override Task<Dictionary<string, string?>> StorageAsync() => server.StorageAsync();
}
