using System.Diagnostics;

namespace Herald.Server.Telemetry;

/// <summary>
/// Herald's spans: one <c>herald.trigger</c> span per accepted request and one <c>herald.attempt</c> span per attempt.
/// An attempt the trigger hands to this node's runner (or runs at once, sync) is a child of the trigger's span; an
/// attempt claimed from the queue (a retry, or a job another node committed) starts a trace of its own.
/// </summary>
public static class HeraldTraces
{
    public const string SourceName = "Herald";

    public const string Trigger = "herald.trigger";

    public const string Attempt = "herald.attempt";

    public static readonly ActivitySource Source = new(SourceName, typeof(HeraldTraces).Assembly.GetName().Version?.ToString());
}
