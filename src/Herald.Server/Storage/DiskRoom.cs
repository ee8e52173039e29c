using Herald.Server.Http;

namespace Herald.Server.Storage;

/// <summary>
/// The room left on the disk that holds the SQLite file. Below <c>Storage:MinFreeBytes</c> a node takes no new events
/// or replays (each is answered 503, naming the free bytes and the setting), and <c>/health/ready</c> answers 503, while
/// what the node accepted before goes on: its deliveries, their outcomes and the purge of old events need a little room
/// too, and the reserve keeps it for them, instead of a full disk stopping every write alike. Free space is read at
/// most once a second (a <c>statvfs</c>), so the check costs a trigger nothing measurable. Not applied on PostgreSQL,
/// whose disk is the server's (a full one answers 503 there, as SQLite's does without a reserve), nor with a setting of
/// 0 or a database in memory.
/// </summary>
public sealed partial class DiskRoom
{
    private const long ReadEveryMs = 1000;

    private readonly string? _folder;
    private readonly ILogger<DiskRoom> _logger;
    private readonly Lock _gate = new();
    private Reading? _last;
    private bool _short;

    public DiskRoom(StorageOptions options, string? sqliteFolder, ILogger<DiskRoom> logger)
    {
        MinFreeBytes = options.MinFreeBytes;
        _folder = options.MinFreeBytes > 0 ? sqliteFolder : null;
        _logger = logger;
    }

    public long MinFreeBytes { get; }

    /// <summary>Why new work cannot be taken now, or null when there is room (or nothing is checked).</summary>
    public string? Shortage()
    {
        if (_folder is null || FreeBytes() is not { } free || free >= MinFreeBytes)
        {
            return null;
        }
        return $"The disk that holds the database (folder {_folder}) has {free} bytes free, less than the {MinFreeBytes} that setting "
            + $"{StorageOptions.Section}:MinFreeBytes keeps for delivering and recording the events already accepted, so no new event or replay "
            + "is taken; retry later. The operator should free space on that disk, move the database (Storage:DataDirectory or Storage:ConnectionString) "
            + "to a larger one, or lower Storage:MinFreeBytes.";
    }

    /// <summary>Throws <see cref="DiskLowException"/> (a 503) when <see cref="Shortage"/> has a reason.</summary>
    public void EnsureRoomForNewWork()
    {
        if (Shortage() is { } reason)
        {
            throw new DiskLowException(reason);
        }
    }

    /// <summary>The free bytes on the folder's disk, read at most once a second; null when it cannot be read.</summary>
    private long? FreeBytes()
    {
        var now = Environment.TickCount64;
        // The reading of the last second, without the lock: a trigger's check is two reads.
        if (Volatile.Read(ref _last) is { } last && now - last.At < ReadEveryMs)
        {
            return last.Free;
        }
        lock (_gate)
        {
            if (_last is { } again && now - again.At < ReadEveryMs)
            {
                return again.Free;
            }
            long? free;
            try
            {
                free = new DriveInfo(_folder!).AvailableFreeSpace;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
            {
                // A disk that cannot be asked is no reason to refuse work: the writes themselves will tell.
                free = null;
            }
            Volatile.Write(ref _last, new Reading(now, free));
            var isShort = free < MinFreeBytes;
            if (isShort != _short)
            {
                _short = isShort;
                if (free is not { } bytes)
                {
                    LogUnreadable(_logger, _folder!);
                }
                else if (isShort)
                {
                    LogShort(_logger, _folder!, bytes, MinFreeBytes);
                }
                else
                {
                    LogRoom(_logger, _folder!, bytes, MinFreeBytes);
                }
            }
            return free;
        }
    }

    private sealed record Reading(long At, long? Free);

    [LoggerMessage(EventId = 40, Level = LogLevel.Warning,
        Message = "The database's disk (folder {Folder}) has {Free} bytes free, less than Storage:MinFreeBytes ({Min}): new events and replays are refused (503) until there is room; accepted ones are still delivered")]
    private static partial void LogShort(ILogger logger, string folder, long free, long min);

    [LoggerMessage(EventId = 41, Level = LogLevel.Information,
        Message = "The database's disk (folder {Folder}) has room again ({Free} bytes free, Storage:MinFreeBytes {Min}): new events are taken")]
    private static partial void LogRoom(ILogger logger, string folder, long free, long min);

    [LoggerMessage(EventId = 42, Level = LogLevel.Warning,
        Message = "The free space of the database's disk (folder {Folder}) can no longer be read: new events are taken again, and Storage:MinFreeBytes is not applied until it can be")]
    private static partial void LogUnreadable(ILogger logger, string folder);
}
