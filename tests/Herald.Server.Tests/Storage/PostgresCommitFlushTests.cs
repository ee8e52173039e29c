using Herald.Server.Storage;
using Herald.Server.Storage.Postgres;
using Herald.Server.Tests.Support;

namespace Herald.Server.Tests.Storage;

/// <summary>
/// Which group commits wait for PostgreSQL's disk: a transaction holding only writes that are not durable (attempts'
/// outcomes) commits with <c>synchronous_commit</c> off, unless <c>Storage:FlushOutcomes</c> says otherwise; any
/// transaction holding a durable write (an accepted event, say) waits, whatever shares it.
/// </summary>
public sealed class PostgresCommitFlushTests(PostgresServer server)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>A kind of write whose items answer the transaction's <c>synchronous_commit</c>, after waiting for <paramref name="gate"/> when given.</summary>
    private static GroupWrite<int, string> Kind(bool durable, Task? gate = null) => new(async (session, items, cancellationToken) =>
    {
        if (gate is not null)
        {
            await gate;
        }
        var pg = session.As<PostgresWriteSession>();
        var setting = "";
        pg.Add("SELECT current_setting('synchronous_commit')", [], reader => setting = reader.GetString(0));
        await pg.RunAsync(cancellationToken);
        return items.Select(_ => setting).ToArray();
    }, durable);

    private async Task<GroupCommit> CommitAsync(bool flushOutcomes = false)
    {
        var connectionString = await server.CreateDatabaseAsync();
        // The test server runs with synchronous_commit off for speed; this database gets the server default back.
        await using (var connection = new Npgsql.NpgsqlConnection(connectionString))
        {
            await connection.OpenAsync(Ct);
            await using var command = new Npgsql.NpgsqlCommand("DO $$ BEGIN EXECUTE format('ALTER DATABASE %I SET synchronous_commit = on', current_database()); END $$", connection);
            await command.ExecuteNonQueryAsync(Ct);
        }
        var options = new StorageOptions { Provider = StorageProvider.Postgres, ConnectionString = connectionString, FlushOutcomes = flushOutcomes };
        return new GroupCommit(new PostgresWriteSessions(new PostgresDatabase(options, TimeProvider.System)));
    }

    [Fact]
    public async Task Outcomes_alone_do_not_wait_for_the_disk()
    {
        await using var commit = await CommitAsync();

        Assert.Equal("off", await commit.WriteAsync(Kind(durable: false), 1));
        Assert.Equal("on", await commit.WriteAsync(Kind(durable: true), 1));
    }

    [Fact]
    public async Task With_FlushOutcomes_every_commit_waits_for_the_disk()
    {
        await using var commit = await CommitAsync(flushOutcomes: true);

        Assert.Equal("on", await commit.WriteAsync(Kind(durable: false), 1));
    }

    [Fact]
    public async Task A_durable_write_sharing_the_transaction_makes_it_wait()
    {
        await using var commit = await CommitAsync();
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        // The first transaction is held open, so that the next two gather into one transaction behind it.
        var first = commit.WriteAsync(Kind(durable: true, gate.Task), 1);
        await Task.Delay(100, Ct);
        var outcome = commit.WriteAsync(Kind(durable: false), 2);
        var accepted = commit.WriteAsync(Kind(durable: true), 3);
        await Task.Delay(100, Ct);
        gate.SetResult();

        Assert.Equal("on", await first);
        Assert.Equal("on", await outcome);
        Assert.Equal("on", await accepted);
        Assert.Equal(1, commit.TogetherWrites);
    }
}
