namespace Herald.Server.Intake;

/// <summary>How soon a new job runs, and where.</summary>
public enum JobStart
{
    /// <summary>It waits in the queue for whichever node claims it.</summary>
    Queue,

    /// <summary>This node's worker takes it at once when it has room for it; otherwise it waits in the queue.</summary>
    HandOver,

    /// <summary>This node runs it at once, whatever its role, and the caller awaits its outcome (a sync trigger).</summary>
    Now,
}
