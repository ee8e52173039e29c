using System.Text.Json.Nodes;
using Herald.Server.Intake;

namespace Herald.Server.Tests.Intake;

public sealed class FanOutRequestTests
{
    [Theory]
    [InlineData("""{"payload":{}}""", "eventName is required")]
    [InlineData("""{"eventName":null,"payload":{}}""", "eventName must be a string")]
    [InlineData("""{"eventName":7,"payload":{}}""", "eventName must be a string")]
    [InlineData("""{"eventName":" ","payload":{}}""", "eventName must not be empty")]
    [InlineData("""{"eventName":"order_created"}""", "payload is required")]
    [InlineData("""{"eventName":"order_created","payload":null}""", "payload is required")]
    [InlineData("""{"eventName":"order_created","payload":[1]}""", "payload must be an object")]
    [InlineData("""{"eventName":"order_created","payload":"{}"}""", "payload must be an object")]
    public void A_bad_body_names_what_is_wrong(string body, string expected)
    {
        var (request, error) = FanOutRequest.Read(JsonNode.Parse(body)!.AsObject());

        Assert.Null(request);
        Assert.Equal(expected, error);
    }

    [Fact]
    public void Event_names_are_at_most_255_characters()
    {
        var body = new JsonObject { ["eventName"] = new string('e', 256), ["payload"] = new JsonObject() };

        Assert.Equal("eventName must be at most 255 characters", FanOutRequest.Read(body).Error);
    }

    [Fact]
    public void A_good_body_gives_the_event_name_and_the_payload()
    {
        var (request, error) = FanOutRequest.Read(JsonNode.Parse("""{"eventName":"order_created","payload":{"entity":{"_id":"e-1"}},"other":1}""")!.AsObject());

        Assert.Null(error);
        Assert.Equal("order_created", request!.EventName);
        Assert.Equal("""{"entity":{"_id":"e-1"}}""", request.Payload.ToJsonString());
    }
}
