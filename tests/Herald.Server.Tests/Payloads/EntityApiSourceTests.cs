using Herald.Server.Http;
using Herald.Server.Payloads;
using Herald.Server.Tests.Support;

namespace Herald.Server.Tests.Payloads;

/// <summary>The Entity API adapter against a stub Entity API on a real socket.</summary>
public sealed class EntityApiSourceTests : IAsyncLifetime
{
    private Receiver _api = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _api = await Receiver.StartAsync();

    public async ValueTask DisposeAsync() => await _api.DisposeAsync();

    private EntityApiSource Source(TimeSpan? timeout = null, int maxBytes = 1024 * 1024) => new(new EntitiesOptions
    {
        BaseUrl = new Uri(_api.Url, "/entity-api/").ToString(),
        Token = "default-token",
        OrgTokens = new Dictionary<string, string> { ["org-a"] = "token-a" },
        Timeout = timeout ?? TimeSpan.FromSeconds(10),
        MaxResponseBytes = maxBytes,
    });

    [Fact]
    public async Task It_asks_for_the_hydrated_entity_with_the_organizations_token_and_reads_entity_and_relations()
    {
        _api.Enqueue(new Answer.Status(200, """{"entity":{"_id":"c 1","name":"full"},"relations":[{"_id":"r-1"}]}"""));
        using var source = Source();

        var fetched = await source.GetAsync(new OrganizationId("org-a"), "contract", "c 1", Ct);

        var request = _api.Received.Single();
        Assert.Equal("GET", request.Method);
        Assert.Equal("/entity-api/v1/entity/contract/c%201?hydrate=true", request.Path);
        Assert.Equal("Bearer token-a", request.Header("authorization"));
        Assert.Equal("org-a", request.Header("x-epilot-org-id"));
        Assert.Equal("full", fetched!.Entity["name"]!.GetValue<string>());
        Assert.Equal("r-1", fetched.Relations.Single()!["_id"]!.GetValue<string>());
    }

    [Fact]
    public async Task Organizations_without_their_own_token_use_the_default_one_and_missing_relations_are_none()
    {
        _api.Enqueue(new Answer.Status(200, """{"entity":{"_id":"c-1"}}"""));
        using var source = Source();

        var fetched = await source.GetAsync(new OrganizationId("org-b"), "contract", "c-1", Ct);

        Assert.Equal("Bearer default-token", _api.Received.Single().Header("authorization"));
        Assert.Empty(fetched!.Relations);
    }

    [Fact]
    public async Task An_unknown_entity_is_null()
    {
        _api.Enqueue(new Answer.Status(404, """{"message":"not found"}"""));
        using var source = Source();

        Assert.Null(await source.GetAsync(new OrganizationId("org-a"), "contract", "gone", Ct));
    }

    [Theory]
    [InlineData(500, true)]
    [InlineData(503, true)]
    [InlineData(429, true)]
    [InlineData(408, true)]
    [InlineData(401, false)]
    [InlineData(403, false)]
    [InlineData(400, false)]
    [InlineData(302, false)]
    public async Task Failed_answers_say_whether_a_retry_may_help(int status, bool retryable)
    {
        _api.Enqueue(new Answer.Status(status, "{}"));
        using var source = Source();

        var error = await Assert.ThrowsAsync<EntitySourceException>(() => source.GetAsync(new OrganizationId("org-a"), "contract", "c-1", Ct));

        Assert.Equal(retryable, error.Retryable);
        Assert.Equal($"the Entity API answered {status}", error.Message);
    }

    [Theory]
    [InlineData("not json", "malformed JSON")]
    [InlineData("""{"relations":[]}""", "without an entity object")]
    [InlineData("""{"entity":"c-1"}""", "without an entity object")]
    [InlineData("""{"entity":{"_id":"c-1","name":"\ud800"}}""", "not Unicode")]
    public async Task Answers_without_an_entity_are_not_retried(string body, string expected)
    {
        _api.Enqueue(new Answer.Status(200, body));
        using var source = Source();

        var error = await Assert.ThrowsAsync<EntitySourceException>(() => source.GetAsync(new OrganizationId("org-a"), "contract", "c-1", Ct));

        Assert.False(error.Retryable);
        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public async Task Timeouts_resets_and_oversized_answers_fail()
    {
        using var slow = Source(timeout: TimeSpan.FromMilliseconds(300));
        _api.Enqueue(new Answer.Hang(), new Answer.Reset(), new Answer.Status(200, "{\"entity\":{\"blob\":\"" + new string('x', 4096) + "\"}}"));

        var timeout = await Assert.ThrowsAsync<EntitySourceException>(() => slow.GetAsync(new OrganizationId("org-a"), "contract", "c-1", Ct));
        var reset = await Assert.ThrowsAsync<EntitySourceException>(() => slow.GetAsync(new OrganizationId("org-a"), "contract", "c-1", Ct));
        using var small = Source(maxBytes: 1024);
        var large = await Assert.ThrowsAsync<EntitySourceException>(() => small.GetAsync(new OrganizationId("org-a"), "contract", "c-1", Ct));

        Assert.True(timeout.Retryable);
        Assert.Contains("did not answer within", timeout.Message);
        Assert.True(reset.Retryable);
        Assert.False(large.Retryable);
        Assert.Contains("exceeds 1024 bytes", large.Message);
    }

    [Theory]
    [InlineData("..", "admin")]
    [InlineData(".", "admin")]
    [InlineData("contract", "..")]
    [InlineData("contract", ".")]
    [InlineData("", "c-1")]
    [InlineData("contract", "")]
    [InlineData("contract", "../../v1/admin")]
    [InlineData("contract", "..\\..\\admin")]
    [InlineData("contract", "%2e%2e")]
    [InlineData("contract", "%2E%2E%2Fadmin")]
    [InlineData("con/tract", "c-1")]
    [InlineData("contract", "c-1\r\nX-Injected: 1")]
    public async Task A_slug_or_id_that_is_not_one_plain_path_segment_is_refused_without_asking(string slug, string id)
    {
        using var source = Source();

        var error = await Assert.ThrowsAsync<EntitySourceException>(() => source.GetAsync(new OrganizationId("org-a"), slug, id, Ct));

        Assert.False(error.Retryable);
        Assert.Contains(slug.Length == 0 || slug.Contains('/') || slug.StartsWith('.') ? "_schema" : "_id", error.Message);
        Assert.Empty(_api.Received);
    }

    [Fact]
    public async Task Characters_with_a_meaning_in_urls_are_percent_encoded_within_their_segment()
    {
        _api.Enqueue(new Answer.Status(200, """{"entity":{"_id":"a?b#c d"}}"""));
        using var source = Source();

        await source.GetAsync(new OrganizationId("org-a"), "contract", "a?b#c d..", Ct);

        Assert.Equal("/entity-api/v1/entity/contract/a%3Fb%23c%20d..?hydrate=true", _api.Received.Single().Path);
    }

    [Theory]
    [InlineData("ftp://entities.example.com")]
    [InlineData("entities.example.com")]
    public void The_base_url_must_be_an_absolute_http_url(string baseUrl)
    {
        Assert.Throws<Herald.Server.Http.InvalidSettingException>(() => new EntityApiSource(new EntitiesOptions { BaseUrl = baseUrl }));
    }
}
