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
}
