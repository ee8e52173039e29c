using Herald.Server.Tests.Support;

namespace Herald.Server.Tests.Payloads;

/// <summary>
/// The entity a payload names for hydration cannot steer Herald's Entity API request elsewhere: a <c>_schema</c> or
/// <c>_id</c> that is not one plain path segment fails the event (not retried) and the Entity API is never asked.
/// </summary>
public sealed class HydrationTargetScenarios : IAsyncLifetime
{
    private Receiver _receiver = null!;
    private Receiver _entityApi = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _receiver = await Receiver.StartAsync();
        _entityApi = await Receiver.StartAsync();
        _entityApi.Default = new Answer.Status(200, """{"entity":{"_schema":"contract","_id":"c-1","status":"active"}}""");
    }

    public async ValueTask DisposeAsync()
    {
        await _receiver.DisposeAsync();
        await _entityApi.DisposeAsync();
    }

    [Theory]
    [InlineData("..", "admin")]
    [InlineData("contract", "../../admin")]
    [InlineData("contract", "%2e%2e")]
    [InlineData(".", "admin")]
    public async Task A_target_that_escapes_its_path_segment_fails_the_event_and_asks_nobody(string schema, string id)
    {
        using var app = new HeraldApp(new Dictionary<string, string?>
        {
            ["Delivery:AllowPrivateNetworks"] = "true",
            ["Entities:BaseUrl"] = _entityApi.Url.ToString(),
            ["Entities:Token"] = "operator-global-token",
        });
        var client = app.Client();
        var (configId, _) = await client.CreateConfigAsync(_receiver.Url, """ "payloadConfiguration":{"hydrate_entity":true} """);

        var outcome = await client.TriggerAsync(configId, $$$"""{"entity":{"_schema":"{{{schema}}}","_id":"{{{id}}}"}}""", sync: true);

        Assert.Equal("failed", outcome["status"]!.GetValue<string>());
        Assert.Equal("INTERNAL_ERROR", outcome["code"]!.GetValue<string>());
        Assert.Contains("Entity hydration refused", outcome["message"]!.GetValue<string>());
        var eventId = outcome["event_id"]!.GetValue<string>();
        Assert.Equal("failed", (await client.EventAsync(configId, eventId))["status"]!.GetValue<string>());
        app.Clock.Advance(TimeSpan.FromHours(6));
        await Task.Delay(300, Ct);
        Assert.Empty(_entityApi.Received);
        Assert.Empty(_receiver.Received);
    }

    [Fact]
    public async Task A_plain_target_is_still_hydrated_from_under_v1_entity()
    {
        using var app = new HeraldApp(new Dictionary<string, string?>
        {
            ["Delivery:AllowPrivateNetworks"] = "true",
            ["Entities:BaseUrl"] = _entityApi.Url.ToString(),
        });
        var client = app.Client();
        var (configId, _) = await client.CreateConfigAsync(_receiver.Url, """ "payloadConfiguration":{"hydrate_entity":true} """);

        var outcome = await client.TriggerAsync(configId, """{"entity":{"_schema":"contract","_id":"c-1"}}""", sync: true);

        Assert.Equal("succeeded", outcome["status"]!.GetValue<string>());
        Assert.Equal("/v1/entity/contract/c-1?hydrate=true", Assert.Single(_entityApi.Received).Path);
    }
}
