using System.Security.Cryptography;
using System.Text;
using Herald.Server.Secrets;

namespace Herald.Server.Tests.Secrets;

public sealed class SecretBoxTests
{
    private static readonly byte[] Old = Enumerable.Range(1, 32).Select(i => (byte)i).ToArray();
    private static readonly byte[] New = Enumerable.Range(101, 32).Select(i => (byte)i).ToArray();

    /// <summary>A value in the first format (<c>1 | nonce | tag | ciphertext</c>), as databases written before key ids hold.</summary>
    private static byte[] FirstFormat(byte[] key, string plaintext, string owner)
    {
        var clear = Encoding.UTF8.GetBytes(plaintext);
        var sealedValue = new byte[1 + 12 + 16 + clear.Length];
        sealedValue[0] = 1;
        RandomNumberGenerator.Fill(sealedValue.AsSpan(1, 12));
        using var aes = new AesGcm(key, 16);
        aes.Encrypt(sealedValue.AsSpan(1, 12), clear, sealedValue.AsSpan(29), sealedValue.AsSpan(13, 16), Encoding.UTF8.GetBytes(owner));
        return sealedValue;
    }

    [Fact]
    public void A_value_of_the_first_format_opens_with_the_current_or_a_previous_key_and_is_marked_for_sealing_again()
    {
        var byCurrent = FirstFormat(New, "one", "config:o:1");
        var byPrevious = FirstFormat(Old, "two", "config:o:2");
        var box = new SecretBox(New, [Old]);

        Assert.Equal("one", Encoding.UTF8.GetString(box.Open(byCurrent, "config:o:1")));
        Assert.Equal("two", Encoding.UTF8.GetString(box.Open(byPrevious, "config:o:2")));
        Assert.True(box.NeedsResealing(byCurrent));
        Assert.True(box.NeedsResealing(byPrevious));

        var resealed = box.Reseal(byPrevious, "config:o:2");
        Assert.Equal(2, resealed[0]);
        Assert.False(box.NeedsResealing(resealed));
        Assert.Equal("two", Encoding.UTF8.GetString(new SecretBox(New).Open(resealed, "config:o:2")));
    }

    [Fact]
    public void A_value_sealed_with_a_key_herald_was_not_given_fails_naming_the_setting_and_the_owner_still_binds()
    {
        var sealedByOld = new SecretBox(Old).Seal("secret"u8, "env:o:k");

        var error = Assert.ThrowsAny<CryptographicException>(() => new SecretBox(New).Open(sealedByOld, "env:o:k"));
        Assert.Contains("Secrets:PreviousMasterKeys", error.Message);
        Assert.Contains("env:o:k", error.Message);

        var box = new SecretBox(New, [Old]);
        Assert.Equal("secret", Encoding.UTF8.GetString(box.Open(sealedByOld, "env:o:k")));
        Assert.True(box.NeedsResealing(sealedByOld));
        Assert.False(box.NeedsResealing(box.Seal("secret"u8, "env:o:k")));
        // A node given the next key ahead of the switch (the first of two rounds of restarts) opens what it seals.
        Assert.Equal("secret", Encoding.UTF8.GetString(new SecretBox(Old, [New]).Open(box.Seal("secret"u8, "env:o:k"), "env:o:k")));
        // Another owner's row: no key opens it.
        Assert.ThrowsAny<CryptographicException>(() => box.Open(sealedByOld, "env:other:k"));
    }
}
