using Herald.Server.Environments;
using Herald.Server.Http;
using Herald.Server.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace Herald.Server.Tests.Environments;

/// <summary>What every <see cref="IEnvironmentStore"/> must do, run once per engine.</summary>
public abstract class EnvironmentStoreContract
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 2, 3, 4, 5, 678, TimeSpan.Zero);

    protected FakeTimeProvider Clock { get; } = new(T0);

    protected abstract Task<IEnvironmentStore> StoreAsync();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static EnvironmentRecord Plain(string org, string key, string? value = "v") =>
        new(new OrganizationId(org), key, "String", null, null, false, value, null, 1, T0, T0);

    private static EnvironmentRecord Secret(string org, string key, byte[] sealedValue) =>
        new(new OrganizationId(org), key, "SecretString", "a secret", "erp", true, null, sealedValue, 1, T0, T0);

    [Fact]
    public async Task A_stored_variable_reads_back_whole()
    {
        var store = await StoreAsync();

        Assert.True(await store.InsertAsync(Secret("org-1", "erp.password", [9, 8, 7]), Ct));
        Assert.True(await store.InsertAsync(Plain("org-1", "erp.user", "alice") with { Description = "d" }, Ct));
        var secret = await store.GetAsync(new OrganizationId("org-1"), "erp.password", Ct);
        var plain = await store.GetAsync(new OrganizationId("org-1"), "erp.user", Ct);

        Assert.NotNull(secret);
        Assert.Equal((new OrganizationId("org-1"), "erp.password", "SecretString", "a secret", "erp", true), (secret.OrgId, secret.Key, secret.Type, secret.Description, secret.Group, secret.Protected));
        Assert.Null(secret.Value);
        Assert.Equal([9, 8, 7], secret.SealedValue);
        Assert.Equal((1L, T0, T0), (secret.Version, secret.CreatedAt, secret.UpdatedAt));
        Assert.Equal(("alice", "d", (string?)null, false), (plain!.Value, plain.Description, plain.Group, plain.Protected));
        Assert.Null(plain.SealedValue);
    }

    [Fact]
    public async Task A_variable_without_a_value_is_stored_as_such()
    {
        var store = await StoreAsync();

        await store.InsertAsync(Plain("org-1", "empty", value: null), Ct);

        var read = await store.GetAsync(new OrganizationId("org-1"), "empty", Ct);
        Assert.False(read!.HasValue);
    }

    [Fact]
    public async Task A_second_insert_of_the_same_key_is_refused_and_changes_nothing()
    {
        var store = await StoreAsync();
        await store.InsertAsync(Plain("org-1", "k", "first"), Ct);

        Assert.False(await store.InsertAsync(Plain("org-1", "k", "second"), Ct));
        Assert.True(await store.InsertAsync(Plain("org-2", "k", "other org"), Ct));

        Assert.Equal("first", (await store.GetAsync(new OrganizationId("org-1"), "k", Ct))!.Value);
        Assert.Equal("other org", (await store.GetAsync(new OrganizationId("org-2"), "k", Ct))!.Value);
    }

    [Fact]
    public async Task An_insert_past_the_organizations_limit_is_refused_while_an_existing_key_is_still_named_and_another_organization_inserts()
    {
        var store = await StoreAsync();
        Assert.Equal(EnvironmentInsert.Inserted, await store.InsertAsync(Plain("org-1", "a"), 2, Ct));
        Assert.Equal(EnvironmentInsert.Inserted, await store.InsertAsync(Plain("org-1", "b"), 2, Ct));

        Assert.Equal(EnvironmentInsert.TooMany, await store.InsertAsync(Plain("org-1", "c"), 2, Ct));
        Assert.Equal(EnvironmentInsert.Exists, await store.InsertAsync(Plain("org-1", "a", "again"), 2, Ct));
        Assert.Equal(EnvironmentInsert.Inserted, await store.InsertAsync(Plain("org-2", "c"), 2, Ct));

        Assert.Null(await store.GetAsync(new OrganizationId("org-1"), "c", Ct));
        Assert.Equal(["a", "b"], (await store.ListAsync(new OrganizationId("org-1"), Ct)).Select(v => v.Key));
        Assert.True(await store.DeleteAsync(new OrganizationId("org-1"), "a", Ct));
        Assert.Equal(EnvironmentInsert.Inserted, await store.InsertAsync(Plain("org-1", "c"), 2, Ct));
    }

    [Fact]
    public async Task Creates_racing_each_other_never_pass_the_organizations_limit()
    {
        var store = await StoreAsync();

        var results = await Task.WhenAll(Enumerable.Range(0, 12).Select(i => Task.Run(() => store.InsertAsync(Plain("org-1", $"k{i}"), 5, Ct), Ct)));

        Assert.Equal(5, results.Count(r => r == EnvironmentInsert.Inserted));
        Assert.Equal(7, results.Count(r => r == EnvironmentInsert.TooMany));
        Assert.Equal(5, (await store.ListAsync(new OrganizationId("org-1"), Ct)).Count);
    }

    [Fact]
    public async Task Listing_is_by_key_and_per_organization()
    {
        var store = await StoreAsync();
        await store.InsertAsync(Plain("org-1", "b"), Ct);
        await store.InsertAsync(Plain("org-1", "a.z"), Ct);
        await store.InsertAsync(Plain("org-1", "a"), Ct);
        await store.InsertAsync(Plain("org-2", "c"), Ct);

        Assert.Equal(["a", "a.z", "b"], (await store.ListAsync(new OrganizationId("org-1"), Ct)).Select(r => r.Key));
        Assert.Equal(["c"], (await store.ListAsync(new OrganizationId("org-2"), Ct)).Select(r => r.Key));
        Assert.Empty(await store.ListAsync(new OrganizationId("org-3"), Ct));
    }

    [Fact]
    public async Task Getting_many_returns_the_known_keys_of_that_organization_only()
    {
        var store = await StoreAsync();
        await store.InsertAsync(Plain("org-1", "a"), Ct);
        await store.InsertAsync(Plain("org-1", "b"), Ct);
        await store.InsertAsync(Plain("org-2", "c"), Ct);

        var found = await store.GetManyAsync(new OrganizationId("org-1"), ["b", "a", "c", "unknown"], Ct);

        Assert.Equal(["a", "b"], found.Select(r => r.Key));
        Assert.Empty(await store.GetManyAsync(new OrganizationId("org-1"), [], Ct));
    }

    [Fact]
    public async Task An_update_applies_only_over_the_version_it_read()
    {
        var store = await StoreAsync();
        var original = Plain("org-1", "k", "old");
        await store.InsertAsync(original, Ct);
        var first = Secret("org-1", "k", [1]) with { Version = 2, UpdatedAt = T0.AddHours(1) };
        var stale = original with { Version = 2, Value = "stale" };

        Assert.True(await store.UpdateAsync(first, expectedVersion: 1, Ct));
        Assert.False(await store.UpdateAsync(stale, expectedVersion: 1, Ct));

        var read = await store.GetAsync(new OrganizationId("org-1"), "k", Ct);
        Assert.Equal(("SecretString", (string?)null, 2L, T0, T0.AddHours(1)), (read!.Type, read.Value, read.Version, read.CreatedAt, read.UpdatedAt));
        Assert.Equal([1], read.SealedValue);
    }

    [Fact]
    public async Task Another_organization_cannot_read_update_or_delete_a_variable()
    {
        var store = await StoreAsync();
        await store.InsertAsync(Plain("org-1", "k", "mine"), Ct);

        Assert.Null(await store.GetAsync(new OrganizationId("org-2"), "k", Ct));
        Assert.Empty(await store.GetManyAsync(new OrganizationId("org-2"), ["k"], Ct));
        Assert.False(await store.UpdateAsync(Plain("org-2", "k", "theirs") with { Version = 2 }, 1, Ct));
        Assert.False(await store.DeleteAsync(new OrganizationId("org-2"), "k", Ct));
        Assert.Equal("mine", (await store.GetAsync(new OrganizationId("org-1"), "k", Ct))!.Value);
    }

    [Fact]
    public async Task Deleting_removes_the_variable_once()
    {
        var store = await StoreAsync();
        await store.InsertAsync(Plain("org-1", "k"), Ct);

        Assert.True(await store.DeleteAsync(new OrganizationId("org-1"), "k", Ct));
        Assert.False(await store.DeleteAsync(new OrganizationId("org-1"), "k", Ct));
        Assert.Null(await store.GetAsync(new OrganizationId("org-1"), "k", Ct));
    }
}

public sealed class SqliteEnvironmentStoreTests : EnvironmentStoreContract, IDisposable
{
    private readonly TempDirectory _folder = new();

    protected override async Task<IEnvironmentStore> StoreAsync() => new SqliteEnvironmentStore(await Engines.SqliteAsync(_folder, Clock));

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _folder.Dispose();
    }
}

public sealed class PostgresEnvironmentStoreTests(PostgresServer server) : EnvironmentStoreContract
{
    protected override async Task<IEnvironmentStore> StoreAsync() => new PostgresEnvironmentStore(await Engines.PostgresAsync(server, Clock));
}
