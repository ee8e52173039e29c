using Herald.Server.Storage;
using Herald.Server.Storage.Postgres;
using Herald.Server.Storage.Sqlite;

namespace Herald.Server.Tests.Support;

/// <summary>Migrated, empty databases of each engine, for the store contract suites.</summary>
public static class Engines
{
    public static async Task<SqliteDatabase> SqliteAsync(TempDirectory folder, TimeProvider time)
    {
        var database = new SqliteDatabase(new StorageOptions { DataDirectory = folder.Path }, time);
        await database.MigrateAsync(TestContext.Current.CancellationToken);
        return database;
    }

    public static async Task<PostgresDatabase> PostgresAsync(PostgresServer server, TimeProvider time)
    {
        var options = new StorageOptions { Provider = StorageProvider.Postgres, ConnectionString = await server.CreateDatabaseAsync() };
        var database = new PostgresDatabase(options, time);
        await database.MigrateAsync(TestContext.Current.CancellationToken);
        return database;
    }
}
