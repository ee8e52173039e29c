using Herald.Server.Storage;
using Microsoft.Data.Sqlite;

namespace Herald.Server.Storage.Sqlite;

/// <summary>
/// Copies SQLite's write-ahead log into the database file on a connection of its own, so that requests do not.
/// SQLite's own checkpoint runs in whichever commit takes the log past its limit (<see cref="SqliteDatabase.AutoCheckpointPages"/>):
/// that commit then syncs the log, copies every page to the database file and syncs it, and waits for all of it. Run
/// here, a passive checkpoint never blocks a writer; once it has copied the whole log, the next commit starts the log
/// again from its beginning (syncing the log's header), and no commit reaches the limit. The pause between checkpoints
/// follows the write rate so that each finds about <see cref="TargetPages"/> pages.
/// The target is large on purpose. At 500 pages (a sequential sync trigger writes about 20), one sync trigger in 50
/// waited 10 to 15 ms behind a checkpoint's syncs and log restart, which set the p99 of sync triggers at 6 to 11 ms; at
/// 4,000 the same benchmark had one in a thousand over 5 ms and a p99 of 2.2 to 2.4 ms, and async deliveries cost
/// less CPU, since a page written many times between two checkpoints is copied once. The log file grows to about
/// 16 MiB under steady load (at most 32 MiB, SQLite's own limit), and is reused from its start after each checkpoint.
/// Fail open: a checkpoint that fails or is skipped leaves the log to SQLite's own checkpoint.
/// </summary>
public sealed partial class SqliteCheckpoints(IDatabase engine, TimeProvider time, ILogger<SqliteCheckpoints> logger)
    : BackgroundService
{
    /// <summary>Log pages each checkpoint aims to find: half of the log's own limit, so the write rate may double in between.</summary>
    internal const long TargetPages = SqliteDatabase.AutoCheckpointPages / 2;

    /// <summary>The shortest pause: a burst of async triggers fills the log's 4,000 pages in about 100 ms.</summary>
    internal static readonly TimeSpan Busy = TimeSpan.FromMilliseconds(10);

    /// <summary>The longest pause, while nothing is written: a burst after a quiet spell meets SQLite's own checkpoint a few times at most.</summary>
    internal static readonly TimeSpan Idle = TimeSpan.FromMilliseconds(250);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Only the configured engine is resolved: the SQLite one cannot even be built from a PostgreSQL connection string.
        if (engine is not SqliteDatabase database)
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
                    pause = Next(pause, now == last ? 0 : now.Log);
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

    /// <summary>
    /// The pause after a checkpoint that found <paramref name="pages"/> new log pages (0: nothing was written since the
    /// last one). Past <see cref="TargetPages"/> it drops to <see cref="Busy"/> at once (the writes came faster than
    /// the pause assumed; a commit may already have checkpointed); below, it grows toward the target, at most doubling,
    /// up to <see cref="Idle"/>.
    /// </summary>
    internal static TimeSpan Next(TimeSpan pause, long pages)
    {
        if (pages > TargetPages)
        {
            return Busy;
        }
        var longer = pages <= 0 ? pause.Ticks * 2 : Math.Min(pause.Ticks * 2, pause.Ticks * TargetPages / pages);
        return TimeSpan.FromTicks(Math.Clamp(longer, Busy.Ticks, Idle.Ticks));
    }

    /// <summary>One passive checkpoint: the pages in the log, and how many of them are now in the database file.</summary>
    private static async Task<(long Log, long Copied)> CheckpointAsync(SqliteConnection connection, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA wal_checkpoint(PASSIVE)";
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? (reader.GetInt64(1), reader.GetInt64(2)) : (0, 0);
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "SQLite checkpoint failed ({Code}): {Reason}; until the next one, a commit past 1,000 log pages checkpoints itself")]
    private static partial void LogFailed(ILogger logger, int code, string reason);
}
