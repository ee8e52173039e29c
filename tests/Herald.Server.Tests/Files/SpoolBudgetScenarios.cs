using System.Globalization;
using Herald.Server.Delivery;
using Herald.Server.Files;
using Herald.Server.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Herald.Server.Tests.Files;

/// <summary>
/// A node with a small spool (<see cref="PerNode"/>, at most <see cref="PerAttempt"/> per attempt) and three files of
/// <see cref="FileBytes"/> in a folder source: two of organization A, one of B.
/// </summary>
public abstract class SpoolScenario : ReceiverScenario
{
    internal const int FileBytes = 400_000;
    internal const int PerAttempt = 600_000;
    internal const int PerNode = 1_200_000;

    private readonly TempDirectory _root = new("herald-spool-files");

    /// <summary><c>Files:MaxSpoolBytesPerOrganization</c>; null leaves it unset (half of <see cref="PerNode"/>).</summary>
    protected virtual long? PerOrganization => null;

    protected override IReadOnlyDictionary<string, string?> ExtraSettings
    {
        get
        {
            var settings = new Dictionary<string, string?>
            {
                ["Files:Directory"] = _root.Path,
                ["Files:MaxSpoolBytes"] = PerAttempt.ToString(CultureInfo.InvariantCulture),
                ["Files:MaxSpoolBytesPerNode"] = PerNode.ToString(CultureInfo.InvariantCulture),
            };
            if (PerOrganization is { } perOrganization)
            {
                settings["Files:MaxSpoolBytesPerOrganization"] = perOrganization.ToString(CultureInfo.InvariantCulture);
            }
            return settings;
        }
    }

    public override async ValueTask InitializeAsync()
    {
        foreach (var key in new[] { "org-a/docs/one.bin", "org-a/docs/two.bin", "org-b/docs/three.bin" })
        {
            var path = Path.Combine(_root.Path, "files", key);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            await File.WriteAllBytesAsync(path, FileDeliveryScenarios.Bytes(FileBytes, key.Length), Ct);
        }
        await base.InitializeAsync();
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        _root.Dispose();
    }

    protected static string FileEvent(string key, long announced = FileBytes) =>
        FileDeliveryScenarios.FileEvent(FileDeliveryScenarios.Attachment(key, Path.GetFileName(key), "application/octet-stream", announced, bucket: "files"));
}

/// <summary>
/// <c>Files:MaxSpoolBytesPerNode</c>: the disk a node's <c>binary_multipart</c> spools hold at once is bounded, and one
/// organization holds at most half of it. An attempt without room goes back to the queue without an attempt and is
/// sent once room is back; another organization's files still find room meanwhile.
/// </summary>
public sealed class SpoolBudgetScenarios : SpoolScenario
{
    private static async Task<int> AttemptCountAsync(HttpClient client, string configId, string eventId) =>
        (await (await client.GetAsync($"/v1/webhooks/configs/{configId}/events/{eventId}/attempts", Ct)).ReadAsync())["data"]!.AsArray().Count;

    /// <summary>
    /// The room is taken from the sizes the event announces before any download, and as the bytes arrive when a file
    /// is larger than announced (10 bytes here): either way the second attempt finds none.
    /// </summary>
    [Theory]
    [InlineData(FileBytes)]
    [InlineData(10)]
    public async Task An_attempt_without_room_in_the_nodes_spool_waits_in_the_queue_while_another_organizations_files_find_room(long announced)
    {
        var held = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Receiver.Enqueue(new Answer.Gated(held.Task));
        var spool = App.Services.GetRequiredService<FileStore>().Spool;
        var clientB = App.Client(HeraldApp.TokenB);
        var (configA, _) = await Client.CreateConfigAsync(Receiver.Url, """ "deliveryMode":"binary_multipart" """);
        var (configB, _) = await clientB.CreateConfigAsync(Receiver.Url, """ "deliveryMode":"binary_multipart" """);

        // A's first attempt spools its file and is held by the receiver: A holds 400,000 of its 600,000 bytes.
        var first = (await Client.TriggerAsync(configA, FileEvent("org-a/docs/one.bin")))["event_id"]!.GetValue<string>();
        await Receiver.WaitForAsync(1);
        Assert.Equal(FileBytes, spool.Held);
        // The gauge reads what the spool holds. Its value is read from this app's own meter: /metrics may answer
        // another app's gauge of the same name when several apps run in one process (see HostGauges).
        Assert.Equal(FileBytes, HostGauges.Read(App.Services, DeliveryMetrics.MeterName, "herald.files.spool"));
        var scraped = await App.Client(null).GetStringAsync("/metrics", Ct);
        Assert.NotNull(MetricsText.Sample(scraped, "herald_files_spool_bytes"));

        // A's second would pass A's half of the node: it goes back to the queue, no attempt recorded.
        var second = (await Client.TriggerAsync(configA, FileEvent("org-a/docs/two.bin", announced)))["event_id"]!.GetValue<string>();
        await Eventually.ReturnsAsync(
            () => Task.FromResult(App.Logs.Lines.Count(line => line.Message.Contains("Files:MaxSpoolBytesPerNode") && line.Message.Contains("without an attempt"))),
            count => count >= 1, "the second attempt to find no room");
        Assert.Equal(0, await AttemptCountAsync(Client, configA, second));
        Assert.Equal("in_progress", (await Client.EventAsync(configA, second))["status"]!.GetValue<string>());

        // B's file fits beside A's: delivered while A's first is still held.
        var third = (await clientB.TriggerAsync(configB, FileEvent("org-b/docs/three.bin")))["event_id"]!.GetValue<string>();
        await clientB.EventWithStatusAsync(configB, third, "succeeded");
        Assert.Equal(2, Receiver.Received.Count);

        held.SetResult();
        await Client.EventWithStatusAsync(configA, first, "succeeded");
        // Due again 5 s after its deferral; the clock creeps on until the worker has sent it.
        await App.CreepUntilAsync(TimeSpan.FromSeconds(5), () => Receiver.Received.Count >= 3, "the deferred attempt to be sent");
        var done = await Client.EventWithStatusAsync(configA, second, "succeeded");
        Assert.Equal(0, done["retry_attempt"]!.GetValue<int>());
        Assert.Equal(1, await AttemptCountAsync(Client, configA, second));
        await Eventually.ReturnsAsync(() => Task.FromResult(spool.Held), held => held == 0, "every spool's room to be given back");
    }

    [Fact]
    public void A_node_spool_smaller_than_two_attempts_refuses_to_start_naming_both_settings()
    {
        var error = HeraldApp.StartFailure(new Dictionary<string, string?>
        {
            ["Files:MaxSpoolBytes"] = "1000",
            ["Files:MaxSpoolBytesPerNode"] = "1999",
        });

        Assert.Contains("Files:MaxSpoolBytesPerNode (1999) must be at least twice Files:MaxSpoolBytes (1000)", error.ToString());
    }

    [Theory]
    [InlineData("999")]
    [InlineData("4001")]
    public void An_organizations_share_that_an_attempt_cannot_fit_or_larger_than_the_node_refuses_to_start_naming_the_settings(string perOrganization)
    {
        var error = HeraldApp.StartFailure(new Dictionary<string, string?>
        {
            ["Files:MaxSpoolBytes"] = "1000",
            ["Files:MaxSpoolBytesPerNode"] = "4000",
            ["Files:MaxSpoolBytesPerOrganization"] = perOrganization,
        });

        Assert.Contains($"Files:MaxSpoolBytesPerOrganization ({perOrganization}) must be at least Files:MaxSpoolBytes (1000), so that one attempt fits, and at most Files:MaxSpoolBytesPerNode (4000)", error.ToString());
    }
}

/// <summary>
/// <c>Files:MaxSpoolBytesPerOrganization</c> set above its default (half the node's spool): one organization's two
/// attempts spool their files at once, where the default would send the second back to the queue.
/// </summary>
public sealed class SpoolShareScenarios : SpoolScenario
{
    protected override long? PerOrganization => 1_000_000;

    [Fact]
    public async Task An_organization_may_hold_the_share_of_the_nodes_spool_its_setting_gives()
    {
        var held = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Receiver.Enqueue(new Answer.Gated(held.Task), new Answer.Gated(held.Task));
        var spool = App.Services.GetRequiredService<FileStore>().Spool;
        Assert.Equal(PerOrganization, spool.PerOrganization);
        var (config, _) = await Client.CreateConfigAsync(Receiver.Url, """ "deliveryMode":"binary_multipart" """);

        // 800,000 bytes of one organization at once: over half the node's 1,200,000, within the share of 1,000,000.
        var first = (await Client.TriggerAsync(config, FileEvent("org-a/docs/one.bin")))["event_id"]!.GetValue<string>();
        var second = (await Client.TriggerAsync(config, FileEvent("org-a/docs/two.bin")))["event_id"]!.GetValue<string>();
        await Receiver.WaitForAsync(2);
        Assert.Equal(2 * FileBytes, spool.Held);

        held.SetResult();
        await Client.EventWithStatusAsync(config, first, "succeeded");
        await Client.EventWithStatusAsync(config, second, "succeeded");
        await Eventually.ReturnsAsync(() => Task.FromResult(spool.Held), bytes => bytes == 0, "every spool's room to be given back");
    }
}
