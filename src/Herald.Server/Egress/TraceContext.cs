using System.Diagnostics;

namespace Herald.Server.Egress;

/// <summary>
/// The attempt's trace context on the outgoing request (<c>traceparent</c>, <c>tracestate</c>), only with
/// <see cref="EgressOptions.PropagateTraceContext"/>: receivers are third parties. Added here, once, because the
/// handlers add none (<see cref="EgressClients"/>).
/// </summary>
public static class TraceContext
{
    private static readonly DistributedContextPropagator W3C = DistributedContextPropagator.CreateW3CPropagator();

    public static void Inject(EgressOptions options, HttpRequestMessage request)
    {
        if (!options.PropagateTraceContext || Activity.Current is not { } current)
        {
            return;
        }
        W3C.Inject(current, request, static (carrier, name, value) =>
        {
            if (name is "traceparent" or "tracestate")
            {
                ((HttpRequestMessage)carrier!).Headers.TryAddWithoutValidation(name, value);
            }
        });
    }
}
