using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Herald.Server.Tests.Support;

namespace Herald.Server.Tests.Http;

/// <summary>
/// Text that is not Unicode (a lone UTF-16 surrogate escape, bytes that are not UTF-8) is refused with a 400 naming
/// where it is, by every endpoint that reads a JSON body, and nothing is written.
/// </summary>
public sealed class BadTextScenarios : IClassFixture<BadTextScenarios.App>
{
    public sealed class App : IDisposable
    {
        public HeraldApp Herald { get; } = new();

        public string ConfigId { get; }

        public App()
        {
            var created = Herald.Client().PostJsonAsync("/v1/webhooks/configs", """{"name":"Text","eventName":"order_created","url":"https://r.example"}""")
                .GetAwaiter().GetResult();
            ConfigId = created.ReadAsync().GetAwaiter().GetResult()["id"]!.GetValue<string>();
        }

        public void Dispose() => Herald.Dispose();
    }

    private const string Bad = "BAD";
    private const string UnknownEvent = "00000000-0000-4000-8000-000000000000";

    private readonly App _app;
    private readonly HttpClient _client;

    public BadTextScenarios(App app)
    {
        _app = app;
        _client = app.Herald.Client();
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Each endpoint with a body, <c>BAD</c> marking the string whose text is broken.</summary>
    public static TheoryData<string, string, string> Bodies => new()
    {
        { "POST", "/v1/webhooks/configs/{config}/trigger", """{"metadata":{},"entity":{"_id":"e-1","name":BAD}}""" },
        { "POST", "/v1/webhooks/configs/{config}/trigger?sync=true", """{"metadata":{},"entity":{"_id":"e-1","name":BAD}}""" },
        { "POST", "/v1/webhooks/events", """{"eventName":"order_created","payload":{"entity":{"name":BAD}}}""" },
        { "POST", "/v1/webhooks/configs", """{"name":BAD,"eventName":"order_created","url":"https://r.example"}""" },
        { "PUT", "/v1/webhooks/configs/{config}", """{"name":BAD,"eventName":"order_created","url":"https://r.example"}""" },
        { "POST", "/v1/environments", """{"key":"text_key","type":"String","value":BAD}""" },
        { "PUT", "/v1/environments/text_key", """{"type":"SecretString","value":BAD}""" },
        { "POST", "/v1/webhooks/configs/{config}/events/" + UnknownEvent + "/replay", """{"reapply_transform":false,"note":BAD}""" },
        { "POST", "/v1/webhooks/configs/{config}/events/replay-batch", """{"eventIds":[BAD]}""" },
        { "POST", "/v2/webhooks/configs/{config}/events", """{"event_id":BAD}""" },
        { "POST", "/v1/webhooks/configs/{config}/example", """{"automation_id":BAD}""" },
    };

    [Theory]
    [MemberData(nameof(Bodies))]
    public async Task An_escaped_lone_surrogate_is_a_400_naming_its_offset(string method, string path, string template)
    {
        var response = await SendAsync(method, path, template, Encoding.ASCII.GetBytes("\"\\ud800\""));

        await AssertRefusedAsync(response, template, "surrogate");
    }

    [Theory]
    [MemberData(nameof(Bodies))]
    public async Task Bytes_that_are_not_utf8_are_a_400_naming_their_offset(string method, string path, string template)
    {
        var response = await SendAsync(method, path, template, [(byte)'"', (byte)'x', 0xFF, (byte)'"']);

        await AssertRefusedAsync(response, template, "UTF-8", extra: 1);
    }

    private Task<HttpResponseMessage> SendAsync(string method, string path, string template, byte[] bad)
    {
        var at = template.IndexOf(Bad, StringComparison.Ordinal);
        var body = Encoding.ASCII.GetBytes(template[..at]).Concat(bad).Concat(Encoding.ASCII.GetBytes(template[(at + Bad.Length)..])).ToArray();
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        var request = new HttpRequestMessage(new HttpMethod(method), path.Replace("{config}", _app.ConfigId, StringComparison.Ordinal)) { Content = content };
        return _client.SendAsync(request, Ct);
    }

    /// <summary>400, the message names the byte offset of the broken text, and no config, variable or event was written.</summary>
    private async Task AssertRefusedAsync(HttpResponseMessage response, string template, string expected, int extra = 0)
    {
        var offset = template.IndexOf(Bad, StringComparison.Ordinal) + 1 + extra;

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var message = await response.MessageAsync();
        Assert.Contains(expected, message);
        Assert.Contains($"byte offset {offset}", message);
        Assert.Equal(1L, Convert.ToInt64(await _app.Herald.ScalarAsync("SELECT COUNT(*) FROM webhook_configs"), System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal("Text", await _app.Herald.ScalarAsync("SELECT json_extract(document, '$.name') FROM webhook_configs"));
        Assert.Equal(0L, Convert.ToInt64(await _app.Herald.ScalarAsync("SELECT COUNT(*) FROM environment_variables"), System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(0L, Convert.ToInt64(await _app.Herald.ScalarAsync("SELECT COUNT(*) FROM webhook_events"), System.Globalization.CultureInfo.InvariantCulture));
    }
}
