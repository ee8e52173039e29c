using Herald.Server.Tests.Support;

namespace Herald.Server.Tests.Files;

/// <summary><c>Files:MaxBytes</c> at its default, 100 MiB, against a 150 MiB object.</summary>
public sealed class DefaultLimitScenarios : ReceiverScenario
{
    private S3rver _s3 = null!;

    protected override IReadOnlyDictionary<string, string?> ExtraSettings => _s3.Settings;

    public override async ValueTask InitializeAsync()
    {
        _s3 = await S3rver.StartAsync(Ct);
        await base.InitializeAsync();
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (_s3 is { } s3)
        {
            await s3.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_150_MiB_file_under_the_default_limit_fails_FILE_TOO_LARGE_with_one_attempt()
    {
        using var folder = new TempDirectory("herald-big-file");
        var path = Path.Combine(folder.Path, "big.bin");
        await using (var file = File.Create(path))
        {
            file.SetLength(150L * 1024 * 1024);
        }
        await _s3.PutFileAsync("org-a/huge.bin", path);
        var (configId, _) = await Client.CreateConfigAsync(Receiver.Url, """
            "deliveryMode":"binary_multipart","retryPolicy":{"enabled":true,"maxAttempts":5}
            """);

        var eventId = (await Client.TriggerAsync(configId, FileDeliveryScenarios.FileEvent(FileDeliveryScenarios.Attachment("org-a/huge.bin", "huge.bin", "application/octet-stream", 150L * 1024 * 1024))))["event_id"]!.GetValue<string>();

        var failed = await Client.EventWithStatusAsync(configId, eventId, "failed");
        Assert.Equal("FILE_TOO_LARGE", failed["http_response"]!["code"]!.GetValue<string>());
        Assert.Equal(413, failed["http_response"]!["status_code"]!.GetValue<int>());
        Assert.Contains("Files:MaxBytes (104857600 bytes)", failed["http_response"]!["message"]!.GetValue<string>());
        var attempts = await (await Client.GetAsync($"/v1/webhooks/configs/{configId}/events/{eventId}/attempts", Ct)).ReadAsync();
        Assert.Single(attempts["data"]!.AsArray());
        Assert.Empty(Receiver.Received);
    }
}
