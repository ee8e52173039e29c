using System.Buffers.Binary;

namespace Herald.Server.Events;

/// <summary>
/// Where in time an event's row lies, from its id: Herald's event ids are UUIDv7s made from the event's
/// <c>created_at</c> (to the millisecond), so a lookup by id can name the partitions to read on PostgreSQL. Any other
/// id (events written by other means, tests) gets the whole range.
/// </summary>
public static class EventIdTime
{
    /// <summary>Slack either side of the id's time, for rows whose <c>created_at</c> was not taken from their id.</summary>
    public static readonly TimeSpan Slack = TimeSpan.FromDays(1);

    /// <summary>The earliest and latest moment PostgreSQL is asked about for an id that carries no time.</summary>
    public static readonly DateTimeOffset Earliest = new(1, 1, 2, 0, 0, 0, TimeSpan.Zero);

    public static readonly DateTimeOffset Latest = new(9999, 12, 30, 0, 0, 0, TimeSpan.Zero);

    /// <summary>The time in a UUIDv7's first 48 bits; null for any other id.</summary>
    public static DateTimeOffset? Of(string eventId)
    {
        if (!Guid.TryParseExact(eventId, "D", out var id))
        {
            return null;
        }
        Span<byte> bytes = stackalloc byte[16];
        id.TryWriteBytes(bytes, bigEndian: true, out _);
        if (bytes[6] >> 4 != 7 || (bytes[8] & 0xC0) != 0x80)
        {
            return null;
        }
        Span<byte> stamp = stackalloc byte[8];
        bytes[..6].CopyTo(stamp[2..]);
        return DateTimeOffset.FromUnixTimeMilliseconds(BinaryPrimitives.ReadInt64BigEndian(stamp));
    }

    /// <summary>Bounds on <c>created_at</c> that hold every one of the ids' events.</summary>
    public static (DateTimeOffset From, DateTimeOffset To) Window(IEnumerable<string> eventIds)
    {
        DateTimeOffset? from = null, to = null;
        foreach (var eventId in eventIds)
        {
            if (Of(eventId) is not { } at)
            {
                return (Earliest, Latest);
            }
            from = from is null || at < from ? at : from;
            to = to is null || at > to ? at : to;
        }
        return from is null ? (Earliest, Latest) : (from.Value - Slack, to!.Value + Slack);
    }

    /// <summary>Bounds on <c>created_at</c> that hold the id's event.</summary>
    public static (DateTimeOffset From, DateTimeOffset To) Window(string eventId) => Window([eventId]);
}
