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

    /// <summary>
    /// Transactions given back at once never keep more than the limit: the count and the keep are one step. Before, two
    /// give-backs could both see room for one, and the next sequential write then ran on a third connection.
    /// </summary>
    [Fact]
    public async Task Connections_given_back_at_once_are_kept_up_to_the_limit_and_no_more()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var database = await Engines.PostgresAsync(server, new FakeTimeProvider());
        for (var round = 0; round < 20; round++)
        {
            var connections = new List<NpgsqlConnection>();
            for (var i = 0; i < 8; i++)
            {
                connections.Add(await database.TakeWriteConnectionAsync(ct));
            }
            // Threads of their own, released together: the pool's few threads would let them in one at a time.
            using var start = new Barrier(connections.Count);
            var threads = connections.Select(connection => new Thread(() =>
            {
                start.SignalAndWait(ct);
                database.GiveBackAsync(connection, committed: true).AsTask().GetAwaiter().GetResult();
            })).ToList();
            threads.ForEach(thread => thread.Start());
            threads.ForEach(thread => thread.Join());

            Assert.Equal(database.MaxWarmConnections, database.WarmConnections);
        }
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

    /// <summary>
    /// A restart of the server, a failover or <c>pg_terminate_backend</c> ends the kept connection while it idles. The
    /// next write finds out only when it uses it: it runs again on a new connection, and writes once.
    /// </summary>
    [Fact]
    public async Task A_write_whose_kept_connection_the_server_ended_runs_again_on_a_new_connection()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var database = await Engines.PostgresAsync(server, new FakeTimeProvider());
        var sessions = new PostgresWriteSessions(database);
        await sessions.WriteAsync(session => ExecuteAsync(session, "CREATE TABLE written (n integer)", ct), ct);
        var kept = await sessions.WriteAsync(session => BackendAsync(session, ct), ct);
        Assert.Equal(1, database.WarmConnections);

        await TerminateAsync(kept, ct);
        var next = await sessions.WriteAsync(async session =>
        {
            await ExecuteAsync(session, "INSERT INTO written VALUES (1)", ct);
            return await BackendAsync(session, ct);
        }, ct);

        Assert.NotEqual(kept, next);
        Assert.Equal(1, await sessions.WriteAsync(session => CountAsync(session, "SELECT count(*) FROM written", ct), ct));
    }

    /// <summary>An operator's <c>idle_session_timeout</c> shorter than the kept connection's idle time ends it the same way.</summary>
    [Fact]
    public async Task A_kept_connection_ended_by_the_servers_idle_session_timeout_costs_no_write()
    {
        var ct = TestContext.Current.CancellationToken;
        var connectionString = await server.CreateDatabaseAsync();
        var name = new NpgsqlConnectionStringBuilder(connectionString).Database;
        await using (var admin = new NpgsqlConnection(connectionString))
        {
            await admin.OpenAsync(ct);
            await using var timeout = new NpgsqlCommand($"ALTER DATABASE \"{name}\" SET idle_session_timeout = '300ms'", admin);
            await timeout.ExecuteNonQueryAsync(ct);
        }
        await using var database = new PostgresDatabase(new StorageOptions { Provider = StorageProvider.Postgres, ConnectionString = connectionString }, new FakeTimeProvider());
        var sessions = new PostgresWriteSessions(database);
        var kept = await sessions.WriteAsync(session => BackendAsync(session, ct), ct);
        Assert.Equal(1, database.WarmConnections);

        await Task.Delay(1_000, ct);
        var next = await sessions.WriteAsync(session => BackendAsync(session, ct), ct);

        Assert.NotEqual(kept, next);
    }

    /// <summary>
    /// Run again only what cannot have committed: the server's own word that it ended the session, or a connection lost
    /// before the <c>COMMIT</c> was sent. A loss after it, or a timeout, goes to the caller.
    /// </summary>
    [Fact]
    public void A_transaction_is_run_again_only_when_its_commit_cannot_have_happened()
    {
        var lost = new NpgsqlException("Exception while reading from stream", new EndOfStreamException());
        var reset = new NpgsqlException("Exception while writing to stream", new System.Net.Sockets.SocketException(104));
        var timedOut = new NpgsqlException("Exception while reading from stream", new TimeoutException());
        var ended = new PostgresException("terminating connection due to administrator command", "FATAL", "FATAL", PostgresErrorCodes.AdminShutdown);
        var idle = new PostgresException("terminating connection due to idle-session timeout", "FATAL", "FATAL", PostgresErrorCodes.IdleSessionTimeout);
        var unique = new PostgresException("duplicate key value violates unique constraint", "ERROR", "ERROR", PostgresErrorCodes.UniqueViolation);
        var readOnly = new PostgresException("cannot execute INSERT in a read-only transaction", "ERROR", "ERROR", PostgresErrorCodes.ReadOnlySqlTransaction);

        Assert.True(PostgresWriteSessions.EndedUncommitted(lost, commitSent: false));
        Assert.True(PostgresWriteSessions.EndedUncommitted(reset, commitSent: false));
        Assert.False(PostgresWriteSessions.EndedUncommitted(lost, commitSent: true));
        Assert.False(PostgresWriteSessions.EndedUncommitted(reset, commitSent: true));
        Assert.False(PostgresWriteSessions.EndedUncommitted(timedOut, commitSent: false));
        Assert.True(PostgresWriteSessions.EndedUncommitted(ended, commitSent: true));
        Assert.True(PostgresWriteSessions.EndedUncommitted(idle, commitSent: true));
        Assert.False(PostgresWriteSessions.EndedUncommitted(unique, commitSent: false));
        Assert.True(PostgresWriteSessions.EndedUncommitted(readOnly, commitSent: true));

        // Once the COMMIT was sent, a lost connection or a timeout leaves it in doubt; the server's answers do not.
        Assert.True(PostgresWriteSessions.InDoubt(lost));
        Assert.True(PostgresWriteSessions.InDoubt(reset));
        Assert.True(PostgresWriteSessions.InDoubt(timedOut));
        Assert.False(PostgresWriteSessions.InDoubt(ended));
        Assert.False(PostgresWriteSessions.InDoubt(unique));
    }

    private async Task TerminateAsync(int pid, CancellationToken ct)
    {
        await using var admin = new NpgsqlConnection(await server.CreateDatabaseAsync());
        await admin.OpenAsync(ct);
        await using (var terminate = new NpgsqlCommand("SELECT pg_terminate_backend($1)", admin) { Parameters = { new() { Value = pid } } })
        {
            Assert.True((bool)(await terminate.ExecuteScalarAsync(ct))!);
        }
        for (var i = 0; i < 50; i++)
        {
            await using var alive = new NpgsqlCommand("SELECT count(*) FROM pg_stat_activity WHERE pid = $1", admin) { Parameters = { new() { Value = pid } } };
            if ((long)(await alive.ExecuteScalarAsync(ct))! == 0)
            {
                return;
            }
            await Task.Delay(100, ct);
        }
        Assert.Fail($"backend {pid} still runs 5 s after pg_terminate_backend");
    }

    private static async Task<int> ExecuteAsync(WriteSession session, string sql, CancellationToken ct)
    {
        var pg = session.As<PostgresWriteSession>();
        await using var command = new NpgsqlCommand(sql, pg.Connection, pg.Transaction);
        return await command.ExecuteNonQueryAsync(ct);
    }

    private static async Task<long> CountAsync(WriteSession session, string sql, CancellationToken ct)
    {
        var pg = session.As<PostgresWriteSession>();
        await using var command = new NpgsqlCommand(sql, pg.Connection, pg.Transaction);
        return (long)(await command.ExecuteScalarAsync(ct))!;
    }

    /// <summary>
    /// The server plans a prepared statement again for each run while a plan for the run's own arrays looks cheaper than
    /// one for arrays of any length, as it does for an array of one: a write transaction's statements keep one plan.
    /// </summary>
    [Fact]
    public async Task A_statement_run_again_in_write_transactions_keeps_its_one_plan_however_short_its_arrays()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var database = await Engines.PostgresAsync(server, new FakeTimeProvider());
        var sessions = new PostgresWriteSessions(database);
        const string Sql = "SELECT count(*) FROM unnest($1::text[]) AS u(name) JOIN pg_class c ON c.relname = u.name";

        var counts = new List<long>();
        for (var run = 0; run < 12; run++)
        {
            counts.Add(await sessions.WriteAsync(async session =>
            {
                var pg = session.As<PostgresWriteSession>();
                long count = 0;
                pg.Add(Sql, [new[] { "pg_class" }], reader => count = reader.GetInt64(0));
                await pg.RunAsync(ct);
                return count;
            }, ct));
        }
        // The driver prepared the statement on the connection the writes kept; read its plans there.
        var (generic, custom) = await sessions.WriteAsync(async session =>
        {
            var pg = session.As<PostgresWriteSession>();
            (long Generic, long Custom) plans = (0, 0);
            pg.Add("SELECT generic_plans, custom_plans FROM pg_prepared_statements WHERE statement = $1", [Sql], reader => plans = (reader.GetInt64(0), reader.GetInt64(1)));
            await pg.RunAsync(ct);
            return plans;
        }, ct);

        Assert.All(counts, count => Assert.Equal(1, count));
        Assert.True(generic > 0, "the statement was not prepared on the connection the writes kept");
        Assert.Equal(0, custom);
    }

    /// <summary>
    /// A statement added to a session goes to the server with the next round trip, at the latest with the commit; a
    /// value made from its answer throws when read before that, instead of answering what has not arrived.
    /// </summary>
    [Fact]
    public async Task A_later_answer_read_before_its_statement_was_sent_throws_and_answers_after_the_commit()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var database = await Engines.PostgresAsync(server, new FakeTimeProvider());
        var sessions = new PostgresWriteSessions(database);
        Later<long>? later = null;
        Exception? early = null;

        await sessions.WriteAsync(session =>
        {
            var pg = session.As<PostgresWriteSession>();
            long answer = 0;
            pg.Add("SELECT 42::bigint", [], reader => answer = reader.GetInt64(0));
            later = Later<long>.After(pg.Answered(), () => answer);
            early = Record.Exception(() => later.Value);
            return Task.FromResult(true);
        }, ct);

        Assert.IsType<InvalidOperationException>(early);
        Assert.Contains("after IWriteSessions.WriteAsync returned", early!.Message, StringComparison.Ordinal);
        Assert.Equal(42, later!.Value);
    }

    private static async Task<int> BackendAsync(WriteSession session, CancellationToken ct)
    {
        var pg = session.As<PostgresWriteSession>();
        await using var command = new NpgsqlCommand("SELECT pg_backend_pid()", pg.Connection, pg.Transaction);
        return (int)(await command.ExecuteScalarAsync(ct))!;
    }
}
