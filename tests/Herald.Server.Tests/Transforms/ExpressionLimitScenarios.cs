using System.Text.Json.Nodes;
using Herald.Server.Tests.Support;

namespace Herald.Server.Tests.Transforms;

/// <summary>
/// The limits on what a JSONata expression may be and build: too long or too deeply nested is a 400 at save naming
/// the field and the setting; a result over the size limit, or an event's downgrade step over the length limit,
/// fails the event (not retried) with a message that names the setting.
/// </summary>
public class ExpressionLimitScenarios : ReceiverScenario
{
    private const int MaxLength = 4000;

    protected override IReadOnlyDictionary<string, string?> ExtraSettings => new Dictionary<string, string?>
    {
        ["Transforms:MaxExpressionLength"] = MaxLength.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Transforms:MaxResultBytes"] = (1 << 20).ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    [Theory]
    [InlineData("jsonataExpression", """ "jsonataExpression": "{0}" """)]
    [InlineData("multipartConfig.fileSource", """ "multipartConfig": {{ "fileSource": "{0}" }} """)]
    [InlineData("filterConditions.conditions[0].jsonata_expression", """ "filterConditions": {{ "conditions": [{{ "jsonata_expression": "{0}" }}] }} """)]
    public async Task An_expression_longer_than_the_setting_is_refused_naming_the_field_and_the_setting(string field, string template)
    {
        var expression = "1" + new string(' ', MaxLength);

        var response = await CreateAsync(string.Format(System.Globalization.CultureInfo.InvariantCulture, template, expression));

        Assert.Equal(400, (int)response.StatusCode);
        Assert.Equal($"{field} must be at most {MaxLength} characters (setting Transforms:MaxExpressionLength)", await response.MessageAsync());
    }

    [Fact]
    public async Task An_expression_nested_too_deeply_is_refused_naming_the_field()
    {
        var response = await CreateAsync($$""" "jsonataExpression": "{{new string('(', 499)}}1{{new string(')', 499)}}" """);
        var deeper = await CreateAsync($$""" "jsonataExpression": "{{new string('[', 1500)}}" """);

        Assert.Equal(201, (int)response.StatusCode);
        Assert.Equal(400, (int)deeper.StatusCode);
        Assert.StartsWith("jsonataExpression is not valid JSONata (U1001", await deeper.MessageAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_transform_that_builds_a_string_over_the_size_limit_fails_its_event_naming_the_setting()
    {
        var (configId, _) = await Client.CreateConfigAsync(Receiver.Url, """ "jsonataExpression": "$pad('', 1e8)" """);

        var outcome = await Client.TriggerAsync(configId, sync: true);

        Assert.Equal("failed", outcome["status"]!.GetValue<string>());
        var message = outcome["message"]!.GetValue<string>();
        Assert.Contains("U1003", message, StringComparison.Ordinal);
        Assert.Contains("Transforms:MaxResultBytes", message, StringComparison.Ordinal);
        Assert.Empty(Receiver.Received);
    }

    [Fact]
    public async Task A_downgrade_step_longer_than_the_setting_fails_its_event_naming_the_step_and_the_setting()
    {
        var created = await Client.PostJsonAsync("/v1/webhooks/configs",
            $$"""{"name":"Orders","eventName":"event_OrderSubmission","eventVersion":"1.0","url":"{{Receiver.Url}}"}""");
        created.EnsureSuccessStatusCode();
        var configId = (await created.ReadAsync())["id"]!.GetValue<string>();
        var envelope = new JsonObject
        {
            ["_event_version"] = "2.0",
            ["_downgrades"] = new JsonArray(new JsonObject { ["to"] = "1.0", ["jsonata"] = "$" + new string(' ', MaxLength) }),
        };

        var outcome = await Client.TriggerAsync(configId, envelope.ToJsonString(), sync: true);

        Assert.Equal("failed", outcome["status"]!.GetValue<string>());
        var message = outcome["message"]!.GetValue<string>();
        Assert.Contains("_downgrades[0].jsonata", message, StringComparison.Ordinal);
        Assert.Contains("Transforms:MaxExpressionLength", message, StringComparison.Ordinal);
        Assert.Empty(Receiver.Received);
    }

    [Theory]
    [InlineData(65)]
    [InlineData(5000)]
    public async Task A_transform_result_nested_deeper_than_herald_sends_fails_its_event_with_a_message(int depth)
    {
        var (configId, _) = await Client.CreateConfigAsync(Receiver.Url,
            $$""" "jsonataExpression": "$reduce([2..{{depth}}], function($a, $i){ {'a': $a} }, {})" """);

        var outcome = await Client.TriggerAsync(configId, sync: true);

        Assert.Equal("failed", outcome["status"]!.GetValue<string>());
        Assert.Contains("nested more than 64 levels deep", outcome["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Empty(Receiver.Received);
    }

    [Fact]
    public async Task A_transform_result_nested_64_deep_is_sent()
    {
        var (configId, _) = await Client.CreateConfigAsync(Receiver.Url,
            """ "jsonataExpression": "$reduce([2..64], function($a, $i){ {'a': $a} }, {})" """);

        var outcome = await Client.TriggerAsync(configId, sync: true);

        Assert.Equal("succeeded", outcome["status"]!.GetValue<string>());
    }

    private Task<HttpResponseMessage> CreateAsync(string extra) =>
        Client.PostJsonAsync("/v1/webhooks/configs", $$"""{"name":"Limits","eventName":"order_created","url":"{{Receiver.Url}}",{{extra}}}""");
}
