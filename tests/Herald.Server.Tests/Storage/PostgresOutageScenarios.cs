using System.Net;
using Herald.Server.Storage.Postgres;
using Herald.Server.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Herald.Server.Tests.Storage;

/// <summary>
/// Herald on PostgreSQL behind a <see cref="TcpRelay"/> that the scenarios cut: while the database cannot be reached,
/// requests that need it are answered 503 and attempts that need it are deferred; once it is back, the same node
/// serves and delivers again.
/// </summary>
public sealed class PostgresOutageScenarios(PostgresServer server) : IAsyncLifetime
{
    private HeraldApp? _app;
    private TcpRelay? _relay;
    private Receiver _receiver = null!;
    private string? _direct;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _receiver = await Receiver.StartAsync();

    public async ValueTask DisposeAsync()
    {
        _app?.Dispose();
        if (_relay is { } relay)
        {
            await relay.DisposeAsync();
        }
        await _receiver.DisposeAsync();
    }

    /// <summary>Starts Herald on a fresh database reached through a new relay, with <paramref name="extra"/> settings.</summary>
    private async Task<(HeraldApp App, TcpRelay Relay, HttpClient Client)> StartBehindRelayAsync(params (string Key, string Value)[] extra)
    {
        var direct = new NpgsqlConnectionStringBuilder(_direct = await server.CreateDatabaseAsync());
        _relay = new TcpRelay(direct.Host!, direct.Port);
        var settings = new Dictionary<string, string?>
        {
            ["Storage:Provider"] = "Postgres",
            // The relay closes each refused connection at once: the driver's open fails without waiting for its timeout.
            ["Storage:ConnectionString"] = new NpgsqlConnectionStringBuilder(direct.ConnectionString) { Port = _relay.Port }.ConnectionString,
            ["Delivery:AllowPrivateNetworks"] = "true",
        };
        foreach (var (key, value) in extra)
        {
            settings[key] = value;
        }
        _app = new HeraldApp(settings);
        return (_app, _relay, _app.Client());
    }

    private static async Task<System.Text.Json.Nodes.JsonArray> AttemptsAsync(HttpClient client, string configId, string eventId) =>
        (await (await client.GetAsync($"/v1/webhooks/configs/{configId}/events/{eventId}/attempts", Ct)).ReadAsync())["data"]!.AsArray();

    [Fact]
    public async Task Requests_during_an_outage_are_answered_503_naming_the_setting_and_served_again_after_it()
    {
        var (app, relay, client) = await StartBehindRelayAsync();
        var (configId, _) = await client.CreateConfigAsync(_receiver.Url);
        var before = (await client.TriggerAsync(configId))["event_id"]!.GetValue<string>();
        await client.EventWithStatusAsync(configId, before, "succeeded");

        relay.Cut();
        var list = await client.GetAsync("/v1/webhooks/configs", Ct);
        var trigger = await client.PostJsonAsync($"/v1/webhooks/configs/{configId}/trigger", """{"metadata":{},"entity":{"_id":"e-2"}}""");

        relay.Restore();

        foreach (var answer in new[] { list, trigger })
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, answer.StatusCode);
            Assert.Equal(TimeSpan.FromSeconds(5), answer.Headers.RetryAfter?.Delta);
            var message = await answer.MessageAsync();
            Assert.Contains("retry", message);
            Assert.Contains("Storage:ConnectionString", message);
            Assert.DoesNotContain(relay.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), message);
        }
        Assert.Contains(app.Logs.Lines, line => line.Category == "Herald.Errors" && line.Message.Contains("database was unavailable for POST"));

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/v1/webhooks/configs", Ct)).StatusCode);
        var after = (await client.TriggerAsync(configId))["event_id"]!.GetValue<string>();
        await client.EventWithStatusAsync(configId, after, "succeeded");
    }

    /// <summary>
    /// An operator's <c>statement_timeout</c>, or an operator's cancel, stops a statement with SQLSTATE 57014: the request
    /// is answered 503, as for a database too busy to answer, not 500, nothing of it is written, and the same node serves
    /// it once the database keeps pace again. The test's own trigger on the event log raises the server's error for the
    /// trigger's insert.
    /// </summary>
    [Fact]
    public async Task A_request_whose_statement_the_server_stopped_for_its_statement_timeout_is_answered_503()
    {
        var (_, _, client) = await StartBehindRelayAsync();
        var (configId, _) = await client.CreateConfigAsync(_receiver.Url);
        await ExecuteAsync("""
            CREATE FUNCTION time_out() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN RAISE EXCEPTION USING ERRCODE = 'query_canceled', MESSAGE = 'canceling statement due to statement timeout'; END $$;
            CREATE TRIGGER time_out BEFORE INSERT ON webhook_events FOR EACH ROW EXECUTE FUNCTION time_out();
            """);

        var stopped = await client.PostJsonAsync($"/v1/webhooks/configs/{configId}/trigger", """{"metadata":{},"entity":{"_id":"e-1"}}""");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, stopped.StatusCode);
        Assert.Contains("too busy to answer; retry", await stopped.MessageAsync());
        await ExecuteAsync("DROP TRIGGER time_out ON webhook_events; DROP FUNCTION time_out();");
        var after = (await client.TriggerAsync(configId))["event_id"]!.GetValue<string>();
        await client.EventWithStatusAsync(configId, after, "succeeded");
        await using var connection = new NpgsqlConnection(_direct);
        await connection.OpenAsync(Ct);
        await using var count = new NpgsqlCommand("SELECT count(*) FROM webhook_events", connection);
        Assert.Equal(1L, await count.ExecuteScalarAsync(Ct));
    }

    /// <summary>
    /// A server that takes no writes (a standby, or a primary a failover demoted: SQLSTATE 25006) has a trigger answered
    /// 503, not 500. The node tries each write on a new connection, having closed the ones it kept, so once writes are
    /// taken again (after a failover, by the new primary) the same node serves them without a restart.
    /// </summary>
    [Fact]
    public async Task A_database_that_takes_no_writes_is_answered_503_and_the_node_writes_again_once_it_takes_them()
    {
        var (app, _, client) = await StartBehindRelayAsync();
        var (configId, _) = await client.CreateConfigAsync(_receiver.Url);
        var before = (await client.TriggerAsync(configId))["event_id"]!.GetValue<string>();
        await client.EventWithStatusAsync(configId, before, "succeeded");
        var name = new NpgsqlConnectionStringBuilder(_direct).Database;
        await ExecuteAsync($"ALTER DATABASE \"{name}\" SET default_transaction_read_only = on");
        // Herald's kept connections began as writable sessions: ended, they come back read-only.
        await ExecuteAsync("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()");

        var refused = await client.PostJsonAsync($"/v1/webhooks/configs/{configId}/trigger", """{"metadata":{},"entity":{"_id":"e-2"}}""");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
        Assert.Contains("retry", await refused.MessageAsync());
        Assert.Contains(app.Logs.Lines, line => line.Category == "Herald.Errors" && line.Message.Contains("database was unavailable for POST"));
        await ExecuteAsync($"ALTER DATABASE \"{name}\" RESET default_transaction_read_only", readWrite: true);

        // No session is ended this time: the node's next write opens a new one, which takes writes.
        var after = (await client.TriggerAsync(configId))["event_id"]!.GetValue<string>();
        await client.EventWithStatusAsync(configId, after, "succeeded");
    }

    /// <summary>Runs <paramref name="sql"/> on a connection of the test's own; <paramref name="readWrite"/> in a session that writes whatever the database's default.</summary>
    private async Task ExecuteAsync(string sql, bool readWrite = false)
    {
        await using var connection = new NpgsqlConnection(_direct);
        await connection.OpenAsync(Ct);
        if (readWrite)
        {
            await using var writable = new NpgsqlCommand("SET default_transaction_read_only = off", connection);
            await writable.ExecuteNonQueryAsync(Ct);
        }
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(Ct);
    }

    /// <summary>
    /// The database refuses new connections while an attempt is between its trigger and its send: the attempt's read
    /// of the organization's variables needs a new connection (the pool has closed its idle ones) and cannot get one.
    /// That is no attempt: no failure is recorded, and the job goes back to the queue (through the kept write
    /// connection) and is sent a few seconds later, as the event's first attempt.
    /// </summary>
    [Fact]
    public async Task An_attempt_whose_read_finds_the_database_refusing_connections_is_not_counted_and_is_sent_later()
    {
        const string Entity = """{"entity":{"_schema":"contract","_id":"c-1","status":"active"}}""";
        var hydration = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var entityApi = await Receiver.StartAsync();
        entityApi.Enqueue(new Answer.Gated(hydration.Task, Entity));
        entityApi.Default = new Answer.Status(200, Entity);
        var (app, relay, client) = await StartBehindRelayAsync(("Entities:BaseUrl", entityApi.Url.ToString()));
        await client.SetVariableAsync("tenant", "acme");
        var (configId, _) = await client.CreateConfigAsync(_receiver.Url,
            "\"payloadConfiguration\":{\"hydrate_entity\":true,\"custom_headers\":{\"X-Tenant\":\"{{ env.tenant }}\"}}");

        var eventId = (await client.TriggerAsync(configId, """{"metadata":{},"entity":{"_schema":"contract","_id":"c-1","status":"draft"}}"""))["event_id"]!.GetValue<string>();
        await entityApi.WaitForAsync(1);
        // The pool's idle connections are closed, as its pruning does in time; the kept write connection stays open.
        app.Services.GetRequiredService<PostgresDatabase>().DataSource.Clear();
        relay.RefuseNew();
        hydration.SetResult();

        await Eventually.ReturnsAsync(
            () => Task.FromResult(app.Logs.Lines.Count(line => line.Message.Contains("the database could not serve the attempt before its send"))),
            count => count >= 1, "the attempt to meet the refused connection");
        Assert.True(relay.Refused >= 1);
        relay.Restore();
        var pending = await client.EventAsync(configId, eventId);
        Assert.Equal("in_progress", pending["status"]!.GetValue<string>());
        Assert.Empty(await AttemptsAsync(client, configId, eventId));
        Assert.Empty(_receiver.Received);

        // Due again 5 s later; the clock creeps on until the worker has sent it.
        await app.CreepUntilAsync(TimeSpan.FromSeconds(5), () => _receiver.Received.Count >= 1, "the job to be sent after its deferral");

        Assert.Equal("acme", _receiver.Received[0].Header("X-Tenant"));
        var done = await client.EventWithStatusAsync(configId, eventId, "succeeded");
        Assert.Equal(0, done["retry_attempt"]!.GetValue<int>());
        var attempt = Assert.Single(await AttemptsAsync(client, configId, eventId));
        Assert.Equal(200, attempt!["status_code"]!.GetValue<int>());
    }
}
