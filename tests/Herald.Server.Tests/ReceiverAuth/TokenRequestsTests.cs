using Herald.Server.Configs;
using Herald.Server.ReceiverAuth;

namespace Herald.Server.Tests.ReceiverAuth;

public sealed class TokenRequestsTests
{
    private static CustomOAuthParameter P(string type, string key, string value) => new() { Type = type, Key = key, Value = value };

    [Fact]
    public void A_post_sends_the_client_credentials_form_and_places_each_parameter_by_its_type()
    {
        var (request, error) = TokenRequests.Build("https://auth.example/oauth/token?tenant=t1", "POST", "herald client", "s3cr&t=+",
            [P("body", "scope", "orders:write read"), P("query", "audience", "https://erp.example"), P("header", "X-Tenant", "acme")]);

        Assert.Null(error);
        Assert.Equal("POST", request!.Method);
        Assert.Equal("https://auth.example/oauth/token?tenant=t1&audience=https%3A%2F%2Ferp.example", request.Url.AbsoluteUri);
        Assert.Equal("grant_type=client_credentials&client_id=herald+client&client_secret=s3cr%26t%3D%2B&scope=orders%3Awrite+read", request.Form);
        Assert.Equal([new("X-Tenant", "acme")], request.Headers);
    }

    [Fact]
    public void A_body_parameter_replaces_a_standard_field_of_the_same_name()
    {
        var (request, _) = TokenRequests.Build("https://auth.example/token", "POST", "id", "secret", [P("body", "client_id", "other-id")]);

        Assert.Equal("grant_type=client_credentials&client_secret=secret&client_id=other-id", request!.Form);
    }

    [Fact]
    public void Without_a_client_secret_the_form_leaves_it_out()
    {
        var (request, _) = TokenRequests.Build("https://auth.example/token", "POST", "id", null, null);

        Assert.Equal("grant_type=client_credentials&client_id=id", request!.Form);
    }

    [Theory]
    [InlineData("GET")]
    [InlineData("DELETE")]
    public void A_method_without_a_body_carries_the_form_fields_in_the_query(string method)
    {
        var (request, _) = TokenRequests.Build("https://auth.example/token", method, "id", "a b", [P("query", "x", "1")]);

        Assert.Null(request!.Form);
        Assert.Equal("https://auth.example/token?grant_type=client_credentials&client_id=id&client_secret=a%20b&x=1", request.Url.AbsoluteUri);
    }

    [Theory]
    [InlineData("Content-Type")]
    [InlineData("content-length")]
    [InlineData("Host")]
    [InlineData("Transfer-Encoding")]
    [InlineData("bad name")]
    public void Header_parameters_that_would_reframe_the_request_are_dropped(string name)
    {
        var (request, _) = TokenRequests.Build("https://auth.example/token", "POST", "id", "s", [P("header", name, "x"), P("header", "Authorization", "Basic abc")]);

        Assert.Equal([new("Authorization", "Basic abc")], request!.Headers);
    }

    [Fact]
    public void A_header_parameter_with_a_line_break_refuses_the_request()
    {
        var (request, error) = TokenRequests.Build("https://auth.example/token", "POST", "id", "s", [P("header", "X-A", "a\r\nX-B: b")]);

        Assert.Null(request);
        Assert.Contains("'X-A' may hold only visible ASCII", error);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("auth.example/token")]
    [InlineData("ftp://auth.example/token")]
    [InlineData("{{ env.not-resolved }}")]
    public void An_endpoint_that_is_no_http_url_refuses_the_request(string? endpoint)
    {
        var (request, error) = TokenRequests.Build(endpoint, "POST", "id", "s", null);

        Assert.Null(request);
        Assert.StartsWith("auth.oauthConfig.endpoint", error);
    }

    [Fact]
    public void The_fingerprint_changes_with_any_credential_and_not_otherwise()
    {
        string Fingerprint(string secret, string scope) =>
            TokenRequests.Build("https://auth.example/token", "POST", "id", secret, [P("body", "scope", scope)]).Request!.Fingerprint();

        Assert.Equal(Fingerprint("a", "x"), Fingerprint("a", "x"));
        Assert.NotEqual(Fingerprint("a", "x"), Fingerprint("b", "x"));
        Assert.NotEqual(Fingerprint("a", "x"), Fingerprint("a", "y"));
    }
}
