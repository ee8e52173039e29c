using Herald.Server.Environments;
using Herald.Server.Tests.Support;

namespace Herald.Server.Tests.Environments;

public sealed class EnvironmentValidatorTests
{
    private static readonly string LongSecret = new('é', 2049);

    public static TheoryData<string, string?> CreateBodies => new()
    {
        { """{"key":"erp.password","type":"SecretString","value":"s3cret"}""", null },
        { """{"key":"a","type":"String"}""", null },
        { """{"key":"0-x_y.z","type":"String","value":"","description":"d","group":"g","protected":true}""", null },
        { """{"type":"String"}""", "key is required" },
        { """{"key":"","type":"String"}""", "key must not be empty" },
        { """{"key":"Upper","type":"String"}""", "key must match" },
        { """{"key":"-leading","type":"String"}""", "key must match" },
        { """{"key":"has space","type":"String"}""", "key must match" },
        { """{"key":"{{ env.x }}","type":"String"}""", "key must match" },
        { $$"""{"key":"{{new string('a', 129)}}","type":"String"}""", "key must match" },
        { """{"key":5,"type":"String"}""", "key must be a string" },
        { """{"key":"k"}""", "type is required" },
        { """{"key":"k","type":"Secret"}""", "type must be one of String, SecretString" },
        { """{"key":"k","type":"Number","value":"1"}""", "type Number is not supported" },
        { """{"key":"k","type":"List"}""", "type List is not supported" },
        { """{"key":"k","type":"String","value":5}""", "value must be a string" },
        { """{"key":"k","type":"String","value":{"a":1}}""", "value must be a string" },
        { """{"key":"k","type":"String","description":false}""", "description must be a string" },
        { """{"key":"k","type":"String","group":[]}""", "group must be a string" },
        { """{"key":"k","type":"String","protected":"yes"}""", "protected must be a boolean" },
        { $$"""{"key":"k","type":"SecretString","value":"{{LongSecret}}"}""", "value must be at most 4096 bytes" },
        { $$"""{"key":"k","type":"String","value":"{{LongSecret}}"}""", null },
        { $$"""{"key":"k","type":"String","value":"{{new string('x', 32769)}}"}""", "value must be at most 32768 characters" },
    };

    [Theory]
    [MemberData(nameof(CreateBodies))]
    public void A_create_body_is_checked_field_by_field(string body, string? expected) =>
        AssertOutcome(EnvironmentValidator.ForCreate(Json.Obj(body)), expected);

    public static TheoryData<string, string?, string?> UpdateBodies => new()
    {
        { "{}", null, null },
        { """{"value":"v"}""", null, null },
        { """{"type":"SecretString","value":"v"}""", "String", null },
        { """{"type":"JSON"}""", null, "type JSON is not supported" },
        { """{"value":true}""", "String", "value must be a string" },
        // The value is judged by the type it will have: the stored one when the body names none.
        { $$"""{"value":"{{LongSecret}}"}""", "SecretString", "value must be at most 4096 bytes" },
        { $$"""{"value":"{{LongSecret}}"}""", "String", null },
        { $$"""{"value":"{{LongSecret}}","type":"String"}""", "SecretString", null },
    };

    [Theory]
    [MemberData(nameof(UpdateBodies))]
    public void An_update_body_is_checked_against_the_type_it_will_have(string body, string? storedType, string? expected) =>
        AssertOutcome(EnvironmentValidator.ForUpdate(Json.Obj(body), storedType), expected);

    [Theory]
    [InlineData("a", true)]
    [InlineData("erp.base-url_2", true)]
    [InlineData("groups", true)]
    [InlineData("", false)]
    [InlineData("a\n", false)]
    [InlineData("_a", false)]
    [InlineData("a/b", false)]
    public void Keys_follow_the_contract_pattern(string key, bool valid) => Assert.Equal(valid, EnvironmentValidator.IsValidKey(key));

    private static void AssertOutcome(string? actual, string? expected)
    {
        if (expected is null)
        {
            Assert.Null(actual);
        }
        else
        {
            Assert.NotNull(actual);
            Assert.StartsWith(expected, actual);
        }
    }
}
