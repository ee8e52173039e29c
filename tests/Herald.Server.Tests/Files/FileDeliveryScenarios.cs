using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Herald.Server.Tests.Support;
using NSec.Cryptography;

namespace Herald.Server.Tests.Files;

/// <summary>
/// <c>deliveryMode</c> against a real S3-compatible server (s3rver): files are read from it and reach a real
/// receiver as base64 in the JSON body or as parts of a multipart form.
/// </summary>
public class FileDeliveryScenarios : ReceiverScenario
{
    /// <summary>Lowered from the default 100 MB so that the too-large file stays small (1.5 MiB over 1 MiB).</summary>
    private const int MaxBytes = 1024 * 1024;

    protected S3rver S3 { get; private set; } = null!;

    protected override IReadOnlyDictionary<string, string?> ExtraSettings =>
        new Dictionary<string, string?>(S3.Settings) { ["Files:MaxBytes"] = MaxBytes.ToString(System.Globalization.CultureInfo.InvariantCulture) };

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

    internal static byte[] Bytes(int length, int seed)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    internal static string Attachment(string key, string filename, string mime, long size, int version = 0, string bucket = S3rver.Bucket) =>
        $$$"""{"entity_id":"doc-1","filename":"{{{filename}}}","mime_type":"{{{mime}}}","size_bytes":{{{size}}},"version_index":{{{version}}},"readable_size":"{{{size}}} B","s3ref":{"bucket":"{{{bucket}}}","key":"{{{key}}}"}}""";

    internal static string FileEvent(params string[] attachments) =>
        $$$"""{"metadata":{},"entity":{"_id":"doc-1","meta":{"b":"x","a":1}},"event_attachments":[{{{string.Join(",", attachments)}}}]}""";

    private async Task<string> StartAsync(string configId, string payload) =>
        (await Client.TriggerAsync(configId, payload))["event_id"]!.GetValue<string>();

    private async Task<int> AttemptCountAsync(string configId, string eventId) =>
        (await (await Client.GetAsync($"/v1/webhooks/configs/{configId}/events/{eventId}/attempts", Ct)).ReadAsync())["data"]!.AsArray().Count;

    [Fact]
    public async Task Json_base64_adds_file_data_in_order_and_the_transform_sees_it()
    {
        var first = Bytes(1000, 1);
        var second = Bytes(3000, 2);
        await S3.PutAsync("org-a/docs/a.pdf", first, "application/pdf");
        await S3.PutAsync("org-a/docs/b.png", second, "image/png");
        var (configId, _) = await Client.CreateConfigAsync(Receiver.Url, """
            "deliveryMode":"json_base64",
            "jsonataExpression":"{ 'count': $count(file_data), 'file_data': file_data, 'names': event_attachments.filename }"
            """);

        await Client.TriggerAsync(configId, FileEvent(Attachment("org-a/docs/a.pdf", "a.pdf", "application/pdf", 1000), Attachment("org-a/docs/b.png", "b.png", "image/png", 3000)), sync: true);

        var received = (await Receiver.WaitForAsync(1))[0];
        Assert.StartsWith("application/json", received.Header("content-type"));
        var body = JsonNode.Parse(received.Text)!;
        Assert.Equal(2, body["count"]!.GetValue<int>());
        Assert.Equal(["a.pdf", "b.png"], body["names"]!.AsArray().Select(n => n!.GetValue<string>()));
        var data = body["file_data"]!.AsArray();
        Assert.Equal(first, Convert.FromBase64String(data[0]!["base64"]!.GetValue<string>()));
        Assert.Equal(second, Convert.FromBase64String(data[1]!["base64"]!.GetValue<string>()));
        Assert.Equal("image/png", data[1]!["mime_type"]!.GetValue<string>());
        Assert.Equal("b.png", data[1]!["filename"]!.GetValue<string>());
        Assert.Equal(3000, data[1]!["size_bytes"]!.GetValue<long>());
    }

    [Fact]
    public async Task Json_base64_without_a_transform_keeps_event_attachments_beside_file_data()
    {
        await S3.PutAsync("org-a/one.txt", "hello"u8.ToArray(), "text/plain");
        var (configId, _) = await Client.CreateConfigAsync(Receiver.Url, """ "deliveryMode":"json_base64" """);

        await Client.TriggerAsync(configId, FileEvent(Attachment("org-a/one.txt", "one.txt", "text/plain", 5)), sync: true);

        var body = JsonNode.Parse((await Receiver.WaitForAsync(1))[0].Text)!;
        Assert.Equal("org-a/one.txt", body["event_attachments"]![0]!["s3ref"]!["key"]!.GetValue<string>());
        Assert.Equal("aGVsbG8=", body["file_data"]![0]!["base64"]!.GetValue<string>());
    }

    [Fact]
    public async Task Binary_multipart_single_sends_the_file_and_the_extra_fields_and_signs_hash_and_reference()
    {
        var file = Bytes(200_000, 3);
        await S3.PutAsync("org-a/inv/1.pdf", file, "application/pdf");
        (await Client.PostJsonAsync("/v1/environments", """{"key":"tenant","type":"String","value":"acme"}""")).EnsureSuccessStatusCode();
        var (configId, secret) = await Client.CreateConfigAsync(Receiver.Url, """
            "deliveryMode":"binary_multipart",
            "jsonataExpression":"{ 'never': 'used' }",
            "multipartConfig":{"fileSource":"event_attachments[0]","extraFields":{
                "kind":"'invoice'","entity":"entity._id","tenant":"'{{ env.tenant }}'","meta":"entity.meta","missing":"entity.nothing"}}
            """);

        var outcome = await Client.TriggerAsync(configId, FileEvent(Attachment("org-a/inv/1.pdf", "invoice 1.pdf", "application/pdf", 200_000, 2), Attachment("org-a/x", "x", "text/plain", 1)), sync: true);

        var received = (await Receiver.WaitForAsync(1))[0];
        Assert.StartsWith("multipart/form-data; boundary=", received.Header("content-type"));
        var parts = await FileForm.PartsAsync(received);
        Assert.Equal(["entity", "kind", "meta", "tenant", "file"], parts.Select(p => p.Name));
        Assert.Equal("doc-1", parts[0].Text);
        Assert.Equal("invoice", parts[1].Text);
        Assert.Equal("""{"b":"x","a":1}""", parts[2].Text);
        Assert.Equal("acme", parts[3].Text);
        Assert.Equal("invoice 1.pdf", parts[4].FileName);
        Assert.Equal("application/pdf", parts[4].ContentType);
        Assert.Equal(file, parts[4].Content);

        // The signed content, rebuilt here from the received part and the event's attachment.
        var content = Convert.ToHexStringLower(SHA256.HashData(parts[4].Content))
            + """.{"entity_id":"doc-1","filename":"invoice 1.pdf","mime_type":"application/pdf","size_bytes":200000,"version_index":2}""";
        await AssertSignedAsync(received, content, secret);

        // The record keeps the form's fields (before env resolution) and the file reference, not the bytes.
        var recorded = await Client.EventAsync(configId, outcome["event_id"]!.GetValue<string>());
        var form = JsonNode.Parse(recorded["payload"]!.GetValue<string>())!["form_data"]!;
        Assert.Equal("'{{ env.tenant }}'".Trim('\''), form["fields"]!["tenant"]!.GetValue<string>());
        Assert.Equal("org-a/inv/1.pdf", form["files"]![0]!["attachment"]!["s3ref"]!["key"]!.GetValue<string>());
        Assert.Equal("file", form["files"]![0]!["field"]!.GetValue<string>());
        Assert.True(recorded["payload"]!.GetValue<string>().Length < 2000);
    }

    [Fact]
    public async Task Binary_multipart_multi_repeats_the_field_in_order_and_signs_every_file()
    {
        var first = Bytes(5000, 4);
        var second = Bytes(7000, 5);
        await S3.PutAsync("org-a/m/1.bin", first);
        await S3.PutAsync("org-a/m/2.csv", second, "text/csv");
        var (configId, secret) = await Client.CreateConfigAsync(Receiver.Url, """
            "deliveryMode":"binary_multipart",
            "multipartConfig":{"fileFieldStrategy":"multi","fileFieldName":"doc","extraFields":{"count":"$count(event_attachments)"}}
            """);

        await Client.TriggerAsync(configId, FileEvent(Attachment("org-a/m/1.bin", "1.bin", "application/octet-stream", 5000), Attachment("org-a/m/2.csv", "2.csv", "text/csv", 7000, 1)), sync: true);

        var received = (await Receiver.WaitForAsync(1))[0];
        var parts = await FileForm.PartsAsync(received);
        Assert.Equal(["count", "doc", "doc"], parts.Select(p => p.Name));
        Assert.Equal("2", parts[0].Text);
        Assert.Equal(first, parts[1].Content);
        Assert.Equal(second, parts[2].Content);
        Assert.Equal("text/csv", parts[2].ContentType);
        var content = Convert.ToHexStringLower(SHA256.HashData(parts[1].Content))
            + """.{"entity_id":"doc-1","filename":"1.bin","mime_type":"application/octet-stream","size_bytes":5000,"version_index":0}"""
            + "\n" + Convert.ToHexStringLower(SHA256.HashData(parts[2].Content))
            + """.{"entity_id":"doc-1","filename":"2.csv","mime_type":"text/csv","size_bytes":7000,"version_index":1}""";
        await AssertSignedAsync(received, content, secret);
    }

    [Fact]
    public async Task An_empty_file_source_skips_the_event_with_NO_FILE_ATTACHMENTS_and_sends_nothing()
    {
        var (configId, _) = await Client.CreateConfigAsync(Receiver.Url, """
            "deliveryMode":"binary_multipart","multipartConfig":{"fileSource":"event_attachments[mime_type = 'image/png']"}
            """);

        var eventId = await StartAsync(configId, FileEvent(Attachment("org-a/a", "a.pdf", "application/pdf", 1)));

        var skipped = await Client.EventWithStatusAsync(configId, eventId, "skipped");
        Assert.Equal("NO_FILE_ATTACHMENTS", skipped["http_response"]!["code"]!.GetValue<string>());
        var none = await StartAsync(configId, """{"metadata":{},"event_attachments":[]}""");
        await Client.EventWithStatusAsync(configId, none, "skipped");
        Assert.Empty(Receiver.Received);
    }

    [Fact]
    public async Task Single_with_two_picked_attachments_fails_with_a_clear_message()
    {
        var (configId, _) = await Client.CreateConfigAsync(Receiver.Url, """ "deliveryMode":"binary_multipart","multipartConfig":{} """);

        var eventId = await StartAsync(configId, FileEvent(Attachment("org-a/a", "a", "text/plain", 1), Attachment("org-a/b", "b", "text/plain", 1)));

        var failed = await Client.EventWithStatusAsync(configId, eventId, "failed");
        Assert.Contains("multipartConfig.fileFieldStrategy is single but multipartConfig.fileSource picked 2 attachments", failed["http_response"]!["message"]!.GetValue<string>());
        Assert.Empty(Receiver.Received);
    }

    [Fact]
    public async Task A_file_over_Files_MaxBytes_fails_FILE_TOO_LARGE_with_413_and_one_attempt()
    {
        await S3.PutAsync("org-a/big.bin", Bytes(MaxBytes * 3 / 2, 6));
        var (configId, _) = await Client.CreateConfigAsync(Receiver.Url, """
            "deliveryMode":"binary_multipart","retryPolicy":{"enabled":true,"maxAttempts":5}
            """);

        var eventId = await StartAsync(configId, FileEvent(Attachment("org-a/big.bin", "big.bin", "application/octet-stream", MaxBytes * 3 / 2)));

        var failed = await Client.EventWithStatusAsync(configId, eventId, "failed");
        Assert.Equal("FILE_TOO_LARGE", failed["http_response"]!["code"]!.GetValue<string>());
        Assert.Equal(413, failed["http_response"]!["status_code"]!.GetValue<int>());
        Assert.Contains("Files:MaxBytes", failed["http_response"]!["message"]!.GetValue<string>());
        Assert.Equal(1, await AttemptCountAsync(configId, eventId));
        Assert.Empty(Receiver.Received);
    }

    [Fact]
    public async Task A_missing_object_fails_FILE_NOT_FOUND_without_a_retry()
    {
        var (configId, _) = await Client.CreateConfigAsync(Receiver.Url, """
            "deliveryMode":"json_base64","retryPolicy":{"enabled":true,"maxAttempts":5}
            """);

        var eventId = await StartAsync(configId, FileEvent(Attachment("org-a/not/there.pdf", "there.pdf", "application/pdf", 10)));

        var failed = await Client.EventWithStatusAsync(configId, eventId, "failed");
        Assert.Equal("FILE_NOT_FOUND", failed["http_response"]!["code"]!.GetValue<string>());
        Assert.Contains("files/org-a/not/there.pdf", failed["http_response"]!["message"]!.GetValue<string>());
        Assert.Equal(1, await AttemptCountAsync(configId, eventId));
        Assert.Empty(Receiver.Received);
    }

    [Fact]
    public async Task A_store_that_cannot_be_reached_fails_the_attempt_FILE_UNAVAILABLE_and_it_is_retried()
    {
        var (configId, _) = await Client.CreateConfigAsync(Receiver.Url, """
            "deliveryMode":"binary_multipart","retryPolicy":{"enabled":true,"maxAttempts":5}
            """);
        await S3.DisposeAsync();

        var eventId = await StartAsync(configId, FileEvent(Attachment("org-a/gone.bin", "gone.bin", "application/octet-stream", 10)));

        var pending = await Eventually.ReturnsAsync(
            () => Client.EventAsync(configId, eventId), e => e["http_response"]?["code"] is not null, "the first attempt's outcome", TimeSpan.FromSeconds(60));
        Assert.Equal("in_progress", pending["status"]!.GetValue<string>());
        Assert.True(pending["http_response"]?["code"]?.GetValue<string>() == "FILE_UNAVAILABLE", pending.ToJsonString());
        Assert.Equal(1, await AttemptCountAsync(configId, eventId));
        Assert.Empty(Receiver.Received);
    }

    [Fact]
    public async Task A_plain_replay_sends_the_stored_body_and_reapplying_the_transform_downloads_the_files_again()
    {
        await S3.PutAsync("org-a/r.txt", "first"u8.ToArray(), "text/plain");
        var (configId, _) = await Client.CreateConfigAsync(Receiver.Url, """ "deliveryMode":"json_base64","jsonataExpression":"{ 'b64': file_data[0].base64 }" """);
        var eventId = (await Client.TriggerAsync(configId, FileEvent(Attachment("org-a/r.txt", "r.txt", "text/plain", 5)), sync: true))["event_id"]!.GetValue<string>();
        await S3.PutAsync("org-a/r.txt", "second"u8.ToArray(), "text/plain");

        (await Client.PostAsync($"/v1/webhooks/configs/{configId}/events/{eventId}/replay", null, Ct)).EnsureSuccessStatusCode();
        await Receiver.WaitForAsync(2);
        (await Client.PostAsync($"/v1/webhooks/configs/{configId}/events/{eventId}/replay", Json.Body("""{"reapply_transform":true}"""), Ct)).EnsureSuccessStatusCode();
        var received = await Receiver.WaitForAsync(3);

        Assert.Equal(["first", "first", "second"], received.Select(r => Encoding.UTF8.GetString(Convert.FromBase64String(JsonNode.Parse(r.Text)!["b64"]!.GetValue<string>()))));
    }

    [Fact]
    public async Task A_plain_replay_of_a_multipart_delivery_rebuilds_the_same_form_from_the_record()
    {
        await S3.PutAsync("org-a/p.bin", Bytes(4000, 7));
        var (configId, _) = await Client.CreateConfigAsync(Receiver.Url, """
            "deliveryMode":"binary_multipart","multipartConfig":{"extraFields":{"id":"entity._id"}}
            """);
        var eventId = (await Client.TriggerAsync(configId, FileEvent(Attachment("org-a/p.bin", "p.bin", "application/octet-stream", 4000)), sync: true))["event_id"]!.GetValue<string>();

        (await Client.PostAsync($"/v1/webhooks/configs/{configId}/events/{eventId}/replay", null, Ct)).EnsureSuccessStatusCode();
        var received = await Receiver.WaitForAsync(2);

        var first = await FileForm.PartsAsync(received[0]);
        var again = await FileForm.PartsAsync(received[1]);
        Assert.Equal(first.Select(p => (p.Name, p.FileName, p.ContentType, Convert.ToBase64String(p.Content))), again.Select(p => (p.Name, p.FileName, p.ContentType, Convert.ToBase64String(p.Content))));
        Assert.Equal(received[0].Header("webhook-id"), received[1].Header("webhook-id"));
    }

    /// <summary>
    /// Checks both signature schemes against <paramref name="content"/>, with .NET's crypto and with Node's:
    /// <c>v1</c> as HMAC-SHA256 with the config's secret, <c>v1a</c> as Ed25519 with the organization's public key.
    /// </summary>
    private async Task AssertSignedAsync(ReceivedRequest received, string content, string secret)
    {
        var signed = $"{received.Header("webhook-id")}.{received.Header("webhook-timestamp")}.{content}";
        var entries = received.Header("webhook-signature").Split(' ');
        var v1 = entries.Single(e => e.StartsWith("v1,", StringComparison.Ordinal))["v1,".Length..];
        var v1a = entries.Single(e => e.StartsWith("v1a,", StringComparison.Ordinal))["v1a,".Length..];
        var key = Convert.FromBase64String(secret["whsec_".Length..]);
        Assert.Equal(v1, Convert.ToBase64String(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(signed))));

        var pem = (await (await App.Client(null).GetAsync($"/v1/webhooks/.well-known/public-key?orgId={HeraldApp.OrgA}", Ct)).ReadAsync())["public_key"]!.GetValue<string>();
        var spki = Convert.FromBase64String(string.Concat(pem.Split('\n').Where(l => !l.StartsWith("-----", StringComparison.Ordinal))));
        var publicKey = PublicKey.Import(SignatureAlgorithm.Ed25519, spki[^32..], KeyBlobFormat.RawPublicKey);
        Assert.True(SignatureAlgorithm.Ed25519.Verify(publicKey, Encoding.UTF8.GetBytes(signed), Convert.FromBase64String(v1a)), "v1a does not verify with .NET");

        var node = JsonNode.Parse(await S3rver.NodeAsync("""
            import { createHmac, verify } from 'node:crypto';
            const [secret, signed, pem, v1a] = process.argv.slice(2);
            const hmac = createHmac('sha256', Buffer.from(secret, 'base64')).update(signed, 'utf8').digest('base64');
            const ok = verify(null, Buffer.from(signed, 'utf8'), pem, Buffer.from(v1a, 'base64'));
            console.log(JSON.stringify({ hmac, ok }));
            """, secret["whsec_".Length..], signed, pem, v1a))!;
        Assert.Equal(v1, node["hmac"]!.GetValue<string>());
        Assert.True(node["ok"]!.GetValue<bool>(), "v1a does not verify with Node");
    }
}

/// <summary>The same scenarios with Herald on PostgreSQL.</summary>
public sealed class PostgresFileDeliveryScenarios(PostgresServer server) : FileDeliveryScenarios
{
    protected override Task<Dictionary<string, string?>> StorageAsync() => server.StorageAsync();
}
