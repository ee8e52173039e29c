using Herald.Server.Storage.Sqlite;
using Herald.Server.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace Herald.Server.Tests.Storage;

public sealed class SqliteWriteLaneTests : IDisposable
{
    private const string Insert = "INSERT INTO lane_rows (value) VALUES ($value)";

    private readonly TempDirectory _folder = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<(SqliteDatabase Database, SqliteWriteLane Lane)> LaneAsync()
    {
        var database = await Engines.SqliteAsync(_folder, new FakeTimeProvider());
        await using (var connection = await database.OpenAsync(Ct))
        await using (var create = connection.CreateCommand())
        {
            create.CommandText = "CREATE TABLE lane_rows (value TEXT NOT NULL)";
            await create.ExecuteNonQueryAsync(Ct);
        }
        return (database, new SqliteWriteLane(database));
    }

    private static async Task<List<string>> RowsAsync(SqliteDatabase database)
    {
        await using var connection = await database.OpenAsync(Ct);
        await using var select = connection.CreateCommand();
        select.CommandText = "SELECT value FROM lane_rows ORDER BY rowid";
        var rows = new List<string>();
        await using var reader = await select.ExecuteReaderAsync(Ct);
        while (await reader.ReadAsync(Ct))
        {
            rows.Add(reader.GetString(0));
        }
        return rows;
    }

    [Fact]
    public async Task A_turn_that_fails_leaves_nothing_and_the_next_turn_writes_on_a_fresh_connection()
    {
        var (database, lane) = await LaneAsync();
        await using var _ = lane;
        var first = await lane.WriteAsync(async session =>
        {
            await session.Prepare(Insert, "$value").Bind("kept").Command.ExecuteNonQueryAsync(Ct);
            return session.Connection;
        }, Ct);

        await Assert.ThrowsAsync<InvalidOperationException>(() => lane.WriteAsync<int>(async session =>
        {
            await session.Prepare(Insert, "$value").Bind("rolled back").Command.ExecuteNonQueryAsync(Ct);
            throw new InvalidOperationException("the work fails after its write");
        }, Ct));
        var after = await lane.WriteAsync(async session =>
        {
            await session.Prepare(Insert, "$value").Bind("after").Command.ExecuteNonQueryAsync(Ct);
            return session.Connection;
        }, Ct);

        Assert.Equal(["kept", "after"], await RowsAsync(database));
        Assert.NotSame(first, after);
    }

    [Fact]
    public async Task Statements_are_compiled_once_and_kept_across_turns()
    {
        var (database, lane) = await LaneAsync();
        await using var _ = lane;

        var commands = new List<object>();
        for (var i = 0; i < 3; i++)
        {
            commands.Add(await lane.WriteAsync(async session =>
            {
                var insert = session.Prepare(Insert, "$value").Bind($"row {i}");
                await insert.Command.ExecuteNonQueryAsync(Ct);
                return insert.Command;
            }, Ct));
        }

        Assert.Equal(["row 0", "row 1", "row 2"], await RowsAsync(database));
        Assert.All(commands, command => Assert.Same(commands[0], command));
    }

    [Fact]
    public async Task Turns_never_overlap()
    {
        var (_, lane) = await LaneAsync();
        await using var __ = lane;
        var inside = 0;
        var most = 0;

        await Task.WhenAll(Enumerable.Range(0, 8).Select(i => Task.Run(() => lane.RunAsync(async session =>
        {
            var now = Interlocked.Increment(ref inside);
            most = Math.Max(most, now);
            await Task.Delay(5, Ct);
            await session.Prepare(Insert, "$value").Bind($"turn {i}").Command.ExecuteNonQueryAsync(Ct);
            Interlocked.Decrement(ref inside);
            return 0;
        }, Ct), Ct)));

        Assert.Equal(1, most);
    }

    [Fact]
    public async Task A_disposed_lane_refuses_work()
    {
        var (_, lane) = await LaneAsync();
        await lane.RunAsync(session => session.Prepare(Insert, "$value").Bind("before").Command.ExecuteNonQueryAsync(Ct), Ct);

        await lane.DisposeAsync();

        await Assert.ThrowsAsync<ObjectDisposedException>(() => lane.RunAsync(session => Task.FromResult(0), Ct));
    }

    public void Dispose() => _folder.Dispose();
}
