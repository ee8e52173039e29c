using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Herald.Server.Tests.Support;
using Herald.Webhooks.Verification.Tests.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Herald.Webhooks.Verification.Tests.Delivery;

/// <summary>
/// Real deliveries: Herald in-process on real Kestrel sends to a receiver whose routes use
/// <c>RequireHeraldSignature</c>: with the config's secret (<c>v1</c>), with the organization's public key from
/// <c>getPublicKey</c> (<c>v1a</c>), with a wrong secret, and a <c>binary_multipart</c> delivery of two files.
/// </summary>
public sealed class HeraldDeliveryTests : IAsyncLifetime
{
    private const string Placeholder = "http://127.0.0.1:9/not-yet";
    private readonly TempDirectory _files = new("herald-verification-files");
    private readonly ConcurrentDictionary<string, (Dictionary<string, string> Headers, string Body)> _raw = new();
    private HeraldApp _app = null!;
    private HttpClient _client = null!;
    private GuardedReceiver _receiver = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        Directory.CreateDirectory(Path.Combine(_files.Path, "files", "org-a", "docs"));
        await File.WriteAllTextAsync(Path.Combine(_files.Path, "files", "org-a", "docs", "a.txt"), "first file", Ct);
        await File.WriteAllBytesAsync(Path.Combine(_files.Path, "files", "org-a", "docs", "b.bin"), Enumerable.Range(0, 70_000).Select(i => (byte)i).ToArray(), Ct);
        _app = new HeraldApp(new Dictionary<string, string?> { ["Delivery:AllowPrivateNetworks"] = "true", ["Files:Directory"] = _files.Path });
        // The receiver checks timestamps against the real clock: Herald signs at the real time.
        _app.Clock.SetUtcNow(DateTimeOffset.UtcNow);
        _client = _app.Client();
    }

    public async ValueTask DisposeAsync()
    {
        if (_receiver is not null)
        {
            await _receiver.DisposeAsync();
        }
        _client.Dispose();
        _app.Dispose();
        _files.Dispose();
    }

    private async Task StartReceiverAsync(string v1Secret, string publicKeyPem, string multipartSecret)
    {
        _receiver = await GuardedReceiver.StartAsync((app, accepted) =>
        {
            void Map(string route, Action<HeraldWebhookOptions> configure) =>
                app.MapPost("/" + route, async (HttpContext context) =>
                {
                    var body = context.Request.HasFormContentType ? "" : await new StreamReader(context.Request.Body).ReadToEndAsync(context.RequestAborted);
                    _raw[route] = (context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString()), body);
                    accepted.Enqueue(new Accepted(route, context.GetVerifiedWebhook(), body));
                    return Results.Ok();
                }).RequireHeraldSignature(configure);

            Map("v1", o => o.SigningSecrets.Add(v1Secret));
            Map("v1a", o => o.PublicKeys.Add(publicKeyPem));
            Map("wrong", o => o.SigningSecrets.Add(TestSigning.NewSecret()));
            Map("multipart", o =>
            {
                o.SigningSecrets.Add(multipartSecret);
                o.MultipartAttachments = form => HeraldAttachment.ListFromJson(form["attachments"].ToString());
            });
        });
    }

    private async Task<(string Id, string Secret)> CreateConfigAsync(string extra = "")
    {
        var (id, secret) = await _client.CreateConfigAsync(new Uri(Placeholder), extra);
        return (id, secret);
    }

    private async Task PointAsync(string configId, string route, string extra = "")
    {
        var response = await _client.PutJsonAsync($"/v1/webhooks/configs/{configId}",
            $$"""{"name":"Receiver","eventName":"order_created","url":"{{new Uri(_receiver.Url, route)}}"{{(extra.Length > 0 ? "," + extra : "")}}}""");
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync(Ct));
    }

    private async Task<JsonNode> DeliverAsync(string configId, string payload)
    {
        var eventId = (await _client.TriggerAsync(configId, payload, sync: true))["event_id"]!.GetValue<string>();
        return await Eventually.ReturnsAsync(() => _client.EventAsync(configId, eventId),
            e => e["status"]?.GetValue<string>() is "succeeded" or "failed", $"event {eventId} to end", TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task Deliveries_verify_with_the_secret_v1_and_the_public_key_v1a_and_tampered_copies_are_refused_with_401()
    {
        var (v1Config, v1Secret) = await CreateConfigAsync();
        var (v1aConfig, _) = await CreateConfigAsync();
        var (wrongConfig, _) = await CreateConfigAsync();
        var publicKey = (await (await _client.GetAsync($"/v1/webhooks/.well-known/public-key?orgId={HeraldApp.OrgA}", Ct)).ReadAsync())["public_key"]!.GetValue<string>();
        await StartReceiverAsync(v1Secret, publicKey, TestSigning.NewSecret());
        await PointAsync(v1Config, "v1");
        await PointAsync(v1aConfig, "v1a");
        await PointAsync(wrongConfig, "wrong");
        const string payload = """{"metadata":{},"entity":{"_id":"e-1","name":"Zoë","amount":12.5}}""";

        var byV1 = await DeliverAsync(v1Config, payload);
        var byV1a = await DeliverAsync(v1aConfig, payload);
        var byWrong = await DeliverAsync(wrongConfig, payload);

        Assert.Equal("succeeded", byV1["status"]!.GetValue<string>());
        Assert.Equal("succeeded", byV1a["status"]!.GetValue<string>());
        Assert.Equal("failed", byWrong["status"]!.GetValue<string>());
        Assert.Equal(401, byWrong["http_response"]!["status_code"]!.GetValue<int>());
        var accepted = _receiver.AcceptedRequests.ToDictionary(a => a.Route);
        Assert.Equal(["v1", "v1a"], accepted.Keys.Order());
        Assert.Equal("v1", accepted["v1"].Webhook!.Scheme);
        Assert.Equal("v1a", accepted["v1a"].Webhook!.Scheme);
        Assert.Equal(Herald.Server.Tests.Support.WebhookSteps.MessageIdOf(byV1["event_id"]!.GetValue<string>()), accepted["v1"].Webhook!.Id);
        Assert.Contains("Zoë", accepted["v1"].Body);

        // The delivery to /v1 carries the organization's v1a entry as well: replayed as received it passes both
        // guards; with one byte of the body or the id changed, neither.
        var (headers, body) = _raw["v1"];
        using var client = _receiver.Client();
        async Task<HttpStatusCode> SendAsync(string route, string sentBody, string? id = null)
        {
            var request = new HttpRequestMessage(HttpMethod.Post, "/" + route) { Content = new StringContent(sentBody, Encoding.UTF8, "application/json") };
            request.Headers.Add("webhook-id", id ?? headers["webhook-id"]);
            request.Headers.Add("webhook-timestamp", headers["webhook-timestamp"]);
            request.Headers.Add("webhook-signature", headers["webhook-signature"]);
            using var response = await client.SendAsync(request, Ct);
            return response.StatusCode;
        }
        var tampered = body.Replace("12.5", "12.6", StringComparison.Ordinal);
        Assert.NotEqual(body, tampered);

        Assert.Equal(HttpStatusCode.OK, await SendAsync("v1", body));
        Assert.Equal(HttpStatusCode.OK, await SendAsync("v1a", body));
        Assert.Equal(HttpStatusCode.Unauthorized, await SendAsync("v1", tampered));
        Assert.Equal(HttpStatusCode.Unauthorized, await SendAsync("v1a", tampered));
        Assert.Equal(HttpStatusCode.Unauthorized, await SendAsync("v1", body, id: headers["webhook-id"] + "0"));
        Assert.Equal(HttpStatusCode.Unauthorized, await SendAsync("v1a", body, id: headers["webhook-id"] + "0"));
    }

    [Fact]
    public async Task A_binary_multipart_delivery_of_two_files_verifies_from_its_parts_and_the_attachments_it_carries()
    {
        const string multipart = """
            "deliveryMode":"binary_multipart","multipartConfig":{"fileFieldStrategy":"multi","extraFields":{"attachments":"event_attachments"}}
            """;
        var (configId, secret) = await CreateConfigAsync(multipart);
        await StartReceiverAsync(TestSigning.NewSecret(), TestSigning.Pem(TestSigning.NewKey()), secret);
        await PointAsync(configId, "multipart", multipart);
        const string payload = """
            {"metadata":{},"entity":{"_id":"doc-1"},"event_attachments":[
              {"entity_id":"doc-1","filename":"a.txt","mime_type":"text/plain","size_bytes":10,"version_index":0,"readable_size":"10 B","s3ref":{"bucket":"files","key":"org-a/docs/a.txt"}},
              {"entity_id":"doc-1","filename":"b – Zoë.bin","mime_type":"application/octet-stream","size_bytes":70000,"version_index":3,"s3ref":{"bucket":"files","key":"org-a/docs/b.bin"}}]}
            """;

        var delivered = await DeliverAsync(configId, payload);

        Assert.True(delivered["status"]!.GetValue<string>() == "succeeded", delivered.ToJsonString());
        var accepted = Assert.Single(_receiver.AcceptedRequests);
        Assert.Equal("multipart", accepted.Route);
        Assert.Equal("v1", accepted.Webhook!.Scheme);
        Assert.StartsWith("multipart/form-data", _raw["multipart"].Headers["Content-Type"]);
    }
}
