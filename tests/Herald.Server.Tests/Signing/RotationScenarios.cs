using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Herald.Server.Configs;
using Herald.Server.Http;
using Herald.Server.Signing;
using Herald.Server.Tests.Interop;
using Herald.Server.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using NSec.Cryptography;

namespace Herald.Server.Tests.Signing;

/// <summary>
/// Signing-secret and organization-key rotations through the real pipeline, checked by what the receiver gets and by
/// verifiers that share no code with Herald (npm <c>standardwebhooks</c> for <c>v1</c>, NSec for <c>v1a</c>), on the
/// engine the subclass picks.
/// </summary>
public abstract class RotationScenarios : IAsyncLifetime
{
    private HeraldApp? _app;
    private Receiver _receiver = null!;

    protected abstract Task<Dictionary<string, string?>> StorageAsync();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private HeraldApp App => _app ?? throw new InvalidOperationException("StartAsync first");

    public async ValueTask InitializeAsync() => _receiver = await Receiver.StartAsync();

    public async ValueTask DisposeAsync()
    {
        _app?.Dispose();
        await _receiver.DisposeAsync();
    }

    /// <summary>Starts Herald in the test body, so that a missing PostgreSQL skips the test instead of failing it.</summary>
    private async Task<HttpClient> StartAsync(DateTimeOffset? at = null)
    {
        var settings = await StorageAsync();
        settings["Delivery:AllowPrivateNetworks"] = "true";
        _app = new HeraldApp(settings);
        if (at is { } now)
        {
            _app.Clock.SetUtcNow(now);
        }
        return _app.Client();
    }

    private async Task<ReceivedRequest> DeliverAsync(HttpClient client, string configId)
    {
        var before = _receiver.Received.Count;
        var outcome = await client.TriggerAsync(configId, """{"metadata":{},"entity":{"_id":"order-7","total":42}}""", sync: true);
        Assert.Equal("succeeded", outcome["status"]!.GetValue<string>());
        return (await _receiver.WaitForAsync(before + 1))[before];
    }

    private static string[] Entries(ReceivedRequest request, string version) =>
        request.Header("webhook-signature").Split(' ').Where(e => e.StartsWith(version + ",", StringComparison.Ordinal)).ToArray();

    private static byte[] SignedContent(ReceivedRequest request) =>
        Encoding.UTF8.GetBytes($"{request.Header("webhook-id")}.{request.Header("webhook-timestamp")}.").Concat(request.Body).ToArray();

    private static string V1(ReceivedRequest request, string secret) =>
        "v1," + Convert.ToBase64String(HMACSHA256.HashData(Convert.FromBase64String(secret["whsec_".Length..]), SignedContent(request)));

    private static bool V1aVerifies(ReceivedRequest request, string entry, string pem) =>
        SignatureAlgorithm.Ed25519.Verify(
            PublicKey.Import(SignatureAlgorithm.Ed25519, Encoding.ASCII.GetBytes(pem), KeyBlobFormat.PkixPublicKeyText),
            SignedContent(request), Convert.FromBase64String(entry["v1a,".Length..]));

    /// <summary>Whether the reference Standard Webhooks library accepts the request with <paramref name="secret"/>.</summary>
    private async Task<bool> StandardWebhooksAcceptsAsync(ReceivedRequest request, string secret)
    {
        var signed = new JsonObject
        {
            ["secret"] = secret,
            ["body"] = request.Text,
            ["headers"] = new JsonObject
            {
                ["webhook-id"] = request.Header("webhook-id"),
                ["webhook-timestamp"] = request.Header("webhook-timestamp"),
                ["webhook-signature"] = request.Header("webhook-signature"),
            },
        };
        var verdict = await EpilotSdk.RunAsync("verify-standard-webhooks.mjs", "verify", App.BaseAddress, HeraldApp.TokenA, HeraldApp.OrgA, Ct,
            new Dictionary<string, string> { ["HERALD_SIGNED_REQUEST"] = signed.ToJsonString() });
        return verdict["verified"]!.GetValue<bool>();
    }

    private static async Task<JsonNode> RotateSecretAsync(HttpClient client, string configId)
    {
        var response = await client.PostAsync($"/v1/webhooks/configs/{configId}/rotate-secret", null, Ct);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"rotate-secret answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(Ct)}");
        return await response.ReadAsync();
    }

    private async Task<JsonNode> PublicKeyAsync(string orgId) =>
        await (await App.Client(token: null).GetAsync($"/v1/webhooks/.well-known/public-key?orgId={orgId}", Ct)).ReadAsync();

    private async Task<ConfigSecrets> StoredSecretsAsync(string orgId, string configId)
    {
        var record = await App.Services.GetRequiredService<IConfigStore>().GetAsync(OrganizationId.From(orgId), ConfigId.From(configId), Ct);
        return App.Services.GetRequiredService<ConfigSecretsBox>().Open(record!);
    }

    private async Task<long> CountAsync(string sql) => Convert.ToInt64(await App.ScalarAsync(sql), CultureInfo.InvariantCulture);

    [Fact]
    public async Task During_the_overlap_a_delivery_carries_a_v1_signature_per_secret_that_standardwebhooks_accepts_then_only_the_new_secret_signs()
    {
        // The verifier checks the timestamp against the real clock (5 minutes either way): the rotation happens a day
        // before now, so the delivery 2 minutes before its overlap ends and the one 2 minutes after both are recent.
        var overlapEnds = DateTimeOffset.UtcNow;
        overlapEnds = overlapEnds.AddTicks(-(overlapEnds.Ticks % TimeSpan.TicksPerMillisecond));
        var client = await StartAsync(at: overlapEnds - TimeSpan.FromHours(24));
        var (configId, oldSecret) = await client.CreateConfigAsync(_receiver.Url);

        var rotated = await RotateSecretAsync(client, configId);
        var newSecret = rotated["signingSecret"]!.GetValue<string>();
        App.Clock.Advance(TimeSpan.FromHours(24) - TimeSpan.FromMinutes(2));
        var during = await DeliverAsync(client, configId);

        Assert.StartsWith("whsec_", newSecret);
        Assert.NotEqual(oldSecret, newSecret);
        Assert.Equal(HeraldJson.Timestamp(overlapEnds), rotated["previousSecretExpiresAt"]!.GetValue<string>());
        Assert.Equal([V1(during, newSecret), V1(during, oldSecret)], Entries(during, "v1"));
        Assert.True(await StandardWebhooksAcceptsAsync(during, newSecret));
        Assert.True(await StandardWebhooksAcceptsAsync(during, oldSecret));
        Assert.False(await StandardWebhooksAcceptsAsync(during, "whsec_" + Convert.ToBase64String(new byte[24])));

        App.Clock.Advance(TimeSpan.FromMinutes(4));
        var after = await DeliverAsync(client, configId);

        Assert.Equal([V1(after, newSecret)], Entries(after, "v1"));
        Assert.True(await StandardWebhooksAcceptsAsync(after, newSecret));
        Assert.False(await StandardWebhooksAcceptsAsync(after, oldSecret));

        // The replaced secret is deleted, and the config no longer names an end for it.
        await App.Services.GetRequiredService<SigningCleanup>().RunAsync(Ct);
        var stored = await StoredSecretsAsync(HeraldApp.OrgA, configId);
        Assert.Equal(newSecret, stored.SigningSecret);
        Assert.Null(stored.PreviousSigningSecret);
        Assert.Null(stored.PreviousSigningSecretUntil);
        Assert.Equal(0, await CountAsync("SELECT COUNT(*) FROM retiring_signing_secrets"));
        var config = await (await client.GetAsync($"/v1/webhooks/configs/{configId}", Ct)).ReadAsync();
        Assert.Equal(HeraldJson.Timestamp(overlapEnds - TimeSpan.FromHours(24)), config["signingSecretRotation"]!["rotatedAt"]!.GetValue<string>());
        Assert.Null(config["signingSecretRotation"]!["previousSecretExpiresAt"]);
        Assert.Null(config["signingSecret"]);
    }

    [Fact]
    public async Task The_new_secret_is_shown_once_and_the_config_says_until_when_the_old_one_signs()
    {
        var client = await StartAsync();
        var (configId, oldSecret) = await client.CreateConfigAsync(_receiver.Url);
        var before = await (await client.GetAsync($"/v1/webhooks/configs/{configId}", Ct)).ReadAsync();

        var rotated = await RotateSecretAsync(client, configId);
        var read = await (await client.GetAsync($"/v1/webhooks/configs/{configId}", Ct)).ReadAsync();
        var listed = (await (await client.GetAsync("/v1/webhooks/configs", Ct)).ReadAsync()).AsArray().Single(c => c!["id"]!.GetValue<string>() == configId)!;

        Assert.Equal("2026-03-02T12:00:00.000Z", rotated["previousSecretExpiresAt"]!.GetValue<string>());
        foreach (var config in new[] { read, listed })
        {
            Assert.Null(config["signingSecret"]);
            Assert.Equal("2026-03-01T12:00:00.000Z", config["signingSecretRotation"]!["rotatedAt"]!.GetValue<string>());
            Assert.Equal("2026-03-02T12:00:00.000Z", config["signingSecretRotation"]!["previousSecretExpiresAt"]!.GetValue<string>());
            Assert.Equal(before["updatedTime"]!.GetValue<string>(), config["updatedTime"]!.GetValue<string>());
        }
        Assert.DoesNotContain(oldSecret, read.ToJsonString());
        Assert.DoesNotContain(rotated["signingSecret"]!.GetValue<string>(), read.ToJsonString());
        // Sealed at rest: neither secret is in the database in the clear.
        var raw = (byte[])(await App.ScalarAsync($"SELECT secrets FROM webhook_configs WHERE id = '{configId}'"))!;
        foreach (var secret in new[] { oldSecret, rotated["signingSecret"]!.GetValue<string>() })
        {
            Assert.Equal(-1, raw.AsSpan().IndexOf(Encoding.UTF8.GetBytes(secret["whsec_".Length..])));
        }
    }

    [Fact]
    public async Task A_put_that_sends_back_what_it_read_keeps_both_secrets_and_the_rotation()
    {
        var client = await StartAsync();
        var (configId, oldSecret) = await client.CreateConfigAsync(_receiver.Url);
        var newSecret = (await RotateSecretAsync(client, configId))["signingSecret"]!.GetValue<string>();
        var read = (await (await client.GetAsync($"/v1/webhooks/configs/{configId}", Ct)).ReadAsync()).AsObject();
        read["name"] = "Renamed";
        read["signingSecretRotation"] = new JsonObject { ["rotatedAt"] = "2020-01-01T00:00:00.000Z" };

        var updated = await client.PutJsonAsync($"/v1/webhooks/configs/{configId}", read.ToJsonString());
        var delivered = await DeliverAsync(client, configId);

        Assert.Equal(HttpStatusCode.OK, updated.StatusCode);
        var document = await updated.ReadAsync();
        Assert.Equal("Renamed", document["name"]!.GetValue<string>());
        Assert.Equal("2026-03-01T12:00:00.000Z", document["signingSecretRotation"]!["rotatedAt"]!.GetValue<string>());
        Assert.Equal([V1(delivered, newSecret), V1(delivered, oldSecret)], Entries(delivered, "v1"));
        var malformed = await client.PutJsonAsync($"/v1/webhooks/configs/{configId}",
            $$"""{"name":"n","eventName":"order_created","url":"{{_receiver.Url}}","signingSecretRotation":5}""");
        Assert.Equal(HttpStatusCode.BadRequest, malformed.StatusCode);
        Assert.Contains("signingSecretRotation", await malformed.MessageAsync());
    }

    [Fact]
    public async Task A_second_rotation_during_the_overlap_ends_the_first_at_once_so_two_secrets_sign_at_most()
    {
        var client = await StartAsync();
        var (configId, first) = await client.CreateConfigAsync(_receiver.Url);
        var second = (await RotateSecretAsync(client, configId))["signingSecret"]!.GetValue<string>();
        App.Clock.Advance(TimeSpan.FromHours(1));
        var third = await RotateSecretAsync(client, configId);

        var delivered = await DeliverAsync(client, configId);

        Assert.Equal([V1(delivered, third["signingSecret"]!.GetValue<string>()), V1(delivered, second)], Entries(delivered, "v1"));
        Assert.DoesNotContain(V1(delivered, first), Entries(delivered, "v1"));
        Assert.Equal("2026-03-02T13:00:00.000Z", third["previousSecretExpiresAt"]!.GetValue<string>());
        // The first rotation's end passes: the second secret still signs, and the cleanup leaves it.
        App.Clock.Advance(TimeSpan.FromHours(23) + TimeSpan.FromMinutes(30));
        await App.Services.GetRequiredService<SigningCleanup>().RunAsync(Ct);
        Assert.Equal(second, (await StoredSecretsAsync(HeraldApp.OrgA, configId)).PreviousSigningSecret);
        Assert.Equal(2, Entries(await DeliverAsync(client, configId), "v1").Length);
    }

    [Fact]
    public async Task A_replay_is_signed_with_the_secrets_in_use_when_it_is_sent()
    {
        var client = await StartAsync();
        var (configId, oldSecret) = await client.CreateConfigAsync(_receiver.Url);
        var eventId = (await client.TriggerAsync(configId, sync: true))["event_id"]!.GetValue<string>();
        var delivered = (await _receiver.WaitForAsync(1))[0];
        var newSecret = (await RotateSecretAsync(client, configId))["signingSecret"]!.GetValue<string>();

        (await client.PostAsync($"/v1/webhooks/configs/{configId}/events/{eventId}/replay", null, Ct)).EnsureSuccessStatusCode();
        var during = (await _receiver.WaitForAsync(2))[1];
        App.Clock.Advance(TimeSpan.FromHours(25));
        (await client.PostAsync($"/v1/webhooks/configs/{configId}/events/{eventId}/replay", null, Ct)).EnsureSuccessStatusCode();
        var after = (await _receiver.WaitForAsync(3))[2];

        Assert.Equal([V1(delivered, oldSecret)], Entries(delivered, "v1"));
        Assert.Equal(delivered.Header("webhook-id"), during.Header("webhook-id"));
        Assert.Equal([V1(during, newSecret), V1(during, oldSecret)], Entries(during, "v1"));
        Assert.Equal([V1(after, newSecret)], Entries(after, "v1"));
    }

    [Fact]
    public async Task During_a_key_rotation_both_keys_sign_v1a_each_verifying_with_its_public_key_then_only_the_new_key()
    {
        var client = await StartAsync();
        var (configId, _) = await client.CreateConfigAsync(_receiver.Url);
        var oldKey = (await PublicKeyAsync(HeraldApp.OrgA))["public_key"]!.GetValue<string>();

        var response = await client.PostAsync("/v1/webhooks/signing-keys/rotate", null, Ct);
        var rotated = await response.ReadAsync();
        var published = await PublicKeyAsync(HeraldApp.OrgA);
        var during = await DeliverAsync(client, configId);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var newKey = rotated["public_key"]!.GetValue<string>();
        Assert.NotEqual(oldKey, newKey);
        Assert.Equal(newKey, published["public_key"]!.GetValue<string>());
        Assert.Equal("ed25519", published["algorithm"]!.GetValue<string>());
        var keys = published["keys"]!.AsArray();
        Assert.Equal([newKey, oldKey], keys.Select(k => k!["public_key"]!.GetValue<string>()));
        Assert.Null(keys[0]!["expires_at"]);
        Assert.Equal("2026-03-01T12:00:00.000Z", keys[0]!["created_at"]!.GetValue<string>());
        Assert.Equal("2026-03-02T12:00:00.000Z", keys[1]!["expires_at"]!.GetValue<string>());
        Assert.Equal(rotated["keys"]!.ToJsonString(), keys.ToJsonString());
        var v1a = Entries(during, "v1a");
        Assert.Equal(2, v1a.Length);
        Assert.True(V1aVerifies(during, v1a[0], newKey));
        Assert.True(V1aVerifies(during, v1a[1], oldKey));
        Assert.False(V1aVerifies(during, v1a[0], oldKey));

        App.Clock.Advance(TimeSpan.FromHours(24));
        var after = await DeliverAsync(client, configId);
        var publishedAfter = await PublicKeyAsync(HeraldApp.OrgA);

        var single = Assert.Single(Entries(after, "v1a"));
        Assert.True(V1aVerifies(after, single, newKey));
        Assert.Equal([newKey], publishedAfter["keys"]!.AsArray().Select(k => k!["public_key"]!.GetValue<string>()));
        await App.Services.GetRequiredService<SigningCleanup>().RunAsync(Ct);
        Assert.Equal(1, await CountAsync($"SELECT COUNT(*) FROM org_signing_keys WHERE org_id = '{HeraldApp.OrgA}'"));
    }

    [Fact]
    public async Task A_rotation_in_one_organization_leaves_the_other_alone_and_another_organizations_config_is_a_404()
    {
        var clientA = await StartAsync();
        var clientB = App.Client(HeraldApp.TokenB);
        var (configA, _) = await clientA.CreateConfigAsync(_receiver.Url);
        var (configB, secretB) = await clientB.CreateConfigAsync(_receiver.Url);
        var keyB = (await PublicKeyAsync(HeraldApp.OrgB))["public_key"]!.GetValue<string>();
        await PublicKeyAsync(HeraldApp.OrgA);

        var foreign = await clientA.PostAsync($"/v1/webhooks/configs/{configB}/rotate-secret", null, Ct);
        var unknown = await clientA.PostAsync("/v1/webhooks/configs/no-such-config/rotate-secret", null, Ct);
        var anonymous = await App.Client(token: null).PostAsync($"/v1/webhooks/configs/{configA}/rotate-secret", null, Ct);
        await RotateSecretAsync(clientA, configA);
        (await clientA.PostAsync("/v1/webhooks/signing-keys/rotate", null, Ct)).EnsureSuccessStatusCode();
        var deliveredB = await DeliverAsync(clientB, configB);
        var publishedB = await PublicKeyAsync(HeraldApp.OrgB);

        Assert.Equal(HttpStatusCode.NotFound, foreign.StatusCode);
        Assert.Contains(configB, await foreign.MessageAsync());
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal([V1(deliveredB, secretB)], Entries(deliveredB, "v1"));
        Assert.True(V1aVerifies(deliveredB, Assert.Single(Entries(deliveredB, "v1a")), keyB));
        Assert.Equal(keyB, publishedB["public_key"]!.GetValue<string>());
        Assert.Single(publishedB["keys"]!.AsArray());
        Assert.Null((await StoredSecretsAsync(HeraldApp.OrgB, configB)).PreviousSigningSecret);
        Assert.Equal(2, (await PublicKeyAsync(HeraldApp.OrgA))["keys"]!.AsArray().Count);
    }

    [Fact]
    public async Task A_rotation_overlap_out_of_range_stops_the_start_naming_the_setting()
    {
        var settings = await StorageAsync();
        settings["Signing:RotationOverlap"] = "00:00:30";

        var error = HeraldApp.StartFailure(settings);

        Assert.Contains("Signing:RotationOverlap", InvalidSettingException.In(error)?.Message ?? error.ToString());
    }
}

public sealed class SqliteRotationTests : RotationScenarios
{
    protected override Task<Dictionary<string, string?>> StorageAsync() => Task.FromResult(new Dictionary<string, string?>());
}

public sealed class PostgresRotationTests(PostgresServer server) : RotationScenarios
{
    protected override Task<Dictionary<string, string?>> StorageAsync() => server.StorageAsync();
}
