using Herald.Server.Http;
using Herald.Server.Signing;
using Herald.Server.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace Herald.Server.Tests.Signing;

/// <summary>What every <see cref="IOrgKeyStore"/> must do, run once per engine.</summary>
public abstract class OrgKeyStoreContract
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 2, 3, 4, 5, TimeSpan.Zero);

    protected FakeTimeProvider Clock { get; } = new(T0);

    protected abstract Task<IOrgKeyStore> StoreAsync();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static OrgSigningKey Key(string org, string keyId, byte fill) =>
        new() { OrgId = OrganizationId.From(org), KeyId = keyId, CreatedAt = T0, PublicKey = Enumerable.Repeat(fill, 32).ToArray(), SealedPrivateKey = [fill, fill] };

    [Fact]
    public async Task The_first_key_of_an_organization_wins_and_later_ones_are_not_stored()
    {
        var store = await StoreAsync();

        var first = await store.InsertIfNoneActiveAsync(Key("org-1", "k1", 1), Ct);
        var second = await store.InsertIfNoneActiveAsync(Key("org-1", "k2", 2), Ct);

        Assert.Equal("k1", first.KeyId);
        Assert.Equal("k1", second.KeyId);
        Assert.Equal(Enumerable.Repeat((byte)1, 32), second.PublicKey);
        Assert.Single(await store.GetSigningKeysAsync(OrganizationId.From("org-1"), T0, Ct));
    }

    [Fact]
    public async Task Keys_belong_to_one_organization()
    {
        var store = await StoreAsync();
        await store.InsertIfNoneActiveAsync(Key("org-1", "k1", 1), Ct);

        Assert.Empty(await store.GetSigningKeysAsync(OrganizationId.From("org-2"), T0, Ct));
        Assert.Equal("k2", (await store.InsertIfNoneActiveAsync(Key("org-2", "k2", 2), Ct)).KeyId);
    }

    [Fact]
    public async Task Concurrent_creators_agree_on_one_key()
    {
        var store = await StoreAsync();

        var keys = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => store.InsertIfNoneActiveAsync(Key("org-1", $"k{i}", (byte)i), Ct)));

        Assert.Single(keys.Select(k => k.KeyId).Distinct());
        Assert.Single(await store.GetSigningKeysAsync(OrganizationId.From("org-1"), T0, Ct));
    }

    [Fact]
    public async Task A_rotation_retires_the_active_key_at_the_given_time_and_the_new_key_signs_first()
    {
        var store = await StoreAsync();
        await store.InsertIfNoneActiveAsync(Key("org-1", "k1", 1), Ct);
        await store.InsertIfNoneActiveAsync(Key("org-2", "other", 9), Ct);
        var t1 = T0.AddHours(1);

        var inUse = await store.RotateAsync(Key("org-1", "k2", 2) with { CreatedAt = t1 }, t1.AddDays(1), Ct);

        Assert.Equal(["k2", "k1"], inUse.Select(k => k.KeyId));
        Assert.Null(inUse[0].RetiredAt);
        Assert.Equal(t1.AddDays(1), inUse[1].RetiredAt);
        Assert.Equal(["k2", "k1"], (await store.GetSigningKeysAsync(OrganizationId.From("org-1"), t1.AddDays(1).AddTicks(-10), Ct)).Select(k => k.KeyId));
        Assert.Equal(["k2"], (await store.GetSigningKeysAsync(OrganizationId.From("org-1"), t1.AddDays(1), Ct)).Select(k => k.KeyId));
        Assert.Equal(["other"], (await store.GetSigningKeysAsync(OrganizationId.From("org-2"), t1, Ct)).Select(k => k.KeyId));
    }

    [Fact]
    public async Task A_rotation_during_an_overlap_ends_the_earlier_overlap_so_two_keys_sign_at_most()
    {
        var store = await StoreAsync();
        await store.InsertIfNoneActiveAsync(Key("org-1", "k1", 1), Ct);
        await store.RotateAsync(Key("org-1", "k2", 2) with { CreatedAt = T0.AddHours(1) }, T0.AddDays(1), Ct);

        var inUse = await store.RotateAsync(Key("org-1", "k3", 3) with { CreatedAt = T0.AddHours(2) }, T0.AddDays(2), Ct);

        Assert.Equal(["k3", "k2"], inUse.Select(k => k.KeyId));
        Assert.Equal(T0.AddDays(2), inUse[1].RetiredAt);
    }

    [Fact]
    public async Task Retired_keys_are_deleted_once_their_end_has_passed_and_others_stay()
    {
        var store = await StoreAsync();
        await store.InsertIfNoneActiveAsync(Key("org-1", "k1", 1), Ct);
        await store.RotateAsync(Key("org-1", "k2", 2) with { CreatedAt = T0.AddHours(1) }, T0.AddDays(1), Ct);

        var early = await store.DeleteRetiredAsync(T0.AddHours(23), Ct);
        var due = await store.DeleteRetiredAsync(T0.AddDays(1), Ct);

        Assert.Equal(0, early);
        Assert.Equal(1, due);
        Assert.Equal(["k2"], (await store.GetSigningKeysAsync(OrganizationId.From("org-1"), T0, Ct)).Select(k => k.KeyId));
    }
}

public sealed class SqliteOrgKeyStoreTests : OrgKeyStoreContract, IDisposable
{
    private readonly TempDirectory _folder = new();

    protected override async Task<IOrgKeyStore> StoreAsync() => new SqliteOrgKeyStore(await Engines.SqliteAsync(_folder, Clock));

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _folder.Dispose();
    }
}

public sealed class PostgresOrgKeyStoreTests(PostgresServer server) : OrgKeyStoreContract
{
    protected override async Task<IOrgKeyStore> StoreAsync() => new PostgresOrgKeyStore(await Engines.PostgresAsync(server, Clock));
}
