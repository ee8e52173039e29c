using System.Text.Json.Nodes;
using Herald.Server.Configs;
using Herald.Server.Delivery;
using Herald.Server.Intake;
using Herald.Server.Http;

namespace Herald.Server.Tests.Intake;

/// <summary>
/// A fan-out's shared input gives every config's event exactly the input and metadata a trigger of that config would
/// have stored (<see cref="TriggerPayload.Fill"/> then written out), whatever the shape of the payload's metadata.
/// </summary>
public sealed class FanOutInputTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 1, 12, 0, 0, 123, TimeSpan.Zero);
    private static readonly Guid Correlation = Guid.Parse("0b9f2c52-5f0e-4f41-9d3b-6a7f1d2e3c4b");

    private static readonly ConfigRecord[] Configs =
    [
        Config("cfg-1", "Orders \"ERP\" – Zoë"),
        Config("cfg-2", "<script>\u2028"),
    ];

    private static ConfigRecord Config(string id, string name) =>
        new(new OrganizationId("org-a"), new ConfigId(id), 1, Now, Now, new WebhookConfig { Id = id, Name = name, EventName = "order_created" }, []);

    public static TheoryData<string, string> Payloads => new()
    {
        { "order_created", """{"entity":{"_id":"e-1"}}""" },
        { "order_created", """{"metadata":{}}""" },
        { "order_created", """{"metadata":{"action":"Created"},"entity":{"_id":"e-1","name":"Zoë"}}""" },
        { "order_created", """{"a":1,"metadata":{"webhook_id":null,"action":"x","webhook_name":null},"b":[1,2.50,{"c":null}]}""" },
        { "order_created", """{"metadata":{"webhook_id":"given","webhook_name":"given","organization_id":"org-a","creation_timestamp":"x","correlation_id":"y"}}""" },
        { "order_created", """{"metadata":{"webhook_name":"given"},"x":"\u2028 𝄞 \"q\""}""" },
        { "order_created", """{"metadata":{"nested":{"metadata":{"webhook_id":null}}}}""" },
        { "event_OrderSubmission", """{"_event_version":"1.0","metadata":{"source":"catalog"},"order":{"total":3}}""" },
        { "event_OrderSubmission", """{"_event_version":"1.0","metadata":5}""" },
        { "event_OrderSubmission", """{"order":{}}""" },
    };

    [Theory]
    [MemberData(nameof(Payloads))]
    public void Every_config_reads_back_the_input_and_metadata_a_trigger_would_store(string eventName, string payload)
    {
        var (prepared, error) = FanOutInput.Prepare(JsonNode.Parse(payload)!.AsObject(), eventName, new OrganizationId("org-a"), Now, Correlation);

        Assert.Null(error);
        Assert.DoesNotContain("herald-slot-", prepared!.Shared.Body);
        foreach (var config in Configs)
        {
            var (expected, _) = TriggerPayload.Fill(JsonNode.Parse(payload)!.AsObject(), config.Id.Value, new WebhookConfig { Name = config.Document.Name, EventName = eventName }, new OrganizationId("org-a"), Now, Correlation);
            var input = prepared.InputFor(config);

            Assert.Equal(EventInput.Of(expected!).Input, prepared.Shared.InputWith(input.Input));
            Assert.Equal(EventInput.Of(expected!).Metadata, prepared.Shared.MetadataWith(input.Input));
            Assert.True(input.Input.Length < 100, input.Input);
        }
    }

    [Fact]
    public void The_payload_is_written_out_once_and_each_event_keeps_only_its_values()
    {
        var payload = $$$"""{"metadata":{"action":"Created"},"entity":{"blob":"{{{new string('x', 10_000)}}}"}}""";

        var (prepared, _) = FanOutInput.Prepare(JsonNode.Parse(payload)!.AsObject(), "order_created", new OrganizationId("org-a"), Now, Correlation);

        Assert.InRange(prepared!.Shared.Body.Length, payload.Length, payload.Length + 200);
        Assert.Equal(2, prepared.Shared.Slots.Count);
        Assert.Equal("""["cfg-1","Orders \"ERP\" – Zoë"]""", prepared.InputFor(Configs[0]).Input);
    }

    [Theory]
    [InlineData("""{"metadata":[]}""", "metadata must be an object")]
    [InlineData("""{"metadata":{"organization_id":"org-b"}}""", "metadata.organization_id must be the caller's organization")]
    [InlineData("""{"metadata":{"organization_id":7}}""", "metadata.organization_id must be a string")]
    public void A_payload_a_trigger_would_refuse_is_refused(string payload, string expected)
    {
        var (prepared, error) = FanOutInput.Prepare(JsonNode.Parse(payload)!.AsObject(), "order_created", new OrganizationId("org-a"), Now, Correlation);

        Assert.Null(prepared);
        Assert.Equal(expected, error);
    }
}
