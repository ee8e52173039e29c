using System.Diagnostics;
using System.Text.Json.Nodes;
using Herald.Server.Configs;
using Herald.Server.Egress;
using Herald.Server.Environments;
using Herald.Server.Events;
using Herald.Server.Http;
using Herald.Server.ReceiverAuth;
using Herald.Server.Signing;

namespace Herald.Server.Delivery;

/// <summary>How running one claimed job ended.</summary>
public abstract record RunOutcome
{
    /// <summary>An attempt was made (or the pipeline ended the event): record it.</summary>
    public sealed record Done(JobCompletion Completion, AttemptResult? Result) : RunOutcome;
}

/// <summary>
/// Runs one claimed job: loads its event and the config as it is now, prepares the request, signs exactly the bytes
/// it sends, makes the attempt, and decides what happens next. Pure decisions live in <see cref="DeliveryOutcome"/>
/// and <see cref="RetrySchedule"/>; this class is the I/O around them.
/// </summary>
public sealed partial class AttemptRunner(
    IEventStore events,
    IConfigStore configs,
    ConfigSecretsBox secrets,
    OrgKeys keys,
    DeliveryPipeline pipeline,
    RequestBuilder requests,
    WebhookSender sender,
    TimeProvider time,
    ILogger<AttemptRunner> logger)
{
    /// <summary>
    /// Runs the job; throws <see cref="OperationCanceledException"/> only when <paramref name="abort"/> (or the wait for
    /// <paramref name="turn"/>) is cancelled. Reads the event and config itself unless <paramref name="inputs"/> brings
    /// them, loaded with the claim. With <paramref name="turn"/>, the send waits for the permit it gives for the
    /// request's destination (<see cref="DeliveryScheduler.DestinationOf"/>) and the config's <c>rateLimit</c>, tells
    /// it what the send met and ends it when the answer is in; a deferred turn (<see cref="SendDeferredException"/>)
    /// propagates, as a stop does.
    /// </summary>
    public async Task<RunOutcome> RunAsync(
        DeliveryJob job, string owner, CancellationToken abort, Func<SendTurn, CancellationToken, Task<SendPermit>>? turn = null, JobInputs? inputs = null)
    {
        EventRecord? stored;
        ConfigRecord? config;
        try
        {
            stored = inputs is null ? await events.GetAsync(job.OrgId, job.EventId, abort) : inputs.Event;
            config = inputs is null ? await configs.GetAsync(job.OrgId, job.ConfigId, abort) : inputs.Config;
        }
        catch (Exception e) when (ErrorHandling.DatabaseUnavailable(e))
        {
            throw DeferForDatabase(job, e);
        }
        if (stored is null || config is null)
        {
            var missing = stored is null ? "event" : "webhook config";
            return Finish(job, owner, stored, AttemptResult.Failure(DeliveryCode.InternalError, $"The {missing} no longer exists", retryable: false), null, null, time.GetUtcNow(), 0, recordAttempt: false);
        }

        var configSecrets = inputs?.Secrets ?? secrets.Open(config);
        // Filled with the secret variable values this attempt resolves; Finish masks them in everything it records.
        var mask = new SecretMask();
        var started = time.GetUtcNow();
        Prepared prepared;
        try
        {
            prepared = await pipeline.PrepareAsync(job, stored, config, configSecrets, mask, abort);
        }
        catch (Exception e) when (ErrorHandling.DatabaseUnavailable(e))
        {
            throw DeferForDatabase(job, e);
        }
        catch (Exception e) when (IsUnexpected(e, abort))
        {
            return Unexpected(job, owner, stored, config, started, e, mask);
        }
        started = time.GetUtcNow();
        switch (prepared)
        {
            case Prepared.Skip skip:
                LogSkipped(logger, job.EventId, job.ConfigId, skip.Reason);
                return new RunOutcome.Done(new JobCompletion
                {
                    Job = job,
                    Owner = owner,
                    Event = new EventUpdate
                    {
                        EventId = job.EventId,
                        Status = EventStatus.Skipped,
                        RetryAttempt = job.Kind == JobKind.Deliver ? job.Attempt : stored.RetryAttempt,
                        HttpResponse = ResponseJson(null, null, skip.Reason, skip.Code, skip.Hydration),
                        StartDate = started,
                        EndDate = started,
                    },
                }, null);
            case Prepared.Fail fail:
                return Finish(job, owner, stored, AttemptResult.Failure(fail.Code, fail.Message, fail.Retryable, fail.StatusCode), null, null, started, 0, recordAttempt: true, config.Document, mask: mask);
        }

        var send = (Prepared.Send)prepared;
        using var streamed = send.Request.Streamed;
        // A node that stops cancels a job still waiting for its turn: that gives the job back, it is no failure.
        var waiting = turn is not null;
        // Once the request may have reached the receiver, what follows is an attempt, whatever fails.
        var sent = false;
        try
        {
            var sendTurn = new SendTurn(job.OrgId, DeliveryScheduler.DestinationOf(send.Request.Url), 0) { ConfigId = job.ConfigId, RateLimit = config.Document.RateLimit };
            using (var permit = turn is null ? null : await turn(sendTurn, abort))
            {
                waiting = false;
                // The attempt starts when its turn comes, not when it began to wait.
                started = time.GetUtcNow();
                var signed = await SignAsync(send.Request, job, configSecrets, started, abort);
                var clock = time.GetTimestamp();
                sent = true;
                var result = await sender.SendAsync(signed, abort);
                // OAuth: a 401 can mean the cached token was revoked before it ran out. Drop it and try once more at
                // once with a fresh one, as part of this same attempt (wire-format section 3).
                if (result.StatusCode == 401 && requests.DropRejectedToken(config, send.Request))
                {
                    result = await SendWithFreshTokenAsync(config, configSecrets, send.Request, job, mask, abort);
                }
                permit?.Report(result);
                var duration = (int)time.GetElapsedTime(clock).TotalMilliseconds;
                var storedPayload = send.PayloadIsInput ? StoredPayload.PayloadIsInput : send.Payload;
                return Finish(job, owner, stored, result, storedPayload, send.OriginalPayload, started, duration, recordAttempt: true, config.Document, send.Hydration, mask);
            }
        }
        catch (Exception e) when (!sent && ErrorHandling.DatabaseUnavailable(e))
        {
            throw DeferForDatabase(job, e);
        }
        catch (Exception e) when (!(waiting && e is OperationCanceledException) && IsUnexpected(e, abort))
        {
            return Unexpected(job, owner, stored, config, started, e, mask);
        }
    }

    /// <summary>
    /// The database could not serve a read the attempt needs before its send (the event, the config, variables, keys):
    /// that is no fault of the event or its receiver, so it is no attempt. The job goes back to the queue, due after
    /// <see cref="SendDeferredException.NodeDelay"/>, with its attempt count unchanged (should the database still be out, the give-back
    /// fails too, and the job waits for its lease to run out).
    /// </summary>
    private SendDeferredException DeferForDatabase(DeliveryJob job, Exception e)
    {
        LogDatabaseUnavailable(logger, job.ConfigId, job.EventId, e);
        return new SendDeferredException(time.GetUtcNow() + SendDeferredException.NodeDelay, SendDeferredException.Reasons.Database);
    }

    /// <summary>
    /// Anything a step did not turn into a result, except a deferral and this node stopping: a bug, an answer no step
    /// expected, or the runtime running short (out of memory, say).
    /// </summary>
    private static bool IsUnexpected(Exception e, CancellationToken abort) =>
        e is not SendDeferredException && !(e is OperationCanceledException && abort.IsCancellationRequested);

    /// <summary>
    /// Ends the attempt like any failed one, retryable on the normal schedule, instead of leaving the job to its lease
    /// (to be claimed, and to throw, again). The receiver's owner sees the exception's type and the first line of its
    /// message, cut short; the log has the whole exception.
    /// </summary>
    private RunOutcome.Done Unexpected(DeliveryJob job, string owner, EventRecord stored, ConfigRecord config, DateTimeOffset started, Exception e, SecretMask mask)
    {
        LogUnexpected(logger, job.ConfigId, job.EventId, job.Attempt, e);
        var message = e.Message.Split('\n', 2)[0].Trim();
        if (message.Length > 200)
        {
            message = StoredText.Cut(message, 200) + "...";
        }
        var result = AttemptResult.Failure(DeliveryCode.InternalError, $"The attempt failed on an unexpected {e.GetType().Name}: {message}", retryable: true);
        return Finish(job, owner, stored, result, null, null, started, (int)(time.GetUtcNow() - started).TotalMilliseconds, recordAttempt: true, config.Document, mask: mask);
    }

    private async Task<AttemptResult> SendWithFreshTokenAsync(
        ConfigRecord config, ConfigSecrets configSecrets, OutgoingRequest rejected, DeliveryJob job, SecretMask mask, CancellationToken abort)
    {
        var rebuilt = await requests.BuildAsync(config, configSecrets, rejected.Method, rejected.Body, mask, abort);
        if (rebuilt.Failure is { } failure)
        {
            return AttemptResult.Failure(failure.Code, failure.Message, failure.Retryable, failure.StatusCode);
        }
        LogTokenRenewed(logger, job.ConfigId, job.EventId, job.Attempt);
        var signed = await SignAsync(rebuilt.Request! with { Streamed = rejected.Streamed }, job, configSecrets, time.GetUtcNow(), abort);
        return await sender.SendAsync(signed, abort);
    }

    /// <summary>Signs with the secrets and keys in use at <paramref name="now"/>, the send time: during a rotation's overlap, both.</summary>
    private async Task<OutgoingRequest> SignAsync(OutgoingRequest request, DeliveryJob job, ConfigSecrets configSecrets, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var messageId = WebhookSignature.MessageId(Guid.Parse(job.EventId.Value));
        var timestamp = now.ToUnixTimeSeconds();
        var content = WebhookSignature.SignedContent(messageId, timestamp, request.SignedBody);
        var orgKeys = await keys.SigningKeysAsync(job.OrgId, cancellationToken);
        var headers = new List<KeyValuePair<string, string>>(request.Headers)
        {
            new("webhook-id", messageId),
            new("webhook-timestamp", timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            new("webhook-signature", WebhookSignature.Header(orgKeys, SigningSecrets.At(configSecrets, now), content)),
        };
        return request with { Headers = headers };
    }

    private RunOutcome.Done Finish(
        DeliveryJob job, string owner, EventRecord? stored, AttemptResult result, string? storedPayload, string? originalPayload,
        DateTimeOffset started, int durationMs, bool recordAttempt, WebhookConfig? config = null, string? hydration = null, SecretMask? mask = null)
    {
        // The one place an attempt's outcome is recorded and answered: no secret variable value passes it.
        if (mask is { IsEmpty: false })
        {
            result = result with { Message = mask.Apply(result.Message), Body = mask.Apply(result.Body) };
        }
        if (StoredText.HasNul(result.Message))
        {
            // A receiver's text answer: PostgreSQL could not store it, so the attempt could never be recorded.
            result = result with { Message = StoredText.Storable(result.Message) };
        }
        var now = time.GetUtcNow();
        var automatic = job.Kind == JobKind.Deliver;
        var retry = config?.RetryPolicy;
        var verdict = DeliveryOutcome.Decide(result, automatic, retry?.Enabled ?? false, retry?.MaxAttempts ?? 0, job.Attempt);
        DateTimeOffset? retryAt = verdict == Verdict.Retry
            ? now + RetrySchedule.DelayBefore(job.Attempt + 1, Random.Shared.NextDouble(), result.RetryAfter)
            : null;
        var status = verdict switch
        {
            Verdict.Succeeded => EventStatus.Succeeded,
            Verdict.Retry => EventStatus.InProgress,
            _ => EventStatus.Failed,
        };
        var response = ResponseJson(result.StatusCode, result.Body, result.Message, result.Code?.ToWire(), hydration);
        var update = new EventUpdate
        {
            EventId = job.EventId,
            Status = status,
            RetryAttempt = automatic ? job.Attempt : stored?.RetryAttempt ?? 0,
            Payload = storedPayload,
            OriginalPayload = originalPayload,
            HttpResponse = response,
            StartDate = started,
            EndDate = verdict == Verdict.Retry ? null : now,
        };
        var attempt = recordAttempt
            ? new DeliveryAttempt
            {
                EventId = job.EventId,
                OrgId = job.OrgId,
                Number = job.Attempt + 1,
                Kind = job.Kind,
                StartedAt = started,
                DurationMs = durationMs,
                StatusCode = result.StatusCode,
                Code = result.Code,
                Message = result.Message,
                ResponseExcerpt = Excerpt(result),
                AfterReclaim = job.Reclaims > 0,
                // Redacted when it was taken (Egress.RequestRecord), with the same mask as the rest of the attempt.
                Request = result.Request?.ToJson(),
            }
            : null;
        // A disabled config's attempts (retries and replays after it was disabled) count towards no streak, so enabling it again starts afresh.
        var health = attempt is not null && config is { Enabled: not false }
            ? new HealthMark(job.OrgId, job.ConfigId, result.Succeeded, started, result.Succeeded ? null : AttemptReports.Failure(result))
            : null;
        return new RunOutcome.Done(new JobCompletion { Job = job, Owner = owner, Event = update, Attempt = attempt, RetryAt = retryAt, Health = health }, result);
    }

    /// <summary>
    /// The contract's <c>http_response</c>: status code, parsed JSON body or text message, code; beyond the contract,
    /// <c>hydration</c> says what became of <c>hydrate_entity</c> when the config asks for it.
    /// </summary>
    internal static string ResponseJson(int? statusCode, JsonNode? body, string? message, string? code, string? hydration = null)
    {
        var response = new JsonObject();
        if (statusCode is { } status)
        {
            response["status_code"] = status;
        }
        if (message is not null)
        {
            response["message"] = message;
        }
        if (body is not null)
        {
            response["body"] = body.DeepClone();
        }
        if (code is not null)
        {
            response["code"] = code;
        }
        if (hydration is not null)
        {
            response["hydration"] = hydration;
        }
        return response.ToJsonString(HeraldJson.Options);
    }

    private static string? Excerpt(AttemptResult result)
    {
        const int max = 2048;
        var text = result.Body?.ToJsonString() ?? result.Message;
        return text is null ? null : StoredText.Cut(text, max);
    }

    [LoggerMessage(EventId = 202, Level = LogLevel.Information, Message = "Receiver answered 401 for config {ConfigId} event {EventId} attempt {Attempt}: retrying at once with a fresh OAuth token")]
    private static partial void LogTokenRenewed(ILogger logger, ConfigId configId, WebhookEventId eventId, int attempt);

    [LoggerMessage(EventId = 206, Level = LogLevel.Warning, Message = "Config {ConfigId} event {EventId}: the database could not serve the attempt before its send; the job goes back to the queue without an attempt")]
    private static partial void LogDatabaseUnavailable(ILogger logger, ConfigId configId, WebhookEventId eventId, Exception error);

    [LoggerMessage(EventId = 203, Level = LogLevel.Error, Message = "Config {ConfigId} event {EventId} attempt {Attempt} failed on an unexpected exception, recorded as a retryable INTERNAL_ERROR")]
    private static partial void LogUnexpected(ILogger logger, ConfigId configId, WebhookEventId eventId, int attempt, Exception error);

    [LoggerMessage(EventId = 201, Level = LogLevel.Information, Message = "Skipped config {ConfigId} event {EventId}: {Reason}")]
    private static partial void LogSkipped(ILogger logger, WebhookEventId eventId, ConfigId configId, string reason);
}
