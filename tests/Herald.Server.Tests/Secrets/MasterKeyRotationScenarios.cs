using System.Security.Cryptography;
using System.Text;
using Herald.Server.Secrets;
using Herald.Server.Tests.Support;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection;

namespace Herald.Server.Tests.Secrets;

/// <summary>
/// Rotating <c>Secrets:MasterKey</c>: a node given a new key without the old one refuses to start; given the old one
/// in <c>Secrets:PreviousMasterKeys</c>, it delivers with the secrets the old key sealed and seals every one of them
/// again with the new key (configs' secrets, organizations' private keys, variables, the console's keys), after which
/// the old key can go.
/// </summary>
public abstract class MasterKeyRotationScenarios : IAsyncLifetime
{
    private static readonly string OldKey = Convert.ToBase64String(Enumerable.Range(1, 32).Select(i => (byte)i).ToArray());
    private static readonly string NewKey = Convert.ToBase64String(Enumerable.Range(101, 32).Select(i => (byte)i).ToArray());

    private readonly TempDirectory _data = new("herald-rotation");
    private Dictionary<string, string?> _storage = null!;
    private Receiver _receiver = null!;

    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    protected abstract Task<Dictionary<string, string?>> StorageAsync(string dataDirectory);

    public async ValueTask InitializeAsync()
    {
        _storage = await StorageAsync(_data.Path);
        _receiver = await Receiver.StartAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await _receiver.DisposeAsync();
        _data.Dispose();
    }

    private Dictionary<string, string?> Settings(string masterKey, params string[] previous)
    {
        var settings = new Dictionary<string, string?>(_storage)
        {
            ["Secrets:MasterKey"] = masterKey,
            ["Delivery:AllowPrivateNetworks"] = "true",
            ["Logging:LogLevel:Herald.Server.Secrets"] = "Information",
        };
        for (var i = 0; i < previous.Length; i++)
        {
            settings[$"Secrets:PreviousMasterKeys:{i}"] = previous[i];
        }
        return settings;
    }

    private static Resealing ResealingOf(HeraldApp app) => app.Services.GetRequiredService<Resealing>();

    /// <summary>A sync trigger's delivery: it carries the variable's value, the password and both signatures.</summary>
    private async Task<ReceivedRequest> DeliverAsync(HeraldApp app, string configId)
    {
        var before = _receiver.Received.Count;
        var outcome = await app.Client().TriggerAsync(configId, sync: true);
        Assert.Equal("succeeded", outcome["status"]!.GetValue<string>());
        return (await _receiver.WaitForAsync(before + 1))[before];
    }

    private static void AssertDeliveredWithTheSecrets(ReceivedRequest request, string signingSecret)
    {
        Assert.Equal("Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("erp:pa55-word")), request.Header("authorization"));
        Assert.Equal("tenant-secret-7", request.Header("x-tenant"));
        var content = Encoding.UTF8.GetBytes($"{request.Header("webhook-id")}.{request.Header("webhook-timestamp")}.").Concat(request.Body).ToArray();
        var v1 = "v1," + Convert.ToBase64String(HMACSHA256.HashData(Convert.FromBase64String(signingSecret["whsec_".Length..]), content));
        var entries = request.Header("webhook-signature").Split(' ');
        Assert.Contains(v1, entries);
        Assert.Contains(entries, e => e.StartsWith("v1a,", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_new_master_key_with_the_old_one_given_delivers_and_seals_every_secret_again_after_which_the_old_key_can_go()
    {
        string configId, signingSecret, protectedText, publicKey;
        using (var first = new HeraldApp(Settings(OldKey)))
        {
            var client = first.Client();
            (await client.PostJsonAsync("/v1/environments", """{"key":"tenant","type":"SecretString","value":"tenant-secret-7"}""")).EnsureSuccessStatusCode();
            (configId, signingSecret) = await client.CreateConfigAsync(_receiver.Url, """
                "auth":{"authType":"BASIC","basicAuthConfig":{"username":"erp","password":"pa55-word"}},
                "payloadConfiguration":{"custom_headers":{"X-Tenant":"{{ env.tenant }}"}}
                """);
            AssertDeliveredWithTheSecrets(await DeliverAsync(first, configId), signingSecret);
            publicKey = await (await client.GetAsync($"/v1/webhooks/.well-known/public-key?orgId={HeraldApp.OrgA}", Ct)).Content.ReadAsStringAsync(Ct);
            protectedText = first.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("rotation").Protect("console session");
        }

        // The new key alone: the stored secrets do not open, and the node says which setting to give.
        var refused = HeraldApp.StartFailure(Settings(NewKey)).ToString();
        Assert.Contains("Secrets:MasterKey does not open the stored secrets", refused);
        Assert.Contains("Secrets:PreviousMasterKeys:0", refused);

        // The new key with the old one: delivered as before, and every sealed value sealed again.
        using (var rotating = new HeraldApp(Settings(NewKey, OldKey)))
        {
            AssertDeliveredWithTheSecrets(await DeliverAsync(rotating, configId), signingSecret);
            var pass = await Eventually.ReturnsAsync(() => Task.FromResult(ResealingOf(rotating).LastPass), p => p is not null, "the pass that seals the secrets again");
            // The config's secrets, the organization's key, the variable and the console's key.
            Assert.Equal(4, pass!.Resealed + pass.Changed);
            Assert.Equal(0, pass.Failed);
            Assert.Contains(rotating.Logs.Lines, l => l.Message.Contains("Secrets:PreviousMasterKeys can be removed", StringComparison.Ordinal));
            // A second pass finds nothing left.
            var again = await ResealingOf(rotating).PassAsync(Ct);
            Assert.Equal((0, 0, 0), (again.Resealed, again.Changed, again.Failed));
        }

        // The new key alone again: it opens everything.
        using var rotated = new HeraldApp(Settings(NewKey));
        AssertDeliveredWithTheSecrets(await DeliverAsync(rotated, configId), signingSecret);
        Assert.Equal(publicKey, await (await rotated.Client().GetAsync($"/v1/webhooks/.well-known/public-key?orgId={HeraldApp.OrgA}", Ct)).Content.ReadAsStringAsync(Ct));
        Assert.Equal("console session", rotated.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("rotation").Unprotect(protectedText));
    }

    /// <summary>
    /// A key taken out of <c>Secrets:PreviousMasterKeys</c> while values it sealed are left (a pass that stopped part
    /// way) is found at start whichever row comes first: one value is tried for each key that sealed the column. Here
    /// the first config in key order was sealed again with the new key and the second was not.
    /// </summary>
    [Fact]
    public async Task A_previous_key_removed_while_values_it_sealed_are_left_refuses_the_start_whichever_row_comes_first()
    {
        const string basic = """
            "auth":{"authType":"BASIC","basicAuthConfig":{"username":"erp","password":"pa55-word"}}
            """;
        using (var first = new HeraldApp(Settings(OldKey)))
        {
            var client = first.Client();
            await client.CreateConfigAsync(_receiver.Url, basic);
            await client.CreateConfigAsync(_receiver.Url, basic);
            var column = Herald.Server.Configs.ConfigSecretsBox.Column;
            var store = first.Services.GetRequiredService<ISealedValues>();
            var row = Assert.Single(await store.PageAsync(column, null, 1, Ct));
            var box = new SecretBox(Convert.FromBase64String(NewKey), [Convert.FromBase64String(OldKey)]);
            Assert.True(await store.ReplaceAsync(column, row, box.Reseal(row.Value, column.Owner(row.OrgId, row.Id)), Ct));
            Assert.Equal(2, (await store.OnePerKeyAsync(column, Ct)).Count);
        }

        var refused = HeraldApp.StartFailure(Settings(NewKey)).ToString();

        Assert.Contains("Secrets:MasterKey does not open the stored secrets (webhook_configs.secrets", refused);
        Assert.Contains("Secrets:PreviousMasterKeys:0", refused);
    }

    [Fact]
    public async Task A_previous_key_that_is_not_base64_or_is_the_current_key_refuses_to_start_naming_it()
    {
        await Task.CompletedTask;
        Assert.Contains("Secrets:PreviousMasterKeys:0 is not valid base64", HeraldApp.StartFailure(Settings(NewKey, "not base64!")).ToString());
        Assert.Contains("Secrets:PreviousMasterKeys:1 is the current master key", HeraldApp.StartFailure(Settings(NewKey, OldKey, NewKey)).ToString());
    }
}

public sealed class SqliteMasterKeyRotationScenarios : MasterKeyRotationScenarios
{
    protected override Task<Dictionary<string, string?>> StorageAsync(string dataDirectory) => Task.FromResult(new Dictionary<string, string?>
    {
        ["Storage:DataDirectory"] = dataDirectory,
        ["Storage:ConnectionString"] = $"Data Source={Path.Combine(dataDirectory, "herald.db")}",
    });
}

public sealed class PostgresMasterKeyRotationScenarios(PostgresServer server) : MasterKeyRotationScenarios
{
    protected override async Task<Dictionary<string, string?>> StorageAsync(string dataDirectory)
    {
        var storage = await server.StorageAsync();
        storage["Storage:DataDirectory"] = dataDirectory;
        return storage;
    }
}
