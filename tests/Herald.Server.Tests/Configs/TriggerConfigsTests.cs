using Herald.Server.Configs;
using Herald.Server.Http;
using Herald.Server.Secrets;
using Herald.Server.Storage;
using Herald.Server.Storage.Postgres;
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

    /// <summary>
    /// The configs kept for triggers stay within <c>Configs:TriggerCacheSize</c>: reading one more starts the cache over,
    /// and what it answers is still the config as stored.
    /// </summary>
    [Fact]
    public async Task The_configs_kept_for_triggers_stay_within_the_cache_size()
    {
        var changes = new ConfigChanges();
        var store = new SqliteConfigStore(await Engines.SqliteAsync(_folder, new FakeTimeProvider(T0)), changes);
        var configs = new TriggerConfigs(store, changes, _box, new StorageOptions { Provider = StorageProvider.Sqlite }, new ConfigsOptions { TriggerCacheSize = 2 });
        var org = new OrganizationId("org-1");
        foreach (var id in new[] { "cfg1", "cfg2", "cfg3" })
        {
            await store.InsertAsync(Record("https://one.example/hook") with { Id = new ConfigId(id) }, int.MaxValue, Ct);
        }

        await configs.GetAsync(org, new ConfigId("cfg1"), Ct);
        await configs.GetAsync(org, new ConfigId("cfg2"), Ct);
        Assert.Equal(2, configs.Cached);
        var third = await configs.GetAsync(org, new ConfigId("cfg3"), Ct);

        Assert.Equal(1, configs.Cached);
        Assert.Equal(new ConfigId("cfg3"), third!.Id);
    }

    [Fact]
    public async Task While_a_write_is_under_way_its_commit_reaches_the_next_read_before_the_write_has_ended()
    {
        // A write that has committed but not yet ended (a disabling whose transaction ran through the group commit):
        // whoever has seen its effect and triggers next must get the config as written, not the one read before.
        var changes = new ConfigChanges();
        var database = await Engines.SqliteAsync(_folder, new FakeTimeProvider(T0));
        var store = new SqliteConfigStore(database, changes);
        await store.InsertAsync(Record("https://one.example/hook"), int.MaxValue, Ct);
        var configs = new TriggerConfigs(store, changes, _box, new StorageOptions { Provider = StorageProvider.Sqlite });
        var (org, id) = (new OrganizationId("org-1"), new ConfigId("cfg1"));
        Assert.Equal("https://one.example/hook", (await configs.GetAsync(org, id, Ct))!.Document.Url);

        var writing = changes.Writing();
        await using (var connection = await database.OpenAsync(Ct))
        {
            await using var command = connection.CreateCommand();
            command.CommandText = "UPDATE webhook_configs SET document = json_set(document, '$.url', 'https://two.example/hook')";
            Assert.Equal(1, await command.ExecuteNonQueryAsync(Ct));
        }
        Assert.Null(changes.Stable());
        Assert.Equal("https://two.example/hook", (await configs.GetAsync(org, id, Ct))!.Document.Url);

        writing.Dispose();
        var after = await configs.GetAsync(org, id, Ct);
        Assert.Equal("https://two.example/hook", after!.Document.Url);
        // Once no write is under way, a read is kept again.
        Assert.Same(after, await configs.GetAsync(org, id, Ct));
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

/// <summary>
/// The configs triggers read on PostgreSQL, where other nodes write configs: each node keeps the record it read last
/// and every trigger asks the database whether the row is still that version, so a write on any node reaches the next
/// trigger on every other node.
/// </summary>
public sealed class PostgresTriggerConfigsTests(PostgresServer server)
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 2, 3, 4, 5, 678, TimeSpan.Zero);
    private static readonly OrganizationId Org = new("org-1");
    private static readonly ConfigId Cfg = new("cfg1");

    private readonly ConfigSecretsBox _box = new(new SecretBox(Enumerable.Range(0, 32).Select(i => (byte)i).ToArray()));

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private ConfigRecord Record(string url, long version = 1) => new(
        Org, Cfg, version, T0, T0,
        new WebhookConfig { Id = "cfg1", Name = "config", EventName = "order_created", Url = url, Enabled = true, Auth = new Auth { AuthType = "NONE" } },
        _box.Seal(Org, Cfg, new ConfigSecrets("whsec_secret", null, null, null)));

    /// <summary>Two nodes' stores on one database: node A writes, node B's triggers read.</summary>
    private async Task<(PostgresConfigStore NodeA, TriggerConfigs NodeB)> ArrangeAsync()
    {
        var options = new StorageOptions { Provider = StorageProvider.Postgres, ConnectionString = await server.CreateDatabaseAsync() };
        var a = new PostgresDatabase(options, new FakeTimeProvider(T0));
        await a.MigrateAsync(Ct);
        var b = new PostgresDatabase(options, new FakeTimeProvider(T0));
        var nodeA = new PostgresConfigStore(a);
        await nodeA.InsertAsync(Record("https://one.example/hook"), int.MaxValue, Ct);
        return (nodeA, new TriggerConfigs(new PostgresConfigStore(b), new ConfigChanges(), _box, options));
    }

    [Fact]
    public async Task An_unchanged_config_is_the_record_read_before_with_its_secrets_opened_once()
    {
        var (_, nodeB) = await ArrangeAsync();

        var first = await nodeB.GetAsync(Org, Cfg, Ct);
        var again = await nodeB.GetAsync(Org, Cfg, Ct);

        Assert.Same(first, again);
        Assert.Same(nodeB.SecretsOf(first!), nodeB.SecretsOf(again!));
    }

    [Fact]
    public async Task Every_write_on_another_node_reaches_the_next_read()
    {
        var (nodeA, nodeB) = await ArrangeAsync();
        Assert.Equal("https://one.example/hook", (await nodeB.GetAsync(Org, Cfg, Ct))!.Document.Url);

        Assert.True(await nodeA.UpdateAsync(Record("https://two.example/hook", version: 2), 1, Ct));
        Assert.Equal("https://two.example/hook", (await nodeB.GetAsync(Org, Cfg, Ct))!.Document.Url);

        // A backfill keeps the version: the row's own version tells the change.
        Assert.True(await nodeA.BackfillEventVersionAsync(Org, Cfg, "2.0", Ct));
        Assert.Equal("2.0", (await nodeB.GetAsync(Org, Cfg, Ct))!.Document.EventVersion);

        Assert.True(await nodeA.DeleteAsync(Org, Cfg, Ct));
        Assert.Null(await nodeB.GetAsync(Org, Cfg, Ct));

        // Made again under the same id and version: a new row.
        await nodeA.InsertAsync(Record("https://three.example/hook"), int.MaxValue, Ct);
        Assert.Equal("https://three.example/hook", (await nodeB.GetAsync(Org, Cfg, Ct))!.Document.Url);
    }

    /// <summary>The settings of Herald nodes sharing one fresh database.</summary>
    private async Task<Dictionary<string, string?>> TwoNodesAsync() => new()
    {
        ["Storage:Provider"] = "Postgres", ["Storage:ConnectionString"] = await server.CreateDatabaseAsync(), ["Delivery:AllowPrivateNetworks"] = "true",
    };

    [Fact]
    public async Task A_node_delivers_with_the_config_another_node_just_wrote_and_refuses_one_it_deleted()
    {
        var settings = await TwoNodesAsync();
        await using var first = await Receiver.StartAsync();
        await using var second = await Receiver.StartAsync();
        using var appA = new HeraldApp(settings);
        using var appB = new HeraldApp(settings);
        using var nodeA = appA.Client();
        using var nodeB = appB.Client();
        var (configId, _) = await nodeA.CreateConfigAsync(new Uri(first.Url, "/hook"));

        Assert.Equal("succeeded", (await nodeB.TriggerAsync(configId, sync: true))["status"]!.GetValue<string>());
        Assert.Single(first.Received);

        var moveTo = new Uri(second.Url, "/moved");
        var update = await nodeA.PutJsonAsync($"/v1/webhooks/configs/{configId}", "{\"name\":\"Moved receiver\",\"eventName\":\"order_created\",\"url\":\"" + moveTo
            + "\",\"auth\":{\"authType\":\"BASIC\",\"basicAuthConfig\":{\"username\":\"erp\",\"password\":\"second-password\"}}}");
        Assert.Equal(System.Net.HttpStatusCode.OK, update.StatusCode);
        Assert.Equal("succeeded", (await nodeB.TriggerAsync(configId, sync: true))["status"]!.GetValue<string>());

        Assert.Single(first.Received);
        var moved = Assert.Single(second.Received);
        Assert.Equal("/moved", moved.Path);
        Assert.Equal("Basic " + Convert.ToBase64String("erp:second-password"u8.ToArray()), moved.Header("authorization"));
        // Node B had filled the payload under the name it knew before it learnt of the change: filled again under the new one.
        Assert.Equal("Moved receiver", System.Text.Json.Nodes.JsonNode.Parse(moved.Text)!["metadata"]!["webhook_name"]!.GetValue<string>());

        Assert.Equal(System.Net.HttpStatusCode.NoContent, (await nodeA.DeleteAsync($"/v1/webhooks/configs/{configId}", Ct)).StatusCode);
        var refused = await nodeB.PostJsonAsync($"/v1/webhooks/configs/{configId}/trigger", """{"metadata":{},"entity":{"_id":"e-1"}}""");
        Assert.Equal(System.Net.HttpStatusCode.NotFound, refused.StatusCode);
        Assert.Single(second.Received);
    }

    /// <summary>
    /// A node triggers with the config record it read before, unread, and its event's transaction checks that the row
    /// is still that version: a config another node disabled is refused on the first trigger after, and one it enabled
    /// again is taken, though the node last saw it disabled.
    /// </summary>
    [Fact]
    public async Task A_node_refuses_a_config_another_node_disabled_and_takes_it_once_enabled_again()
    {
        var settings = await TwoNodesAsync();
        await using var receiver = await Receiver.StartAsync();
        using var appA = new HeraldApp(settings);
        using var appB = new HeraldApp(settings);
        using var nodeA = appA.Client();
        using var nodeB = appB.Client();
        var url = new Uri(receiver.Url, "/hook");
        var (configId, _) = await nodeA.CreateConfigAsync(url);
        string Body(bool enabled) => $$"""{"name":"Receiver","eventName":"order_created","url":"{{url}}","enabled":{{(enabled ? "true" : "false")}}}""";

        var first = await nodeB.PostJsonAsync($"/v1/webhooks/configs/{configId}/trigger", """{"metadata":{},"entity":{"_id":"e-1"}}""");
        Assert.Equal(System.Net.HttpStatusCode.OK, first.StatusCode);
        await receiver.WaitForAsync(1);

        Assert.Equal(System.Net.HttpStatusCode.OK, (await nodeA.PutJsonAsync($"/v1/webhooks/configs/{configId}", Body(enabled: false))).StatusCode);
        var refused = await nodeB.PostJsonAsync($"/v1/webhooks/configs/{configId}/trigger", """{"metadata":{},"entity":{"_id":"e-2"}}""");
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("disabled", await refused.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);

        Assert.Equal(System.Net.HttpStatusCode.OK, (await nodeA.PutJsonAsync($"/v1/webhooks/configs/{configId}", Body(enabled: true))).StatusCode);
        Assert.Equal("succeeded", (await nodeB.TriggerAsync(configId, sync: true))["status"]!.GetValue<string>());

        Assert.Equal(2, receiver.Received.Count);
        Assert.DoesNotContain(receiver.Received, r => r.Text.Contains("\"_id\":\"e-2\"", StringComparison.Ordinal));
    }

    /// <summary>
    /// A trigger whose config changes while its event is written starts over with the config read again, three rounds
    /// at most: a config that changes in every round gets 409 naming the config, and nothing is written or delivered.
    /// Here a database trigger changes the config within each round's own transaction (when the trigger's idempotency
    /// key is claimed, before the config's version is checked), and the change is undone with the round.
    /// </summary>
    [Fact]
    public async Task A_trigger_whose_config_changes_in_every_round_gives_up_after_three_with_409_and_writes_nothing()
    {
        var settings = await TwoNodesAsync();
        await using var receiver = await Receiver.StartAsync();
        using var app = new HeraldApp(settings);
        using var client = app.Client();
        var (configId, _) = await client.CreateConfigAsync(new Uri(receiver.Url, "/hook"));
        // The node reads the config for a trigger, and keeps the record with the row version it was read at.
        Assert.Equal("succeeded", (await client.TriggerAsync(configId, sync: true))["status"]!.GetValue<string>());
        await using (var connection = new Npgsql.NpgsqlConnection(settings["Storage:ConnectionString"]))
        {
            await connection.OpenAsync(Ct);
            await using var create = new Npgsql.NpgsqlCommand("""
                CREATE SEQUENCE rounds;
                CREATE FUNCTION change_config() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    -- A sequence is not rolled back: it counts the rounds.
                    PERFORM nextval('rounds');
                    UPDATE webhook_configs SET version = version + 1;
                    RETURN NULL;
                END $$;
                CREATE TRIGGER change_config AFTER INSERT ON idempotency_keys FOR EACH ROW EXECUTE FUNCTION change_config();
                """, connection);
            await create.ExecuteNonQueryAsync(Ct);
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, $"/v1/webhooks/configs/{configId}/trigger")
        {
            Content = new StringContent("""{"metadata":{},"entity":{"_id":"e-2"}}""", System.Text.Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("Idempotency-Key", "key-1");
        using var refused = await client.SendAsync(request, Ct);

        Assert.Equal(System.Net.HttpStatusCode.Conflict, refused.StatusCode);
        var message = (await refused.ReadAsync())["message"]!.GetValue<string>();
        Assert.Contains($"Webhook config {configId} changed 3 times", message, StringComparison.Ordinal);
        Assert.Contains("retry the trigger", message, StringComparison.Ordinal);
        Assert.Equal(3L, Convert.ToInt64(await app.ScalarAsync("SELECT last_value FROM rounds"), System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(1L, Convert.ToInt64(await app.ScalarAsync("SELECT COUNT(*) FROM webhook_events"), System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(0L, Convert.ToInt64(await app.ScalarAsync("SELECT COUNT(*) FROM delivery_jobs"), System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(0L, Convert.ToInt64(await app.ScalarAsync("SELECT COUNT(*) FROM idempotency_keys"), System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(1L, Convert.ToInt64(await app.ScalarAsync($"SELECT version FROM webhook_configs WHERE id = '{configId}'"), System.Globalization.CultureInfo.InvariantCulture));
        Assert.Single(receiver.Received);
    }
}
