using System.Net;
using Herald.Server.Tests.Support;

namespace Herald.Server.Tests.Intake;

[CollectionDefinition(nameof(AllocationCollection), DisableParallelization = true)]
public sealed class AllocationCollection;

/// <summary>
/// What a fan-out allocates grows with its payload, not with its subscribers. Measured over the whole process, so
/// these tests run alone (no other test allocates meanwhile) on an API-only node (no worker delivers meanwhile).
/// </summary>
[Collection(nameof(AllocationCollection))]
public sealed class FanOutAllocationTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_fan_out_of_1_MiB_to_100_configs_allocates_a_small_multiple_of_the_payload()
    {
        using var app = new HeraldApp(new Dictionary<string, string?> { ["Roles"] = "api" });
        var client = app.Client();
        for (var i = 0; i < 100; i++)
        {
            (await client.PostJsonAsync("/v1/webhooks/configs", $$"""{"name":"receiver {{i}}","eventName":"order_created","url":"https://receiver.example/{{i}}"}""")).EnsureSuccessStatusCode();
        }
        var payload = $$$"""{"metadata":{"action":"Created"},"entity":{"_id":"e-1","blob":"{{{new string('x', 1024 * 1024)}}}"}}""";
        var body = $$"""{"eventName":"order_created","payload":{{payload}}}""";
        // Once first, so that what is measured is the fan-out, not the first run of its code.
        (await client.PostJsonAsync("/v1/webhooks/events", """{"eventName":"order_created","payload":{"entity":{"_id":"warm-up"}}}""")).EnsureSuccessStatusCode();

        var before = GC.GetTotalAllocatedBytes(precise: true);
        var response = await client.PostJsonAsync("/v1/webhooks/events", body);
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - before;

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        TestContext.Current.TestOutputHelper?.WriteLine($"allocated {allocated / (1024 * 1024)} MiB for a {payload.Length / 1024} KiB payload and 100 configs");
        // One copy of the payload per config would be 100 MiB and more; the request, its parse and one stored copy
        // (UTF-16 text and UTF-8 bytes included) came to about 12 MiB when this was written.
        Assert.True(allocated < 40 * payload.Length, $"the fan-out allocated {allocated / (1024 * 1024)} MiB for a {payload.Length / 1024} KiB payload");
    }
}
