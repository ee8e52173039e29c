using Herald.Server.Tests.Support;

namespace Herald.Server.Tests.Files;

/// <summary>
/// A store that stops answering holds a download only until <c>Files:DownloadTimeout</c> (on Herald's clock, here
/// 30 s, longer than the test runs on the real one): then the attempt fails <c>FILE_UNAVAILABLE</c> and is retried.
/// References Herald refuses never reach the store at all.
/// </summary>
public abstract class StalledStoreScenarios(bool answersHeaders) : ReceiverScenario
{
    private StalledStore _store = null!;

    protected override IReadOnlyDictionary<string, string?> ExtraSettings => new Dictionary<string, string?>(_store.Settings)
    {
        ["Files:DownloadTimeout"] = "00:00:30",
        ["Files:MaxAttachmentsPerEvent"] = "1",
    };

    public override async ValueTask InitializeAsync()
    {
        _store = new StalledStore(answersHeaders);
        await base.InitializeAsync();
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (_store is { } store)
        {
            await store.DisposeAsync();
        }
    }

    private async Task AdvanceAsync(TimeSpan by)
    {
        App.Clock.Advance(by);
        await Task.Delay(50, Ct);
    }

    [Theory]
    [InlineData("json_base64")]
    [InlineData("binary_multipart")]
    public async Task A_download_that_stalls_fails_FILE_UNAVAILABLE_once_Files_DownloadTimeout_passes_and_is_retried(string mode)
    {
        var (configId, _) = await Client.CreateConfigAsync(Receiver.Url, $$""" "deliveryMode":"{{mode}}","retryPolicy":{"enabled":true,"maxAttempts":5} """);
        var eventId = (await Client.TriggerAsync(configId, FileDeliveryScenarios.FileEvent(FileDeliveryScenarios.Attachment("org-a/slow.bin", "slow.bin", "application/octet-stream", StalledStore.AnnouncedBytes))))["event_id"]!.GetValue<string>();
        await _store.WaitForAsync(1);

        await AdvanceAsync(TimeSpan.FromSeconds(29));
        await Task.Delay(300, Ct);
        Assert.Null((await Client.EventAsync(configId, eventId))["http_response"]);
        await AdvanceAsync(TimeSpan.FromSeconds(2));

        var pending = await Eventually.ReturnsAsync(
            () => Client.EventAsync(configId, eventId), e => e["http_response"]?["code"] is not null, "the first attempt's outcome");
        Assert.Equal("in_progress", pending["status"]!.GetValue<string>());
        Assert.True(pending["http_response"]!["code"]!.GetValue<string>() == "FILE_UNAVAILABLE", pending.ToJsonString());
        Assert.Contains("Files:DownloadTimeout (30 s)", pending["http_response"]!["message"]!.GetValue<string>());
        Assert.Contains("files/org-a/slow.bin", pending["http_response"]!["message"]!.GetValue<string>());
        Assert.Single(_store.Requests);
        Assert.Empty(Receiver.Received);
    }

    [Fact]
    public async Task References_herald_refuses_never_reach_the_store()
    {
        var (configId, _) = await Client.CreateConfigAsync(Receiver.Url, """ "deliveryMode":"binary_multipart","multipartConfig":{"fileFieldStrategy":"multi"} """);
        var foreign = (await Client.TriggerAsync(configId, FileDeliveryScenarios.FileEvent(FileDeliveryScenarios.Attachment("org-b/contract.pdf", "contract.pdf", "application/pdf", 10))))["event_id"]!.GetValue<string>();
        var tooMany = (await Client.TriggerAsync(configId, FileDeliveryScenarios.FileEvent(
            FileDeliveryScenarios.Attachment("org-a/1.pdf", "1.pdf", "application/pdf", 10),
            FileDeliveryScenarios.Attachment("org-a/2.pdf", "2.pdf", "application/pdf", 10))))["event_id"]!.GetValue<string>();

        Assert.Equal("FILE_NOT_ALLOWED", (await Client.EventWithStatusAsync(configId, foreign, "failed"))["http_response"]!["code"]!.GetValue<string>());
        Assert.Equal("TOO_MANY_FILES", (await Client.EventWithStatusAsync(configId, tooMany, "failed"))["http_response"]!["code"]!.GetValue<string>());
        Assert.Empty(_store.Requests);
        Assert.Empty(Receiver.Received);
    }
}

/// <summary>The store takes the request and never sends the response's headers.</summary>
public sealed class SilentStoreScenarios() : StalledStoreScenarios(answersHeaders: false);

/// <summary>The store sends the headers and the first bytes, then nothing more.</summary>
public sealed class StalledBodyScenarios() : StalledStoreScenarios(answersHeaders: true);

/// <summary>The silent store with Herald on PostgreSQL.</summary>
public sealed class PostgresSilentStoreScenarios(PostgresServer server) : StalledStoreScenarios(answersHeaders: false)
{
    protected override Task<Dictionary<string, string?>> StorageAsync() => server.StorageAsync();
}
