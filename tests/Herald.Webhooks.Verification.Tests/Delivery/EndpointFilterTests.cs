using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Herald.Webhooks.Verification.Tests.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Herald.Webhooks.Verification.Tests.Delivery;

/// <summary>The endpoint filter on real Kestrel, with requests signed here.</summary>
public sealed class EndpointFilterTests : IAsyncLifetime
{
    private static readonly string Secret = TestSigning.NewSecret();
    private GuardedReceiver _receiver = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _receiver = await GuardedReceiver.StartAsync((app, accepted) =>
        {
            var options = new HeraldWebhookOptions { MaxBodyBytes = 1024 };
            options.SigningSecrets.Add(Secret);
            // The handler binds the body: the filter still sees the raw bytes.
            app.MapPost("/bound", (JsonObject payload, HttpContext context) =>
            {
                accepted.Enqueue(new Accepted("bound", context.GetVerifiedWebhook(), payload.ToJsonString()));
                return Results.Ok();
            }).RequireHeraldSignature(options);
            app.MapPost("/raw", async (HttpContext context) =>
            {
                var body = await new StreamReader(context.Request.Body).ReadToEndAsync(context.RequestAborted);
                accepted.Enqueue(new Accepted("raw", context.GetVerifiedWebhook(), body));
                return Results.Ok();
            }).RequireHeraldSignature(options);
            app.MapGroup("/group").RequireHeraldSignature(o => o.SigningSecrets.Add(Secret)).MapPost("/hook", () => Results.Ok());
        });
    }

    public async ValueTask DisposeAsync() => await _receiver.DisposeAsync();

    private static HttpRequestMessage Signed(string path, string body, string? signature = null, long? timestamp = null, string id = TestSigning.Id)
    {
        var at = timestamp ?? DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Add("webhook-id", id);
        request.Headers.Add("webhook-timestamp", at.ToString());
        request.Headers.Add("webhook-signature", signature ?? TestSigning.V1(Secret, id, at, body));
        return request;
    }

    [Theory]
    [InlineData("/bound")]
    [InlineData("/raw")]
    public async Task A_signed_request_reaches_the_handler_with_its_body_and_the_verified_message(string path)
    {
        using var client = _receiver.Client();
        const string body = """{"entity":{"name":"Zoë"},  "n": 1}""";

        using var response = await client.SendAsync(Signed(path, body), Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var accepted = Assert.Single(_receiver.AcceptedRequests);
        Assert.Equal(TestSigning.Id, accepted.Webhook!.Id);
        Assert.Equal("v1", accepted.Webhook.Scheme);
        Assert.Equal("Zoë", JsonNode.Parse(accepted.Body)!["entity"]!["name"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("/bound")]
    [InlineData("/raw")]
    [InlineData("/group/hook")]
    public async Task An_unsigned_tampered_or_stale_request_is_answered_401_with_a_message_and_never_reaches_the_handler(string path)
    {
        using var client = _receiver.Client();
        const string body = """{"n":1}""";
        var old = DateTimeOffset.UtcNow.ToUnixTimeSeconds() - 600;
        var unsigned = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(body, Encoding.UTF8, "application/json") };

        var answers = new List<(HttpStatusCode Status, string Message)>();
        foreach (var request in new[]
        {
            unsigned,
            Signed(path, body, signature: TestSigning.V1(Secret, body: """{"n":2}""")),
            Signed(path, body, signature: TestSigning.V1(TestSigning.NewSecret(), timestamp: DateTimeOffset.UtcNow.ToUnixTimeSeconds(), body: body)),
            Signed(path, body, timestamp: old),
        })
        {
            using var response = await client.SendAsync(request, Ct);
            answers.Add((response.StatusCode, JsonNode.Parse(await response.Content.ReadAsStringAsync(Ct))!["message"]!.GetValue<string>()));
        }

        Assert.All(answers, a => Assert.Equal(HttpStatusCode.Unauthorized, a.Status));
        Assert.Contains("webhook-id", answers[0].Message);
        Assert.Contains("webhook-signature", answers[1].Message);
        Assert.Contains("webhook-signature", answers[2].Message);
        Assert.Contains("HeraldWebhookOptions.Tolerance", answers[3].Message);
        Assert.Empty(_receiver.AcceptedRequests);
    }

    [Fact]
    public async Task A_body_over_MaxBodyBytes_is_answered_413_naming_the_setting()
    {
        using var client = _receiver.Client();
        var body = $$"""{"big":"{{new string('x', 2000)}}"}""";

        using var response = await client.SendAsync(Signed("/raw", body), Ct);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Contains("HeraldWebhookOptions.MaxBodyBytes", await response.Content.ReadAsStringAsync(Ct));
        Assert.Empty(_receiver.AcceptedRequests);
    }

    [Fact]
    public async Task A_multipart_request_without_MultipartAttachments_is_answered_401_naming_the_setting()
    {
        using var client = _receiver.Client();
        using var form = new MultipartFormDataContent { { new ByteArrayContent("hello"u8.ToArray()), "file", "hello.txt" } };
        var request = new HttpRequestMessage(HttpMethod.Post, "/raw") { Content = form };
        request.Headers.Add("webhook-id", TestSigning.Id);
        request.Headers.Add("webhook-timestamp", DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString());
        request.Headers.Add("webhook-signature", TestSigning.V1(Secret));

        using var response = await client.SendAsync(request, Ct);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("MultipartAttachments", await response.Content.ReadAsStringAsync(Ct));
    }
}
