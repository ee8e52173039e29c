using System.Diagnostics;
using Herald.Server.Tests.Support;

namespace Herald.Server.Tests.Durability;

/// <summary>A node asked to stop (SIGTERM) while it runs attempts ends them within <c>Workers:ShutdownGrace</c>.</summary>
public sealed class StopScenarios
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact(Timeout = 120_000)]
    public async Task A_node_stopping_with_a_sync_trigger_to_a_receiver_that_never_answers_answers_it_and_exits_soon_after_its_grace()
    {
        await using var receiver = await Receiver.StartAsync();
        // Holds every request far longer than the test runs.
        receiver.Latency = TimeSpan.FromMinutes(10);
        using var data = new TempDirectory("herald-stop");
        var settings = DurabilityNodes.Settings(data.Path);
        settings["Workers:ShutdownGrace"] = "00:00:01";
        await using var servers = new HeraldProcesses();
        var server = await servers.StartAsync("stopping", settings, Ct);
        using var client = server.Client(DurabilityNodes.Token);
        var configId = (await client.CreateConfigAsync(receiver.Url)).Id;

        var trigger = client.PostJsonAsync($"/v1/webhooks/configs/{configId}/trigger?sync=true", """{"metadata":{},"entity":{"_id":"e-1"}}""");
        await Eventually.ReturnsAsync(() => Task.FromResult(receiver.Held), h => h > 0, "the attempt to reach the receiver", TimeSpan.FromSeconds(30), TimeSpan.FromMilliseconds(10));
        var stopping = Stopwatch.StartNew();
        var exitCode = await server.StopAsync(TimeSpan.FromSeconds(60));
        var took = stopping.Elapsed;

        Assert.True(exitCode == 0, $"The server did not stop cleanly (exit code {exitCode?.ToString() ?? "none: killed"}).\n{server.Tail()}");
        Assert.True(took < TimeSpan.FromSeconds(10), $"Stopping took {took.TotalSeconds:0.0} s with Workers:ShutdownGrace at 1 s.\n{server.Tail()}");
        using var answer = await trigger;
        Assert.True(answer.IsSuccessStatusCode, $"The sync trigger was answered {(int)answer.StatusCode}");
    }
}
