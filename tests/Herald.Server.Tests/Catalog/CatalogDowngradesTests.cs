using System.Text.Json.Nodes;
using Herald.Server.Catalog;
using Herald.Server.Configs;
using Herald.Server.Events;
using Herald.Server.Expressions;
using Herald.Server.Transforms;

namespace Herald.Server.Tests.Catalog;

public sealed class CatalogDowngradesTests
{
    private readonly CatalogDowngrades _downgrades = new(new JsonataRuntime(new TransformOptions()));

    [Theory]
    [InlineData("1.0", 1, 0)]
    [InlineData("2.10", 2, 10)]
    [InlineData("0.9", 0, 9)]
    public void Versions_are_major_dot_minor(string text, int major, int minor)
    {
        Assert.True(EventVersion.TryParse(text, out var version));
        Assert.Equal(new EventVersion(major, minor), version);
        Assert.Equal($"{major}.{minor}", version.ToString());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("2")]
    [InlineData("2.")]
    [InlineData(".1")]
    [InlineData("1.0.0")]
    [InlineData("v1.0")]
    [InlineData("-1.0")]
    [InlineData(" 1.0")]
    [InlineData("1.x")]
    [InlineData("9999999999.0")]
    public void Anything_else_is_not_a_version(string? text) => Assert.False(EventVersion.TryParse(text, out _));

    [Fact]
    public void Versions_compare_by_number_not_by_text()
    {
        Assert.True(Version("2.10") > Version("2.9"));
        Assert.True(Version("10.0") > Version("9.9"));
        Assert.True(Version("1.0") < Version("1.1"));
        Assert.Equal(Version("2.01"), Version("2.1"));
    }

    [Fact]
    public void Steps_run_newest_first_each_on_the_last_result_and_stamp_their_version()
    {
        var envelope = Envelope("3.0", """
            [{"to": "1.0", "jsonata": "$merge([$, {'trail': trail & '>1.0'}])"},
             {"to": "2.5", "jsonata": "$merge([$, {'trail': trail & '>2.5'}])"},
             {"to": "2.0", "jsonata": "$merge([$, {'trail': trail & '>2.0', 'seen': _event_version}])"}]
            """);

        var result = _downgrades.Downgrade(envelope, "1.0");

        Assert.Null(result.Failure);
        Assert.Equal(["2.5", "2.0", "1.0"], result.Steps);
        Assert.Equal("start>2.5>2.0>1.0", result.Envelope!["trail"]!.GetValue<string>());
        Assert.Equal("2.5", result.Envelope["seen"]!.GetValue<string>());
        Assert.Equal("1.0", result.Envelope["_event_version"]!.GetValue<string>());
    }

    [Fact]
    public void Steps_older_than_the_pin_are_not_used_and_a_step_past_the_pin_is_not_taken()
    {
        var envelope = Envelope("3.0", """
            [{"to": "2.0", "jsonata": "$merge([$, {'trail': trail & '>2.0'}])"},
             {"to": "1.0", "jsonata": "$merge([$, {'trail': trail & '>1.0'}])"}]
            """);

        Assert.Equal("start>2.0", _downgrades.Downgrade(envelope, "2.0").Envelope!["trail"]!.GetValue<string>());
        var overshoot = _downgrades.Downgrade(envelope, "1.5");
        Assert.Equal("EVENT_VERSION_UNREACHABLE", overshoot.Failure!.Code.ToWire());
        Assert.False(overshoot.Failure.Retryable);
        Assert.Contains("No _downgrades step leads from version 2.0 towards 1.5 (steps to: 2.0, 1.0)", overshoot.Failure.Message);
    }

    [Fact]
    public void The_pinned_version_is_returned_untouched()
    {
        var envelope = Envelope("2.0", """[{"to": "1.0", "jsonata": "{}"}]""");

        var result = _downgrades.Downgrade(envelope, "2.0");

        Assert.Same(envelope, result.Envelope);
        Assert.Empty(result.Steps);
    }

    [Theory]
    [InlineData("2.1", "[]", "No _downgrades step leads from version 2.1 towards 1.0 (steps to: none)")]
    [InlineData("1.0.0", "[]", "The event's _event_version \"1.0.0\" is not MAJOR.MINOR")]
    [InlineData("0.9", "[]", "The event is version 0.9, older than the config's eventVersion 1.0")]
    [InlineData("2.1", """[{"to": "one", "jsonata": "$"}]""", "_downgrades[0].to \"one\" is not MAJOR.MINOR")]
    [InlineData("2.1", """[{"to": "1.0"}]""", "_downgrades[0].jsonata is missing or not a string")]
    [InlineData("2.1", """["1.0"]""", "_downgrades[0] is not an object")]
    public void An_unreachable_version_says_why(string stamped, string steps, string message)
    {
        var result = _downgrades.Downgrade(Envelope(stamped, steps), "1.0");

        Assert.Null(result.Envelope);
        Assert.Equal("EVENT_VERSION_UNREACHABLE", result.Failure!.Code.ToWire());
        Assert.StartsWith(message, result.Failure.Message);
    }

    [Fact]
    public void An_envelope_without_a_stamp_cannot_be_downgraded()
    {
        var envelope = Envelope("1.0", "[]");
        envelope.Remove("_event_version");

        Assert.Contains("_event_version (absent) is not MAJOR.MINOR", _downgrades.Downgrade(envelope, "1.0").Failure!.Message);
    }

    [Theory]
    [InlineData("$error('no way back')", "The _downgrades step to 1.0 failed: D3137")]
    [InlineData("'just text'", "The _downgrades step to 1.0 did not produce a JSON object")]
    [InlineData("nothing.here", "The _downgrades step to 1.0 did not produce a JSON object")]
    [InlineData("{", "The _downgrades step to 1.0 failed: S0203")]
    public void A_step_that_throws_or_yields_no_object_fails_the_downgrade(string expression, string message)
    {
        var steps = new JsonArray(new JsonObject { ["to"] = "1.0", ["jsonata"] = expression });

        var result = _downgrades.Downgrade(Envelope("2.0", steps.ToJsonString()), "1.0");

        Assert.Equal("EVENT_DOWNGRADE_FAILED", result.Failure!.Code.ToWire());
        Assert.StartsWith(message, result.Failure.Message);
    }

    private static EventVersion Version(string text) => EventVersion.TryParse(text, out var version) ? version : throw new FormatException(text);

    private static JsonObject Envelope(string version, string downgrades) => new()
    {
        ["_event_name"] = "OrderSubmission",
        ["_event_version"] = version,
        ["_downgrades"] = JsonNode.Parse(downgrades),
        ["trail"] = "start",
    };
}
