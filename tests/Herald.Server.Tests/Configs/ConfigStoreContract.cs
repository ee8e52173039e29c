using Herald.Server.Configs;
using Herald.Server.Http;
using Herald.Server.Storage;
using Herald.Server.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace Herald.Server.Tests.Configs;

/// <summary>What every <see cref="IConfigStore"/> must do, run once per engine.</summary>
public abstract class ConfigStoreContract
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 2, 3, 4, 5, 678, TimeSpan.Zero);

    protected FakeTimeProvider Clock { get; } = new(T0);

    /// <summary>A store on a fresh database; also sets <see cref="Sessions"/>, the write transactions of that database.</summary>
    protected abstract Task<IConfigStore> StoreAsync();

    protected IWriteSessions Sessions { get; set; } = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static ConfigRecord Record(string org, string id, string eventName, DateTimeOffset created, byte[]? secrets = null) => new(
        new OrganizationId(org), new ConfigId(id), 1, created, created,
        new WebhookConfig { Id = id, Name = $"config {id}", EventName = eventName, Url = "https://receiver.example/hook", Enabled = true, Auth = new Auth { AuthType = "NONE" } },
        secrets ?? [1, 2, 3]);

    [Fact]
    public async Task A_stored_config_reads_back_whole()
    {
        var store = await StoreAsync();
        var record = Record("org-1", "cfg1", "order_created", T0, [9, 8, 7]);
        record.Document.FilterConditions = new WebhookConditionGroup { LogicalOperator = "OR", Conditions = [new WebhookCondition { Field = "entity.status", Operation = "equals", Values = ["open"] }] };

        await store.InsertAsync(record, int.MaxValue, Ct);
        var read = await store.GetAsync(new OrganizationId("org-1"), new ConfigId("cfg1"), Ct);

        Assert.NotNull(read);
        Assert.Equal((new OrganizationId("org-1"), new ConfigId("cfg1"), 1L, T0, T0), (read.OrgId, read.Id, read.Version, read.CreatedAt, read.UpdatedAt));
        Assert.Equal([9, 8, 7], read.SealedSecrets);
        Assert.Equal("order_created", read.EventName);
        Assert.Equal("https://receiver.example/hook", read.Document.Url);
        Assert.Equal("OR", read.Document.FilterConditions!.LogicalOperator);
        Assert.Equal("open", read.Document.FilterConditions.Conditions![0].Values![0]);
    }

    [Fact]
    public async Task An_insert_beyond_the_organizations_limit_stores_nothing()
    {
        var store = await StoreAsync();

        Assert.True(await store.InsertAsync(Record("org-1", "a", "order_created", T0), 2, Ct));
        Assert.True(await store.InsertAsync(Record("org-1", "b", "order_created", T0.AddSeconds(1)), 2, Ct));
        Assert.False(await store.InsertAsync(Record("org-1", "c", "order_created", T0.AddSeconds(2)), 2, Ct));
        Assert.True(await store.InsertAsync(Record("org-2", "d", "order_created", T0), 2, Ct));

        Assert.Equal(["a", "b"], (await store.ListAsync(new OrganizationId("org-1"), null, Ct)).Select(r => r.Id.Value));
    }

    [Fact]
    public async Task Inserts_racing_each_other_stay_within_the_limit()
    {
        var store = await StoreAsync();

        var inserted = await Task.WhenAll(Enumerable.Range(0, 10).Select(i =>
            Task.Run(() => store.InsertAsync(Record("org-1", $"r{i}", "order_created", T0.AddSeconds(i)), 3, Ct), Ct)));

        Assert.Equal(3, inserted.Count(i => i));
        Assert.Equal(3, (await store.ListAsync(new OrganizationId("org-1"), null, Ct)).Count);
    }

    [Fact]
    public async Task An_organization_has_configs_once_it_stores_one()
    {
        var store = await StoreAsync();
        var before = await store.AnyAsync(new OrganizationId("org-1"), Ct);
        await store.InsertAsync(Record("org-1", "a", "order_created", T0), int.MaxValue, Ct);

        Assert.False(before);
        Assert.True(await store.AnyAsync(new OrganizationId("org-1"), Ct));
        Assert.False(await store.AnyAsync(new OrganizationId("org-2"), Ct));
    }

    [Fact]
    public async Task Pages_follow_one_another_in_listing_order_through_configs_created_at_the_same_time()
    {
        var store = await StoreAsync();
        foreach (var (id, at) in new[] { ("e", 0), ("b", 0), ("x", 1), ("a", 0), ("c", 2), ("d", 2), ("f", 3) })
        {
            await store.InsertAsync(Record("org-1", id, at == 1 ? "file_created" : "order_created", T0.AddSeconds(at)), int.MaxValue, Ct);
        }
        await store.InsertAsync(Record("org-2", "z", "order_created", T0), int.MaxValue, Ct);

        async Task<List<string>> Paged(string? eventName)
        {
            var ids = new List<string>();
            ConfigRecord? last = null;
            while (true)
            {
                var page = await store.ListPageAsync(new OrganizationId("org-1"), eventName, last, 2, Ct);
                Assert.True(page.Count <= 2);
                ids.AddRange(page.Select(r => r.Id.Value));
                if (page.Count < 2)
                {
                    return ids;
                }
                last = page[^1];
            }
        }

        Assert.Equal((await store.ListAsync(new OrganizationId("org-1"), null, Ct)).Select(r => r.Id.Value), await Paged(null));
        Assert.Equal((await store.ListAsync(new OrganizationId("org-1"), "order_created", Ct)).Select(r => r.Id.Value), await Paged("order_created"));
        Assert.Equal(7, (await Paged(null)).Count);
    }

    [Fact]
    public async Task Another_organization_cannot_read_update_or_delete_a_config()
    {
        var store = await StoreAsync();
        await store.InsertAsync(Record("org-1", "cfg1", "order_created", T0), int.MaxValue, Ct);

        Assert.Null(await store.GetAsync(new OrganizationId("org-2"), new ConfigId("cfg1"), Ct));
        Assert.Empty(await store.ListAsync(new OrganizationId("org-2"), null, Ct));
        Assert.False(await store.UpdateAsync(Record("org-2", "cfg1", "x", T0) with { Version = 2 }, 1, Ct));
        Assert.False(await store.DeleteAsync(new OrganizationId("org-2"), new ConfigId("cfg1"), Ct));
        Assert.Equal("order_created", (await store.GetAsync(new OrganizationId("org-1"), new ConfigId("cfg1"), Ct))!.EventName);
    }

    [Fact]
    public async Task Listing_is_oldest_first_and_filters_by_event_name()
    {
        var store = await StoreAsync();
        await store.InsertAsync(Record("org-1", "b", "order_created", T0.AddMinutes(1)), int.MaxValue, Ct);
        await store.InsertAsync(Record("org-1", "a", "order_created", T0.AddMinutes(2)), int.MaxValue, Ct);
        await store.InsertAsync(Record("org-1", "c", "file_created", T0), int.MaxValue, Ct);
        await store.InsertAsync(Record("org-2", "d", "order_created", T0), int.MaxValue, Ct);

        var all = await store.ListAsync(new OrganizationId("org-1"), null, Ct);
        var orders = await store.ListAsync(new OrganizationId("org-1"), "order_created", Ct);

        Assert.Equal(["c", "b", "a"], all.Select(r => r.Id.Value));
        Assert.Equal(["b", "a"], orders.Select(r => r.Id.Value));
    }

    [Fact]
    public async Task An_update_applies_only_over_the_version_it_read()
    {
        var store = await StoreAsync();
        var original = Record("org-1", "cfg1", "order_created", T0);
        await store.InsertAsync(original, int.MaxValue, Ct);
        var first = original with { Version = 2, UpdatedAt = T0.AddHours(1), Document = new WebhookConfig { Id = "cfg1", Name = "renamed", EventName = "file_created" } };
        var stale = original with { Version = 2, Document = new WebhookConfig { Id = "cfg1", Name = "stale", EventName = "order_created" } };

        Assert.True(await store.UpdateAsync(first, expectedVersion: 1, Ct));
        Assert.False(await store.UpdateAsync(stale, expectedVersion: 1, Ct));

        var read = await store.GetAsync(new OrganizationId("org-1"), new ConfigId("cfg1"), Ct);
        Assert.Equal(("renamed", "file_created", 2L, T0.AddHours(1)), (read!.Document.Name, read.EventName, read.Version, read.UpdatedAt));
        Assert.Equal(T0, read.CreatedAt);
        Assert.Single(await store.ListAsync(new OrganizationId("org-1"), "file_created", Ct));
    }

    [Fact]
    public async Task An_update_within_a_write_transaction_goes_over_the_expected_version_only_and_only_with_the_commit()
    {
        var store = await StoreAsync();
        var original = Record("org-1", "cfg1", "order_created", T0);
        await store.InsertAsync(original, int.MaxValue, Ct);
        var renamed = original with { Version = 2, UpdatedAt = T0.AddHours(1), Document = new WebhookConfig { Id = "cfg1", Name = "renamed", EventName = "order_created" } };

        await Assert.ThrowsAsync<InvalidOperationException>(() => Sessions.WriteAsync<bool>(async session =>
        {
            Assert.True(await store.UpdateAsync(session, renamed, expectedVersion: 1, Ct));
            throw new InvalidOperationException("what else the transaction writes fails");
        }, Ct));
        Assert.Equal((1L, "config cfg1"), await NameAsync());
        Assert.False(await Sessions.WriteAsync(session => store.UpdateAsync(session, renamed, expectedVersion: 2, Ct), Ct));
        Assert.True(await Sessions.WriteAsync(session => store.UpdateAsync(session, renamed, expectedVersion: 1, Ct), Ct));

        Assert.Equal((2L, "renamed"), await NameAsync());

        async Task<(long, string?)> NameAsync()
        {
            var read = await store.GetAsync(new OrganizationId("org-1"), new ConfigId("cfg1"), Ct);
            return (read!.Version, read.Document.Name);
        }
    }

    [Fact]
    public async Task Deleting_removes_the_config_once()
    {
        var store = await StoreAsync();
        await store.InsertAsync(Record("org-1", "cfg1", "order_created", T0), int.MaxValue, Ct);

        Assert.True(await store.DeleteAsync(new OrganizationId("org-1"), new ConfigId("cfg1"), Ct));
        Assert.False(await store.DeleteAsync(new OrganizationId("org-1"), new ConfigId("cfg1"), Ct));
        Assert.Null(await store.GetAsync(new OrganizationId("org-1"), new ConfigId("cfg1"), Ct));
    }

    [Fact]
    public async Task An_event_version_backfill_pins_only_an_unpinned_config_and_leaves_version_and_update_time()
    {
        var store = await StoreAsync();
        await store.InsertAsync(Record("org-1", "cfg1", "event_OrderSubmission", T0), int.MaxValue, Ct);
        var pinned = Record("org-1", "cfg2", "event_OrderSubmission", T0);
        pinned.Document.EventVersion = "1.0";
        await store.InsertAsync(pinned, int.MaxValue, Ct);

        Assert.False(await store.BackfillEventVersionAsync(new OrganizationId("org-2"), new ConfigId("cfg1"), "2.1", Ct));
        Assert.True(await store.BackfillEventVersionAsync(new OrganizationId("org-1"), new ConfigId("cfg1"), "2.1", Ct));
        Assert.False(await store.BackfillEventVersionAsync(new OrganizationId("org-1"), new ConfigId("cfg1"), "3.0", Ct));
        Assert.False(await store.BackfillEventVersionAsync(new OrganizationId("org-1"), new ConfigId("cfg2"), "2.1", Ct));

        var backfilled = (await store.GetAsync(new OrganizationId("org-1"), new ConfigId("cfg1"), Ct))!;
        Assert.Equal(("2.1", 1L, T0), (backfilled.Document.EventVersion, backfilled.Version, backfilled.UpdatedAt));
        Assert.Equal("https://receiver.example/hook", backfilled.Document.Url);
        Assert.Equal("1.0", (await store.GetAsync(new OrganizationId("org-1"), new ConfigId("cfg2"), Ct))!.Document.EventVersion);
    }
}

public sealed class SqliteConfigStoreTests : ConfigStoreContract, IDisposable
{
    private readonly TempDirectory _folder = new();

    private Herald.Server.Storage.Sqlite.SqliteWriteLane? _lane;

    protected override async Task<IConfigStore> StoreAsync()
    {
        var database = await Engines.SqliteAsync(_folder, Clock);
        _lane = new Herald.Server.Storage.Sqlite.SqliteWriteLane(database);
        Sessions = new Herald.Server.Storage.Sqlite.SqliteWriteSessions(_lane);
        return new SqliteConfigStore(database);
    }

    public void Dispose()
    {
        _lane?.DisposeAsync().AsTask().GetAwaiter().GetResult();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _folder.Dispose();
    }
}

public sealed class PostgresConfigStoreTests(PostgresServer server) : ConfigStoreContract
{
    protected override async Task<IConfigStore> StoreAsync()
    {
        var database = await Engines.PostgresAsync(server, Clock);
        Sessions = new Herald.Server.Storage.Postgres.PostgresWriteSessions(database);
        return new PostgresConfigStore(database);
    }
}
