namespace Herald.Server.Events;

/// <summary>A page of one event's tries, and where the next page starts (null when this is the last).</summary>
public sealed record AttemptPage(IReadOnlyList<DeliveryAttempt> Attempts, long? Next);
