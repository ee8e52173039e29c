using Herald.Server.Configs;

namespace Herald.Server.Tests.Configs;

public sealed class CustomHeadersTests
{
    [Theory]
    [InlineData("Authorization")]
    [InlineData("authorization")]
    [InlineData("Proxy-Authorization")]
    [InlineData("Content-Type")]
    [InlineData("CONTENT-LENGTH")]
    [InlineData("Content-Encoding")]
    [InlineData("Transfer-Encoding")]
    [InlineData("Host")]
    [InlineData("User-Agent")]
    [InlineData("Connection")]
    [InlineData("Keep-Alive")]
    [InlineData("Proxy-Connection")]
    [InlineData("TE")]
    [InlineData("Trailer")]
    [InlineData("Upgrade")]
    [InlineData("Expect")]
    [InlineData("Accept-Encoding")]
    [InlineData("Via")]
    [InlineData("Forwarded")]
    [InlineData("Max-Forwards")]
    [InlineData("x-epilot-org-id")]
    [InlineData("X-Epilot-Org-Id")]
    [InlineData("webhook-id")]
    [InlineData("Webhook-Signature")]
    [InlineData("webhook-anything")]
    [InlineData("X-Forwarded-For")]
    [InlineData("x-forwarded-host")]
    [InlineData("x-amz-date")]
    [InlineData("X-Amzn-Trace-Id")]
    public void Names_Herald_or_the_HTTP_stack_own_are_blocked(string name) => Assert.True(CustomHeaders.IsBlocked(name));

    [Theory]
    [InlineData("X-Tenant")]
    [InlineData("Accept")]
    [InlineData("Cookie")]
    [InlineData("X-Request-Id")]
    [InlineData("webhook")]
    [InlineData("x-amazing")]
    [InlineData("x-forwarded")]
    [InlineData("X-Epilot-Org")]
    [InlineData("Authorization-Hint")]
    public void Other_names_pass(string name) => Assert.False(CustomHeaders.IsBlocked(name));

    [Fact]
    public void Allowed_headers_keep_their_order_and_drop_blocked_invalid_owned_and_repeated_names()
    {
        var headers = new Dictionary<string, string>
        {
            ["X-Tenant"] = "acme",
            ["Authorization"] = "Bearer stolen",
            ["X-Api-Key"] = "shadow",
            ["bad name"] = "space",
            ["X-Ünicode"] = "non-ascii",
            [""] = "empty",
            ["x-tenant"] = "second spelling",
            ["webhook-id"] = "msg_forged",
            ["Accept"] = "application/json",
        };

        var allowed = CustomHeaders.Allowed(headers, "x-api-key", null);

        Assert.Equal([new("X-Tenant", "acme"), new("Accept", "application/json")], allowed);
    }

    [Fact]
    public void No_custom_headers_is_an_empty_list() => Assert.Empty(CustomHeaders.Allowed(null));

    [Theory]
    [InlineData("plain value", true)]
    [InlineData("", true)]
    [InlineData("tab\tinside", true)]
    [InlineData("line\r\nX-Injected: 1", false)]
    [InlineData("line\nbreak", false)]
    [InlineData("nul\0", false)]
    [InlineData("Grüße", false)]
    [InlineData("ctl\u0001", false)]
    [InlineData("del\u007f", false)]
    [InlineData("c1\u0085", false)]
    [InlineData(" !\"#~", true)]
    public void Values_that_could_split_the_request_are_unsafe(string value, bool safe) => Assert.Equal(safe, CustomHeaders.IsSafeValue(value));

    [Theory]
    [InlineData("X-Api-Key", null)]
    [InlineData("api_key", null)]
    [InlineData("Host", "a header that Herald or the HTTP stack sets itself")]
    [InlineData("webhook-signature", "a header that Herald or the HTTP stack sets itself")]
    [InlineData("Content-Length", "a header that Herald or the HTTP stack sets itself")]
    [InlineData("X-Key\r\nX-Injected: 1", "RFC 9110 token characters")]
    [InlineData("X Key", "RFC 9110 token characters")]
    [InlineData("", "RFC 9110 token characters")]
    public void One_name_rule_serves_custom_headers_and_the_api_key_header(string name, string? problem)
    {
        if (problem is null)
        {
            Assert.Null(CustomHeaders.NameProblem(name));
        }
        else
        {
            Assert.Contains(problem, CustomHeaders.NameProblem(name));
        }
    }
}
