using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Herald.Server.Tests.Support;

namespace Herald.Server.Tests.Hosting;

/// <summary>The API describes itself: the OpenAPI document and the interactive page over it.</summary>
public sealed partial class ApiDocsTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_document_declares_bearer_auth_and_every_operation_has_a_summary_and_a_description()
    {
        using var app = new HeraldApp();
        var document = await (await app.Client(token: null).GetAsync("/openapi/v1.json", Ct)).ReadAsync();

        var schemes = document["components"]!["securitySchemes"]!.AsObject();
        var (name, scheme) = Assert.Single(schemes);
        Assert.Equal("http", scheme!["type"]!.GetValue<string>());
        Assert.Equal("bearer", scheme["scheme"]!.GetValue<string>());
        Assert.Contains(document["security"]!.AsArray(), requirement => requirement!.AsObject().ContainsKey(name));
        Assert.Contains("Herald extension: any operation that needs the database answers `503`", document["info"]!["description"]!.GetValue<string>());
        var operations = Operations(document).ToList();
        Assert.True(operations.Count >= 20, $"only {operations.Count} operations");
        Assert.All(operations, o =>
        {
            Assert.False(string.IsNullOrWhiteSpace(o["summary"]?.GetValue<string>()), $"{o["operationId"]} has no summary");
            Assert.False(string.IsNullOrWhiteSpace(o["description"]?.GetValue<string>()), $"{o["operationId"]} has no description");
        });
    }

    [Fact]
    public async Task The_anonymous_operation_drops_the_bearer_requirement_and_the_others_keep_it()
    {
        using var app = new HeraldApp();
        var document = await (await app.Client(token: null).GetAsync("/openapi/v1.json", Ct)).ReadAsync();

        var operations = Operations(document).ToDictionary(o => o["operationId"]!.GetValue<string>());
        Assert.Empty(operations["getPublicKey"]["security"]!.AsArray());
        Assert.All(operations.Where(o => o.Key != "getPublicKey"), o => Assert.Null(o.Value["security"]));
    }

    [Fact]
    public async Task Herald_extensions_are_marked_on_operations_and_fields_and_contract_operations_are_not()
    {
        using var app = new HeraldApp();
        var document = await (await app.Client(token: null).GetAsync("/openapi/v1.json", Ct)).ReadAsync();

        var operations = Operations(document).ToDictionary(o => o["operationId"]!.GetValue<string>());
        foreach (var extension in new[] { "fanOutEvent", "getEventAttempts", "rotateSigningSecret", "rotateSigningKey", "recoverEvents" })
        {
            Assert.True(operations[extension]["x-herald-extension"]!.GetValue<bool>());
            Assert.Contains("Herald extension", operations[extension]["description"]!.GetValue<string>());
        }
        Assert.Null(operations["createConfig"]["x-herald-extension"]);
        var statusReason = document["components"]!["schemas"]!["WebhookConfig"]!["properties"]!["statusReason"]!;
        Assert.True(statusReason["x-herald-extension"]!.GetValue<bool>());
        Assert.Contains("Herald extension", statusReason["description"]!.GetValue<string>());
        var request = document["components"]!["schemas"]!["EventAttempt"]!["properties"]!["request"]!;
        Assert.True(request["x-herald-extension"]!.GetValue<bool>());
        Assert.Contains("[redacted]", request["description"]!.GetValue<string>());
        var schemas = document["components"]!["schemas"]!;
        foreach (var (schema, property) in new[] { ("WebhookConfig", "signingSecretRotation"), ("PublicKeyResponse", "keys") })
        {
            var field = schemas[schema]!["properties"]![property]!;
            Assert.True(field["x-herald-extension"]?.GetValue<bool>() == true, $"{schema}.{property} is not marked");
            Assert.Contains("Herald extension", field["description"]!.GetValue<string>());
        }
        Assert.Null(schemas["PublicKeyResponse"]!["properties"]!["public_key"]!["x-herald-extension"]);
        foreach (var field in new[] { "rateLimit", "disabledReason", "disabledAt" })
        {
            var extension = document["components"]!["schemas"]!["WebhookConfig"]!["properties"]![field]!;
            Assert.True(extension["x-herald-extension"]!.GetValue<bool>(), field);
            Assert.Contains("Herald extension", extension["description"]!.GetValue<string>());
        }
    }

    [Fact]
    public async Task The_docs_page_is_html_that_loads_nothing_from_outside_Herald()
    {
        using var app = new HeraldApp();
        var client = app.Client(token: null);

        var page = await client.GetAsync("/docs", Ct);
        var html = await page.Content.ReadAsStringAsync(Ct);

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        Assert.DoesNotMatch("(?i)https?:|//[a-z0-9]", html);
        var assets = Assets().Matches(html).Select(m => m.Groups["url"].Value).ToList();
        Assert.NotEmpty(assets);
        foreach (var asset in assets)
        {
            var answer = await client.GetAsync(new Uri(page.RequestMessage!.RequestUri!, asset), Ct);
            Assert.True(answer.StatusCode == HttpStatusCode.OK, $"{asset} answered {(int)answer.StatusCode}");
        }
        Assert.Contains("\"withDefaultFonts\":false", html);
        Assert.Contains("openapi/v1.json", html);
    }

    [Fact]
    public async Task Every_operation_that_reads_a_body_documents_it_as_a_named_schema()
    {
        // Generated clients (Herald.Client) name their request types after the schema; an inline schema becomes "Body2".
        string[] bodiless = ["rotateSigningSecret", "rotateSigningKey", "testOAuth"];
        using var app = new HeraldApp();
        var document = await (await app.Client(token: null).GetAsync("/openapi/v1.json", Ct)).ReadAsync();

        var unnamed = document["paths"]!.AsObject()
            .SelectMany(path => path.Value!.AsObject().Where(o => o.Key is "post" or "put"))
            .Select(o => o.Value!)
            .Where(o => !bodiless.Contains(o["operationId"]!.GetValue<string>()))
            .Where(o => o["requestBody"]?["content"]?["application/json"]?["schema"]?["$ref"] is null)
            .Select(o => o["operationId"]!.GetValue<string>())
            .ToList();

        Assert.True(unnamed.Count == 0, "these operations have no body or an inline one: " + string.Join(", ", unnamed));
    }

    private static IEnumerable<JsonNode> Operations(JsonNode document) =>
        document["paths"]!.AsObject().SelectMany(path => path.Value!.AsObject()).Select(operation => operation.Value!).Where(o => o["operationId"] is not null);

    [GeneratedRegex("""(?:src|href)="(?<url>[^"]+)"|from '(?<url>[^']+)'""")]
    private static partial Regex Assets();
}
