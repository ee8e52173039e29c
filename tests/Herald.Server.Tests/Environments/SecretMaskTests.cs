using System.Text.Json.Nodes;
using Herald.Server.Environments;

namespace Herald.Server.Tests.Environments;

public sealed class SecretMaskTests
{
    [Theory]
    [InlineData("token s3cr3t rejected", "token *** rejected")]
    [InlineData("Name or service not known (s3cr3t.invalid:80)", "Name or service not known (***.invalid:80)")]
    [InlineData("S3CR3T in capitals", "*** in capitals")]
    [InlineData("nothing here", "nothing here")]
    public void Secrets_are_masked_whatever_their_case(string text, string expected)
    {
        var mask = new SecretMask();
        mask.Add("s3cr3t");

        Assert.Equal(expected, mask.Apply(text));
    }

    [Theory]
    [InlineData("Bearer S3CR3T", true)]
    [InlineData("x%20s3cr3t%2Fy", true)]
    [InlineData("plain", false)]
    public void Reveals_tells_whether_a_text_holds_a_secret_in_any_masked_form(string text, bool expected)
    {
        var mask = new SecretMask();
        mask.Add("s3cr3t");
        mask.Add("x s3cr3t/y");

        Assert.Equal(expected, mask.Reveals(text));
        Assert.False(new SecretMask().Reveals(text));
    }

    [Fact]
    public void Encoded_forms_are_masked_and_a_longer_secret_wins_over_one_it_contains()
    {
        var mask = new SecretMask();
        mask.Add("pa ss");
        mask.Add("my pa ss/word");

        Assert.Equal("url https://x/***?q=*** and *** and ***", mask.Apply("url https://x/my%20pa%20ss%2Fword?q=pa+ss and pa ss and my pa ss/word"));
    }

    [Fact]
    public void Json_bodies_are_copied_with_every_string_masked()
    {
        var mask = new SecretMask();
        mask.Add("k3y");
        var body = JsonNode.Parse("""{"error":"bad k3y","items":["k3y",1,true],"nested":{"k3y":"ok"}}""");

        var masked = mask.Apply(body);

        Assert.Equal("""{"error":"bad ***","items":["***",1,true],"nested":{"k3y":"ok"}}""", masked!.ToJsonString());
        Assert.Equal("bad k3y", body!["error"]!.GetValue<string>());
    }

    [Fact]
    public void An_empty_mask_changes_nothing_and_empty_secrets_are_ignored()
    {
        var mask = new SecretMask();
        mask.Add("");

        Assert.True(mask.IsEmpty);
        Assert.Equal("text", mask.Apply("text"));
    }
}
