using System.Net.Http.Headers;
using Herald.Server.Egress;
using Herald.Server.Environments;

namespace Herald.Server.Tests.Egress;

public sealed class RequestRecordTests
{
    private static HttpRequestMessage Request(string url, params (string Name, string Value)[] headers)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent("{}"u8.ToArray()) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Content.Headers.ContentLength = 2;
        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }
        return request;
    }

    private static RequestRedaction Redaction(SecretMask? mask = null, params string[] names) => new(names.ToHashSet(StringComparer.OrdinalIgnoreCase), mask);

    [Fact]
    public void Names_are_lower_cased_the_signature_headers_come_first_and_the_rest_keep_their_order()
    {
        using var request = Request("https://erp.example/hooks",
            ("User-Agent", "Herald-Webhooks/1.0.0"), ("X-Tenant", "acme"), ("webhook-id", "msg_1"), ("webhook-timestamp", "1700000000"), ("webhook-signature", "v1,abc"));

        var record = RequestRecord.Of(request, RequestRedaction.None, 65536);

        Assert.Equal("POST", record.Method);
        Assert.Equal("https://erp.example/hooks", record.Url);
        Assert.Equal(["webhook-id", "webhook-timestamp", "webhook-signature", "user-agent", "x-tenant", "content-type", "content-length"], record.Headers.Keys);
        Assert.Equal("v1,abc", record.Headers["webhook-signature"]);
        Assert.Equal("application/json", record.Headers["content-type"]);
        Assert.Equal("2", record.Headers["content-length"]);
        Assert.Null(record.OmittedHeaders);
    }

    [Fact]
    public void Credentials_are_redacted_whole_and_an_authorization_value_keeps_only_its_scheme()
    {
        using var request = Request("https://erp.example/hooks",
            ("Authorization", "Basic ZXJwOnNlY3JldA=="), ("Proxy-Authorization", "Bearer t"), ("Cookie", "session=1"), ("X-Api-Key", "k3y"), ("X-Partner", "p"),
            ("X-Tenant", "acme"));

        var record = RequestRecord.Of(request, Redaction(null, "x-api-key", "X-PARTNER"), 65536);

        Assert.Equal("Basic [redacted]", record.Headers["authorization"]);
        Assert.Equal("Bearer [redacted]", record.Headers["proxy-authorization"]);
        Assert.Equal("[redacted]", record.Headers["cookie"]);
        Assert.Equal("[redacted]", record.Headers["x-api-key"]);
        Assert.Equal("[redacted]", record.Headers["x-partner"]);
        Assert.Equal("acme", record.Headers["x-tenant"]);
    }

    [Fact]
    public void A_header_holding_a_secret_is_redacted_whole_and_the_headers_Herald_makes_are_not_read_for_secrets()
    {
        var mask = new SecretMask();
        mask.Add("t0k");
        mask.Add("17");
        using var request = Request("https://erp.example/",
            ("X-Partner-Token", "Bearer T0K"), ("X-Tenant", "acme"), ("webhook-timestamp", "1700000017"), ("webhook-id", "msg_17"), ("User-Agent", "Herald-Webhooks/1.7.0"));

        var record = RequestRecord.Of(request, Redaction(mask), 65536);

        Assert.Equal("[redacted]", record.Headers["x-partner-token"]);
        Assert.Equal("acme", record.Headers["x-tenant"]);
        Assert.Equal("1700000017", record.Headers["webhook-timestamp"]);
        Assert.Equal("msg_17", record.Headers["webhook-id"]);
        Assert.Equal("Herald-Webhooks/1.7.0", record.Headers["user-agent"]);
    }

    [Theory]
    [InlineData("token-without-scheme")]
    [InlineData("Bearer")]
    [InlineData("Sch3me! value")]
    public void An_authorization_value_without_a_plain_scheme_is_redacted_whole(string value)
    {
        using var request = Request("https://erp.example/", ("Authorization", value));

        Assert.Equal("[redacted]", RequestRecord.Of(request, RequestRedaction.None, 65536).Headers["authorization"]);
    }

    [Fact]
    public void The_url_loses_its_user_info_and_masks_the_secrets_of_the_attempt()
    {
        var mask = new SecretMask();
        mask.Add("s3cr3t");
        using var request = Request("https://user:pass@erp.example:8443/hooks/s3cr3t?tenant=acme&key=s3cr3t");

        var record = RequestRecord.Of(request, Redaction(mask), 65536);

        Assert.Equal("https://erp.example:8443/hooks/***?tenant=acme&key=***", record.Url);
    }

    [Fact]
    public void Headers_past_the_cap_are_left_out_and_counted_and_none_after_the_first_left_out()
    {
        // webhook-id (10 + 5) and user-agent (10 + 1) fit in 30; x-big does not, and the small ones after it are left out too.
        using var request = Request("https://erp.example/", ("User-Agent", "u"), ("X-Big", new string('b', 50)), ("X-Small", "s"), ("webhook-id", "msg_1"));

        var record = RequestRecord.Of(request, RequestRedaction.None, 30);

        Assert.Equal(["webhook-id", "user-agent"], record.Headers.Keys);
        Assert.Equal(4, record.OmittedHeaders);
    }

    [Fact]
    public void The_stored_form_reads_back_the_same()
    {
        using var request = Request("https://erp.example/", ("webhook-id", "msg_1"), ("X-Tenant", "acme"));
        var record = RequestRecord.Of(request, RequestRedaction.None, 65536);

        var read = Herald.Server.Events.AttemptRequest.FromJson(record.ToJson())!;

        Assert.Equal(record.Method, read.Method);
        Assert.Equal(record.Url, read.Url);
        Assert.Equal(record.Headers.ToList(), read.Headers.ToList());
        Assert.Null(Herald.Server.Events.AttemptRequest.FromJson(null));
    }
}
