using Herald.Server.Expressions;
using Jsonata;

namespace Herald.Server.Tests.Expressions;

/// <summary>A JSONata error told to a config author names the setting that changes it, and only that one.</summary>
public sealed class ErrorHintTests
{
    [Fact]
    public void Too_deep_nesting_is_a_fixed_engine_limit_not_a_setting()
    {
        var error = Assert.Throws<JsonataException>(() => JsonataExpression.Compile(new string('(', 2000) + "1" + new string(')', 2000)));

        var message = JsonataRuntime.Describe(error);

        Assert.Contains("fixed limit of the JSONata engine", message, StringComparison.Ordinal);
        Assert.DoesNotContain("Transforms:", message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_timeout_names_the_time_limit()
    {
        var error = Assert.Throws<JsonataException>(() => JsonataExpression.Compile("$match(\"" + new string('a', 40) + "!\", /^(a+)+$/)")
            .Evaluate((System.Text.Json.Nodes.JsonNode?)null, options: new JsonataOptions { TimeLimit = TimeSpan.FromMilliseconds(50) }));

        var message = JsonataRuntime.Describe(error);

        Assert.Contains("Transforms:TimeLimit", message, StringComparison.Ordinal);
        Assert.DoesNotContain("Transforms:MaxDepth", message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_result_over_the_size_limit_names_its_setting()
    {
        var error = Assert.Throws<JsonataException>(() => JsonataExpression.Compile("$pad('', 100000)")
            .Evaluate((System.Text.Json.Nodes.JsonNode?)null, options: new JsonataOptions { MaxResultBytes = 1000 }));

        Assert.Contains("Transforms:MaxResultBytes", JsonataRuntime.Describe(error), StringComparison.Ordinal);
    }
}
