using System.Net;
using System.Text.Json.Nodes;
using Herald.Server.Tests.Support;
using Microsoft.Data.Sqlite;

namespace Herald.Server.Tests.Idempotency;

/// <summary>
/// <c>Idempotency-Key</c> on <c>triggerWebhook</c> and on fan-out: a repeat within 24 h gets the first answer and
/// creates nothing.
/// </summary>
public sealed class IdempotencyScenarios : ReceiverScenario
{
    private const string Payload = """{"entity":{"_id":"e-1"}}""";



    private static async Task<HttpResponseMessage> PostAsync(HttpClient client, string url, string body, string? key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = Json.Body(body) };
        if (key is not null)
        {
            request.Headers.Add("Idempotency-Key", key);
        }
        return await client.SendAsync(request, Ct);
    }

    private static async Task<(int Status, string Body, bool Replayed)> ReadAsync(HttpResponseMessage response) =>
        ((int)response.StatusCode, await response.Content.ReadAsStringAsync(Ct), response.Headers.Contains("Idempotent-Replayed"));

    private async Task<long> EventCountAsync()
    {
        await using var connection = new SqliteConnection($"Data Source={Path.Combine(App.DataDirectory, "herald.db")};Pooling=false");
        await connection.OpenAsync(Ct);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM webhook_events";
        return (long)(await command.ExecuteScalarAsync(Ct))!;
    }

    [Fact]
    public async Task A_repeated_trigger_gets_the_first_answer_and_creates_one_event()
    {
        var (configId, _) = await Client.CreateConfigAsync(Receiver.Url);
        var url = $"/v1/webhooks/configs/{configId}/trigger";

        var first = await ReadAsync(await PostAsync(Client, url, Payload, "order-42"));
        var second = await ReadAsync(await PostAsync(Client, url, """{"entity":{"_id":"other"}}""", "order-42"));

        Assert.Equal(200, first.Status);
        Assert.False(first.Replayed);
        Assert.Equal((200, first.Body, true), second);
        Assert.NotNull(JsonNode.Parse(first.Body)!["event_id"]);
        Assert.Equal(1, await EventCountAsync());
        await Receiver.WaitForAsync(1);
        await Task.Delay(200, Ct);
        Assert.Single(Receiver.Received);
    }

    [Fact]
    public async Task A_repeated_sync_trigger_gets_the_outcome_of_the_first_attempt()
    {
        var (configId, _) = await Client.CreateConfigAsync(Receiver.Url);
        Receiver.Enqueue(new Answer.Status(201, """{"accepted":true}"""));
        var url = $"/v1/webhooks/configs/{configId}/trigger?sync=true";

        var first = await ReadAsync(await PostAsync(Client, url, Payload, "sync-1"));
        var second = await ReadAsync(await PostAsync(Client, url, Payload, "sync-1"));
        var asAsync = await ReadAsync(await PostAsync(Client, $"/v1/webhooks/configs/{configId}/trigger", Payload, "sync-1"));

        Assert.Equal("201", JsonNode.Parse(first.Body)!["status_code"]!.GetValue<string>());
        Assert.Equal((200, first.Body, true), second);
        Assert.Equal((200, first.Body, true), asAsync);
        Assert.Single(Receiver.Received);
        Assert.Equal(1, await EventCountAsync());
    }

    [Fact]
    public async Task A_repeat_while_the_first_sync_attempt_runs_is_a_409_and_later_gets_the_outcome()
    {
        var (configId, _) = await Client.CreateConfigAsync(Receiver.Url);
        Receiver.Enqueue(new Answer.Hang());
        var url = $"/v1/webhooks/configs/{configId}/trigger?sync=true";

        var firstTask = PostAsync(Client, url, Payload, "slow");
        await Receiver.WaitForAsync(1);
        var meanwhile = await PostAsync(Client, url, Payload, "slow");
        App.Clock.Advance(TimeSpan.FromSeconds(31));
        var first = await ReadAsync(await firstTask);
        var after = await ReadAsync(await PostAsync(Client, url, Payload, "slow"));

        Assert.Equal(HttpStatusCode.Conflict, meanwhile.StatusCode);
        Assert.Contains("still in progress", await meanwhile.MessageAsync());
        Assert.Equal("TIMEOUT", JsonNode.Parse(first.Body)!["code"]!.GetValue<string>());
        Assert.Equal((200, first.Body, true), after);
        Assert.Equal(1, await EventCountAsync());
    }

    [Fact]
    public async Task The_same_key_on_another_config_or_from_another_organization_is_another_request()
    {
        var (configA1, _) = await Client.CreateConfigAsync(Receiver.Url);
        var (configA2, _) = await Client.CreateConfigAsync(Receiver.Url);
        var clientB = App.Client(HeraldApp.TokenB);
        var (configB, _) = await clientB.CreateConfigAsync(Receiver.Url);

        var answers = new[]
        {
            await ReadAsync(await PostAsync(Client, $"/v1/webhooks/configs/{configA1}/trigger", Payload, "shared")),
            await ReadAsync(await PostAsync(Client, $"/v1/webhooks/configs/{configA2}/trigger", Payload, "shared")),
            await ReadAsync(await PostAsync(clientB, $"/v1/webhooks/configs/{configB}/trigger", Payload, "shared")),
        };

        Assert.All(answers, a => Assert.False(a.Replayed));
        Assert.Equal(3, answers.Select(a => a.Body).Distinct().Count());
        Assert.Equal(3, await EventCountAsync());
    }

    [Fact]
    public async Task A_repeated_fan_out_gets_the_same_event_ids_and_another_organization_gets_its_own()
    {
        await Client.CreateConfigAsync(Receiver.Url);
        await Client.CreateConfigAsync(Receiver.Url);
        var clientB = App.Client(HeraldApp.TokenB);
        await clientB.CreateConfigAsync(Receiver.Url);
        const string body = """{"eventName":"order_created","payload":{"entity":{"_id":"e-1"}}}""";

        var first = await ReadAsync(await PostAsync(Client, "/v1/webhooks/events", body, "fan-1"));
        var repeat = await ReadAsync(await PostAsync(Client, "/v1/webhooks/events", body, "fan-1"));
        var otherOrg = await ReadAsync(await PostAsync(clientB, "/v1/webhooks/events", body, "fan-1"));
        var otherOrgRepeat = await ReadAsync(await PostAsync(clientB, "/v1/webhooks/events", body, "fan-1"));

        Assert.Equal(202, first.Status);
        Assert.Equal(2, JsonNode.Parse(first.Body)!["event_ids"]!.AsArray().Count);
        Assert.Equal((202, first.Body, true), repeat);
        Assert.Equal(202, otherOrg.Status);
        Assert.False(otherOrg.Replayed);
        Assert.Single(JsonNode.Parse(otherOrg.Body)!["event_ids"]!.AsArray());
        Assert.Equal((202, otherOrg.Body, true), otherOrgRepeat);
        Assert.Equal(3, await EventCountAsync());
        await Receiver.WaitForAsync(3);
        await Task.Delay(200, Ct);
        Assert.Equal(3, Receiver.Received.Count);
    }

    [Fact]
    public async Task Concurrent_requests_with_one_key_create_one_event_and_get_one_answer()
    {
        var (configId, _) = await Client.CreateConfigAsync(Receiver.Url);

        var responses = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ =>
            Task.Run(async () => await ReadAsync(await PostAsync(Client, $"/v1/webhooks/configs/{configId}/trigger", Payload, "race")))));

        Assert.All(responses, r => Assert.Equal(200, r.Status));
        Assert.Single(responses.Select(r => r.Body).Distinct());
        Assert.Equal(9, responses.Count(r => r.Replayed));
        Assert.Equal(1, await EventCountAsync());
    }

    [Fact]
    public async Task After_24_hours_the_key_starts_a_new_request()
    {
        var (configId, _) = await Client.CreateConfigAsync(Receiver.Url);
        var url = $"/v1/webhooks/configs/{configId}/trigger";
        var first = await ReadAsync(await PostAsync(Client, url, Payload, "daily"));

        App.Clock.Advance(TimeSpan.FromHours(23) + TimeSpan.FromMinutes(59));
        var withinADay = await ReadAsync(await PostAsync(Client, url, Payload, "daily"));
        App.Clock.Advance(TimeSpan.FromMinutes(1));
        var nextDay = await ReadAsync(await PostAsync(Client, url, Payload, "daily"));

        Assert.Equal((200, first.Body, true), withinADay);
        Assert.False(nextDay.Replayed);
        Assert.NotEqual(first.Body, nextDay.Body);
        Assert.Equal(2, await EventCountAsync());
    }

    [Fact]
    public async Task A_refused_request_leaves_the_key_unused()
    {
        var (configId, _) = await Client.CreateConfigAsync(Receiver.Url);
        var url = $"/v1/webhooks/configs/{configId}/trigger";

        var refused = await PostAsync(Client, url, """{"metadata":"nope"}""", "retry-me");
        var accepted = await ReadAsync(await PostAsync(Client, url, Payload, "retry-me"));

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Equal(200, accepted.Status);
        Assert.False(accepted.Replayed);
        Assert.Equal(1, await EventCountAsync());
    }

    [Fact]
    public async Task A_repeat_gets_the_first_answer_even_after_the_config_was_disabled()
    {
        var (configId, _) = await Client.CreateConfigAsync(Receiver.Url);
        var url = $"/v1/webhooks/configs/{configId}/trigger";
        var first = await ReadAsync(await PostAsync(Client, url, Payload, "before"));
        var disable = await Client.PutJsonAsync($"/v1/webhooks/configs/{configId}",
            $$"""{"name":"Receiver","eventName":"order_created","url":"{{Receiver.Url}}","enabled":false}""");
        disable.EnsureSuccessStatusCode();

        var repeat = await ReadAsync(await PostAsync(Client, url, Payload, "before"));
        var fresh = await PostAsync(Client, url, Payload, "after");

        Assert.Equal((200, first.Body, true), repeat);
        Assert.Equal(HttpStatusCode.BadRequest, fresh.StatusCode);
    }

    [Theory]
    [InlineData("/v1/webhooks/events")]
    [InlineData("/v1/webhooks/configs/{config}/trigger")]
    public async Task An_invalid_key_is_a_400(string path)
    {
        var (configId, _) = await Client.CreateConfigAsync(Receiver.Url);
        using var request = new HttpRequestMessage(HttpMethod.Post, path.Replace("{config}", configId))
        {
            Content = Json.Body("""{"eventName":"order_created","payload":{}}"""),
        };
        request.Headers.TryAddWithoutValidation("Idempotency-Key", new string('k', 256));

        var response = await Client.SendAsync(request, Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("Idempotency-Key must be at most 255 characters", await response.MessageAsync());
        Assert.Equal(0, await EventCountAsync());
    }
}
