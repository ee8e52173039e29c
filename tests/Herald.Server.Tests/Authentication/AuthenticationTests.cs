using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Herald.Server.Tests.Support;

namespace Herald.Server.Tests.Authentication;

public sealed class AuthenticationTests : IDisposable
{
    private static readonly byte[] JwtKey = Enumerable.Range(0, 32).Select(i => (byte)(i * 7)).ToArray();

    private readonly HeraldApp _app = new(new Dictionary<string, string?>
    {
        ["Auth:Jwt:SigningKey"] = Convert.ToBase64String(JwtKey),
        ["Auth:Jwt:Issuer"] = "https://login.example",
        ["Auth:Jwt:Audience"] = "herald",
        ["Auth:Jwt:OrgClaim"] = "tenant",
    });

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static TheoryData<string, string> Operations => new()
    {
        { "GET", "/v1/webhooks/configs" },
        { "POST", "/v1/webhooks/configs" },
        { "GET", "/v1/webhooks/configs/abc" },
        { "PUT", "/v1/webhooks/configs/abc" },
        { "DELETE", "/v1/webhooks/configs/abc" },
        { "GET", "/v1/webhooks/configured-events" },
    };

    [Theory]
    [MemberData(nameof(Operations))]
    public async Task Every_operation_but_the_public_key_needs_a_bearer_token(string method, string path)
    {
        var client = _app.Client(token: null);

        var response = await client.SendAsync(new HttpRequestMessage(new HttpMethod(method), path) { Content = Json.Body("""{"name":"n","eventName":"e"}""") }, Ct);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("Authorization", await response.MessageAsync());
    }

    [Theory]
    [InlineData("Basic dXNlcjpwYXNz", "must be 'Bearer <token>'")]
    [InlineData("Bearer not-a-known-token", "Invalid bearer token")]
    [InlineData("Bearer ", "must be 'Bearer <token>'")]
    public async Task A_bad_authorization_header_is_a_401_with_a_message(string header, string expected)
    {
        var client = _app.Client(token: null);
        var request = new HttpRequestMessage(HttpMethod.Get, "/v1/webhooks/configs");
        request.Headers.TryAddWithoutValidation("Authorization", header);

        var response = await client.SendAsync(request, Ct);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains(expected, await response.MessageAsync());
    }

    [Fact]
    public async Task A_valid_jwt_acts_for_the_organization_in_its_configured_claim()
    {
        var viaToken = _app.Client(HeraldApp.TokenA);
        await viaToken.PostJsonAsync("/v1/webhooks/configs", """{"name":"from static token","eventName":"e"}""");
        var jwt = Jwt.Hs256(JwtKey, Claims(org: HeraldApp.OrgA, expires: DateTimeOffset.UtcNow.AddMinutes(5)));
        var viaJwt = _app.Client(jwt);

        var list = await viaJwt.GetAsync("/v1/webhooks/configs", Ct);

        Assert.Equal(HttpStatusCode.OK, list.StatusCode);
        Assert.Equal("from static token", (await list.ReadAsync())[0]!["name"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_jwt_without_the_organization_claim_is_refused()
    {
        var claims = Claims(org: null, expires: DateTimeOffset.UtcNow.AddMinutes(5));

        var response = await _app.Client(Jwt.Hs256(JwtKey, claims)).GetAsync("/v1/webhooks/configs", Ct);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("'tenant' claim", await response.MessageAsync());
    }

    public static TheoryData<string> NotAnOrganization => new()
    {
        """["org-a"]""",
        """["org-a","org-b"]""",
        """{"id":"org-a"}""",
        "42",
        "true",
        "\"\"",
        "\"  \"",
        "null",
    };

    [Theory]
    [MemberData(nameof(NotAnOrganization))]
    public async Task An_organization_claim_that_is_not_a_non_empty_string_is_refused(string claim)
    {
        var claims = Claims(org: null, expires: DateTimeOffset.UtcNow.AddMinutes(5));
        claims["tenant"] = JsonNode.Parse(claim);

        var response = await _app.Client(Jwt.Hs256(JwtKey, claims)).GetAsync("/v1/webhooks/configs", Ct);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var message = await response.MessageAsync();
        Assert.Contains("'tenant'", message);
        Assert.Contains("Auth:Jwt:OrgClaim", message);
    }

    [Fact]
    public async Task Expired_wrongly_signed_and_foreign_audience_jwts_are_refused()
    {
        var expired = Jwt.Hs256(JwtKey, Claims(HeraldApp.OrgA, DateTimeOffset.UtcNow.AddHours(-1)));
        var wrongKey = Jwt.Hs256(new byte[32], Claims(HeraldApp.OrgA, DateTimeOffset.UtcNow.AddMinutes(5)));
        var foreignAudience = Claims(HeraldApp.OrgA, DateTimeOffset.UtcNow.AddMinutes(5));
        foreignAudience["aud"] = "someone-else";

        foreach (var token in new[] { expired, wrongKey, Jwt.Hs256(JwtKey, foreignAudience) })
        {
            var response = await _app.Client(token).GetAsync("/v1/webhooks/configs", Ct);
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            Assert.Equal("Invalid bearer token", await response.MessageAsync());
        }
    }

    [Fact]
    public async Task The_public_key_needs_no_token()
    {
        (await _app.Client(HeraldApp.TokenA).PostJsonAsync("/v1/webhooks/configs", """{"name":"n","eventName":"e"}""")).EnsureSuccessStatusCode();
        var client = _app.Client(token: null);
        client.DefaultRequestHeaders.Authorization = null;

        var response = await client.GetAsync("/v1/webhooks/.well-known/public-key?orgId=org-a", Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private static JsonObject Claims(string? org, DateTimeOffset expires)
    {
        var claims = new JsonObject
        {
            ["iss"] = "https://login.example",
            ["aud"] = "herald",
            ["sub"] = "user-1",
            ["exp"] = expires.ToUnixTimeSeconds(),
            ["nbf"] = expires.AddHours(-2).ToUnixTimeSeconds(),
        };
        if (org is not null)
        {
            claims["tenant"] = org;
        }
        return claims;
    }

    public void Dispose() => _app.Dispose();
}
