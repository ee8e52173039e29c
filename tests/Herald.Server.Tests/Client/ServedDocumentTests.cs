using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Herald.Server.Tests.Support;

namespace Herald.Server.Tests.Client;

/// <summary>
/// Herald.Client is generated at build time from a committed copy of Herald's OpenAPI document, so that its build
/// needs no running server; this test keeps the copy equal to what Herald serves at /openapi/v1.json.
/// </summary>
public sealed class ServedDocumentTests
{
    /// <summary>Set to 1 to have the test write the served document over the copy (then rebuild Herald.Client).</summary>
    public const string RefreshVariable = "HERALD_REFRESH_CLIENT_DOCUMENT";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static string CopyPath => Path.Combine(Repository.Root, "src", "Herald.Client", "herald.openapi.json");

    [Fact]
    public async Task The_clients_copy_of_the_OpenAPI_document_is_what_Herald_serves()
    {
        using var app = new HeraldApp();
        var served = (await (await app.Client(token: null).GetAsync("/openapi/v1.json", Ct)).ReadAsync()).AsObject();
        served.Remove("servers"); // the address of this test's server, not part of the API
        var copy = JsonNode.Parse(await File.ReadAllTextAsync(CopyPath, Ct));

        if (JsonNode.DeepEquals(served, copy))
        {
            return;
        }
        var refresh = Environment.GetEnvironmentVariable(RefreshVariable) == "1";
        if (refresh)
        {
            var options = new JsonSerializerOptions { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
            await File.WriteAllTextAsync(CopyPath, served.ToJsonString(options) + "\n", Ct);
        }
        Assert.Fail($"src/Herald.Client/herald.openapi.json differs from what Herald serves at /openapi/v1.json (first at {FirstDifference(copy, served, "$")}). "
            + (refresh
                ? "It has been rewritten: rebuild Herald.Client, review the diff and commit it."
                : $"Run this test with {RefreshVariable}=1 to rewrite it from the server, then rebuild Herald.Client and commit the diff."));
    }

    [Fact]
    public void A_difference_is_located_by_its_path()
    {
        var a = JsonNode.Parse("""{"paths":{"/x":{"get":{"operationId":"a"}}},"n":[1,2]}""");
        Assert.Equal("$.paths./x.get.operationId", FirstDifference(a, JsonNode.Parse("""{"paths":{"/x":{"get":{"operationId":"b"}}},"n":[1,2]}"""), "$"));
        Assert.Equal("$.n[1]", FirstDifference(a, JsonNode.Parse("""{"paths":{"/x":{"get":{"operationId":"a"}}},"n":[1,3]}"""), "$"));
        Assert.Equal("$.extra", FirstDifference(a, JsonNode.Parse("""{"paths":{"/x":{"get":{"operationId":"a"}}},"n":[1,2],"extra":0}"""), "$"));
    }

    /// <summary>Where two documents first part, so the failure says what changed without a diff tool.</summary>
    private static string FirstDifference(JsonNode? expected, JsonNode? actual, string path)
    {
        switch (expected, actual)
        {
            case (JsonObject e, JsonObject a):
                foreach (var name in e.Select(p => p.Key).Union(a.Select(p => p.Key)))
                {
                    if (!e.ContainsKey(name) || !a.ContainsKey(name))
                    {
                        return $"{path}.{name}";
                    }
                    if (!JsonNode.DeepEquals(e[name], a[name]))
                    {
                        return FirstDifference(e[name], a[name], $"{path}.{name}");
                    }
                }
                return path;
            case (JsonArray e, JsonArray a) when e.Count == a.Count:
                for (var i = 0; i < e.Count; i++)
                {
                    if (!JsonNode.DeepEquals(e[i], a[i]))
                    {
                        return FirstDifference(e[i], a[i], $"{path}[{i}]");
                    }
                }
                return path;
            default:
                return path;
        }
    }
}
