using Herald.Server.Delivery;
using Herald.Server.Http;
using Herald.Server.Storage;
using Herald.Server.Storage.Postgres;
using Herald.Server.Storage.Sqlite;
using Herald.Server.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace Herald.Server.Tests.Delivery;

/// <summary>What every <see cref="IConfigHealthStore"/> must do with failure streaks, run once per engine.</summary>
public abstract class ConfigHealthStoreContract
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 2, 3, 4, 5, 678, TimeSpan.Zero);
    private static readonly OrganizationId Org = new("org-1");
    private static readonly ConfigId A = ConfigId.From("cfgA");
    private static readonly ConfigId B = ConfigId.From("cfgB");

    protected FakeTimeProvider Clock { get; } = new(T0);

    protected abstract Task<(IWriteSessions Sessions, IConfigHealthStore Store)> StoreAsync();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static HealthMark Failed(ConfigId config, int seconds, string failure = "status 500") => new(Org, config, false, T0.AddSeconds(seconds), failure);

    private static HealthMark Succeeded(ConfigId config, int seconds) => new(Org, config, true, T0.AddSeconds(seconds), null);

    private static Task<IReadOnlyList<FailureStreak>> RecordAsync(IWriteSessions sessions, IConfigHealthStore store, params HealthMark[] marks) =>
        sessions.WriteAsync(session => store.RecordAsync(session, marks, Ct), Ct);

    [Fact]
    public async Task Failures_extend_a_streak_from_its_first_and_a_success_ends_it()
    {
        var (sessions, store) = await StoreAsync();
        var first = Assert.Single(await RecordAsync(sessions, store, Failed(A, 0), Failed(A, 1)));
        Assert.Equal((T0, 2, T0.AddSeconds(1)), (first.FirstFailureAt, first.Failures, first.LastFailureAt));

        var later = Assert.Single(await RecordAsync(sessions, store, Failed(A, 10, "code TIMEOUT")));
        Assert.Equal((T0, 3, "code TIMEOUT"), (later.FirstFailureAt, later.Failures, later.LastFailure));

        Assert.Empty(await RecordAsync(sessions, store, Succeeded(A, 20)));
        var fresh = Assert.Single(await RecordAsync(sessions, store, Failed(A, 30)));
        Assert.Equal((T0.AddSeconds(30), 1), (fresh.FirstFailureAt, fresh.Failures));
    }

    [Fact]
    public async Task One_batch_applies_each_config_s_marks_in_time_order()
    {
        var (sessions, store) = await StoreAsync();
        await RecordAsync(sessions, store, Failed(A, 0), Failed(B, 0));

        var streaks = await RecordAsync(sessions, store, Failed(A, 5), Succeeded(A, 3), Failed(A, 4), Failed(B, 6), Failed(B, 7));

        var a = streaks.Single(s => s.ConfigId == A);
        Assert.Equal((T0.AddSeconds(4), 2), (a.FirstFailureAt, a.Failures));
        var b = streaks.Single(s => s.ConfigId == B);
        Assert.Equal((T0, 3), (b.FirstFailureAt, b.Failures));
    }

    [Fact]
    public async Task A_cleared_config_starts_afresh()
    {
        var (sessions, store) = await StoreAsync();
        await RecordAsync(sessions, store, Failed(A, 0), Failed(A, 1));

        await store.ClearAsync(Org, A, Ct);

        var fresh = Assert.Single(await RecordAsync(sessions, store, Failed(A, 100)));
        Assert.Equal((T0.AddSeconds(100), 1), (fresh.FirstFailureAt, fresh.Failures));
    }
}

public sealed class SqliteConfigHealthStoreTests : ConfigHealthStoreContract, IDisposable
{
    private readonly TempDirectory _folder = new();

    protected override async Task<(IWriteSessions Sessions, IConfigHealthStore Store)> StoreAsync()
    {
        var lane = new SqliteWriteLane(await Engines.SqliteAsync(_folder, Clock));
        return (new SqliteWriteSessions(lane), new SqliteConfigHealthStore(lane));
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _folder.Dispose();
    }
}

public sealed class PostgresConfigHealthStoreTests(PostgresServer server) : ConfigHealthStoreContract
{
    protected override async Task<(IWriteSessions Sessions, IConfigHealthStore Store)> StoreAsync()
    {
        var database = await Engines.PostgresAsync(server, Clock);
        return (new PostgresWriteSessions(database), new PostgresConfigHealthStore(database));
    }
}
