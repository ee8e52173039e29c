using Herald.Server.Storage;
using Herald.Server.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace Herald.Server.Tests.Storage;

public abstract class MigrationContract
{
    protected abstract Task<IDatabase> MigratedAsync();

    [Fact]
    public async Task Migrating_twice_is_harmless_and_the_database_answers()
    {
        var database = await MigratedAsync();

        await database.MigrateAsync(TestContext.Current.CancellationToken);

        Assert.True(await database.PingAsync(TestContext.Current.CancellationToken));
    }
}

public sealed class SqliteMigrationTests : MigrationContract, IDisposable
{
    private readonly TempDirectory _folder = new();

    protected override async Task<IDatabase> MigratedAsync() => await Engines.SqliteAsync(_folder, new FakeTimeProvider());

    [Fact]
    public async Task The_database_file_is_in_wal_mode()
    {
        var database = await Engines.SqliteAsync(_folder, new FakeTimeProvider());
        await using var connection = await database.OpenAsync(TestContext.Current.CancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode";

        Assert.Equal("wal", (string?)await command.ExecuteScalarAsync(TestContext.Current.CancellationToken));
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _folder.Dispose();
    }
}

public sealed class PostgresMigrationTests(PostgresServer server) : MigrationContract
{
    protected override async Task<IDatabase> MigratedAsync() => await Engines.PostgresAsync(server, new FakeTimeProvider());
}
