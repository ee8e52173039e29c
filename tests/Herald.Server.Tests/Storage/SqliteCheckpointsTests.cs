using Herald.Server.Storage.Sqlite;
using Herald.Server.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;

namespace Herald.Server.Tests.Storage;

public sealed class SqliteCheckpointsTests : IDisposable
{
    private readonly TempDirectory _folder = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Pages_committed_to_the_log_reach_the_database_file_without_waiting_for_a_full_log()
    {
        var database = await Engines.SqliteAsync(_folder, TimeProvider.System);
        var file = Path.Combine(_folder.Path, "herald.db");
        // The writer's connection stays open, as the write lane's does: closing the last connection would checkpoint.
        await using var writer = await database.OpenAsync(Ct);
        await using (var create = writer.CreateCommand())
        {
            create.CommandText = "CREATE TABLE filler (data BLOB NOT NULL)";
            await create.ExecuteNonQueryAsync(Ct);
        }
        var before = new FileInfo(file).Length;
        // 1 MiB in 64 commits: about 260 log pages, far below the 8,000 at which a commit checkpoints by itself.
        for (var i = 0; i < 64; i++)
        {
            await using var insert = writer.CreateCommand();
            insert.CommandText = "INSERT INTO filler (data) VALUES (randomblob(16384))";
            await insert.ExecuteNonQueryAsync(Ct);
        }
        Assert.True(new FileInfo(file).Length < before + (1 << 20), "the commits alone already copied the log into the database file");

        var checkpoints = new SqliteCheckpoints(database, TimeProvider.System, NullLogger<SqliteCheckpoints>.Instance);
        await checkpoints.StartAsync(Ct);
        try
        {
            var waited = System.Diagnostics.Stopwatch.StartNew();
            while (new FileInfo(file).Length < before + (1 << 20) && waited.Elapsed < TimeSpan.FromSeconds(10))
            {
                await Task.Delay(20, Ct);
            }
            Assert.True(new FileInfo(file).Length >= before + (1 << 20), $"the database file is {new FileInfo(file).Length} bytes after {waited.Elapsed.TotalSeconds:0.0} s");
        }
        finally
        {
            await checkpoints.StopAsync(Ct);
        }
    }

    [Theory]
    [InlineData(10, 0, 20)] // nothing written: twice as long
    [InlineData(200, 0, 250)] // never longer than the idle pause
    [InlineData(10, 800, 20)] // far below the target: at most twice as long
    [InlineData(40, 3200, 50)] // near the target: scaled to it
    [InlineData(40, 4000, 40)] // on the target: kept
    [InlineData(200, 4001, 10)] // past the target: the shortest pause at once
    [InlineData(10, 8000, 10)] // never shorter than the shortest pause
    public void The_pause_follows_the_pages_each_checkpoint_finds(int pauseMs, long pages, int nextMs)
    {
        Assert.Equal(TimeSpan.FromMilliseconds(nextMs), SqliteCheckpoints.Next(TimeSpan.FromMilliseconds(pauseMs), pages));
    }

    [Fact]
    public async Task Every_connection_leaves_the_log_to_the_background_checkpoints_until_it_is_eight_times_SQLites_default()
    {
        var database = await Engines.SqliteAsync(_folder, TimeProvider.System);
        await using var connection = await database.OpenAsync(Ct);
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA wal_autocheckpoint";

        Assert.Equal((long)SqliteDatabase.AutoCheckpointPages, (long)(await command.ExecuteScalarAsync(Ct))!);
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _folder.Dispose();
    }
}
