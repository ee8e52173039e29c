using System.Text.Json.Nodes;
using Herald.Webhooks.Verification.Tests.Support;

namespace Herald.Webhooks.Verification.Tests.Interop;

/// <summary>The reference Standard Webhooks library (npm), which shares no code with this one, agrees both ways.</summary>
public sealed class StandardWebhooksNpmTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_signature_made_by_npm_standardwebhooks_verifies_and_a_tampered_body_does_not()
    {
        var secret = TestSigning.NewSecret();
        // The npm library checks timestamps against the real clock; so does this verifier here.
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();

        var signed = await StandardWebhooksNpm.RunAsync(new JsonObject
        {
            ["mode"] = "sign", ["secret"] = secret, ["id"] = TestSigning.Id, ["timestamp"] = now, ["body"] = TestSigning.Body,
        }, Ct);
        var signature = signed["signature"]!.GetValue<string>();
        var verifier = HeraldWebhookVerifier.ForSecrets(secret);

        Assert.Equal("v1", verifier.Verify(TestSigning.Id, now.ToString(), signature, TestSigning.Body).Scheme);
        Assert.Throws<WebhookSignatureMismatchException>(() => verifier.Verify(TestSigning.Id, now.ToString(), signature, TestSigning.Body.Replace("Zoë", "Zoe", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task A_signature_made_by_this_library_verifies_with_npm_standardwebhooks_and_a_tampered_one_does_not()
    {
        var secret = TestSigning.NewSecret();
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var signature = HeraldWebhookSigner.SignV1(secret, TestSigning.Id, now, TestSigning.Body);
        JsonObject Input(string body) => new()
        {
            ["mode"] = "verify",
            ["secret"] = secret,
            ["body"] = body,
            ["headers"] = new JsonObject { ["webhook-id"] = TestSigning.Id, ["webhook-timestamp"] = now.ToString(), ["webhook-signature"] = signature },
        };

        var accepted = await StandardWebhooksNpm.RunAsync(Input(TestSigning.Body), Ct);
        var refused = await StandardWebhooksNpm.RunAsync(Input(TestSigning.Body + " "), Ct);

        Assert.True(accepted["verified"]!.GetValue<bool>(), accepted.ToJsonString());
        Assert.False(refused["verified"]!.GetValue<bool>());
    }

    [Fact]
    public async Task The_canonical_attachment_JSON_is_what_node_writes_with_sorted_keys_and_JSON_stringify()
    {
        // Text a receiver in JavaScript meets in filenames, and numbers in each of JavaScript's notations.
        const string json = """
            {"version_index":3,"size_bytes":70000,"mime_type":"text/plain; charset=\"utf-8\"","filename":"Zoë + <a> & 'b' – \\ \t\n\u0001 \u2028 😀.txt",
             "entity_id":{"z":[1.5,1e21,1e-7,0.000001,123456789012345680000,-0.5,2.50,100],"a":null,"b":true,"é":"x","E":"y"}}
            """;
        var node = await StandardWebhooksNpm.RunAsync(new JsonObject { ["mode"] = "canonical", ["json"] = json }, Ct);

        Assert.Equal(node["text"]!.GetValue<string>(), CanonicalJson.Write(JsonNode.Parse(json)));
        Assert.Equal(node["text"]!.GetValue<string>(), HeraldAttachment.FromEventAttachment(json).CanonicalJson());
    }
}
