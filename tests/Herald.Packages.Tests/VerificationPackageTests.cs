using System.Text.Json.Nodes;
using Herald.Webhooks.Verification;

namespace Herald.Packages.Tests;

/// <summary>Herald.Webhooks.Verification as restored from the packed package.</summary>
public sealed class VerificationPackageTests
{
    [Fact]
    public void The_package_verifies_the_standard_webhooks_known_answer_and_refuses_a_changed_body()
    {
        // The v1 vector the Standard Webhooks reference libraries share.
        const string id = "msg_p5jXN8AQM9LWM0D4loKWxJek";
        const string signature = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";
        var options = new HeraldWebhookOptions { TimeProvider = new FixedClock(DateTimeOffset.FromUnixTimeSeconds(1614265330)) };
        options.SigningSecrets.Add("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");
        var verifier = new HeraldWebhookVerifier(options);

        var verified = verifier.Verify(id, "1614265330", signature, """{"test": 2432232314}""");

        Assert.Equal("v1", verified.Scheme);
        Assert.Throws<WebhookSignatureMismatchException>(() => verifier.Verify(id, "1614265330", signature, """{"test":2432232314}"""));
    }

    [Fact]
    public void Each_library_came_from_its_package_not_from_a_project()
    {
        var deps = JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Herald.Packages.Tests.deps.json")))!;
        foreach (var id in (string[])["Herald.Webhooks.Verification", "Herald.Client", "Herald.Jsonata"])
        {
            var library = deps["libraries"]!.AsObject().Single(l => l.Key.StartsWith(id + "/", StringComparison.Ordinal));
            Assert.Equal("package", library.Value!["type"]!.GetValue<string>());
        }
    }

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
