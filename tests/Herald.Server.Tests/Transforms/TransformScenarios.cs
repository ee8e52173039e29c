using System.Text.Json.Nodes;
using Herald.Server.Storage;
using Herald.Server.Storage.Postgres;
using Herald.Server.Storage.Sqlite;
using Herald.Server.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Herald.Server.Tests.Transforms;

/// <summary>A config's <c>jsonataExpression</c> reshapes the body the receiver gets.</summary>
public class TransformScenarios : ReceiverScenario
{
    [Fact]
    public async Task The_transform_shapes_the_body_and_the_event_keeps_the_original_input()
    {
        var (configId, secret) = await Client.CreateConfigAsync(Receiver.Url, """
            "jsonataExpression":"{ 'order': entity._id, 'total': $sum(entity.items.(price * qty)), 'skus': entity.items.sku }"
            """);

        var outcome = await Client.TriggerAsync(configId, """
            {"metadata":{},"entity":{"_id":"o-7","items":[{"sku":"a","price":2.5,"qty":2},{"sku":"b","price":10,"qty":1}]}}
            """, sync: true);

        var body = JsonNode.Parse((await Receiver.WaitForAsync(1))[0].Text)!;
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"order":"o-7","total":15,"skus":["a","b"]}"""), body), body.ToJsonString());
        var recorded = await Client.EventAsync(configId, outcome["event_id"]!.GetValue<string>());
        Assert.True(JsonNode.DeepEquals(body, JsonNode.Parse(recorded["payload"]!.GetValue<string>())));
        var original = JsonNode.Parse(recorded["original_payload"]!.GetValue<string>())!;
        Assert.Equal("o-7", original["entity"]!["_id"]!.GetValue<string>());
        Assert.Equal(configId, original["metadata"]!["webhook_id"]!.GetValue<string>());
        Assert.True(recorded["can_reapply_transform"]!.GetValue<bool>());
        Assert.Equal("available", recorded["can_reapply_transform_reason"]!.GetValue<string>());
    }

    [Fact]
    public async Task Without_a_transform_no_original_payload_is_kept()
    {
        var (configId, _) = await Client.CreateConfigAsync(Receiver.Url);

        var outcome = await Client.TriggerAsync(configId, sync: true);

        var recorded = await Client.EventAsync(configId, outcome["event_id"]!.GetValue<string>());
        Assert.Null(recorded["original_payload"]);
        Assert.False(recorded["can_reapply_transform"]!.GetValue<bool>());
        Assert.Equal("no_transform_configured", recorded["can_reapply_transform_reason"]!.GetValue<string>());
    }

    [Fact]
    public async Task Without_a_transform_the_log_keeps_the_body_once_and_shows_it_as_the_payload()
    {
        var (configId, _) = await Client.CreateConfigAsync(Receiver.Url);

        var outcome = await Client.TriggerAsync(configId, """{"metadata":{},"entity":{"_id":"o-8","note":"caf\u00e9 \ud83d\ude00"}}""", sync: true);

        var sent = (await Receiver.WaitForAsync(1))[0].Text;
        var eventId = outcome["event_id"]!.GetValue<string>();
        var recorded = await Client.EventAsync(configId, eventId);
        Assert.Equal(sent, recorded["payload"]!.GetValue<string>());
        var (input, payload) = await StoredBodiesAsync(eventId);
        Assert.Equal(sent, input);
        Assert.Equal("", payload);
    }

    [Fact]
    public async Task With_a_transform_the_log_keeps_both_bodies()
    {
        var (configId, _) = await Client.CreateConfigAsync(Receiver.Url, """ "jsonataExpression":"{ 'order': entity._id }" """);

        var outcome = await Client.TriggerAsync(configId, """{"metadata":{},"entity":{"_id":"o-9"}}""", sync: true);

        var sent = (await Receiver.WaitForAsync(1))[0].Text;
        var (input, payload) = await StoredBodiesAsync(outcome["event_id"]!.GetValue<string>());
        Assert.Equal(sent, payload);
        Assert.NotEqual(sent, input);
        Assert.Equal("o-9", JsonNode.Parse(input)!["entity"]!["_id"]!.GetValue<string>());
    }

    /// <summary>The event's <c>input</c> and <c>payload</c> columns as stored, read with the server's own database.</summary>
    private async Task<(string Input, string? Payload)> StoredBodiesAsync(string eventId)
    {
        const string sql = "SELECT input, payload FROM webhook_events WHERE event_id = @id";
        await using var connection = App.Services.GetRequiredService<IDatabase>() switch
        {
            SqliteDatabase sqlite => (System.Data.Common.DbConnection)await sqlite.OpenAsync(Ct),
            PostgresDatabase postgres => await postgres.DataSource.OpenConnectionAsync(Ct),
            var other => throw new InvalidOperationException($"Unknown engine {other}"),
        };
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        var id = command.CreateParameter();
        id.ParameterName = "id";
        id.Value = eventId;
        command.Parameters.Add(id);
        await using var reader = await command.ExecuteReaderAsync(Ct);
        Assert.True(await reader.ReadAsync(Ct));
        return (reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetString(1));
    }

    [Fact]
    public async Task A_transform_that_throws_fails_the_event_with_the_engines_message_and_is_not_retried()
    {
        var (configId, _) = await Client.CreateConfigAsync(Receiver.Url, """ "jsonataExpression":"$error('amount missing')" """);

        var outcome = await Client.TriggerAsync(configId, sync: true);

        Assert.Equal("failed", outcome["status"]!.GetValue<string>());
        Assert.Equal("INTERNAL_ERROR", outcome["code"]!.GetValue<string>());
        Assert.Contains("amount missing", outcome["message"]!.GetValue<string>());
        App.Clock.Advance(TimeSpan.FromMinutes(10));
        await Task.Delay(200, Ct);
        Assert.Empty(Receiver.Received);
        Assert.Equal("failed", (await Client.EventAsync(configId, outcome["event_id"]!.GetValue<string>()))["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_runaway_transform_is_stopped_by_the_depth_guard()
    {
        var (configId, _) = await Client.CreateConfigAsync(Receiver.Url, """
            "jsonataExpression":"($f := function($n) { $n = 0 ? 0 : 1 + $f($n - 1) }; $f(100000))"
            """);

        var outcome = await Client.TriggerAsync(configId, sync: true);

        Assert.Equal("failed", outcome["status"]!.GetValue<string>());
        Assert.Contains("U1001", outcome["message"]!.GetValue<string>());
        Assert.Empty(Receiver.Received);
    }
}

/// <summary>The same scenarios with Herald on PostgreSQL.</summary>
public sealed class PostgresTransformScenarios(PostgresServer server) : TransformScenarios
{
    protected override Task<Dictionary<string, string?>> StorageAsync() => server.StorageAsync();
}
