using System.Text.Json.Nodes;
using Herald.Server.Tests.Support;

namespace Herald.Server.Tests.Files;

/// <summary>
/// Which files an event may have delivered, against a real S3-compatible server (s3rver) holding files of two
/// organizations: keys under the event's organization's prefix (<c>Files:KeyPrefix</c>, by default
/// <c>{organization}/</c>) in an allowed bucket (<c>Files:Buckets</c>), at most <c>Files:MaxAttachmentsPerEvent</c>
/// of them, for <c>json_base64</c> at most <c>Files:MaxInlineBytes</c> together, and for <c>binary_multipart</c> at
/// most <c>Files:MaxSpoolBytes</c> together.
/// </summary>
public class FileScopeScenarios : ReceiverScenario
{
    private const int MaxAttachments = 2;
    private const int MaxInlineBytes = 1_000_000;
    private const int MaxSpoolBytes = 1_000_000;

    protected S3rver S3 { get; private set; } = null!;

    protected override IReadOnlyDictionary<string, string?> ExtraSettings => new Dictionary<string, string?>(S3.Settings)
    {
        ["Files:MaxBytes"] = "1048576",
        ["Files:MaxInlineBytes"] = MaxInlineBytes.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Files:MaxSpoolBytes"] = MaxSpoolBytes.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Files:MaxAttachmentsPerEvent"] = MaxAttachments.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Files:Buckets:0"] = S3rver.Bucket,
    };

    public override async ValueTask InitializeAsync()
    {
        S3 = await S3rver.StartAsync(Ct);
        await base.InitializeAsync();
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (S3 is { } s3)
        {
            await s3.DisposeAsync();
        }
    }

    private static string Mode(string mode) => mode == "binary_multipart"
        ? """ "deliveryMode":"binary_multipart","multipartConfig":{"fileFieldStrategy":"multi"},"retryPolicy":{"enabled":true,"maxAttempts":5} """
        : """ "deliveryMode":"json_base64","retryPolicy":{"enabled":true,"maxAttempts":5} """;

    /// <summary>Triggers organization A's config with <paramref name="attachments"/> and waits for the event to end failed.</summary>
    private async Task<JsonNode> FailsAsync(string mode, params string[] attachments)
    {
        var (configId, _) = await Client.CreateConfigAsync(Receiver.Url, Mode(mode));
        var eventId = (await Client.TriggerAsync(configId, FileDeliveryScenarios.FileEvent(attachments)))["event_id"]!.GetValue<string>();
        var failed = await Client.EventWithStatusAsync(configId, eventId, "failed");
        var attempts = await (await Client.GetAsync($"/v1/webhooks/configs/{configId}/events/{eventId}/attempts", Ct)).ReadAsync();
        Assert.Single(attempts["data"]!.AsArray());
        Assert.Empty(Receiver.Received);
        return failed["http_response"]!;
    }

    [Theory]
    [InlineData("json_base64")]
    [InlineData("binary_multipart")]
    public async Task A_file_under_another_organizations_prefix_fails_FILE_NOT_ALLOWED_without_a_retry(string mode)
    {
        await S3.PutAsync("org-b/contract.pdf", "organization B's contract"u8.ToArray(), "application/pdf");

        var response = await FailsAsync(mode, FileDeliveryScenarios.Attachment("org-b/contract.pdf", "contract.pdf", "application/pdf", 25));

        Assert.Equal("FILE_NOT_ALLOWED", response["code"]!.GetValue<string>());
        var message = response["message"]!.GetValue<string>();
        Assert.Contains("files/org-b/contract.pdf", message);
        Assert.Contains("'org-a/'", message);
        Assert.Contains("Files:KeyPrefix", message);

        // The same reference in an event of organization B, whose file it is, is delivered.
        using var clientB = App.Client(HeraldApp.TokenB);
        var (configB, _) = await clientB.CreateConfigAsync(Receiver.Url, """ "deliveryMode":"json_base64" """);
        await clientB.TriggerAsync(configB, FileDeliveryScenarios.FileEvent(FileDeliveryScenarios.Attachment("org-b/contract.pdf", "contract.pdf", "application/pdf", 25)), sync: true);
        var body = JsonNode.Parse((await Receiver.WaitForAsync(1))[0].Text)!;
        Assert.Equal("organization B's contract", System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(body["file_data"]![0]!["base64"]!.GetValue<string>())));
    }

    [Theory]
    [InlineData("org-a/../org-b/contract.pdf", "'..'")]
    [InlineData("org-a/%2e%2e/org-b/contract.pdf", "'..'")]
    [InlineData("org-a/%2E%2E%2forg-b/contract.pdf", "'..'")]
    [InlineData("org-a/%252e%252e/org-b/contract.pdf", "'..'")]
    [InlineData("org-a/./contract.pdf", "'.'")]
    [InlineData("org-a//contract.pdf", "empty segment")]
    [InlineData("/org-a/contract.pdf", "starts with '/'")]
    [InlineData("org-a-other/contract.pdf", "Files:KeyPrefix")]
    public async Task A_key_that_leaves_the_organizations_prefix_however_spelled_fails_FILE_NOT_ALLOWED(string key, string why)
    {
        await S3.PutAsync("org-b/contract.pdf", "organization B's contract"u8.ToArray(), "application/pdf");
        await S3.PutAsync("org-a/contract.pdf", "organization A's contract"u8.ToArray(), "application/pdf");

        var response = await FailsAsync("json_base64", FileDeliveryScenarios.Attachment(key, "contract.pdf", "application/pdf", 25));

        Assert.Equal("FILE_NOT_ALLOWED", response["code"]!.GetValue<string>());
        Assert.Contains(why, response["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_bucket_outside_Files_Buckets_fails_FILE_NOT_ALLOWED()
    {
        var response = await FailsAsync("binary_multipart", FileDeliveryScenarios.Attachment("org-a/contract.pdf", "contract.pdf", "application/pdf", 25, bucket: "elsewhere"));

        Assert.Equal("FILE_NOT_ALLOWED", response["code"]!.GetValue<string>());
        Assert.Contains("the bucket 'elsewhere', which is not one of Files:Buckets", response["message"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("json_base64")]
    [InlineData("binary_multipart")]
    public async Task More_attachments_than_Files_MaxAttachmentsPerEvent_fail_TOO_MANY_FILES_and_as_many_are_delivered(string mode)
    {
        for (var i = 1; i <= MaxAttachments + 1; i++)
        {
            await S3.PutAsync($"org-a/{i}.txt", [(byte)('0' + i)], "text/plain");
        }
        var attachments = Enumerable.Range(1, MaxAttachments + 1).Select(i => FileDeliveryScenarios.Attachment($"org-a/{i}.txt", $"{i}.txt", "text/plain", 1)).ToArray();

        var response = await FailsAsync(mode, attachments);

        Assert.Equal("TOO_MANY_FILES", response["code"]!.GetValue<string>());
        Assert.Contains($"3 attachments, more than Files:MaxAttachmentsPerEvent ({MaxAttachments})", response["message"]!.GetValue<string>());
        var (configId, _) = await Client.CreateConfigAsync(Receiver.Url, Mode(mode));
        var outcome = await Client.TriggerAsync(configId, FileDeliveryScenarios.FileEvent(attachments[..MaxAttachments]), sync: true);
        Assert.Equal("succeeded", (await Client.EventAsync(configId, outcome["event_id"]!.GetValue<string>()))["status"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("json_base64", "Files:MaxInlineBytes", MaxInlineBytes)]
    [InlineData("binary_multipart", "Files:MaxSpoolBytes", MaxSpoolBytes)]
    public async Task Files_that_together_exceed_what_their_mode_holds_of_one_event_fail_FILE_TOO_LARGE(string mode, string setting, int limit)
    {
        // Each is under Files:MaxBytes (1 MiB); together they are over the mode's limit (1,000,000 bytes).
        await S3.PutAsync("org-a/first.bin", FileDeliveryScenarios.Bytes(600_000, 1));
        await S3.PutAsync("org-a/second.bin", FileDeliveryScenarios.Bytes(600_000, 2));

        var response = await FailsAsync(
            mode,
            FileDeliveryScenarios.Attachment("org-a/first.bin", "first.bin", "application/octet-stream", 600_000),
            FileDeliveryScenarios.Attachment("org-a/second.bin", "second.bin", "application/octet-stream", 600_000));

        Assert.Equal("FILE_TOO_LARGE", response["code"]!.GetValue<string>());
        Assert.Contains($"{setting} ({limit} bytes)", response["message"]!.GetValue<string>());
        Assert.Contains("files/org-a/second.bin", response["message"]!.GetValue<string>());
    }
}

/// <summary>The same scenarios with Herald on PostgreSQL.</summary>
public sealed class PostgresFileScopeScenarios(PostgresServer server) : FileScopeScenarios
{
    protected override Task<Dictionary<string, string?>> StorageAsync() => server.StorageAsync();
}

/// <summary><c>Files:KeyPrefix</c> set empty: a single-tenant install, where an event may name any key.</summary>
public sealed class UnscopedFileScenarios : ReceiverScenario
{
    private S3rver _s3 = null!;

    protected override IReadOnlyDictionary<string, string?> ExtraSettings => new Dictionary<string, string?>(_s3.Settings) { ["Files:KeyPrefix"] = "" };

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
    public async Task Without_a_key_prefix_a_key_outside_the_organizations_folder_is_delivered_but_traversal_is_still_refused()
    {
        await _s3.PutAsync("shared/terms.pdf", "terms"u8.ToArray(), "application/pdf");
        var (configId, _) = await Client.CreateConfigAsync(Receiver.Url, """ "deliveryMode":"json_base64" """);

        await Client.TriggerAsync(configId, FileDeliveryScenarios.FileEvent(FileDeliveryScenarios.Attachment("shared/terms.pdf", "terms.pdf", "application/pdf", 5)), sync: true);
        var refused = (await Client.TriggerAsync(configId, FileDeliveryScenarios.FileEvent(FileDeliveryScenarios.Attachment("x/../shared/terms.pdf", "terms.pdf", "application/pdf", 5))))["event_id"]!.GetValue<string>();

        var body = JsonNode.Parse((await Receiver.WaitForAsync(1))[0].Text)!;
        Assert.Equal("dGVybXM=", body["file_data"]![0]!["base64"]!.GetValue<string>());
        var failed = await Client.EventWithStatusAsync(configId, refused, "failed");
        Assert.Equal("FILE_NOT_ALLOWED", failed["http_response"]!["code"]!.GetValue<string>());
    }
}
