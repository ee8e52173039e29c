using System.Net;
using System.Text.Json.Nodes;
using Herald.Server.Tests.Durability;
using Herald.Server.Tests.Support;

namespace Herald.Server.Tests.Transforms;

/// <summary>
/// Expressions nested deep enough to overflow a thread's stack, sent to a freshly started (cold) Herald process: the
/// one request or event fails with a message, and the process lives on. A cold process matters because its
/// unoptimized code has the largest stack frames; a warm one might survive by luck.
/// </summary>
[Collection(nameof(DurabilityCollection))]
public sealed class HostileExpressionCrashScenarios(ITestOutputHelper output)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact(Timeout = 120_000)]
    public async Task A_config_whose_expression_nests_fifteen_thousand_minus_signs_is_refused_and_the_server_lives()
    {
        using var data = new TempDirectory("herald-hostile");
        await using var servers = new HeraldProcesses();
        try
        {
            var herald = await servers.StartAsync("cold", DurabilityNodes.Settings(data.Path), Ct);
            using var client = herald.Client(DurabilityNodes.Token);
            var body = new JsonObject
            {
                ["name"] = "Deep",
                ["eventName"] = "order_created",
                ["url"] = "https://receiver.example.com/hooks",
                ["jsonataExpression"] = new string('-', 14_999) + "1",
            };

            var response = await SendOrNullAsync(() => client.PostAsync("/v1/webhooks/configs", Json.Body(body), Ct));

            Assert.True(response is not null, $"The server dropped the request.\n{herald.Tail()}");
            Assert.True((int)response.StatusCode is >= 400 and < 500, $"Expected a 4xx, got {(int)response.StatusCode}");
            var message = await response.MessageAsync();
            output.WriteLine($"{(int)response.StatusCode}: {message}");
            Assert.Contains("jsonataExpression", message, StringComparison.Ordinal);
            await AssertAliveAsync(herald);
        }
        catch (Exception) when (servers.WriteTails(output))
        {
            throw;
        }
    }

    // 400,000 levels are refused by Transforms:MaxExpressionLength before parsing; 30,000 (60 KB) pass that cap and
    // reach the parser, whose nesting guard must stop them.
    [Theory(Timeout = 120_000)]
    [InlineData(400_000)]
    [InlineData(30_000)]
    public async Task A_downgrade_step_of_deeply_nested_parentheses_fails_its_event_and_the_server_lives(int depth)
    {
        await using var receiver = await Receiver.StartAsync();
        using var data = new TempDirectory("herald-hostile");
        await using var servers = new HeraldProcesses();
        try
        {
            var herald = await servers.StartAsync("cold", DurabilityNodes.Settings(data.Path), Ct);
            using var client = herald.Client(DurabilityNodes.Token);
            var created = await client.PostJsonAsync("/v1/webhooks/configs",
                $$"""{"name":"Orders","eventName":"event_OrderSubmission","eventVersion":"1.0","url":"{{receiver.Url}}"}""");
            created.EnsureSuccessStatusCode();
            var configId = (await created.ReadAsync())["id"]!.GetValue<string>();
            var envelope = new JsonObject
            {
                ["_event_version"] = "2.0",
                ["_downgrades"] = new JsonArray(new JsonObject
                {
                    ["to"] = "1.0",
                    ["jsonata"] = new string('(', depth) + "1" + new string(')', depth),
                }),
                ["order"] = new JsonObject { ["number"] = "O-1" },
            };

            var accepted = await SendOrNullAsync(() => client.PostAsync($"/v1/webhooks/configs/{configId}/trigger", Json.Body(envelope), Ct));
            Assert.True(accepted is { IsSuccessStatusCode: true }, $"The trigger was not accepted ({(int?)accepted?.StatusCode}).\n{herald.Tail()}");
            var eventId = (await accepted!.ReadAsync())["event_id"]!.GetValue<string>();

            var failed = await Eventually.ReturnsAsync(async () => herald.HasExited ? null : await EventOrNullAsync(client, configId, eventId),
                e => herald.HasExited || e?["status"]?.GetValue<string>() is "failed" or "succeeded", "the event to end", TimeSpan.FromSeconds(30),
                TimeSpan.FromMilliseconds(200));

            Assert.False(herald.HasExited, $"The server died on the event.\n{herald.Tail()}");
            Assert.Equal("failed", failed!["status"]!.GetValue<string>());
            var message = failed["http_response"]?["message"]?.GetValue<string>();
            output.WriteLine($"event {eventId}: {message}");
            Assert.False(string.IsNullOrWhiteSpace(message), $"The failed event carries no message: {failed.ToJsonString()}");
            Assert.Empty(receiver.Received);
            await AssertAliveAsync(herald);
        }
        catch (Exception) when (servers.WriteTails(output))
        {
            throw;
        }
    }

    private static async Task AssertAliveAsync(HeraldProcess herald)
    {
        Assert.False(herald.HasExited, $"The server exited.\n{herald.Tail()}");
        using var probe = new HttpClient { BaseAddress = herald.BaseAddress, Timeout = TimeSpan.FromSeconds(10) };
        using var live = await probe.GetAsync("/health/live", Ct);
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
    }

    private static async Task<JsonNode?> EventOrNullAsync(HttpClient client, string configId, string eventId)
    {
        using var response = await SendOrNullAsync(() => client.GetAsync($"/v1/webhooks/configs/{configId}/events/{eventId}", Ct));
        return response is { IsSuccessStatusCode: true } ? await response.ReadAsync() : null;
    }

    /// <summary>The answer, or null when the connection broke because the server died mid-request.</summary>
    private static async Task<HttpResponseMessage?> SendOrNullAsync(Func<Task<HttpResponseMessage>> send)
    {
        try
        {
            return await send();
        }
        catch (HttpRequestException)
        {
            return null;
        }
    }
}
