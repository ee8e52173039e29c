using System.Globalization;
using System.Net;
using Herald.Server.Tests.Support;

namespace Herald.Server.Tests.Signing;

/// <summary>
/// The unauthenticated public-key endpoint hands out the keys of organizations Herald knows and stores nothing for
/// any other name, on whichever engine the subclass picks.
/// </summary>
public abstract class PublicKeyScenarios : IDisposable
{
    private HeraldApp? _app;

    protected abstract Task<Dictionary<string, string?>> StorageAsync();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<HeraldApp> AppAsync(IReadOnlyDictionary<string, string?>? settings = null) =>
        _app ??= new HeraldApp(new Dictionary<string, string?>((await StorageAsync()).Concat(settings ?? new Dictionary<string, string?>())));

    private async Task<long> KeyRowsAsync() =>
        Convert.ToInt64(await (await AppAsync()).ScalarAsync("SELECT COUNT(*) FROM org_signing_keys"), CultureInfo.InvariantCulture);

    [Fact]
    public async Task An_organization_herald_does_not_know_is_a_404_and_nothing_is_stored()
    {
        var app = await AppAsync();
        var anonymous = app.Client(token: null);

        var responses = new List<HttpResponseMessage>();
        foreach (var orgId in new[] { "made-up-org", "made-up-org", "another.made:up_org-2" })
        {
            responses.Add(await anonymous.GetAsync($"/v1/webhooks/.well-known/public-key?orgId={orgId}", Ct));
        }

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.NotFound, r.StatusCode));
        Assert.Contains("made-up-org", await responses[0].MessageAsync());
        Assert.Equal(0, await KeyRowsAsync());
    }

    [Fact]
    public async Task An_organization_with_a_config_gets_its_key_and_keeps_it()
    {
        var app = await AppAsync();
        var anonymous = app.Client(token: null);
        var created = await (await app.Client().PostJsonAsync("/v1/webhooks/configs", """{"name":"n","eventName":"order_created","url":"https://r.example"}""")).ReadAsync();

        var first = await anonymous.GetAsync($"/v1/webhooks/.well-known/public-key?orgId={HeraldApp.OrgA}", Ct);
        await app.Client().DeleteAsync($"/v1/webhooks/configs/{created["id"]!.GetValue<string>()}", Ct);
        var afterDelete = await anonymous.GetAsync($"/v1/webhooks/.well-known/public-key?orgId={HeraldApp.OrgA}", Ct);
        var otherOrg = await anonymous.GetAsync($"/v1/webhooks/.well-known/public-key?orgId={HeraldApp.OrgB}", Ct);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, afterDelete.StatusCode);
        Assert.Equal((await first.ReadAsync())["public_key"]!.GetValue<string>(), (await afterDelete.ReadAsync())["public_key"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.NotFound, otherOrg.StatusCode);
        Assert.Equal(1, await KeyRowsAsync());
    }

    /// <summary>
    /// A receiver may keep the keys five minutes, or half of what the rotation overlap leaves after the minute other
    /// nodes may take to see a rotation, when that is shorter; an unknown organization's 404 is not cached.
    /// </summary>
    [Theory]
    [InlineData(null, 300)]
    [InlineData("00:03:00", 60)]
    [InlineData("00:01:00", 0)]
    public async Task A_key_answer_may_be_cached_for_less_than_the_rotation_overlap(string? overlap, int maxAge)
    {
        var app = await AppAsync(overlap is null ? null : new Dictionary<string, string?> { ["Signing:RotationOverlap"] = overlap });
        await app.Client().PostJsonAsync("/v1/webhooks/configs", """{"name":"n","eventName":"order_created","url":"https://r.example"}""");
        var anonymous = app.Client(token: null);

        var known = await anonymous.GetAsync($"/v1/webhooks/.well-known/public-key?orgId={HeraldApp.OrgA}", Ct);
        var unknown = await anonymous.GetAsync($"/v1/webhooks/.well-known/public-key?orgId={HeraldApp.OrgB}", Ct);

        Assert.Equal(HttpStatusCode.OK, known.StatusCode);
        Assert.True(known.Headers.CacheControl is { Public: true }, $"Cache-Control: {known.Headers.CacheControl}");
        Assert.Equal(TimeSpan.FromSeconds(maxAge), known.Headers.CacheControl!.MaxAge);
        Assert.Null(unknown.Headers.CacheControl?.MaxAge);
    }

    public void Dispose()
    {
        _app?.Dispose();
        GC.SuppressFinalize(this);
    }
}

public sealed class SqlitePublicKeyScenarios : PublicKeyScenarios
{
    protected override Task<Dictionary<string, string?>> StorageAsync() => Task.FromResult(new Dictionary<string, string?>());
}

public sealed class PostgresPublicKeyScenarios(PostgresServer server) : PublicKeyScenarios
{
    protected override Task<Dictionary<string, string?>> StorageAsync() => server.StorageAsync();
}
