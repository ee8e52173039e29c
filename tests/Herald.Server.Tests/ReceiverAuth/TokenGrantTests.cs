using System.Text;
using Herald.Server.ReceiverAuth;

namespace Herald.Server.Tests.ReceiverAuth;

public sealed class TokenGrantTests
{
    [Theory]
    [InlineData("""{"access_token":"t","token_type":"Bearer","expires_in":3600}""", "t", 3600.0, "Bearer")]
    [InlineData("""{"access_token":"t","expires_in":"120"}""", "t", 120.0, null)]
    [InlineData("""{"access_token":"t","expires_in":null,"token_type":5}""", "t", null, null)]
    [InlineData("""{"access_token":"t","expires_in":"soon"}""", "t", null, null)]
    public void A_json_answer_with_an_access_token_is_a_grant(string body, string token, double? expiresIn, string? type)
    {
        var grant = TokenGrant.Parse(Encoding.UTF8.GetBytes(body));

        Assert.Equal(new TokenGrant(token, expiresIn, type), grant);
    }

    [Theory]
    [InlineData("")]
    [InlineData("access_token=t&expires_in=3600")]
    [InlineData("""["t"]""")]
    [InlineData("""{"token":"t"}""")]
    [InlineData("""{"access_token":""}""")]
    [InlineData("""{"access_token":42}""")]
    public void Anything_else_is_no_grant(string body) => Assert.Null(TokenGrant.Parse(Encoding.UTF8.GetBytes(body)));

    [Theory]
    [InlineData(3600.0, 3540.0)]
    [InlineData(600.0, 540.0)]
    [InlineData(300.0, 270.0)]
    [InlineData(60.0, 54.0)]
    [InlineData(1.0, 0.9)]
    [InlineData(86400.0, 86340.0)]
    [InlineData(0.0, 0.0)]
    [InlineData(-5.0, 0.0)]
    [InlineData(null, 3600.0)]
    public void A_token_is_reused_until_expires_in_less_ten_percent_at_most_a_minute(double? expiresIn, double seconds) =>
        Assert.Equal(TimeSpan.FromSeconds(seconds), new TokenGrant("t", expiresIn, null).CacheFor());
}
