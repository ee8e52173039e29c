using Herald.Webhooks.Verification.Tests.Support;
using static Herald.Webhooks.Verification.Tests.Support.TestSigning;

namespace Herald.Webhooks.Verification.Tests.Verifying;

/// <summary>What the verifier accepts and refuses, each refusal with its own exception type.</summary>
public sealed class VerifierTests
{
    private static readonly string Secret = NewSecret();

    private static HeraldWebhookVerifier BySecret(long now = Timestamp) => Verifier(now, secrets: [Secret]);

    [Fact]
    public void A_v1_signature_verifies_and_names_the_message()
    {
        var verified = BySecret().Verify(Id, Timestamp.ToString(), V1(Secret), Body);

        Assert.Equal(new VerifiedWebhook(Id, DateTimeOffset.FromUnixTimeSeconds(Timestamp), "v1"), verified);
    }

    [Fact]
    public void A_tampered_body_is_a_signature_mismatch()
    {
        var error = Assert.Throws<WebhookSignatureMismatchException>(() =>
            BySecret().Verify(Id, Timestamp.ToString(), V1(Secret), Body.Replace("12.5", "125", StringComparison.Ordinal)));

        Assert.Contains("webhook-signature", error.Message);
        Assert.DoesNotContain(Secret, error.Message);
    }

    [Fact]
    public void A_tampered_id_is_a_signature_mismatch()
    {
        Assert.Throws<WebhookSignatureMismatchException>(() => BySecret().Verify(Id + "0", Timestamp.ToString(), V1(Secret), Body));
    }

    [Fact]
    public void A_timestamp_older_than_five_minutes_is_expired()
    {
        var now = Timestamp + 301;

        var error = Assert.Throws<WebhookTimestampExpiredException>(() => BySecret(now).Verify(Id, Timestamp.ToString(), V1(Secret), Body));

        Assert.Equal(TimeSpan.FromMinutes(5), error.Tolerance);
        Assert.Contains("HeraldWebhookOptions.Tolerance", error.Message);
        BySecret(Timestamp + 300).Verify(Id, Timestamp.ToString(), V1(Secret), Body);
    }

    [Fact]
    public void A_timestamp_more_than_five_minutes_ahead_is_in_the_future()
    {
        Assert.Throws<WebhookTimestampInFutureException>(() => BySecret(Timestamp - 301).Verify(Id, Timestamp.ToString(), V1(Secret), Body));
        BySecret(Timestamp - 300).Verify(Id, Timestamp.ToString(), V1(Secret), Body);
    }

    [Fact]
    public void The_tolerance_is_a_setting()
    {
        var lenient = Verifier(Timestamp + 3600, secrets: [Secret], tolerance: TimeSpan.FromHours(2));
        var strict = Verifier(Timestamp + 31, secrets: [Secret], tolerance: TimeSpan.FromSeconds(30));

        lenient.Verify(Id, Timestamp.ToString(), V1(Secret), Body);
        Assert.Throws<WebhookTimestampExpiredException>(() => strict.Verify(Id, Timestamp.ToString(), V1(Secret), Body));
    }

    [Fact]
    public void A_signature_by_another_secret_is_a_signature_mismatch()
    {
        Assert.Throws<WebhookSignatureMismatchException>(() => BySecret().Verify(Id, Timestamp.ToString(), V1(NewSecret()), Body));
    }

    [Fact]
    public void A_signature_by_another_ed25519_key_is_a_signature_mismatch()
    {
        using var trusted = NewKey();
        using var other = NewKey();
        var verifier = Verifier(publicKeys: [Pem(trusted)]);

        Assert.Equal("v1a", verifier.Verify(Id, Timestamp.ToString(), V1a(trusted), Body).Scheme);
        Assert.Throws<WebhookSignatureMismatchException>(() => verifier.Verify(Id, Timestamp.ToString(), V1a(other), Body));
    }

    [Fact]
    public void A_v1a_signature_over_a_tampered_body_is_a_signature_mismatch()
    {
        using var key = NewKey();

        Assert.Throws<WebhookSignatureMismatchException>(() =>
            Verifier(publicKeys: [Pem(key)]).Verify(Id, Timestamp.ToString(), V1a(key), Body + " "));
    }

    [Fact]
    public void Two_v1_entries_of_a_rotation_verify_with_either_secret()
    {
        var newer = NewSecret();
        var older = NewSecret();
        var header = $"{V1(newer)} {V1(older)}";

        Assert.Equal("v1", Verifier(secrets: [newer]).Verify(Id, Timestamp.ToString(), header, Body).Scheme);
        Assert.Equal("v1", Verifier(secrets: [older]).Verify(Id, Timestamp.ToString(), header, Body).Scheme);
        Assert.Throws<WebhookSignatureMismatchException>(() => Verifier(secrets: [NewSecret()]).Verify(Id, Timestamp.ToString(), header, Body));
    }

    [Fact]
    public void A_receiver_trusting_both_secrets_of_a_rotation_accepts_a_header_from_either()
    {
        var newer = NewSecret();
        var older = NewSecret();
        var verifier = Verifier(secrets: [newer, older]);

        verifier.Verify(Id, Timestamp.ToString(), V1(older), Body);
        verifier.Verify(Id, Timestamp.ToString(), V1(newer), Body);
    }

    [Fact]
    public void Two_v1a_entries_of_a_key_rotation_verify_with_either_key_and_unknown_or_malformed_entries_are_skipped()
    {
        using var newer = NewKey();
        using var older = NewKey();
        var header = $"v2,abc nonsense v1a,!!! {V1a(newer)} {V1a(older)} {V1(NewSecret())}";

        Assert.Equal("v1a", Verifier(publicKeys: [Pem(older)]).Verify(Id, Timestamp.ToString(), header, Body).Scheme);
        Assert.Equal("v1a", Verifier(publicKeys: [Pem(newer)]).Verify(Id, Timestamp.ToString(), header, Body).Scheme);
    }

    [Theory]
    [InlineData("webhook-id")]
    [InlineData("webhook-timestamp")]
    [InlineData("webhook-signature")]
    public void A_missing_or_empty_header_is_named(string missing)
    {
        var headers = new Dictionary<string, string>
        {
            ["Webhook-Id"] = Id,
            ["Webhook-Timestamp"] = Timestamp.ToString(),
            ["Webhook-Signature"] = V1(Secret),
        };
        BySecret().Verify(headers, System.Text.Encoding.UTF8.GetBytes(Body));
        headers.Remove(headers.Keys.Single(k => k.Equals(missing, StringComparison.OrdinalIgnoreCase)));

        var error = Assert.Throws<WebhookHeaderException>(() => BySecret().Verify(headers, System.Text.Encoding.UTF8.GetBytes(Body)));
        headers[missing] = " ";
        var empty = Assert.Throws<WebhookHeaderException>(() => BySecret().Verify(headers, System.Text.Encoding.UTF8.GetBytes(Body)));

        Assert.Equal(missing, error.HeaderName);
        Assert.Equal(missing, empty.HeaderName);
        Assert.Contains(missing, error.Message);
    }

    [Theory]
    [InlineData("1767225600.5")]
    [InlineData("-1767225600")]
    [InlineData("+1767225600")]
    [InlineData("2026-01-01T00:00:00Z")]
    [InlineData("99999999999999999999")]
    public void A_timestamp_that_is_not_whole_unix_seconds_is_a_header_error(string timestamp)
    {
        var error = Assert.Throws<WebhookHeaderException>(() => BySecret().Verify(Id, timestamp, V1(Secret), Body));

        Assert.Equal("webhook-timestamp", error.HeaderName);
    }

    [Fact]
    public void Every_refusal_is_a_WebhookVerificationException()
    {
        var verifier = BySecret();
        Exception[] errors =
        [
            Record.Exception(() => verifier.Verify(null, Timestamp.ToString(), V1(Secret), Body))!,
            Record.Exception(() => BySecret(Timestamp + 600).Verify(Id, Timestamp.ToString(), V1(Secret), Body))!,
            Record.Exception(() => BySecret(Timestamp - 600).Verify(Id, Timestamp.ToString(), V1(Secret), Body))!,
            Record.Exception(() => verifier.Verify(Id, Timestamp.ToString(), V1(Secret), Body + "x"))!,
        ];

        Assert.All(errors, e => Assert.IsAssignableFrom<WebhookVerificationException>(e));
        Assert.Equal(4, errors.Select(e => e.GetType()).Distinct().Count());
    }

    [Fact]
    public void A_header_without_an_entry_of_a_trusted_scheme_says_which_scheme_it_trusts()
    {
        using var key = NewKey();

        var error = Assert.Throws<WebhookSignatureMismatchException>(() => BySecret().Verify(Id, Timestamp.ToString(), V1a(key), Body));

        Assert.Contains("v1 (SigningSecrets)", error.Message);
    }

    [Fact]
    public void The_signer_makes_the_signature_the_verifier_accepts()
    {
        Assert.Equal(V1(Secret), HeraldWebhookSigner.SignV1(Secret, Id, Timestamp, Body));
    }
}
