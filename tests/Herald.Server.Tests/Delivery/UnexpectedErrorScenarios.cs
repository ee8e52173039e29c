using System.Text.Json.Nodes;
using Herald.Server.Tests.Support;

namespace Herald.Server.Tests.Delivery;

/// <summary>
/// An attempt that throws something no step classifies ends like any failed attempt: recorded as <c>INTERNAL_ERROR</c>
/// and retried on the schedule, never left to its lease. The exception is a real one: an Entity API (a stub on a real
/// socket) answers an object with a repeated key, which the hydration's JSON reading does not expect.
/// </summary>
public class UnexpectedErrorScenarios : ReceiverScenario
{
    private const string Repeated = """{"entity":{"_schema":"contract","_id":"c-1"},"entity":{"_schema":"contract","_id":"c-1"}}""";

    private Receiver _entityApi = null!;

    protected override IReadOnlyDictionary<string, string?> ExtraSettings => new Dictionary<string, string?> { ["Entities:BaseUrl"] = _entityApi.Url.ToString() };

    public override async ValueTask InitializeAsync()
    {
        _entityApi = await Receiver.StartAsync();
        await base.InitializeAsync();
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        await _entityApi.DisposeAsync();
    }

    private async Task<JsonArray> AttemptsAsync(string configId, string eventId) =>
        (await (await Client.GetAsync($"/v1/webhooks/configs/{configId}/events/{eventId}/attempts", Ct)).ReadAsync())["data"]!.AsArray();

    [Fact]
    public async Task An_unexpected_exception_in_an_attempt_is_recorded_as_INTERNAL_ERROR_and_retried_on_the_schedule()
    {
        _entityApi.Enqueue(new Answer.Status(200, Repeated));
        _entityApi.Default = new Answer.Status(200, """{"entity":{"_schema":"contract","_id":"c-1","status":"active"}}""");
        var (configId, _) = await Client.CreateConfigAsync(Receiver.Url,
            "\"retryPolicy\":{\"enabled\":true,\"maxAttempts\":3},\"payloadConfiguration\":{\"hydrate_entity\":true}");

        var eventId = (await Client.TriggerAsync(configId, """{"metadata":{},"entity":{"_schema":"contract","_id":"c-1","status":"draft"}}"""))["event_id"]!.GetValue<string>();

        var first = Assert.Single(await Eventually.ReturnsAsync(() => AttemptsAsync(configId, eventId), a => a.Count >= 1, "the first attempt recorded"))!;
        Assert.Equal("INTERNAL_ERROR", first["code"]!.GetValue<string>());
        var message = first["message"]!.GetValue<string>();
        Assert.StartsWith("The attempt failed on an unexpected ArgumentException: ", message);
        Assert.DoesNotContain(" at ", message);
        Assert.True(message.Length < 400, message);
        var pending = await Client.EventWithStatusAsync(configId, eventId, "in_progress");
        Assert.Equal("INTERNAL_ERROR", pending["http_response"]!["code"]!.GetValue<string>());
        Assert.Empty(Receiver.Received);

        // The first retry is due 5 s later (+/-10%); the clock creeps on until the worker has made it.
        await App.CreepUntilAsync(TimeSpan.FromSeconds(5.5), () => Receiver.Received.Count >= 1, "the retry to reach the receiver");

        Assert.Equal("active", JsonNode.Parse(Receiver.Received[0].Text)!["entity"]!["status"]!.GetValue<string>());
        var done = await Client.EventWithStatusAsync(configId, eventId, "succeeded");
        Assert.Equal(1, done["retry_attempt"]!.GetValue<int>());
        Assert.Equal(2, (await AttemptsAsync(configId, eventId)).Count);
    }
}

/// <summary>The same scenario with Herald on PostgreSQL.</summary>
public sealed class PostgresUnexpectedErrorScenarios(PostgresServer server) : UnexpectedErrorScenarios
{
    protected override Task<Dictionary<string, string?>> StorageAsync() => server.StorageAsync();
}
