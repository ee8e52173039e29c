using System.Text.Json.Nodes;
using Herald.Server.Configs;
using Herald.Server.Payloads;

namespace Herald.Server.Tests.Payloads;

public sealed class PayloadPartsTests
{
    private const string Sent = """{"metadata":{},"entity":{"_id":"e-1"},"relations":[{"_id":"r-1"}],"activity":{"type":"EntityUpdated"},"changed_attributes":{"status":"open"}}""";

    [Theory]
    [InlineData(null, null, null, "relations,activity,changed_attributes")]
    [InlineData(true, true, true, "relations,activity,changed_attributes")]
    [InlineData(false, null, null, "activity,changed_attributes")]
    [InlineData(null, false, null, "relations,changed_attributes")]
    [InlineData(null, null, false, "relations,activity")]
    [InlineData(false, false, false, "")]
    [InlineData(true, false, true, "relations,changed_attributes")]
    public void An_absent_flag_keeps_what_was_sent_and_false_drops_the_part(bool? relations, bool? activity, bool? changedAttributes, string kept)
    {
        var input = JsonNode.Parse(Sent)!.AsObject();
        var configuration = new PayloadConfiguration { IncludeRelations = relations, IncludeActivity = activity, IncludeChangedAttributes = changedAttributes };

        PayloadParts.DropExcluded(input, configuration);

        var expected = new[] { "metadata", "entity" }.Concat(kept.Split(',', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal(expected, input.Select(p => p.Key));
    }

    [Fact]
    public void Without_a_payload_configuration_everything_is_kept()
    {
        var input = JsonNode.Parse(Sent)!.AsObject();

        PayloadParts.DropExcluded(input, null);

        Assert.Equal(Sent, input.ToJsonString());
    }

    [Fact]
    public void Flags_for_parts_that_were_not_sent_change_nothing()
    {
        var input = JsonNode.Parse("""{"entity":{}}""")!.AsObject();

        PayloadParts.DropExcluded(input, new PayloadConfiguration { IncludeRelations = false, IncludeActivity = false, IncludeChangedAttributes = true });

        Assert.Equal("""{"entity":{}}""", input.ToJsonString());
    }
}
