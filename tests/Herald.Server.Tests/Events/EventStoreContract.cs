using Herald.Server.Delivery;
using Herald.Server.Events;
using Herald.Server.Http;
using Herald.Server.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace Herald.Server.Tests.Events;

/// <summary>What every <see cref="IEventStore"/> must do, run once per engine. Events are written as in production: with their job, then completed.</summary>
public abstract class EventStoreContract
{
    protected static readonly DateTimeOffset T0 = new(2026, 1, 2, 3, 4, 5, 678, TimeSpan.Zero);

    protected FakeTimeProvider Clock { get; } = new(T0);

    protected abstract Task<(IEventStore Events, TestQueue Queue)> StoresAsync();

    /// <summary>The plan the engine chooses for the list query, as its EXPLAIN prints it.</summary>
    protected abstract Task<string> ExplainListAsync(string orgId, string configId, EventQuery query);

    /// <summary>The time of the first seeded event; event i (from 0) has id <c>ev-{i:D7}</c>, is created i seconds later,
    /// belongs to <c>cfg-{i % configs}</c> of <c>org-{(i / configs) % 3}</c>, and has failed when i % 7 is 1 (succeeded otherwise).</summary>
    protected static readonly DateTimeOffset Seeded = new(2026, 1, 2, 3, 4, 5, TimeSpan.Zero);

    /// <summary>Writes <paramref name="count"/> finished events straight into the table (see <see cref="Seeded"/>).</summary>
    protected abstract Task SeedAsync(int count, int configs);

    /// <summary>Makes the engine's planner see realistic table statistics (a no-op where there are none to gather).</summary>
    protected abstract Task AnalyzeAsync();

    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    internal static EventRecord Event(string id, string org, string config, DateTimeOffset created, string input = """{"metadata":{}}""") =>
        new()
        {
            EventId = WebhookEventId.From(id), OrgId = new OrganizationId(org), ConfigId = new ConfigId(config), EventName = "order_created", CreatedAt = created, Status = EventStatus.InProgress,
            HttpMethod = "POST", Url = "https://receiver.example/hook", Metadata = "{}", Input = input,
        };

    /// <summary>Enqueues the events, then completes each job with the given status (or leaves it queued when null).</summary>
    protected static async Task WriteAsync(TestQueue queue, IReadOnlyList<(EventRecord Event, EventStatus? FinalStatus)> events)
    {
        var deliveries = events.Select(e => new NewDelivery(e.Event, TestQueue.Job(e.Event.EventId.Value, e.Event.OrgId, e.Event.ConfigId, T0))).ToList();
        var jobIds = await queue.EnqueueAsync(deliveries, Ct);
        var completions = new List<JobCompletion>();
        for (var i = 0; i < events.Count; i++)
        {
            if (events[i].FinalStatus is not { } status)
            {
                continue;
            }
            var job = deliveries[i].Job with { JobId = jobIds[i], LeaseOwner = "test" };
            var attempt = TestQueue.Attempt(job.EventId.Value, job.OrgId, 1, JobKind.Deliver, events[i].Event.CreatedAt, 12, 200, null, null, "{}", false);
            completions.Add(TestQueue.Completion(job, "test", status, 0, "{}", """{"status_code":200}""", events[i].Event.CreatedAt, events[i].Event.CreatedAt, attempt, null));
        }
        if (completions.Count > 0)
        {
            await queue.ClaimDueAsync("test", T0.AddYears(1), T0.AddYears(2), completions.Count + 100, Ct);
            Assert.All(await queue.CompleteAsync(completions, Ct), Assert.True);
        }
    }

    private static string Id(int i) => $"0000-{i:D5}";

    [Fact]
    public async Task A_config_list_is_newest_first_with_ties_broken_by_event_id_descending()
    {
        var (events, queue) = await StoresAsync();
        await WriteAsync(queue, [
            (Event("b", "org-1", "cfg", T0), EventStatus.Succeeded),
            (Event("a", "org-1", "cfg", T0.AddSeconds(1)), EventStatus.Succeeded),
            (Event("c", "org-1", "cfg", T0), EventStatus.Failed),
            (Event("d", "org-1", "other", T0.AddSeconds(2)), EventStatus.Succeeded),
            (Event("e", "org-2", "cfg", T0.AddSeconds(2)), EventStatus.Succeeded),
        ]);

        var listed = await events.ListAsync(new OrganizationId("org-1"), new ConfigId("cfg"), new EventQuery(10), Ct);

        Assert.Equal(["a", "c", "b"], listed.Select(e => e.EventId.Value));
        Assert.Equal(T0.AddSeconds(1), listed[0].CreatedAt);
        Assert.Equal(EventStatus.Succeeded, listed[0].Status);
        Assert.Equal("{}", listed[0].Payload);
    }

    [Fact]
    public async Task Walking_by_cursor_visits_every_event_once_in_order_across_equal_timestamps()
    {
        var (events, queue) = await StoresAsync();
        // 23 events over 5 distinct times: many share a timestamp, so the tie-break carries the walk.
        var written = Enumerable.Range(0, 23).Select(i => Event(Id(i * 7919 % 23), "org-1", "cfg", T0.AddMilliseconds(i % 5))).ToList();
        await WriteAsync(queue, written.Select(e => (e, (EventStatus?)EventStatus.Succeeded)).ToList());
        var expected = written.OrderByDescending(e => e.CreatedAt).ThenByDescending(e => e.EventId.Value, StringComparer.Ordinal).Select(e => e.EventId.Value).ToList();

        var seen = new List<string>();
        EventCursor? after = null;
        do
        {
            var page = EventPage.From(await events.ListAsync(new OrganizationId("org-1"), new ConfigId("cfg"), EventPage.Probe(new EventQuery(4, after)), Ct), 4);
            seen.AddRange(page.Items.Select(e => e.EventId.Value));
            after = page.Next;
        }
        while (after is not null);

        Assert.Equal(expected, seen);
    }

    [Fact]
    public async Task Each_filter_narrows_the_list_and_they_combine()
    {
        var (events, queue) = await StoresAsync();
        await WriteAsync(queue, [
            (Event("e1", "org-1", "cfg", T0), EventStatus.Succeeded),
            (Event("e2", "org-1", "cfg", T0.AddHours(1)), EventStatus.Failed),
            (Event("e3", "org-1", "cfg", T0.AddHours(2)), EventStatus.Skipped),
            (Event("e4", "org-1", "cfg", T0.AddHours(3)), EventStatus.Succeeded),
            (Event("e5", "org-1", "cfg", T0.AddHours(4)), null),
        ]);

        async Task<string[]> List(EventQuery query) => (await events.ListAsync(new OrganizationId("org-1"), new ConfigId("cfg"), query, Ct)).Select(e => e.EventId.Value).ToArray();

        Assert.Equal(["e4", "e1"], await List(new EventQuery(10, Status: EventStatus.Succeeded)));
        Assert.Equal(["e5"], await List(new EventQuery(10, Status: EventStatus.InProgress)));
        Assert.Equal(["e4", "e3", "e2"], await List(new EventQuery(10, From: T0.AddHours(1), To: T0.AddHours(3))));
        Assert.Equal(["e5", "e4"], await List(new EventQuery(10, From: T0.AddHours(3))));
        Assert.Equal(["e2", "e1"], await List(new EventQuery(10, To: T0.AddHours(1))));
        Assert.Equal(["e4"], await List(new EventQuery(10, From: T0.AddHours(1), To: T0.AddHours(3), Status: EventStatus.Succeeded)));
        Assert.Equal(["e2"], await List(new EventQuery(10, EventId: "e2")));
        Assert.Empty(await List(new EventQuery(10, EventId: "e2", Status: EventStatus.Succeeded)));
        Assert.Equal(["e3"], await List(new EventQuery(10, new EventCursor(T0.AddHours(3), "e4"), Status: EventStatus.Skipped)));
        Assert.Equal(["e1"], await List(new EventQuery(10, new EventCursor(T0.AddHours(1), "e2"), To: T0.AddHours(2))));
        Assert.Equal(["e5", "e4"], await List(new EventQuery(2)));
        Assert.Empty(await List(new EventQuery(10, EventId: "e2", From: T0.AddHours(2))));
    }

    [Fact]
    public async Task Keys_of_one_status_in_a_window_come_oldest_first_page_by_page_and_count_alike()
    {
        var (events, queue) = await StoresAsync();
        await WriteAsync(queue, [
            (Event("b", "org-1", "cfg", T0.AddSeconds(1)), EventStatus.Failed),
            (Event("a", "org-1", "cfg", T0.AddSeconds(1)), EventStatus.Failed),
            (Event("c", "org-1", "cfg", T0), EventStatus.Failed),
            (Event("d", "org-1", "cfg", T0.AddSeconds(2)), EventStatus.Succeeded),
            (Event("e", "org-1", "cfg", T0.AddSeconds(3)), EventStatus.Failed),
            (Event("f", "org-1", "cfg", T0.AddSeconds(4)), EventStatus.Failed),
            (Event("g", "org-1", "other", T0.AddSeconds(2)), EventStatus.Failed),
            (Event("h", "org-2", "cfg", T0.AddSeconds(2)), EventStatus.Failed),
            (Event("i", "org-1", "cfg", T0.AddSeconds(2)), null),
        ]);
        var (org, cfg) = (new OrganizationId("org-1"), new ConfigId("cfg"));
        var (from, to) = (T0, T0.AddSeconds(3));

        var first = await events.KeysOldestFirstAsync(org, cfg, EventStatus.Failed, from, to, null, 2, Ct);
        var second = await events.KeysOldestFirstAsync(org, cfg, EventStatus.Failed, from, to, first[^1], 2, Ct);
        var last = await events.KeysOldestFirstAsync(org, cfg, EventStatus.Failed, from, to, second[^1], 2, Ct);

        Assert.Equal(["c", "a"], first.Select(k => k.EventId));
        Assert.Equal(["b", "e"], second.Select(k => k.EventId));
        Assert.Empty(last);
        Assert.Equal(T0.AddSeconds(1), first[1].CreatedAt);
        Assert.Equal(4, await events.CountAsync(org, cfg, EventStatus.Failed, from, to, Ct));
        Assert.Equal(1, await events.CountAsync(org, cfg, EventStatus.InProgress, from, to, Ct));
        Assert.Equal(0, await events.CountAsync(new OrganizationId("org-3"), cfg, EventStatus.Failed, from, to, Ct));
    }

    [Fact]
    public async Task Another_organization_sees_nothing_of_a_config_with_the_same_id()
    {
        var (events, queue) = await StoresAsync();
        await WriteAsync(queue, [(Event("e1", "org-1", "cfg", T0), EventStatus.Succeeded)]);

        Assert.Empty(await events.ListAsync(new OrganizationId("org-2"), new ConfigId("cfg"), new EventQuery(10), Ct));
        Assert.Empty(await events.ListAsync(new OrganizationId("org-2"), new ConfigId("cfg"), new EventQuery(10, EventId: "e1"), Ct));
        Assert.Null(await events.GetAsync(new OrganizationId("org-2"), WebhookEventId.From("e1"), Ct));
        Assert.Empty(await events.AttemptsAsync(new OrganizationId("org-2"), WebhookEventId.From("e1"), Ct));
        Assert.Single(await events.AttemptsAsync(new OrganizationId("org-1"), WebhookEventId.From("e1"), Ct));
    }

    [Fact]
    public async Task Attempts_read_back_whole_and_oldest_first()
    {
        var (events, queue) = await StoresAsync();
        var e = Event("e1", "org-1", "cfg", T0);
        var ids = await queue.EnqueueAsync([new NewDelivery(e, TestQueue.Job("e1", new OrganizationId("org-1"), new ConfigId("cfg"), T0))], Ct);
        var job = (await queue.ClaimDueAsync("w", T0, T0.AddMinutes(1), 1, Ct)).Single();
        var first = TestQueue.Attempt("e1", new OrganizationId("org-1"), 1, JobKind.Deliver, T0, 30_001, null, DeliveryCode.InternalError, "timed out", null, false);
        await queue.CompleteAsync([TestQueue.Completion(job, "w", EventStatus.InProgress, 0, "{}", "{}", T0, null, first, T0.AddSeconds(5))], Ct);
        var again = (await queue.ClaimDueAsync("w2", T0.AddSeconds(5), T0.AddMinutes(2), 1, Ct)).Single();
        var second = TestQueue.Attempt("e1", new OrganizationId("org-1"), 2, JobKind.Deliver, T0.AddSeconds(5), 40, 503, null, null, """{"busy":true}""", true);
        await queue.CompleteAsync([TestQueue.Completion(again, "w2", EventStatus.Failed, 1, "{}", "{}", T0, T0.AddSeconds(5), second, null)], Ct);

        var attempts = await events.AttemptsAsync(new OrganizationId("org-1"), WebhookEventId.From("e1"), Ct);

        Assert.Equal(ids[0], job.JobId);
        Assert.Equal([first, second], attempts);
    }

    [Fact]
    public async Task The_list_query_reads_the_page_index_for_every_filter_combination()
    {
        // A log shaped like production: 60,000 events appended over time, interleaved across 360 configs of three
        // organizations, so that one config's events are a thin slice of the table.
        await StoresAsync();
        await SeedAsync(60_000, configs: 120);
        await AnalyzeAsync();

        var cursor = new EventCursor(Seeded.AddSeconds(30_001), "ev-0030001");
        EventQuery[] queries =
        [
            new(26),
            new(26, cursor),
            new(26, From: Seeded.AddSeconds(10_000)),
            new(26, To: Seeded.AddSeconds(50_000)),
            new(26, From: Seeded.AddSeconds(10_000), To: Seeded.AddSeconds(50_000)),
            new(26, Status: EventStatus.Failed),
            new(26, cursor, Seeded.AddSeconds(10_000), Seeded.AddSeconds(50_000), EventStatus.Failed),
        ];
        foreach (var query in queries)
        {
            var plan = await ExplainListAsync("org-1", "cfg-1", query);
            Assert.True(plan.Contains("ix_webhook_events_page", StringComparison.Ordinal), $"{query} planned without the page index:\n{plan}");
            // No sort step: the index delivers the rows in list order (SQLite would say "USE TEMP B-TREE FOR ORDER BY").
            // With a selective status filter a planner may rightly read the config's whole slice of the index and
            // sort the few matches instead, which is cheaper than walking it in order.
            var sorts = plan.Contains("Sort", StringComparison.Ordinal) || plan.Contains("TEMP B-TREE", StringComparison.Ordinal);
            Assert.False(sorts && query.Status is null, $"{query} sorts:\n{plan}");
        }

        // An exact event id is a primary-key lookup, cheaper still than the page index.
        var byId = await ExplainListAsync("org-1", "cfg-1", new EventQuery(26, EventId: "ev-0000121"));
        Assert.DoesNotContain("SCAN webhook_events", byId, StringComparison.Ordinal);
        Assert.DoesNotContain("Seq Scan", byId, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Purging_removes_old_events_with_their_attempts_oldest_first_in_bounded_batches_and_keeps_queued_ones()
    {
        var (events, queue) = await StoresAsync();
        var cutoff = T0.AddDays(28);
        await WriteAsync(queue, [
            (Event("old-1", "org-1", "cfg", T0), EventStatus.Succeeded),
            (Event("old-2", "org-1", "cfg", T0.AddSeconds(1)), EventStatus.Failed),
            (Event("old-3", "org-2", "cfg", T0.AddSeconds(2)), EventStatus.Succeeded),
            (Event("old-queued", "org-1", "cfg", T0.AddSeconds(3)), null),
            (Event("young", "org-1", "cfg", cutoff), EventStatus.Succeeded),
        ]);

        Assert.Equal(2, await events.PurgeEventsAsync(cutoff, 2, Ct));
        Assert.Null(await events.GetAsync(new OrganizationId("org-1"), WebhookEventId.From("old-1"), Ct));
        Assert.Null(await events.GetAsync(new OrganizationId("org-1"), WebhookEventId.From("old-2"), Ct));
        Assert.Empty(await events.AttemptsAsync(new OrganizationId("org-1"), WebhookEventId.From("old-1"), Ct));
        Assert.NotNull(await events.GetAsync(new OrganizationId("org-2"), WebhookEventId.From("old-3"), Ct));

        Assert.Equal(1, await events.PurgeEventsAsync(cutoff, 2, Ct));
        Assert.Equal(0, await events.PurgeEventsAsync(cutoff, 2, Ct));
        Assert.NotNull(await events.GetAsync(new OrganizationId("org-1"), WebhookEventId.From("old-queued"), Ct));
        Assert.NotNull(await events.GetAsync(new OrganizationId("org-1"), WebhookEventId.From("young"), Ct));
        Assert.Single(await events.AttemptsAsync(new OrganizationId("org-1"), WebhookEventId.From("young"), Ct));
    }

    [Fact]
    public async Task Purging_attempts_removes_old_tries_of_events_kept_for_their_job()
    {
        var (events, queue) = await StoresAsync();
        var e = Event("e1", "org-1", "cfg", T0);
        await queue.EnqueueAsync([new NewDelivery(e, TestQueue.Job("e1", new OrganizationId("org-1"), new ConfigId("cfg"), T0))], Ct);
        var job = (await queue.ClaimDueAsync("w", T0, T0.AddMinutes(1), 1, Ct)).Single();
        for (var i = 0; i < 3; i++)
        {
            var attempt = TestQueue.Attempt("e1", new OrganizationId("org-1"), i + 1, JobKind.Deliver, T0.AddDays(i * 20), 5, 500, null, null, null, false);
            await queue.CompleteAsync([TestQueue.Completion(job, "w", EventStatus.InProgress, i, null, null, T0, null, attempt, T0.AddDays(i * 20 + 1))], Ct);
            job = (await queue.ClaimDueAsync("w", T0.AddDays(i * 20 + 1), T0.AddDays(i * 20 + 2), 1, Ct)).Single();
        }

        Assert.Equal(0, await events.PurgeEventsAsync(T0.AddDays(50), 10, Ct));
        Assert.Equal(1, await events.PurgeAttemptsAsync(T0.AddDays(30), 1, Ct));
        Assert.Equal(1, await events.PurgeAttemptsAsync(T0.AddDays(30), 1, Ct));
        Assert.Equal(0, await events.PurgeAttemptsAsync(T0.AddDays(30), 1, Ct));
        Assert.Equal([T0.AddDays(40)], (await events.AttemptsAsync(new OrganizationId("org-1"), WebhookEventId.From("e1"), Ct)).Select(a => a.StartedAt));
    }
}

public sealed class SqliteEventStoreTests : EventStoreContract, IDisposable
{
    private readonly TempDirectory _folder = new();
    private Herald.Server.Storage.Sqlite.SqliteDatabase? _database;

    protected override async Task<(IEventStore, TestQueue)> StoresAsync()
    {
        _database = await Engines.SqliteAsync(_folder, Clock);
        return (new SqliteEventStore(_database), TestQueue.Sqlite(_database));
    }

    protected override Task<string> ExplainListAsync(string orgId, string configId, EventQuery query) =>
        new SqliteEventStore(_database!).ExplainListAsync(new OrganizationId(orgId), new ConfigId(configId), query, Ct);

    protected override async Task SeedAsync(int count, int configs)
    {
        await using var connection = await _database!.OpenAsync(Ct);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i + 1 < $count)
            INSERT INTO webhook_events (event_id, org_id, config_id, event_name, created_at, status, retry_attempt, http_method, url, metadata, input, payload, http_response)
            SELECT printf('ev-%07d', i), 'org-' || ((i / $configs) % 3), 'cfg-' || (i % $configs), 'order_created',
                   strftime('%Y-%m-%dT%H:%M:%S', '2026-01-02T03:04:05', '+' || i || ' seconds') || '.0000000Z',
                   CASE WHEN i % 7 = 1 THEN 'failed' ELSE 'succeeded' END, 0, 'POST', 'https://receiver.example/hook', '{}', '{}', '{}', '{"status_code":200}'
            FROM n
            """;
        command.Parameters.AddWithValue("$count", count);
        command.Parameters.AddWithValue("$configs", configs);
        await command.ExecuteNonQueryAsync(Ct);
    }

    protected override async Task AnalyzeAsync()
    {
        await using var connection = await _database!.OpenAsync(Ct);
        await using var command = connection.CreateCommand();
        command.CommandText = "ANALYZE";
        await command.ExecuteNonQueryAsync(Ct);
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _folder.Dispose();
    }
}

public sealed class PostgresEventStoreTests(PostgresServer server) : EventStoreContract
{
    private Herald.Server.Storage.Postgres.PostgresDatabase? _database;

    protected override async Task<(IEventStore, TestQueue)> StoresAsync()
    {
        _database = await Engines.PostgresAsync(server, Clock);
        return (new PostgresEventStore(_database), TestQueue.Postgres(_database));
    }

    protected override Task<string> ExplainListAsync(string orgId, string configId, EventQuery query) =>
        new PostgresEventStore(_database!).ExplainListAsync(new OrganizationId(orgId), new ConfigId(configId), query, Ct);

    protected override async Task SeedAsync(int count, int configs)
    {
        await using var command = _database!.DataSource.CreateCommand("""
            INSERT INTO webhook_events (event_id, org_id, config_id, event_name, created_at, status, retry_attempt, http_method, url, metadata, input, payload, http_response)
            SELECT 'ev-' || lpad(i::text, 7, '0'), 'org-' || ((i / $2) % 3), 'cfg-' || (i % $2), 'order_created',
                   timestamptz '2026-01-02T03:04:05Z' + i * interval '1 second',
                   CASE WHEN i % 7 = 1 THEN 'failed' ELSE 'succeeded' END, 0, 'POST', 'https://receiver.example/hook', '{}', '{}', '{}', '{"status_code":200}'
            FROM generate_series(0, $1 - 1) AS i
            """);
        command.Parameters.Add(new Npgsql.NpgsqlParameter { Value = count });
        command.Parameters.Add(new Npgsql.NpgsqlParameter { Value = configs });
        await command.ExecuteNonQueryAsync(Ct);
    }

    protected override async Task AnalyzeAsync()
    {
        await using var command = _database!.DataSource.CreateCommand("ANALYZE webhook_events");
        await command.ExecuteNonQueryAsync(Ct);
    }
}
