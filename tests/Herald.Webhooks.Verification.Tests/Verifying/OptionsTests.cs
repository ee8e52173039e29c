using Herald.Webhooks.Verification.Tests.Support;

namespace Herald.Webhooks.Verification.Tests.Verifying;

/// <summary>Unusable options fail when the verifier is built, naming the setting, never per request.</summary>
public sealed class OptionsTests
{
    private static ArgumentException Refused(Action<HeraldWebhookOptions> configure)
    {
        var options = new HeraldWebhookOptions();
        configure(options);
        return Assert.Throws<ArgumentException>(() => new HeraldWebhookVerifier(options));
    }

    [Fact]
    public void Options_without_a_secret_or_key_are_refused()
    {
        Assert.Contains("SigningSecrets", Refused(_ => { }).Message);
    }

    [Theory]
    [InlineData("whsec_")]
    [InlineData("")]
    [InlineData("whsec_not base64!")]
    public void A_malformed_signing_secret_is_named(string secret)
    {
        Assert.Contains("SigningSecrets[1]", Refused(o => { o.SigningSecrets.Add(TestSigning.NewSecret()); o.SigningSecrets.Add(secret); }).Message);
    }

    [Theory]
    [InlineData("-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEIOl2/3QnB6T3mttT0tTfVWPzWVu9twhHO+zeKyQrmzG3\n-----END PRIVATE KEY-----\n")]
    [InlineData("-----BEGIN PUBLIC KEY-----\nMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA==\n-----END PUBLIC KEY-----\n")]
    [InlineData("whpk_AAAA")]
    [InlineData("not a key")]
    public void A_public_key_that_is_not_an_ed25519_key_is_named(string key)
    {
        Assert.Contains("PublicKeys[0]", Refused(o => o.PublicKeys.Add(key)).Message);
    }

    [Fact]
    public void A_negative_tolerance_is_refused()
    {
        Assert.Contains("Tolerance", Refused(o => { o.SigningSecrets.Add(TestSigning.NewSecret()); o.Tolerance = TimeSpan.FromSeconds(-1); }).Message);
    }
}
