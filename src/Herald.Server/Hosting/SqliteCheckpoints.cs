using Herald.Server.Storage;
using Herald.Server.Storage.Sqlite;
using Microsoft.Data.Sqlite;

namespace Herald.Server.Hosting;

/// <summary>
/// Copies SQLite's write-ahead log into the database file on a connection of its own, so that requests do not.
/// SQLite's own checkpoint runs in whichever commit takes the log past 1,000 pages: that commit then syncs the log,
/// copies every page to the database file and syncs it, 10 to 50 ms here, and a sequential sync trigger (two commits)
/// met it about once in a hundred. Run here, a passive checkpoint never blocks a writer; once it has copied the whole
/// log, the next commit starts the log again from its beginning, so it stays short and no commit reaches the limit.
/// Fail open: a checkpoint that fails or is skipped leaves the log to SQLite's own checkpoint, as before.
/// </summary>
public sealed partial class SqliteCheckpoints(StorageOptions options, SqliteDatabase database, TimeProvider time, ILogger<SqliteCheckpoints> logger)
    : BackgroundService
{
    /// <summary>The pause after a checkpoint that found new pages: the log fills 1,000 pages in about 80 ms of sync triggers.</summary>
    internal static readonly TimeSpan Busy = TimeSpan.FromMilliseconds(20);

    /// <summary>The longest pause while nothing is written; an idle node wakes once a second.</summary>
    internal static readonly TimeSpan Idle = TimeSpan.FromSeconds(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (options.Provider != StorageProvider.Sqlite)
        {
            return;
        }
        SqliteConnection? connection = null;
        var pause = Busy;
        var last = (Log: -1L, Copied: -1L);
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                try
                {
                    connection ??= await database.OpenAsync(stoppingToken);
                    var now = await CheckpointAsync(connection, stoppingToken);
                    // Unchanged figures: nothing was written since the last one; wait longer, up to Idle.
                    pause = now == last ? TimeSpan.FromTicks(Math.Min(pause.Ticks * 2, Idle.Ticks)) : Busy;
                    last = now;
                }
                catch (SqliteException e)
                {
                    LogFailed(logger, e.SqliteErrorCode, e.Message);
                    if (connection is not null)
                    {
                        await connection.DisposeAsync();
                        connection = null;
                    }
                    pause = Idle;
                }
                await Task.Delay(pause, time, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            if (connection is not null)
            {
                await connection.DisposeAsync();
            }
        }
    }

    /// <summary>One passive checkpoint: the pages in the log, and how many of them are now in the database file.</summary>
    private static async Task<(long Log, long Copied)> CheckpointAsync(SqliteConnection connection, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA wal_checkpoint(PASSIVE)";
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? (reader.GetInt64(1), reader.GetInt64(2)) : (0, 0);
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "SQLite checkpoint failed ({Code}): {Reason}; the next commit past 1,000 log pages checkpoints instead")]
    private static partial void LogFailed(ILogger logger, int code, string reason);
}

/// <summary>Registers <see cref="SqliteCheckpoints"/>.</summary>
public static class SqliteCheckpointsSetup
{
    public static IServiceCollection AddSqliteCheckpoints(this IServiceCollection services) => services.AddHostedService<SqliteCheckpoints>();
}
