using Herald.Server.Storage;
using Herald.Server.Storage.Postgres;
using Herald.Server.Tests.Support;
using Microsoft.Extensions.Time.Testing;
using Npgsql;

namespace Herald.Server.Tests.Storage;

/// <summary>
/// Write transactions on PostgreSQL reuse the connection used last, so that one server process with warm caches serves
/// the node's group commit, instead of the pool's connections in turn.
/// </summary>
public sealed class PostgresWriteSessionsTests(PostgresServer server)
{
    [Fact]
    public async Task Write_transactions_one_after_another_are_served_by_one_server_process_however_many_the_pool_opened()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var database = await Engines.PostgresAsync(server, new FakeTimeProvider());
        var sessions = new PostgresWriteSessions(database);
        // Eight transactions at once: the pool opens eight connections, each its own server process. Each holds its
        // transaction open, without blocking a thread, until all eight have begun.
        var begun = 0;
        var allBegun = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var burst = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => sessions.WriteAsync(async session =>
        {
            var pid = await BackendAsync(session, ct);
            if (Interlocked.Increment(ref begun) == 8)
            {
                allBegun.SetResult();
            }
            await allBegun.Task.WaitAsync(ct);
            return pid;
        }, ct)));
        Assert.Equal(8, burst.Distinct().Count());

        var oneAfterAnother = new List<int>();
        for (var i = 0; i < 12; i++)
        {
            oneAfterAnother.Add(await sessions.WriteAsync(session => BackendAsync(session, ct), ct));
        }

        Assert.Single(oneAfterAnother.Distinct());
        Assert.Equal(2, database.MaxWarmConnections);
        Assert.Equal(2, database.WarmConnections);
    }

    /// <summary>The pool counts a kept connection as in use: a small pool keeps none, and its writes still run.</summary>
    [Theory]
    [InlineData(7, 0)]
    [InlineData(8, 1)]
    public async Task A_small_pool_keeps_at_most_an_eighth_of_its_connections_for_writes(int maxPoolSize, int kept)
    {
        var ct = TestContext.Current.CancellationToken;
        var connection = new NpgsqlConnectionStringBuilder(await server.CreateDatabaseAsync()) { MaxPoolSize = maxPoolSize };
        await using var database = new PostgresDatabase(new StorageOptions { Provider = StorageProvider.Postgres, ConnectionString = connection.ConnectionString }, new FakeTimeProvider());
        var sessions = new PostgresWriteSessions(database);

        var pids = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => sessions.WriteAsync(session => BackendAsync(session, ct), ct)));

        Assert.Equal(4, pids.Length);
        Assert.Equal(kept, database.MaxWarmConnections);
        Assert.Equal(kept, database.WarmConnections);
    }

    [Fact]
    public async Task A_connection_whose_transaction_failed_is_not_used_again_for_the_next_write()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var database = await Engines.PostgresAsync(server, new FakeTimeProvider());
        var sessions = new PostgresWriteSessions(database);
        var first = await sessions.WriteAsync(session => BackendAsync(session, ct), ct);

        var failing = 0;
        await Assert.ThrowsAsync<InvalidOperationException>(() => sessions.WriteAsync<int>(async session =>
        {
            failing = await BackendAsync(session, ct);
            throw new InvalidOperationException("the work failed");
        }, ct));
        Assert.Equal(first, failing);
        Assert.Equal(0, database.WarmConnections);

        // The failed transaction wrote nothing, and the next one runs on a connection in a clean state.
        var next = await sessions.WriteAsync(async session =>
        {
            await using var status = new NpgsqlCommand("SELECT count(*) FROM pg_stat_activity WHERE pid = pg_backend_pid() AND state = 'active'", session.As<PostgresWriteSession>().Connection, session.As<PostgresWriteSession>().Transaction);
            return (long)(await status.ExecuteScalarAsync(ct))!;
        }, ct);
        Assert.Equal(1, next);
    }

    [Fact]
    public async Task Disposing_the_database_closes_the_connections_it_kept()
    {
        var ct = TestContext.Current.CancellationToken;
        var database = await Engines.PostgresAsync(server, new FakeTimeProvider());
        var sessions = new PostgresWriteSessions(database);
        var pid = await sessions.WriteAsync(session => BackendAsync(session, ct), ct);
        Assert.Equal(1, database.WarmConnections);

        await database.DisposeAsync();

        Assert.Equal(0, database.WarmConnections);
        await using var admin = new NpgsqlConnection(await server.CreateDatabaseAsync());
        await admin.OpenAsync(ct);
        long left = 1;
        for (var i = 0; i < 50 && left > 0; i++)
        {
            await using var alive = new NpgsqlCommand("SELECT count(*) FROM pg_stat_activity WHERE pid = $1", admin) { Parameters = { new() { Value = pid } } };
            left = (long)(await alive.ExecuteScalarAsync(ct))!;
            if (left > 0)
            {
                await Task.Delay(100, ct);
            }
        }
        Assert.Equal(0, left);
    }

    private static async Task<int> BackendAsync(WriteSession session, CancellationToken ct)
    {
        var pg = session.As<PostgresWriteSession>();
        await using var command = new NpgsqlCommand("SELECT pg_backend_pid()", pg.Connection, pg.Transaction);
        return (int)(await command.ExecuteScalarAsync(ct))!;
    }
}
