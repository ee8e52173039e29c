namespace Herald.Server.Events;

/// <summary>
/// Keyset paging kept apart from SQL: the store is asked for one row more than the page holds; that extra row only
/// says whether another page exists. The cursor is the keyset of the last row shown. Pure.
/// </summary>
public sealed record EventPage(IReadOnlyList<EventRecord> Items, EventCursor? Next)
{
    public bool HasMore => Next is not null;

    /// <summary>The store query for a page of <paramref name="query"/>'s limit: the same filters, one row more.</summary>
    public static EventQuery Probe(EventQuery query) => query with { Limit = query.Limit + 1 };

    /// <summary>The page from the rows the store returned for <see cref="Probe"/>.</summary>
    public static EventPage From(IReadOnlyList<EventRecord> rows, int limit)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        if (rows.Count <= limit)
        {
            return new EventPage(rows, null);
        }
        var items = rows.Take(limit).ToList();
        var last = items[^1];
        return new EventPage(items, new EventCursor(last.CreatedAt, last.EventId.Value));
    }
}
