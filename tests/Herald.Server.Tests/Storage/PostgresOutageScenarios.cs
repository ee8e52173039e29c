using System.Net;
using Herald.Server.Tests.Support;
using Npgsql;

namespace Herald.Server.Tests.Storage;

/// <summary>
/// While the database cannot be reached, requests that need it are answered 503 with a message that names the
/// storage setting and asks for a retry, never a bare 500; once it is back, the same node serves them again.
/// </summary>
public sealed class PostgresOutageScenarios(PostgresServer server) : IAsyncLifetime
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

    [Fact]
    public async Task Requests_during_an_outage_are_answered_503_naming_the_setting_and_served_again_after_it()
    {
        var direct = new NpgsqlConnectionStringBuilder(await server.CreateDatabaseAsync());
        await using var relay = new TcpRelay(direct.Host!, direct.Port);
        _app = new HeraldApp(new Dictionary<string, string?>
        {
            ["Storage:Provider"] = "Postgres",
            ["Storage:ConnectionString"] = new NpgsqlConnectionStringBuilder(direct.ConnectionString) { Port = relay.Port, Timeout = 3 }.ConnectionString,
            ["Delivery:AllowPrivateNetworks"] = "true",
        });
        var client = _app.Client();
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
        Assert.Contains(_app.Logs.Lines, line => line.Category == "Herald.Errors" && line.Message.Contains("database was unavailable for POST"));

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/v1/webhooks/configs", Ct)).StatusCode);
        var after = (await client.TriggerAsync(configId))["event_id"]!.GetValue<string>();
        await client.EventWithStatusAsync(configId, after, "succeeded");
    }
}
