using System.Net;
using System.Text.Json.Nodes;
using Herald.Server.Tests.Support;

namespace Herald.Server.Tests.Configs;

/// <summary>
/// A custom header Herald does not send is named on the config with why (<c>ignoredHeaders</c>, a Herald extension),
/// on every answer that shows the config, instead of being found missing at the receiver; what the receiver gets agrees.
/// </summary>
public sealed class IgnoredHeadersTests : ReceiverScenario
{
    [Fact]
    public async Task The_headers_not_sent_are_named_with_why_on_create_get_list_and_update_and_the_others_are_sent()
    {
        var created = await Client.PostJsonAsync("/v1/webhooks/configs", $$$$"""
            {"name":"n","eventName":"order_created","url":"{{{{Receiver.Url}}}}",
             "auth":{"authType":"API_KEY","apiKeyConfig":{"keyName":"X-Key","keyValue":"k"}},
             "payloadConfiguration":{"custom_headers":{"X Bad":"1","Content-Type":"text/plain","X-Key":"mine","X-Ok":"2","x-ok":"3"}}}
            """);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var config = await created.ReadAsync();
        var id = config["id"]!.GetValue<string>();
        var read = await (await Client.GetAsync($"/v1/webhooks/configs/{id}", Ct)).ReadAsync();
        var listed = (await (await Client.GetAsync("/v1/webhooks/configs", Ct)).ReadAsync()).AsArray().Single(c => c!["id"]!.GetValue<string>() == id)!;

        foreach (var answer in new[] { config, read, listed })
        {
            var ignored = answer["ignoredHeaders"]!.AsArray().Select(n => n!.GetValue<string>()).ToList();
            Assert.Equal(4, ignored.Count);
            Assert.StartsWith("X Bad: it must be an HTTP header name", ignored[0], StringComparison.Ordinal);
            Assert.StartsWith("Content-Type: it must not be 'Content-Type'", ignored[1], StringComparison.Ordinal);
            Assert.Equal("X-Key: auth.apiKeyConfig.keyName sets this header", ignored[2]);
            Assert.StartsWith("x-ok: another custom header has the same name", ignored[3], StringComparison.Ordinal);
        }

        var outcome = await Client.TriggerAsync(id, sync: true);
        Assert.Equal("succeeded", outcome["status"]!.GetValue<string>());
        var sent = Assert.Single(Receiver.Received);
        Assert.Equal("2", sent.Header("x-ok"));
        Assert.Equal("k", sent.Header("x-key"));
        Assert.Equal("application/json", sent.Header("content-type"));

        // Sent back as read, the field is ignored; once every header goes out, it is gone.
        var echoed = read.AsObject().DeepClone().AsObject();
        echoed["payloadConfiguration"] = JsonNode.Parse("""{"custom_headers":{"X-Ok":"2"}}""");
        echoed["auth"] = JsonNode.Parse("""{"authType":"NONE"}""");
        var updated = await Client.PutJsonAsync($"/v1/webhooks/configs/{id}", echoed.ToJsonString());
        Assert.Equal(HttpStatusCode.OK, updated.StatusCode);
        Assert.Null((await updated.ReadAsync())["ignoredHeaders"]);

        var mistyped = await Client.PutJsonAsync($"/v1/webhooks/configs/{id}", $$"""{"name":"n","eventName":"e","url":"{{Receiver.Url}}","ignoredHeaders":5}""");
        Assert.Equal(HttpStatusCode.BadRequest, mistyped.StatusCode);
        Assert.Contains("ignoredHeaders", await mistyped.MessageAsync());
    }
}
