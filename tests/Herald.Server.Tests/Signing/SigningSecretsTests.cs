using Herald.Server.Configs;
using Herald.Server.Signing;

namespace Herald.Server.Tests.Signing;

/// <summary>Which secrets sign at a time, and the header they make.</summary>
public sealed class SigningSecretsTests
{
    private static readonly DateTimeOffset Until = new(2026, 3, 2, 12, 0, 0, TimeSpan.Zero);

    private static ConfigSecrets Secrets(string? current, string? previous, DateTimeOffset? until) =>
        new(current, null, null, null, previous, until);

    [Fact]
    public void Before_any_rotation_the_current_secret_alone_signs()
    {
        Assert.Equal(["whsec_new"], SigningSecrets.At(Secrets("whsec_new", null, null), Until));
        Assert.Empty(SigningSecrets.At(Secrets(null, null, null), Until));
    }

    [Fact]
    public void The_replaced_secret_signs_after_the_current_one_until_its_end_exclusive()
    {
        var secrets = Secrets("whsec_new", "whsec_old", Until);

        Assert.Equal(["whsec_new", "whsec_old"], SigningSecrets.At(secrets, Until.AddTicks(-1)));
        Assert.Equal(["whsec_new"], SigningSecrets.At(secrets, Until));
        Assert.Equal(["whsec_new"], SigningSecrets.At(secrets, Until.AddDays(3)));
        Assert.Equal(["whsec_new"], SigningSecrets.At(Secrets("whsec_new", "whsec_old", null), Until.AddDays(-3)));
    }

    [Fact]
    public void The_header_has_one_v1_entry_per_secret_in_the_order_given_after_the_v1a_entries()
    {
        var content = "msg_1.1.{}"u8.ToArray();
        string[] secrets = ["whsec_" + Convert.ToBase64String(new byte[24]), "whsec_" + Convert.ToBase64String(Enumerable.Repeat((byte)7, 24).ToArray())];

        var header = WebhookSignature.Header([], secrets, content);

        Assert.Equal([WebhookSignature.V1(secrets[0], content), WebhookSignature.V1(secrets[1], content)], header.Split(' '));
    }

    [Fact]
    public void Secrets_sealed_before_rotations_existed_read_without_a_previous_secret_and_new_ones_round_trip()
    {
        var old = System.Text.Json.JsonSerializer.Deserialize<ConfigSecrets>("""{"SigningSecret":"whsec_a","Password":null,"ClientSecret":null,"KeyValue":null}""")!;
        var rotated = Secrets("whsec_b", "whsec_a", Until);

        var again = System.Text.Json.JsonSerializer.Deserialize<ConfigSecrets>(System.Text.Json.JsonSerializer.Serialize(rotated))!;

        Assert.Null(old.PreviousSigningSecret);
        Assert.Null(old.PreviousSigningSecretUntil);
        Assert.Equal(rotated, again);
        Assert.DoesNotContain("Previous", System.Text.Json.JsonSerializer.Serialize(old));
    }
}
