using Herald.Server.Delivery;
using Herald.Server.Events;
using Herald.Server.Http;
using Herald.Server.Idempotency;
using Herald.Server.Storage.Postgres;
using Herald.Server.Storage.Sqlite;
using Herald.Server.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace Herald.Server.Tests.Idempotency;

/// <summary>What every <see cref="IIdempotencyStore"/>, with its delivery store's <c>EnqueueOnceAsync</c>, must do; run once per engine.</summary>
public abstract class IdempotencyStoreContract
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 2, 3, 4, 5, TimeSpan.Zero);

    protected FakeTimeProvider Clock { get; } = new(T0);

    protected abstract Task<(IIdempotencyStore Answers, TestQueue Deliveries, IEventStore Events)> StoresAsync();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static NewDelivery Delivery(string org = "org-1")
    {
        var eventId = Guid.CreateVersion7(T0).ToString();
        return new NewDelivery(
            new EventRecord
            {
                EventId = eventId, OrgId = new OrganizationId(org), ConfigId = new ConfigId("cfg-1"), EventName = "order_created", CreatedAt = T0, Status = EventStatus.InProgress,
                HttpMethod = "POST", Url = "https://example.com", Input = "{}",
            },
            TestQueue.Job(eventId, new OrganizationId(org), new ConfigId("cfg-1"), T0));
    }

    private static IdempotencyClaim Claim(string key, DateTimeOffset at, string body = "{\"n\":1}", string org = "org-1", string scope = "events", bool completed = true) =>
        new(new OrganizationId(org), scope, key, at, 202, body, completed);

    [Fact]
    public async Task The_first_claim_commits_its_events_and_a_repeat_gets_its_answer_and_writes_nothing()
    {
        var (answers, deliveries, events) = await StoresAsync();
        var first = Delivery();
        var second = Delivery();

        var (jobIds, none) = await deliveries.EnqueueOnceAsync([first], Claim("k", T0, "{\"first\":true}"), Ct);
        var (noJobs, earlier) = await deliveries.EnqueueOnceAsync([second], Claim("k", T0.AddMinutes(1), "{\"second\":true}"), Ct);

        Assert.Single(jobIds!);
        Assert.Null(none);
        Assert.Null(noJobs);
        Assert.Equal(new StoredAnswer(T0, 202, "{\"first\":true}", true), earlier);
        Assert.NotNull(await events.GetAsync(new OrganizationId("org-1"), first.Event.EventId, Ct));
        Assert.Null(await events.GetAsync(new OrganizationId("org-1"), second.Event.EventId, Ct));
        Assert.Equal(earlier, await answers.FindAsync(new OrganizationId("org-1"), "events", "k", T0.AddMinutes(2), Ct));
    }

    [Fact]
    public async Task Keys_belong_to_one_organization_and_one_scope()
    {
        var (answers, deliveries, _) = await StoresAsync();

        var results = new[]
        {
            await deliveries.EnqueueOnceAsync([Delivery()], Claim("k", T0, org: "org-1", scope: "events"), Ct),
            await deliveries.EnqueueOnceAsync([Delivery("org-2")], Claim("k", T0, org: "org-2", scope: "events"), Ct),
            await deliveries.EnqueueOnceAsync([Delivery()], Claim("k", T0, org: "org-1", scope: "trigger:cfg-1"), Ct),
        };

        Assert.All(results, r => Assert.Null(r.Earlier));
        Assert.Null(await answers.FindAsync(new OrganizationId("org-3"), "events", "k", T0, Ct));
    }

    [Fact]
    public async Task A_key_is_free_again_24_hours_after_its_first_use()
    {
        var (answers, deliveries, events) = await StoresAsync();
        await deliveries.EnqueueOnceAsync([Delivery()], Claim("k", T0, "{\"old\":1}"), Ct);

        var later = Delivery();
        var (jobIds, earlier) = await deliveries.EnqueueOnceAsync([later], Claim("k", T0.AddHours(24), "{\"new\":1}"), Ct);

        Assert.Null(earlier);
        Assert.Single(jobIds!);
        Assert.NotNull(await events.GetAsync(new OrganizationId("org-1"), later.Event.EventId, Ct));
        Assert.Equal("{\"new\":1}", (await answers.FindAsync(new OrganizationId("org-1"), "events", "k", T0.AddHours(25), Ct))!.Body);
        Assert.Null(await answers.FindAsync(new OrganizationId("org-1"), "events", "k", T0.AddHours(48), Ct));
    }

    [Fact]
    public async Task Claims_without_events_are_remembered_too()
    {
        var (answers, deliveries, _) = await StoresAsync();

        var (jobIds, _) = await deliveries.EnqueueOnceAsync([], Claim("k", T0, "{\"event_ids\":[]}"), Ct);

        Assert.Empty(jobIds!);
        Assert.Equal("{\"event_ids\":[]}", (await answers.FindAsync(new OrganizationId("org-1"), "events", "k", T0, Ct))!.Body);
    }

    [Fact]
    public async Task The_final_answer_replaces_the_provisional_one_only_while_the_claim_holds()
    {
        var (answers, deliveries, _) = await StoresAsync();
        var claim = Claim("k", T0, "{\"event_id\":\"a\"}", completed: false);
        await deliveries.EnqueueOnceAsync([Delivery()], claim, Ct);

        Assert.False((await answers.FindAsync(new OrganizationId("org-1"), "events", "k", T0, Ct))!.Completed);
        await answers.CompleteAsync(claim, 200, "{\"event_id\":\"a\",\"status\":\"succeeded\"}", Ct);
        await answers.CompleteAsync(claim, 200, "{\"event_id\":\"a\",\"status\":\"overwritten\"}", Ct);

        Assert.Equal(new StoredAnswer(T0, 200, "{\"event_id\":\"a\",\"status\":\"succeeded\"}", true), await answers.FindAsync(new OrganizationId("org-1"), "events", "k", T0, Ct));
    }

    [Fact]
    public async Task A_late_completion_does_not_overwrite_a_newer_claim()
    {
        var (answers, deliveries, _) = await StoresAsync();
        var stale = Claim("k", T0, "{\"event_id\":\"a\"}", completed: false);
        await deliveries.EnqueueOnceAsync([Delivery()], stale, Ct);
        await deliveries.EnqueueOnceAsync([Delivery()], Claim("k", T0.AddHours(24), "{\"event_id\":\"b\"}", completed: false), Ct);

        await answers.CompleteAsync(stale, 200, "{\"late\":true}", Ct);

        Assert.Equal("{\"event_id\":\"b\"}", (await answers.FindAsync(new OrganizationId("org-1"), "events", "k", T0.AddHours(24), Ct))!.Body);
    }

    [Fact]
    public async Task Concurrent_claims_of_one_key_commit_one_set_of_events()
    {
        var (answers, deliveries, events) = await StoresAsync();
        var attempts = Enumerable.Range(0, 8).Select(i => (Delivery: Delivery(), Claim: Claim("k", T0, $"{{\"n\":{i}}}"))).ToList();

        var results = await Task.WhenAll(attempts.Select(a => Task.Run(() => deliveries.EnqueueOnceAsync([a.Delivery], a.Claim, Ct))));

        var winners = results.Count(r => r.JobIds is not null);
        Assert.Equal(1, winners);
        var answer = await answers.FindAsync(new OrganizationId("org-1"), "events", "k", T0, Ct);
        Assert.All(results.Where(r => r.Earlier is not null), r => Assert.Equal(answer, r.Earlier));
        var written = 0;
        foreach (var attempt in attempts)
        {
            written += await events.GetAsync(new OrganizationId("org-1"), attempt.Delivery.Event.EventId, Ct) is null ? 0 : 1;
        }
        Assert.Equal(1, written);
    }

    [Fact]
    public async Task Purging_deletes_the_keys_created_at_or_before_the_cutoff()
    {
        var (answers, deliveries, _) = await StoresAsync();
        await deliveries.EnqueueOnceAsync([], Claim("old", T0), Ct);
        await deliveries.EnqueueOnceAsync([], Claim("edge", T0.AddHours(1)), Ct);
        await deliveries.EnqueueOnceAsync([], Claim("new", T0.AddHours(2)), Ct);

        var purged = await answers.PurgeAsync(T0.AddHours(1), Ct);

        Assert.Equal(2, purged);
        Assert.Null(await answers.FindAsync(new OrganizationId("org-1"), "events", "old", T0, Ct));
        Assert.Null(await answers.FindAsync(new OrganizationId("org-1"), "events", "edge", T0, Ct));
        Assert.NotNull(await answers.FindAsync(new OrganizationId("org-1"), "events", "new", T0, Ct));
    }
}

public sealed class SqliteIdempotencyStoreTests : IdempotencyStoreContract, IDisposable
{
    private readonly TempDirectory _folder = new();

    protected override async Task<(IIdempotencyStore, TestQueue, IEventStore)> StoresAsync()
    {
        SqliteDatabase database = await Engines.SqliteAsync(_folder, Clock);
        return (new SqliteIdempotencyStore(database), TestQueue.Sqlite(database), new SqliteEventStore(database));
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _folder.Dispose();
    }
}

public sealed class PostgresIdempotencyStoreTests(PostgresServer server) : IdempotencyStoreContract
{
    protected override async Task<(IIdempotencyStore, TestQueue, IEventStore)> StoresAsync()
    {
        PostgresDatabase database = await Engines.PostgresAsync(server, Clock);
        return (new PostgresIdempotencyStore(database), TestQueue.Postgres(database), new PostgresEventStore(database));
    }
}
