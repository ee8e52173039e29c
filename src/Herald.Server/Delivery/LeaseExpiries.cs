using Herald.Server.Egress;
using Herald.Server.Events;

namespace Herald.Server.Delivery;

/// <summary>
/// The end of a job that keeps losing its node. A claim counts every lease it finds run out (the node holding the job
/// stopped or crashed mid-attempt); once a job's count reaches <see cref="DeliveryOptions.MaxLeaseExpiries"/>, the
/// claim that counted it removes the job and ends its event as failed in the same transaction instead of leasing it, so a job that
/// brings down whichever node runs it is handed out a bounded number of times.
/// </summary>
public static class LeaseExpiries
{
    /// <summary>Whether a job whose lease ran out <paramref name="reclaims"/> times, this claim included, is to be given up.</summary>
    public static bool Exhausted(int reclaims, int maxLeaseExpiries) => reclaims >= maxLeaseExpiries;

    /// <summary>The new state of a given-up job's event: failed, with <see cref="Response"/>; a replay keeps its event's retry count.</summary>
    public static EventUpdate Failed(DeliveryJob job, DateTimeOffset now, int maxLeaseExpiries) => new()
    {
        EventId = job.EventId,
        Status = EventStatus.Failed,
        RetryAttempt = job.Kind == JobKind.Deliver ? job.Attempt : null,
        HttpResponse = Response(maxLeaseExpiries),
        StartDate = now,
        EndDate = now,
    };

    /// <summary>The <c>http_response</c> a given-up event ends with: <c>INTERNAL_ERROR</c>, naming the setting.</summary>
    public static string Response(int maxLeaseExpiries) => AttemptRunner.ResponseJson(null, null,
        $"The delivery was given up after its lease ran out {maxLeaseExpiries} times without an outcome (the node running it stopped or crashed each time); "
        + $"{DeliveryOptions.Section}:MaxLeaseExpiries sets how many times", DeliveryCode.InternalError.ToWire());
}
