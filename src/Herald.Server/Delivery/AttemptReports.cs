using System.Diagnostics;
using System.Globalization;
using Herald.Server.Events;
using Herald.Server.Http;

namespace Herald.Server.Delivery;

/// <summary>
/// Tells how one run of a job ended, once it is recorded: one log line (a success at information, a failure at warning
/// with its status or code, the attempt's number as the attempts endpoint shows it, and when the next attempt is due),
/// the delivery instruments (<see cref="DeliveryMetrics"/>), and the attempt's span (<see cref="Telemetry.HeraldTraces"/>).
/// A skip is logged where it is decided (<see cref="AttemptRunner"/>); here it is only counted.
/// </summary>
public sealed partial class AttemptReports(DeliveryMetrics metrics, ILogger<AttemptReports> logger)
{
    public void Ended(RunOutcome.Done outcome, Activity? span)
    {
        var completion = outcome.Completion;
        var job = completion.Job;
        var result = outcome.Result;
        var number = completion.Attempt?.Number ?? job.Attempt + 1;
        var outcomeName = completion.Event.Status switch
        {
            EventStatus.Succeeded => DeliveryMetrics.Outcomes.Succeeded,
            EventStatus.Skipped => DeliveryMetrics.Outcomes.Skipped,
            _ when completion.RetryAt is not null => DeliveryMetrics.Outcomes.Retrying,
            _ => DeliveryMetrics.Outcomes.Failed,
        };
        TimeSpan? duration = completion.Attempt is { } attempt ? TimeSpan.FromMilliseconds(attempt.DurationMs) : null;
        metrics.Ended(job.OrgId, outcomeName, duration);

        var failure = Failure(result);
        switch (outcomeName)
        {
            case DeliveryMetrics.Outcomes.Succeeded:
                LogSucceeded(logger, job.ConfigId.Value, job.EventId, number, result?.StatusCode ?? 0);
                break;
            case DeliveryMetrics.Outcomes.Retrying:
                LogRetrying(logger, job.ConfigId.Value, job.EventId, number, failure, HeraldJson.Timestamp(completion.RetryAt!.Value));
                break;
            case DeliveryMetrics.Outcomes.Failed:
                LogFailed(logger, job.ConfigId.Value, job.EventId, number, failure);
                break;
        }

        if (span is not null)
        {
            span.SetTag("herald.outcome", outcomeName);
            span.SetTag("herald.attempt.number", number);
            if (result?.StatusCode is { } status)
            {
                span.SetTag("http.response.status_code", status);
            }
            if (outcomeName is DeliveryMetrics.Outcomes.Failed or DeliveryMetrics.Outcomes.Retrying)
            {
                span.SetStatus(ActivityStatusCode.Error, failure);
            }
        }
    }

    /// <summary>"status 503", "code TIMEOUT", or both; the message when there is neither.</summary>
    internal static string Failure(Egress.AttemptResult? result)
    {
        var parts = new List<string>(2);
        if (result?.StatusCode is { } status)
        {
            parts.Add("status " + status.ToString(CultureInfo.InvariantCulture));
        }
        if (result?.Code is { } code)
        {
            parts.Add("code " + code.ToWire());
        }
        if (parts.Count == 0)
        {
            parts.Add(string.IsNullOrEmpty(result?.Message) ? "no answer recorded" : result.Message);
        }
        return string.Join(", ", parts);
    }

    [LoggerMessage(EventId = 200, Level = LogLevel.Information, Message = "Delivered config {ConfigId} event {EventId} attempt {Attempt}: status {StatusCode}")]
    private static partial void LogSucceeded(ILogger logger, string configId, string eventId, int attempt, int statusCode);

    [LoggerMessage(EventId = 204, Level = LogLevel.Warning, Message = "Attempt {Attempt} of config {ConfigId} event {EventId} failed ({Failure}); next attempt at {NextAttemptAt}")]
    private static partial void LogRetrying(ILogger logger, string configId, string eventId, int attempt, string failure, string nextAttemptAt);

    [LoggerMessage(EventId = 205, Level = LogLevel.Warning, Message = "Attempt {Attempt} of config {ConfigId} event {EventId} failed ({Failure}); no further attempt")]
    private static partial void LogFailed(ILogger logger, string configId, string eventId, int attempt, string failure);
}
