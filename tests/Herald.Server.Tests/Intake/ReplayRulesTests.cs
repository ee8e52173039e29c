using Herald.Server.Http;
using System.Text.Json.Nodes;
using Herald.Server.Events;
using Herald.Server.Intake;

namespace Herald.Server.Tests.Intake;

/// <summary>The replay bodies, and which events can be replayed how.</summary>
public sealed class ReplayRulesTests
{
    private static JsonObject Body(string json) => JsonNode.Parse(json)!.AsObject();

    [Theory]
    [InlineData("{}", false)]
    [InlineData("""{"reapply_transform":null}""", false)]
    [InlineData("""{"reapply_transform":false}""", false)]
    [InlineData("""{"reapply_transform":true}""", true)]
    [InlineData("""{"reapply_transform":true,"other":1}""", true)]
    public void A_single_replay_resends_verbatim_unless_asked_to_reapply(string json, bool reapply)
    {
        Assert.Equal((reapply, (string?)null), ReplayRules.ReadSingle(Body(json)));
    }

    [Theory]
    [InlineData("""{"reapply_transform":"true"}""")]
    [InlineData("""{"reapply_transform":1}""")]
    [InlineData("""{"reapply_transform":{}}""")]
    public void Reapply_must_be_a_boolean(string json)
    {
        Assert.Equal("reapply_transform must be a boolean", ReplayRules.ReadSingle(Body(json)).Error);
        var batch = Body(json);
        batch["eventIds"] = new JsonArray("a");
        Assert.Equal("reapply_transform must be a boolean", ReplayRules.ReadBatch(batch).Error);
    }

    [Fact]
    public void A_batch_keeps_the_given_order_and_replays_a_repeated_id_once_at_its_first_place()
    {
        var (ask, error) = ReplayRules.ReadBatch(Body("""{"eventIds":["c","a","c","b","a"],"reapply_transform":true}"""));

        Assert.Null(error);
        Assert.Equal(["c", "a", "b"], ask!.EventIds);
        Assert.True(ask.ReapplyTransform);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(100)]
    public void A_batch_holds_1_to_100_ids(int count)
    {
        var ids = new JsonArray(Enumerable.Range(0, count).Select(i => (JsonNode)$"e-{i}").ToArray());

        Assert.Equal(count, ReplayRules.ReadBatch(new JsonObject { ["eventIds"] = ids }).Ask!.EventIds.Count);
    }

    [Theory]
    [InlineData("{}", "eventIds is required and must be an array of event ids")]
    [InlineData("""{"eventIds":null}""", "eventIds is required and must be an array of event ids")]
    [InlineData("""{"eventIds":"a"}""", "eventIds is required and must be an array of event ids")]
    [InlineData("""{"eventIds":[]}""", "eventIds must hold from 1 to 100 event ids")]
    [InlineData("""{"eventIds":["a",2]}""", "eventIds[1] must be a non-empty string")]
    [InlineData("""{"eventIds":["a",""]}""", "eventIds[1] must be a non-empty string")]
    [InlineData("""{"eventIds":[null]}""", "eventIds[0] must be a non-empty string")]
    public void A_malformed_batch_is_refused_naming_the_field(string json, string error)
    {
        Assert.Equal((null, error), ReplayRules.ReadBatch(Body(json)));
    }

    [Fact]
    public void A_batch_of_101_ids_is_refused()
    {
        var ids = new JsonArray(Enumerable.Range(0, 101).Select(i => (JsonNode)$"e-{i}").ToArray());

        Assert.Equal("eventIds must hold from 1 to 100 event ids", ReplayRules.ReadBatch(new JsonObject { ["eventIds"] = ids }).Error);
    }

    private static EventRecord Stored(string input, string? payload) =>
        new()
        {
            EventId = "e-1", OrgId = new OrganizationId("org"), ConfigId = new ConfigId("cfg"), EventName = "order_created", CreatedAt = DateTimeOffset.UnixEpoch, Status = EventStatus.Succeeded,
            HttpMethod = "POST", Input = input, Payload = payload,
        };

    [Theory]
    //       input   payload  reapply  replayable
    [InlineData("{}",  "{}",    false,   true)]
    [InlineData("{}",  "{}",    true,    true)]
    [InlineData("{}",  null,    false,   true)]
    [InlineData("{}",  null,    true,    true)]
    [InlineData("",    "{}",    false,   true)]
    [InlineData("",    "{}",    true,    false)]
    [InlineData("",    null,    false,   false)]
    [InlineData("",    null,    true,    false)]
    public void An_event_is_replayable_when_what_the_replay_sends_can_be_had(string input, string? payload, bool reapply, bool replayable)
    {
        Assert.Equal(replayable, ReplayRules.Refusal(Stored(input, payload), reapply) is null);
    }
}
