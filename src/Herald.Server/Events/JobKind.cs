namespace Herald.Server.Events;

/// <summary>
/// The kinds of delivery work: the queue's jobs carry one, and each attempt in the event history names the kind it
/// was made for. Stored and listed as <see cref="JobKinds"/> spells them.
/// </summary>
public enum JobKind
{
    /// <summary>A triggered event: first attempt, then automatic retries.</summary>
    Deliver,

    /// <summary>A replay: one attempt, never an automatic retry chain.</summary>
    Replay,
}

/// <summary>
/// The one mapping between <see cref="JobKind"/> and its strings, which both engines store (jobs and attempts) and
/// the event history lists as an attempt's <c>kind</c>.
/// </summary>
public static class JobKinds
{
    public static string ToContract(this JobKind kind) => kind switch
    {
        JobKind.Deliver => "deliver",
        JobKind.Replay => "replay",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "not a job kind"),
    };

    /// <summary>The kind a string names; false for anything else (case and spelling must match).</summary>
    public static bool TryParse(string? text, out JobKind kind)
    {
        (var known, kind) = text switch
        {
            "deliver" => (true, JobKind.Deliver),
            "replay" => (true, JobKind.Replay),
            _ => (false, default),
        };
        return known;
    }

    /// <summary>A stored kind. Only Herald writes that column, so an unknown value is a corrupt row, not bad input.</summary>
    public static JobKind FromStore(string text) =>
        TryParse(text, out var kind) ? kind : throw new InvalidDataException($"job kind '{text}' in the delivery queue or attempts is not one of deliver, replay");
}
