using System.Net;
using Herald.Server.Http;
using Herald.Server.Signing;
using Herald.Server.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using NSec.Cryptography;

namespace Herald.Server.Tests.Signing;

public sealed class PublicKeyTests : IDisposable
{
    private readonly HeraldApp _app = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Herald hands out keys only to organizations it knows: give the token's organization a config.</summary>
    private async Task KnownAsync(string token = HeraldApp.TokenA) =>
        (await _app.Client(token).PostJsonAsync("/v1/webhooks/configs", """{"name":"n","eventName":"order_created"}""")).EnsureSuccessStatusCode();

    [Fact]
    public async Task The_public_key_is_an_ed25519_spki_pem_with_algorithm_and_issuer()
    {
        await KnownAsync();
        var response = await _app.Client(token: null).GetAsync("/v1/webhooks/.well-known/public-key?orgId=org-a", Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.ReadAsync();
        Assert.Equal("ed25519", body["algorithm"]!.GetValue<string>());
        Assert.Equal("herald-tests", body["issuer"]!.GetValue<string>());
        var pem = body["public_key"]!.GetValue<string>();
        Assert.StartsWith("-----BEGIN PUBLIC KEY-----\n", pem);
        Assert.EndsWith("-----END PUBLIC KEY-----\n", pem);
        var key = PublicKey.Import(SignatureAlgorithm.Ed25519, System.Text.Encoding.ASCII.GetBytes(pem), KeyBlobFormat.PkixPublicKeyText);
        Assert.Equal(32, key.Export(KeyBlobFormat.RawPublicKey).Length);
    }

    [Fact]
    public async Task Each_organization_keeps_one_key_of_its_own()
    {
        await KnownAsync(HeraldApp.TokenA);
        await KnownAsync(HeraldApp.TokenB);
        var client = _app.Client(token: null);

        async Task<string> KeyOf(string org) =>
            (await (await client.GetAsync($"/v1/webhooks/.well-known/public-key?orgId={org}", Ct)).ReadAsync())["public_key"]!.GetValue<string>();

        var a1 = await KeyOf("org-a");
        var a2 = await KeyOf("org-a");
        var b = await KeyOf("org-b");

        Assert.Equal(a1, a2);
        Assert.NotEqual(a1, b);
    }

    [Theory]
    [InlineData("/v1/webhooks/.well-known/public-key", "'orgId' is required")]
    [InlineData("/v1/webhooks/.well-known/public-key?orgId=", "'orgId' is required")]
    [InlineData("/v1/webhooks/.well-known/public-key?orgId=a%20b", "'orgId' must be")]
    public async Task A_missing_or_malformed_org_id_is_a_400(string url, string expected)
    {
        var response = await _app.Client(token: null).GetAsync(url, Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(expected, await response.MessageAsync());
    }

    [Fact]
    public async Task The_private_key_is_sealed_at_rest_and_signs_for_the_published_public_key()
    {
        await KnownAsync();
        var client = _app.Client(token: null);
        var pem = (await (await client.GetAsync("/v1/webhooks/.well-known/public-key?orgId=org-a", Ct)).ReadAsync())["public_key"]!.GetValue<string>();
        var keys = _app.Services.GetRequiredService<OrgKeys>();
        var stored = await keys.GetOrCreateAsync(OrganizationId.From("org-a"), Ct);

        using var privateKey = keys.OpenPrivateKey(stored);
        var seed = _app.Services.GetRequiredService<Herald.Server.Secrets.SecretBox>().Open(stored.SealedPrivateKey, $"org-key:org-a:{stored.KeyId}");
        var message = "signed content"u8.ToArray();
        var signature = SignatureAlgorithm.Ed25519.Sign(privateKey, message);
        var published = PublicKey.Import(SignatureAlgorithm.Ed25519, System.Text.Encoding.ASCII.GetBytes(pem), KeyBlobFormat.PkixPublicKeyText);

        Assert.True(SignatureAlgorithm.Ed25519.Verify(published, message, signature));
        Assert.Equal(32, seed.Length);
        Assert.NotEqual(seed, stored.SealedPrivateKey);
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        var files = string.Concat(Directory.GetFiles(_app.DataDirectory, "herald.db*").Select(f => Convert.ToHexString(File.ReadAllBytes(f))));
        Assert.DoesNotContain(Convert.ToHexString(seed), files);
    }

    [Fact]
    public void Pem_encoding_matches_the_rfc_8410_layout()
    {
        var raw = Enumerable.Range(0, 32).Select(i => (byte)i).ToArray();

        var pem = PublicKeyPem.Encode(raw);

        var der = Convert.FromBase64String(string.Concat(pem.Split('\n').Where(l => !l.StartsWith("-----", StringComparison.Ordinal))));
        Assert.Equal("302A300506032B6570032100" + Convert.ToHexString(raw), Convert.ToHexString(der));
    }

    public void Dispose() => _app.Dispose();
}
