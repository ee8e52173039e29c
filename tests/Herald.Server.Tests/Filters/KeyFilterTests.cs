using System.Text.Json.Nodes;
using Herald.Server.Filters;

namespace Herald.Server.Tests.Filters;

public sealed class KeyFilterTests
{
    private static readonly JsonNode Input = JsonNode.Parse("""
        {"entity":{"_schema":"order","status":"open","amount":12.5,"paid":false,"tags":["vip","b2b"],
         "items":[{"id":"a1"},{"id":"b2"}],"nothing":null}}
        """)!;

    [Theory]
    [InlineData("entity._schema", new[] { "order", "contact" }, true)]
    [InlineData("entity._schema", new[] { "contact" }, false)]
    [InlineData("entity.amount", new[] { "12.5" }, true)]
    [InlineData("entity.paid", new[] { "false" }, true)]
    [InlineData("entity.tags", new[] { "b2b" }, true)]
    [InlineData("entity.tags", new[] { "b2c" }, false)]
    [InlineData("entity.items.1.id", new[] { "b2" }, true)]
    [InlineData("entity.items[0].id", new[] { "a1" }, true)]
    [InlineData("entity.items[5].id", new[] { "a1" }, false)]
    [InlineData("entity.missing", new[] { "x" }, false)]
    [InlineData("entity.nothing", new[] { "null" }, false)]
    public void The_value_at_the_key_must_be_a_supported_value(string key, string[] supported, bool expected)
    {
        Assert.Equal(expected, KeyFilter.Matches(Input, key, supported));
    }
}
