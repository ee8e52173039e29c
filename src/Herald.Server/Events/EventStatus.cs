namespace Herald.Server.Events;

/// <summary>The statuses of an event. Stored and sent as the contract spells them: see <see cref="EventStatuses"/>.</summary>
public enum EventStatus
{
    InProgress,
    Succeeded,
    Failed,
    Skipped,
}

/// <summary>
/// The one mapping between <see cref="EventStatus"/> and the contract's strings. Both engines store these strings and
/// the API sends and filters by them, so a renamed enum member never changes a stored row or a response.
/// </summary>
public static class EventStatuses
{
    public static string ToContract(this EventStatus status) => status switch
    {
        EventStatus.InProgress => "in_progress",
        EventStatus.Succeeded => "succeeded",
        EventStatus.Failed => "failed",
        EventStatus.Skipped => "skipped",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, "not an event status"),
    };

    /// <summary>The status a contract string names; false for anything else (case and spelling must match).</summary>
    public static bool TryParse(string? text, out EventStatus status)
    {
        (var known, status) = text switch
        {
            "in_progress" => (true, EventStatus.InProgress),
            "succeeded" => (true, EventStatus.Succeeded),
            "failed" => (true, EventStatus.Failed),
            "skipped" => (true, EventStatus.Skipped),
            _ => (false, default),
        };
        return known;
    }

    /// <summary>A stored status. Only Herald writes that column, so an unknown value is a corrupt row, not bad input.</summary>
    public static EventStatus FromStore(string text) =>
        TryParse(text, out var status) ? status : throw new InvalidDataException($"event status '{text}' in the event log is not one of in_progress, succeeded, failed, skipped");
}
