using System.Globalization;
using System.Net;
using Herald.Server.Tests.Support;

namespace Herald.Server.Tests.Configs;

/// <summary>
/// How many configs an organization keeps and how large one may be, both settings, on whichever engine the subclass
/// picks: an organization cannot make <c>getConfigs</c> (which lists configs whole) arbitrarily large.
/// </summary>
public abstract class ConfigLimitsScenarios : IDisposable
{
    private const int MaxPerOrganization = 3;
    private const int MaxStoredBytes = 8192;

    private HeraldApp? _app;

    protected abstract Task<Dictionary<string, string?>> StorageAsync();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<HeraldApp> AppAsync()
    {
        if (_app is null)
        {
            var settings = await StorageAsync();
            settings["Configs:MaxPerOrganization"] = MaxPerOrganization.ToString(CultureInfo.InvariantCulture);
            settings["Configs:MaxStoredBytes"] = MaxStoredBytes.ToString(CultureInfo.InvariantCulture);
            _app = new HeraldApp(settings);
        }
        return _app;
    }

    private static string Config(string name, int expressionLength = 0) =>
        $$"""{"name":"{{name}}","eventName":"order_created","url":"https://r.example"{{(expressionLength > 0 ? $",\"jsonataExpression\":\"\\\"{new string('x', expressionLength)}\\\"\"" : "")}}}""";

    private async Task<long> StoredConfigsAsync(string orgId) =>
        Convert.ToInt64(await (await AppAsync()).ScalarAsync($"SELECT COUNT(*) FROM webhook_configs WHERE org_id = '{orgId}'"), CultureInfo.InvariantCulture);

    [Fact]
    public async Task Creating_more_configs_than_an_organization_may_keep_is_a_400_naming_the_setting()
    {
        var app = await AppAsync();
        var client = app.Client();
        var ids = new List<string>();
        for (var i = 0; i < MaxPerOrganization; i++)
        {
            var created = await client.PostJsonAsync("/v1/webhooks/configs", Config($"c{i}"));
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
            ids.Add((await created.ReadAsync())["id"]!.GetValue<string>());
        }

        var refused = await client.PostJsonAsync("/v1/webhooks/configs", Config("one too many"));
        var otherOrganization = await app.Client(HeraldApp.TokenB).PostJsonAsync("/v1/webhooks/configs", Config("b"));
        await client.DeleteAsync($"/v1/webhooks/configs/{ids[0]}", Ct);
        var afterDelete = await client.PostJsonAsync("/v1/webhooks/configs", Config("after delete"));

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var message = await refused.MessageAsync();
        Assert.Contains($"{MaxPerOrganization} configs", message);
        Assert.Contains("Configs:MaxPerOrganization", message);
        Assert.Equal(HttpStatusCode.Created, otherOrganization.StatusCode);
        Assert.Equal(HttpStatusCode.Created, afterDelete.StatusCode);
        Assert.Equal(MaxPerOrganization, await StoredConfigsAsync(HeraldApp.OrgA));
    }

    [Fact]
    public async Task Creates_racing_each_other_cannot_pass_the_limit()
    {
        var app = await AppAsync();
        var client = app.Client();

        var responses = await Task.WhenAll(Enumerable.Range(0, 12).Select(i => client.PostJsonAsync("/v1/webhooks/configs", Config($"racer {i}"))));

        Assert.Equal(MaxPerOrganization, responses.Count(r => r.StatusCode == HttpStatusCode.Created));
        Assert.All(responses.Where(r => r.StatusCode != HttpStatusCode.Created), r => Assert.Equal(HttpStatusCode.BadRequest, r.StatusCode));
        Assert.Equal(MaxPerOrganization, await StoredConfigsAsync(HeraldApp.OrgA));
        Assert.Equal(MaxPerOrganization, (await (await client.GetAsync("/v1/webhooks/configs", Ct)).ReadAsync()).AsArray().Count);
    }

    [Fact]
    public async Task A_config_larger_than_the_stored_size_limit_is_refused_on_create_and_on_update()
    {
        var app = await AppAsync();
        var client = app.Client();

        var tooLarge = await client.PostJsonAsync("/v1/webhooks/configs", Config("large", MaxStoredBytes));
        var password = new string('p', MaxStoredBytes);
        var secretTooLarge = await client.PostJsonAsync("/v1/webhooks/configs",
            """{"name":"secret","eventName":"order_created","auth":{"authType":"BASIC","basicAuthConfig":{"username":"u","password":"PASSWORD"}}}""".Replace("PASSWORD", password, StringComparison.Ordinal));
        var fits = await client.PostJsonAsync("/v1/webhooks/configs", Config("fits", MaxStoredBytes / 2));
        var id = (await fits.ReadAsync())["id"]!.GetValue<string>();
        var grown = await client.PutJsonAsync($"/v1/webhooks/configs/{id}", Config("grown", MaxStoredBytes));
        var stored = await (await client.GetAsync($"/v1/webhooks/configs/{id}", Ct)).ReadAsync();

        Assert.Equal(HttpStatusCode.BadRequest, tooLarge.StatusCode);
        var message = await tooLarge.MessageAsync();
        Assert.Contains($"{MaxStoredBytes} bytes", message);
        Assert.Contains("Configs:MaxStoredBytes", message);
        Assert.Equal(HttpStatusCode.BadRequest, secretTooLarge.StatusCode);
        Assert.Equal(HttpStatusCode.Created, fits.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, grown.StatusCode);
        Assert.Contains("Configs:MaxStoredBytes", await grown.MessageAsync());
        Assert.Equal("fits", stored["name"]!.GetValue<string>());
        Assert.Equal(1, await StoredConfigsAsync(HeraldApp.OrgA));
    }

    public void Dispose()
    {
        _app?.Dispose();
        GC.SuppressFinalize(this);
    }
}

public sealed class SqliteConfigLimitsScenarios : ConfigLimitsScenarios
{
    protected override Task<Dictionary<string, string?>> StorageAsync() => Task.FromResult(new Dictionary<string, string?>());
}

public sealed class PostgresConfigLimitsScenarios(PostgresServer server) : ConfigLimitsScenarios
{
    protected override Task<Dictionary<string, string?>> StorageAsync() => server.StorageAsync();
}
