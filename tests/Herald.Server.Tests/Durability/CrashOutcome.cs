using Herald.Server.Tests.Support;

namespace Herald.Server.Tests.Durability;

/// <summary>
/// What a stream of triggers left after a process was killed in its middle: the webhook-ids the receiver saw (and how
/// often), the events whose jobs were reclaimed after an expired lease, and the events sent more than once.
/// </summary>
internal sealed class CrashOutcome
{
    private CrashOutcome(QueueSnapshot snapshot, IReadOnlyList<ReceivedRequest> requests)
    {
        Snapshot = snapshot;
        Requests = requests.Count;
        Received = requests.GroupBy(r => r.Header("webhook-id")).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        Attempts = snapshot.AttemptsByEvent;
        Reclaimed = snapshot.EventStatus.Keys.Where(id => Attempts[id].Any(a => a.AfterReclaim)).ToHashSet(StringComparer.Ordinal);
        Duplicated = snapshot.EventStatus.Keys.Where(id => Received.GetValueOrDefault(WebhookSteps.MessageIdOf(id)) > 1).ToList();
    }

    public static CrashOutcome Of(QueueSnapshot snapshot, Receiver receiver) => new(snapshot, receiver.Received);

    public QueueSnapshot Snapshot { get; }

    /// <summary>Every request the receiver got, repeats included.</summary>
    public int Requests { get; }

    /// <summary>Each event's attempt rows.</summary>
    public ILookup<string, AttemptRow> Attempts { get; }

    /// <summary>Requests per webhook-id.</summary>
    public IReadOnlyDictionary<string, int> Received { get; }

    /// <summary>Events with an attempt made after their job's lease expired and another process took it.</summary>
    public IReadOnlySet<string> Reclaimed { get; }

    /// <summary>Events the receiver got more than once.</summary>
    public IReadOnlyList<string> Duplicated { get; }

    /// <summary>How often the receiver got <paramref name="eventId"/>.</summary>
    public int TimesReceived(string eventId) => Received.GetValueOrDefault(WebhookSteps.MessageIdOf(eventId));

    /// <summary>
    /// Nothing accepted was lost: every accepted event is stored, succeeded and was seen by the receiver; no job is
    /// left; and no more events are stored than the triggers accepted plus those whose answer the kill cut off.
    /// </summary>
    public void AssertNothingLost(TriggerStreamResult fired)
    {
        var accepted = fired.Accepted;
        AssertNone(accepted.Where(id => !Snapshot.EventStatus.ContainsKey(id)), "accepted events missing from the database");
        AssertNone(accepted.Where(id => !Received.ContainsKey(WebhookSteps.MessageIdOf(id))), "accepted events the receiver never saw");
        Assert.Equal(0, Snapshot.JobsLeft);
        AssertNone(Snapshot.EventStatus.Where(e => e.Value != "succeeded").Select(e => $"{e.Key}={e.Value}"), "events that did not succeed");
        Assert.True(Snapshot.EventStatus.Count - accepted.Count <= fired.LostInTransit,
            $"{Snapshot.EventStatus.Count} events stored for {accepted.Count} accepted triggers and {fired.LostInTransit} lost in transit");
    }

    /// <summary>A second send of an event comes only from a job reclaimed after its lease expired.</summary>
    public void AssertDuplicatesOnlyFromReclaims() =>
        AssertNone(Duplicated.Where(id => !Reclaimed.Contains(id)).Select(id => $"{id}: received {TimesReceived(id)} times, attempts {Describe(id)}"),
            "duplicates without an expired lease");

    /// <summary>An event's attempts, for a failure message.</summary>
    public string Describe(string eventId) =>
        "[" + string.Join(", ", Attempts[eventId].Select(a => $"#{a.Number} {a.StatusCode?.ToString() ?? a.Code}{(a.AfterReclaim ? " after reclaim" : "")}")) + "]";

    public static void AssertNone(IEnumerable<string> found, string what)
    {
        var list = found.ToList();
        Assert.True(list.Count == 0, $"{list.Count} {what}: {string.Join("; ", list.Take(10))}");
    }
}
