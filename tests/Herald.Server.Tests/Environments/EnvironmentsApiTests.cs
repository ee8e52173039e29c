using System.Net;
using System.Text.Json.Nodes;
using Herald.Server.Tests.Support;
using Npgsql;

namespace Herald.Server.Tests.Environments;

/// <summary>The Environments subset end to end, on whichever engine the subclass picks.</summary>
public abstract class EnvironmentsApiScenarios : IDisposable
{
    private HeraldApp? _app;

    protected abstract Task<HeraldApp> StartAsync();

    /// <summary>Everything the engine holds for the variables, as text, to look for secrets in the clear.</summary>
    protected abstract Task<string> StoredTextAsync(HeraldApp app);

    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<HttpClient> ClientAsync(string token = HeraldApp.TokenA) => (_app ??= await StartAsync()).Client(token);

    /// <summary>Settings of the test on top of the engine's, read when the app starts (the first client).</summary>
    protected Dictionary<string, string?> Settings { get; } = [];

    [Fact]
    public async Task An_organization_at_its_limit_of_variables_gets_400_naming_the_setting_and_another_organization_still_creates()
    {
        Settings["Environments:MaxPerOrganization"] = "2";
        var client = await ClientAsync();
        var clientB = await ClientAsync(HeraldApp.TokenB);
        Assert.Equal(HttpStatusCode.Created, (await client.PostJsonAsync("/v1/environments", """{"key":"one","type":"String","value":"1"}""")).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await client.PutJsonAsync("/v1/environments/two", """{"type":"String","value":"2"}""")).StatusCode);

        var created = await client.PostJsonAsync("/v1/environments", """{"key":"three","type":"String","value":"3"}""");
        var upserted = await client.PutJsonAsync("/v1/environments/three", """{"type":"String","value":"3"}""");

        foreach (var refused in (HttpResponseMessage[])[created, upserted])
        {
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            Assert.Contains("at most 2 environment variables (setting Environments:MaxPerOrganization)", (await refused.ReadAsync())["message"]!.GetValue<string>());
        }
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/v1/environments/three", Ct)).StatusCode);
        // An update of a kept variable and a create of a known key are not creates beyond the limit.
        Assert.Equal(HttpStatusCode.OK, (await client.PutJsonAsync("/v1/environments/two", """{"value":"2b"}""")).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await client.PostJsonAsync("/v1/environments", """{"key":"one","type":"String","value":"1"}""")).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await clientB.PostJsonAsync("/v1/environments", """{"key":"three","type":"String","value":"3"}""")).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync("/v1/environments/one", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await client.PostJsonAsync("/v1/environments", """{"key":"three","type":"String","value":"3"}""")).StatusCode);
    }

    [Fact]
    public async Task A_string_variable_is_created_read_and_listed_with_its_value()
    {
        var client = await ClientAsync();

        var response = await client.PostJsonAsync("/v1/environments", """{"key":"erp.base-url","type":"String","value":"https://erp.example","description":"ERP","group":"erp"}""");

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal("/v1/environments/erp.base-url", response.Headers.Location!.OriginalString);
        var expected = JsonNode.Parse("""
            {"key":"erp.base-url","type":"String","description":"ERP","group":"erp","value":"https://erp.example","protected":false,
             "created_at":"2026-03-01T12:00:00.000Z","updated_at":"2026-03-01T12:00:00.000Z"}
            """);
        Assert.True(JsonNode.DeepEquals(expected, await response.ReadAsync()));
        Assert.True(JsonNode.DeepEquals(expected, await (await client.GetAsync("/v1/environments/erp.base-url", Ct)).ReadAsync()));
        var list = await (await client.GetAsync("/v1/environments", Ct)).ReadAsync();
        Assert.True(JsonNode.DeepEquals(new JsonObject { ["items"] = new JsonArray(expected!.DeepClone()) }, list));
    }

    [Fact]
    public async Task A_secret_value_is_write_only_and_never_stored_in_the_clear()
    {
        var client = await ClientAsync();

        var created = await client.PostJsonAsync("/v1/environments", """{"key":"erp.password","type":"SecretString","value":"first-s3cret-value"}""");
        var updated = await client.PutJsonAsync("/v1/environments/erp.password", """{"value":"second-s3cret-value","description":"rotated"}""");
        var upserted = await client.PutJsonAsync("/v1/environments/other.secret", """{"type":"SecretString","value":"third-s3cret-value"}""");
        var read = await client.GetAsync("/v1/environments/erp.password", Ct);
        var list = await client.GetAsync("/v1/environments", Ct);

        Assert.Equal([HttpStatusCode.Created, HttpStatusCode.OK, HttpStatusCode.Created, HttpStatusCode.OK, HttpStatusCode.OK],
            [created.StatusCode, updated.StatusCode, upserted.StatusCode, read.StatusCode, list.StatusCode]);
        foreach (var answer in (HttpResponseMessage[])[created, updated, upserted, read, list])
        {
            var text = await answer.Content.ReadAsStringAsync(Ct);
            Assert.DoesNotContain("s3cret", text);
            Assert.DoesNotContain("\"value\"", text);
        }
        Assert.Equal("rotated", (await read.ReadAsync())["description"]!.GetValue<string>());
        Assert.Equal("SecretString", (await read.ReadAsync())["type"]!.GetValue<string>());

        var stored = await StoredTextAsync(_app!);
        Assert.DoesNotContain("s3cret", stored);
        Assert.Contains("erp.password", stored);
    }

    [Fact]
    public async Task Creating_an_existing_key_is_a_409()
    {
        var client = await ClientAsync();
        await client.PostJsonAsync("/v1/environments", """{"key":"k","type":"String","value":"first"}""");

        var again = await client.PostJsonAsync("/v1/environments", """{"key":"k","type":"SecretString","value":"second"}""");

        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Contains("'k' already exists", await again.MessageAsync());
        Assert.Equal("first", (await (await client.GetAsync("/v1/environments/k", Ct)).ReadAsync())["value"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("""{"type":"String"}""", "key is required")]
    [InlineData("""{"key":"Bad Key","type":"String"}""", "key must match")]
    [InlineData("""{"key":"k","type":"Number","value":"1"}""", "type Number is not supported")]
    [InlineData("""{"key":"k","type":"String","value":7}""", "value must be a string")]
    [InlineData("""{"key":"k",""", "Malformed JSON")]
    public async Task An_invalid_create_is_a_400_naming_the_field(string body, string expected)
    {
        var client = await ClientAsync();

        var response = await client.PostJsonAsync("/v1/environments", body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(expected, await response.MessageAsync());
    }

    [Fact]
    public async Task An_update_upserts_keeps_what_it_omits_and_refuses_a_type_change_over_a_value()
    {
        var client = await ClientAsync();

        var created = await client.PutJsonAsync("/v1/environments/tenant", """{"value":"acme","group":"erp"}""");
        _app!.Clock.Advance(TimeSpan.FromMinutes(1));
        var updated = await client.PutJsonAsync("/v1/environments/tenant", """{"description":"the tenant"}""");
        var retyped = await client.PutJsonAsync("/v1/environments/tenant", """{"type":"SecretString","value":"x"}""");
        var badKey = await client.PutJsonAsync("/v1/environments/Not_Valid", """{"value":"x"}""");
        var badBody = await client.PutJsonAsync("/v1/environments/tenant", """{"protected":"no"}""");

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal("String", (await created.ReadAsync())["type"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, updated.StatusCode);
        var body = await updated.ReadAsync();
        Assert.Equal(("acme", "erp", "the tenant"), (body["value"]!.GetValue<string>(), body["group"]!.GetValue<string>(), body["description"]!.GetValue<string>()));
        Assert.Equal(("2026-03-01T12:00:00.000Z", "2026-03-01T12:01:00.000Z"), (body["created_at"]!.GetValue<string>(), body["updated_at"]!.GetValue<string>()));
        Assert.Equal(HttpStatusCode.Conflict, retyped.StatusCode);
        Assert.Contains("while it holds a value", await retyped.MessageAsync());
        Assert.Equal(HttpStatusCode.BadRequest, badKey.StatusCode);
        Assert.StartsWith("key must match", await badKey.MessageAsync());
        Assert.Equal(HttpStatusCode.BadRequest, badBody.StatusCode);
        Assert.Equal("protected must be a boolean", await badBody.MessageAsync());
    }

    [Fact]
    public async Task Deleting_answers_204_once_then_404()
    {
        var client = await ClientAsync();
        await client.PostJsonAsync("/v1/environments", """{"key":"k","type":"String"}""");

        var first = await client.DeleteAsync("/v1/environments/k", Ct);
        var second = await client.DeleteAsync("/v1/environments/k", Ct);
        var read = await client.GetAsync("/v1/environments/k", Ct);

        Assert.Equal([HttpStatusCode.NoContent, HttpStatusCode.NotFound, HttpStatusCode.NotFound], [first.StatusCode, second.StatusCode, read.StatusCode]);
        Assert.Equal("No environment variable with key 'k'", await read.MessageAsync());
    }

    [Fact]
    public async Task Another_organizations_variables_do_not_exist_for_it()
    {
        var owner = await ClientAsync(HeraldApp.TokenA);
        var stranger = await ClientAsync(HeraldApp.TokenB);
        await owner.PostJsonAsync("/v1/environments", """{"key":"shared.name","type":"String","value":"mine"}""");

        var get = await stranger.GetAsync("/v1/environments/shared.name", Ct);
        var delete = await stranger.DeleteAsync("/v1/environments/shared.name", Ct);
        var list = await (await stranger.GetAsync("/v1/environments", Ct)).ReadAsync();
        // An upsert by the other organization creates its own variable of that name.
        var put = await stranger.PutJsonAsync("/v1/environments/shared.name", """{"value":"theirs"}""");

        Assert.Equal([HttpStatusCode.NotFound, HttpStatusCode.NotFound, HttpStatusCode.Created], [get.StatusCode, delete.StatusCode, put.StatusCode]);
        Assert.Empty(list["items"]!.AsArray());
        Assert.Equal("mine", (await (await owner.GetAsync("/v1/environments/shared.name", Ct)).ReadAsync())["value"]!.GetValue<string>());
        Assert.Equal("theirs", (await (await stranger.GetAsync("/v1/environments/shared.name", Ct)).ReadAsync())["value"]!.GetValue<string>());
    }

    [Fact]
    public async Task Every_operation_needs_a_token()
    {
        var client = (_app ??= await StartAsync()).Client(token: null);

        var list = await client.GetAsync("/v1/environments", Ct);
        var create = await client.PostJsonAsync("/v1/environments", """{"key":"k","type":"String"}""");

        Assert.Equal([HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized], [list.StatusCode, create.StatusCode]);
    }

    public void Dispose()
    {
        _app?.Dispose();
        GC.SuppressFinalize(this);
    }
}

public sealed class SqliteEnvironmentsApiTests : EnvironmentsApiScenarios
{
    [Theory]
    [InlineData("0")]
    [InlineData("-5")]
    public void A_limit_of_variables_below_one_refuses_to_start_naming_the_setting(string value)
    {
        var error = HeraldApp.StartFailure(new Dictionary<string, string?> { ["Environments:MaxPerOrganization"] = value });

        Assert.Contains($"Environments:MaxPerOrganization must be at least 1 (got {value})", error.ToString());
    }

    protected override Task<HeraldApp> StartAsync() => Task.FromResult(new HeraldApp(Settings));

    protected override Task<string> StoredTextAsync(HeraldApp app)
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        // The database file with its write-ahead log: bytes as Latin-1 text, so any UTF-8 secret would show verbatim.
        return Task.FromResult(string.Concat(Directory.GetFiles(app.DataDirectory, "herald.db*").Select(f => System.Text.Encoding.Latin1.GetString(File.ReadAllBytes(f)))));
    }
}

public sealed class PostgresEnvironmentsApiTests(PostgresServer server) : EnvironmentsApiScenarios
{
    private string _connectionString = "";

    protected override async Task<HeraldApp> StartAsync()
    {
        _connectionString = await server.CreateDatabaseAsync();
        return new HeraldApp(new Dictionary<string, string?>(Settings) { ["Storage:Provider"] = "Postgres", ["Storage:ConnectionString"] = _connectionString });
    }

    protected override async Task<string> StoredTextAsync(HeraldApp app)
    {
        await using var connection = new NpgsqlConnection(_connectionString);
        await connection.OpenAsync(Ct);
        await using var command = new NpgsqlCommand("SELECT key, coalesce(value, ''), coalesce(encode(sealed_value, 'escape'), '') FROM environment_variables", connection);
        await using var reader = await command.ExecuteReaderAsync(Ct);
        var text = new System.Text.StringBuilder();
        while (await reader.ReadAsync(Ct))
        {
            text.Append(reader.GetString(0)).Append(' ').Append(reader.GetString(1)).Append(' ').Append(reader.GetString(2)).Append('\n');
        }
        return text.ToString();
    }
}
