using Herald.Server.Configs;
using Herald.Server.Http;
using Herald.Server.Secrets;
using Herald.Server.Storage;
using Herald.Server.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace Herald.Server.Tests.Configs;

/// <summary>The configs triggers read: kept in memory on SQLite until this process writes a config, read every time on PostgreSQL.</summary>
public sealed class TriggerConfigsTests : IDisposable
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 2, 3, 4, 5, 678, TimeSpan.Zero);

    private readonly TempDirectory _folder = new();
    private readonly ConfigSecretsBox _box = new(new SecretBox(Enumerable.Range(0, 32).Select(i => (byte)i).ToArray()));

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>A SQLite config store holding config cfg1, and the trigger configs over it as <paramref name="provider"/> would run them.</summary>
    private async Task<(SqliteConfigStore Store, TriggerConfigs Configs)> ArrangeAsync(StorageProvider provider)
    {
        var changes = new ConfigChanges();
        var store = new SqliteConfigStore(await Engines.SqliteAsync(_folder, new FakeTimeProvider(T0)), changes);
        await store.InsertAsync(Record("https://one.example/hook"), int.MaxValue, Ct);
        return (store, new TriggerConfigs(store, changes, _box, new StorageOptions { Provider = provider }));
    }

    private ConfigRecord Record(string url, long version = 1) => new(
        new OrganizationId("org-1"), new ConfigId("cfg1"), version, T0, T0,
        new WebhookConfig { Id = "cfg1", Name = "config", EventName = "order_created", Url = url, Enabled = true, Auth = new Auth { AuthType = "NONE" } },
        _box.Seal(new OrganizationId("org-1"), new ConfigId("cfg1"), new ConfigSecrets("whsec_secret", null, null, null)));

    [Fact]
    public async Task On_sqlite_a_config_is_read_once_until_this_process_writes_one()
    {
        var (store, configs) = await ArrangeAsync(StorageProvider.Sqlite);

        var first = await configs.GetAsync(new OrganizationId("org-1"), new ConfigId("cfg1"), Ct);
        var again = await configs.GetAsync(new OrganizationId("org-1"), new ConfigId("cfg1"), Ct);
        Assert.Same(first, again);

        Assert.True(await store.UpdateAsync(Record("https://two.example/hook", version: 2), 1, Ct));
        var updated = await configs.GetAsync(new OrganizationId("org-1"), new ConfigId("cfg1"), Ct);
        Assert.Equal("https://two.example/hook", updated!.Document.Url);

        Assert.True(await store.DeleteAsync(new OrganizationId("org-1"), new ConfigId("cfg1"), Ct));
        Assert.Null(await configs.GetAsync(new OrganizationId("org-1"), new ConfigId("cfg1"), Ct));

        await store.InsertAsync(Record("https://three.example/hook"), int.MaxValue, Ct);
        Assert.Equal("https://three.example/hook", (await configs.GetAsync(new OrganizationId("org-1"), new ConfigId("cfg1"), Ct))!.Document.Url);
    }

    [Fact]
    public async Task A_backfilled_event_version_reaches_the_next_read()
    {
        var (store, configs) = await ArrangeAsync(StorageProvider.Sqlite);
        Assert.Null((await configs.GetAsync(new OrganizationId("org-1"), new ConfigId("cfg1"), Ct))!.Document.EventVersion);

        Assert.True(await store.BackfillEventVersionAsync(new OrganizationId("org-1"), new ConfigId("cfg1"), "2.0", Ct));

        Assert.Equal("2.0", (await configs.GetAsync(new OrganizationId("org-1"), new ConfigId("cfg1"), Ct))!.Document.EventVersion);
    }

    [Fact]
    public async Task Where_other_nodes_write_configs_every_trigger_reads_its_config()
    {
        var (_, configs) = await ArrangeAsync(StorageProvider.Postgres);

        var first = await configs.GetAsync(new OrganizationId("org-1"), new ConfigId("cfg1"), Ct);
        var again = await configs.GetAsync(new OrganizationId("org-1"), new ConfigId("cfg1"), Ct);

        Assert.NotSame(first, again);
        Assert.Equal(first!.Document.Url, again!.Document.Url);
    }

    [Fact]
    public async Task A_records_secrets_are_opened_once()
    {
        var (_, configs) = await ArrangeAsync(StorageProvider.Sqlite);
        var record = (await configs.GetAsync(new OrganizationId("org-1"), new ConfigId("cfg1"), Ct))!;

        var secrets = configs.SecretsOf(record);

        Assert.Equal("whsec_secret", secrets.SigningSecret);
        Assert.Same(secrets, configs.SecretsOf(record));
    }

    public void Dispose() => _folder.Dispose();
}
