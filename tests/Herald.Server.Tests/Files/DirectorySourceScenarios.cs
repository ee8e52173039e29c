using System.Text.Json.Nodes;
using Herald.Server.Files;
using Herald.Server.Tests.Support;

namespace Herald.Server.Tests.Files;

/// <summary>
/// <c>Files:Directory</c> (the source when <c>Files:Source</c> is unset): <c>{Files:Directory}/{bucket}/{key}</c>, and
/// nothing outside that folder, however the key is spelled or linked.
/// </summary>
public sealed class DirectorySourceScenarios : ReceiverScenario
{
    private readonly TempDirectory _root = new("herald-files");
    private readonly TempDirectory _outside = new("herald-outside");

    protected override IReadOnlyDictionary<string, string?> ExtraSettings => new Dictionary<string, string?> { ["Files:Directory"] = _root.Path };

    public override async ValueTask InitializeAsync()
    {
        Directory.CreateDirectory(Path.Combine(_root.Path, "files", "org-a", "docs"));
        Directory.CreateDirectory(Path.Combine(_root.Path, "files", "org-b"));
        await File.WriteAllTextAsync(Path.Combine(_root.Path, "files", "org-a", "docs", "ok.txt"), "inside", Ct);
        await File.WriteAllTextAsync(Path.Combine(_root.Path, "files", "org-b", "secret.txt"), "org-b", Ct);
        // Organization B's key "org-b/org-a/x.txt", which a bucket "files/org-b" would put under A's prefix.
        Directory.CreateDirectory(Path.Combine(_root.Path, "files", "org-b", "org-a"));
        await File.WriteAllTextAsync(Path.Combine(_root.Path, "files", "org-b", "org-a", "x.txt"), "org-b", Ct);
        await File.WriteAllTextAsync(Path.Combine(_outside.Path, "secret.txt"), "outside", Ct);
        File.CreateSymbolicLink(Path.Combine(_root.Path, "files", "org-a", "docs", "link.txt"), Path.Combine(_outside.Path, "secret.txt"));
        Directory.CreateSymbolicLink(Path.Combine(_root.Path, "files", "org-a", "out"), _outside.Path);
        await base.InitializeAsync();
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        _root.Dispose();
        _outside.Dispose();
    }

    private async Task<JsonNode> DeliverAsync(string key, string bucket = "files")
    {
        var (configId, _) = await Client.CreateConfigAsync(Receiver.Url, """ "deliveryMode":"json_base64" """);
        var eventId = (await Client.TriggerAsync(configId, FileDeliveryScenarios.FileEvent(FileDeliveryScenarios.Attachment(key, "f.txt", "text/plain", 6, bucket: bucket))))["event_id"]!.GetValue<string>();
        return await Eventually.ReturnsAsync(() => Client.EventAsync(configId, eventId), e => e["status"]?.GetValue<string>() is "succeeded" or "failed", $"event {eventId} to end");
    }

    [Fact]
    public async Task A_file_inside_the_folder_is_delivered()
    {
        var ended = await DeliverAsync("org-a/docs/ok.txt");

        Assert.Equal("succeeded", ended["status"]!.GetValue<string>());
        var body = JsonNode.Parse((await Receiver.WaitForAsync(1))[0].Text)!;
        Assert.Equal("aW5zaWRl", body["file_data"]![0]!["base64"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("files", "org-a/../../herald-outside/secret.txt")]
    [InlineData("files", "org-a/docs/../../org-b/secret.txt")]
    [InlineData("files", "org-a/%2e%2e/org-b/secret.txt")]
    [InlineData("..", "org-a/secret.txt")]
    [InlineData("files/org-b", "org-a/x.txt")]
    [InlineData("files", "/etc/passwd")]
    public async Task A_key_that_leaves_the_folder_is_not_allowed(string bucket, string key)
    {
        var ended = await DeliverAsync(key, bucket);

        Assert.Equal("failed", ended["status"]!.GetValue<string>());
        Assert.Equal("FILE_NOT_ALLOWED", ended["http_response"]!["code"]!.GetValue<string>());
        Assert.Empty(Receiver.Received);
    }

    [Fact]
    public async Task A_file_of_another_organization_is_not_delivered()
    {
        var ended = await DeliverAsync("org-b/secret.txt");

        Assert.Equal("failed", ended["status"]!.GetValue<string>());
        Assert.Equal("FILE_NOT_ALLOWED", ended["http_response"]!["code"]!.GetValue<string>());
        Assert.Contains("Files:KeyPrefix", ended["http_response"]!["message"]!.GetValue<string>());
        Assert.Empty(Receiver.Received);
    }

    [Fact]
    public async Task A_file_that_never_opens_fails_FILE_UNAVAILABLE_once_Files_DownloadTimeout_passes()
    {
        if (!OperatingSystem.IsLinux())
        {
            Assert.Skip("makes a named pipe with mkfifo");
        }
        // Opening a named pipe for reading waits for a writer: a read that would hold its worker forever.
        var pipe = Path.Combine(_root.Path, "files", "org-a", "pipe");
        var made = await ProcessRun.RunAsync("mkfifo", [pipe], _root.Path, new Dictionary<string, string?>(), TimeSpan.FromSeconds(10), Ct);
        Assert.True(made.ExitCode == 0, made.StandardError);
        var (configId, _) = await Client.CreateConfigAsync(Receiver.Url, """ "deliveryMode":"json_base64","retryPolicy":{"enabled":true,"maxAttempts":5} """);
        var eventId = (await Client.TriggerAsync(configId, FileDeliveryScenarios.FileEvent(FileDeliveryScenarios.Attachment("org-a/pipe", "pipe", "text/plain", 1))))["event_id"]!.GetValue<string>();
        try
        {
            // When the download began is not visible from here: the clock moves on in steps until the attempt ends.
            JsonNode? pending = null;
            for (var step = 0; step < 20 && pending?["http_response"]?["code"] is null; step++)
            {
                App.Clock.Advance(TimeSpan.FromSeconds(10));
                await Task.Delay(200, Ct);
                pending = await Client.EventAsync(configId, eventId);
            }

            Assert.True(pending!["http_response"]?["code"]?.GetValue<string>() == "FILE_UNAVAILABLE", pending.ToJsonString());
            Assert.Equal("in_progress", pending["status"]!.GetValue<string>());
            Assert.Contains("Files:DownloadTimeout (60 s)", pending["http_response"]!["message"]!.GetValue<string>());
            Assert.Empty(Receiver.Received);
        }
        finally
        {
            // Opened for reading and writing (which on Linux never waits), the pipe has a writer: the waiting opens
            // end, and Herald closes what they opened.
            File.OpenHandle(pipe, FileMode.Open, FileAccess.ReadWrite).Dispose();
        }
    }

    [Theory]
    [InlineData("org-a/docs/link.txt")]
    [InlineData("org-a/out/secret.txt")]
    public async Task A_symbolic_link_is_refused(string key)
    {
        var ended = await DeliverAsync(key);

        Assert.Equal("FILE_REFUSED", ended["http_response"]!["code"]!.GetValue<string>());
        Assert.Contains("symbolic link", ended["http_response"]!["message"]!.GetValue<string>());
        Assert.Empty(Receiver.Received);
    }
}

/// <summary>Without any file source, the file modes fail and say which setting is missing.</summary>
public sealed class NoFileSourceScenarios : ReceiverScenario
{
    [Theory]
    [InlineData("json_base64")]
    [InlineData("binary_multipart")]
    public async Task A_file_mode_without_a_source_fails_FILE_SOURCE_NOT_CONFIGURED(string mode)
    {
        var (configId, _) = await Client.CreateConfigAsync(Receiver.Url, $$""" "deliveryMode":"{{mode}}" """);
        var eventId = (await Client.TriggerAsync(configId, FileDeliveryScenarios.FileEvent(FileDeliveryScenarios.Attachment("org-a/a", "a", "text/plain", 1))))["event_id"]!.GetValue<string>();

        var failed = await Client.EventWithStatusAsync(configId, eventId, "failed");

        Assert.Equal("FILE_SOURCE_NOT_CONFIGURED", failed["http_response"]!["code"]!.GetValue<string>());
        Assert.Contains("Files:Source", failed["http_response"]!["message"]!.GetValue<string>());
        Assert.Empty(Receiver.Received);
    }

    [Fact]
    public async Task Without_a_mode_the_event_keeps_only_its_references()
    {
        var (configId, _) = await Client.CreateConfigAsync(Receiver.Url);
        var payload = FileDeliveryScenarios.FileEvent(FileDeliveryScenarios.Attachment("a", "a", "text/plain", 1));

        await Client.TriggerAsync(configId, payload, sync: true);

        var body = JsonNode.Parse((await Receiver.WaitForAsync(1))[0].Text)!;
        Assert.Null(body["file_data"]);
        Assert.Equal("a", body["event_attachments"]![0]!["s3ref"]!["key"]!.GetValue<string>());
    }
}

/// <summary>A file source Herald cannot use stops the start, naming the setting.</summary>
public sealed class FileSettingsTests
{
    [Theory]
    [InlineData("Files:Source", "Ftp", "Files:Source 'FTP' is not known")]
    [InlineData("Files:Source", "Directory", "Files:Directory is not set")]
    [InlineData("Files:MaxBytes", "0", "Files:MaxBytes")]
    [InlineData("Files:DownloadTimeout", "00:00:00", "Files:DownloadTimeout")]
    [InlineData("Files:MaxAttachmentsPerEvent", "0", "Files:MaxAttachmentsPerEvent must be at least 1")]
    [InlineData("Files:KeyPrefix", "files/", "Files:KeyPrefix 'files/' must contain {organization}")]
    [InlineData("Files:KeyPrefix", "{org}/", "Files:KeyPrefix '{org}/' must contain {organization}")]
    [InlineData("Files:KeyPrefix", "{organisation}/{organization}/", "Files:KeyPrefix '{organisation}/{organization}/' holds a '{' or '}'")]
    [InlineData("Files:KeyPrefix", "{organization}", "Files:KeyPrefix '{organization}' must end with '/'")]
    [InlineData("Files:KeyPrefix", "/tenants/{organization}/", "Files:KeyPrefix '/tenants/{organization}/' must not start with '/'")]
    [InlineData("Files:KeyPrefix", "tenants/../{organization}/", "Files:KeyPrefix 'tenants/../{organization}/' holds a '..' segment")]
    [InlineData("Files:Buckets:0", "a/b", "Files:Buckets[0] 'a/b' is not a bucket name")]
    public void A_setting_herald_cannot_use_stops_the_start(string key, string value, string expected)
    {
        var error = HeraldApp.StartFailure(new Dictionary<string, string?> { [key] = value });

        Assert.Contains(expected, error.ToString());
    }
}

/// <summary>
/// The folder source's own refusals, behind the scope rule that already turns such references away: whatever
/// reaches it, it serves only files inside its folder.
/// </summary>
public sealed class DirectoryFileSourceTests
{
    [Theory]
    [InlineData("files", "../x")]
    [InlineData("files", "a/../../x")]
    [InlineData("..", "x")]
    [InlineData("files/../..", "x")]
    [InlineData("files", "/etc/passwd")]
    [InlineData("files", "a\\..\\x")]
    public void A_reference_that_leaves_the_folder_is_refused_by_the_source(string bucket, string key)
    {
        using var root = new TempDirectory("herald-files");
        var source = new DirectoryFileSource(root.Path);

        var error = Assert.Throws<FileFetchException>(() => source.PathOf(new FileReference(new JsonObject(), bucket, key)));

        Assert.Equal(FileFailure.Refused, error.Failure);
    }
}
