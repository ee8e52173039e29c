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
