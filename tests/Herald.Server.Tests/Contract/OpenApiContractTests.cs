using System.Text.Json.Nodes;
using Herald.Server.Tests.Support;

namespace Herald.Server.Tests.Contract;

/// <summary>Herald's generated OpenAPI document serves the contract's paths under the contract's operationIds.</summary>
public sealed class OpenApiContractTests
{
    /// <summary>The operations implemented so far; each later feature adds its own here.</summary>
    private static readonly string[] Implemented =
    [
        "getPublicKey", "getConfiguredEvents", "getConfigs", "createConfig", "getConfig", "updateConfig", "deleteConfig",
        "triggerWebhook", "getEventById", "getWebhookEventsV2", "getWehookEvents", "replayEvent", "batchReplayEvents", "getWebhookExample", "testOAuth",
    ];

    /// <summary>The String/SecretString subset of the Environments API that <c>{{ env.NAME }}</c> references need.</summary>
    private static readonly string[] ImplementedEnvironments =
    [
        "listEnvironmentVariables", "createEnvironmentVariable", "getEnvironmentVariable", "updateEnvironmentVariable", "deleteEnvironmentVariable",
    ];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Every_implemented_contract_operation_appears_with_its_path_method_and_operation_id()
    {
        var contractPath = Repository.SharedFileOrSkip("contract/webhooks.openapi.json");
        var contract = JsonNode.Parse(await File.ReadAllTextAsync(contractPath, Ct))!;
        using var app = new HeraldApp();
        var ours = await (await app.Client(token: null).GetAsync("/openapi/v1.json", Ct)).ReadAsync();

        var expected = Operations(contract).Where(o => Implemented.Contains(o.OperationId)).ToList();
        var actual = Operations(ours).ToHashSet();

        Assert.Equal(Implemented.Length, expected.Count);
        Assert.All(expected, operation => Assert.Contains(operation, actual));
    }

    [Fact]
    public async Task The_served_environments_operations_appear_with_their_path_method_and_operation_id()
    {
        var contractPath = Repository.SharedFileOrSkip("contract/environments.openapi.json");
        var contract = JsonNode.Parse(await File.ReadAllTextAsync(contractPath, Ct))!;
        using var app = new HeraldApp();
        var ours = await (await app.Client(token: null).GetAsync("/openapi/v1.json", Ct)).ReadAsync();

        var expected = Operations(contract).Where(o => ImplementedEnvironments.Contains(o.OperationId)).ToList();
        var actual = Operations(ours).ToHashSet();

        Assert.Equal(ImplementedEnvironments.Length, expected.Count);
        Assert.All(expected, operation => Assert.Contains(operation, actual));
    }

    [Fact]
    public async Task The_v1_event_list_is_marked_deprecated_as_in_the_contract_and_nothing_else_is()
    {
        using var app = new HeraldApp();
        var ours = await (await app.Client(token: null).GetAsync("/openapi/v1.json", Ct)).ReadAsync();

        var deprecated = ours["paths"]!.AsObject()
            .SelectMany(path => path.Value!.AsObject().Select(operation => operation.Value))
            .Where(operation => operation?["deprecated"]?.GetValue<bool>() == true)
            .Select(operation => operation!["operationId"]!.GetValue<string>());

        Assert.Equal(["getWehookEvents"], deprecated);
    }

    [Theory]
    [InlineData("/v2/webhooks/configs/{configId}/events", "limit")]
    [InlineData("/v1/webhooks/configs/{configId}/events/{eventId}/replay", "reapply_transform")]
    [InlineData("/v1/webhooks/configs/{configId}/example", "automation_id")]
    public async Task Operations_with_an_optional_json_body_document_it(string path, string property)
    {
        using var app = new HeraldApp();
        var ours = await (await app.Client(token: null).GetAsync("/openapi/v1.json", Ct)).ReadAsync();

        var body = ours["paths"]![path]!["post"]!["requestBody"]!;
        var schema = body["content"]!["application/json"]!["schema"]!;
        var resolved = schema["$ref"] is { } reference ? ours["components"]!["schemas"]![reference.GetValue<string>().Split('/')[^1]]! : schema;

        Assert.NotEqual(true, body["required"]?.GetValue<bool>());
        Assert.NotNull(resolved["properties"]![property]);
    }

    private static IEnumerable<(string Path, string Method, string OperationId)> Operations(JsonNode document)
    {
        foreach (var (path, item) in document["paths"]!.AsObject())
        {
            foreach (var (method, operation) in item!.AsObject())
            {
                // A path item may also hold shared "parameters" (an array), which is no operation.
                if (operation is JsonObject && operation["operationId"] is { } id)
                {
                    yield return (path, method.ToLowerInvariant(), id.GetValue<string>());
                }
            }
        }
    }
}
