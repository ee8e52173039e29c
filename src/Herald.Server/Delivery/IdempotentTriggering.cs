using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Herald.Server.Configs;
using Herald.Server.Http;
using Herald.Server.Idempotency;

namespace Herald.Server.Delivery;

/// <summary>
/// Triggers and fan-outs under an <c>Idempotency-Key</c>: the first request commits its events together with its
/// answer under the key; a repeat within 24 h gets that answer (same status, same body, plus
/// <c>Idempotent-Replayed: true</c>) and creates nothing. A sync trigger claims the key with a provisional answer
/// (its event id) while its first attempt runs; a repeat meanwhile gets 409, and the final answer replaces the
/// provisional one when the attempt ends.
/// </summary>
public sealed class IdempotentTriggering(IIdempotencyStore answers, Triggering triggering, TimeProvider time)
{
    /// <summary>The earlier answer under the key as a response, or null when the key is free.</summary>
    public async Task<IResult?> EarlierAnswerAsync(HttpResponse response, string orgId, string scope, string key, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        return await answers.FindAsync(orgId, scope, key, now, cancellationToken) is { } earlier ? Respond(response, earlier, now) : null;
    }

    /// <summary>Commits the deliveries and answers <paramref name="answer"/>, or repeats the earlier answer under the key.</summary>
    public async Task<IResult> AcceptAsync<TAnswer>(
        HttpResponse response, string orgId, string scope, string key, IReadOnlyList<NewDelivery> deliveries, int statusCode, TAnswer answer)
    {
        var body = JsonSerializer.Serialize(answer, HeraldJson.Options);
        var claim = new IdempotencyClaim(orgId, scope, key, time.GetUtcNow(), statusCode, body, Completed: true);
        var (_, earlier) = await triggering.AcceptOnceAsync(deliveries, claim);
        return earlier is null ? Answer(statusCode, body) : Respond(response, earlier, time.GetUtcNow());
    }

    /// <summary>A sync trigger: commits the event, runs its first attempt and answers with the outcome, or repeats the earlier answer.</summary>
    public async Task<IResult> DeliverNowAsync(HttpResponse response, string orgId, string scope, string key, ConfigRecord config, JsonObject payload)
    {
        var delivery = triggering.BuildLeased(config, payload);
        var provisional = JsonSerializer.Serialize(new TriggerWebhookResp { EventId = delivery.Event.EventId }, HeraldJson.Options);
        var claim = new IdempotencyClaim(orgId, scope, key, time.GetUtcNow(), StatusCodes.Status200OK, provisional, Completed: false);
        var (jobIds, earlier) = await triggering.AcceptOnceAsync([delivery], claim);
        if (earlier is not null)
        {
            return Respond(response, earlier, time.GetUtcNow());
        }
        // As without a key, the attempt runs to its own timeout even if the caller goes away.
        var outcome = await triggering.RunLeasedAsync(delivery.Job with { JobId = jobIds![0] }, CancellationToken.None, triggering.Inputs(delivery, config));
        var body = JsonSerializer.Serialize(outcome, HeraldJson.Options);
        await answers.CompleteAsync(claim, StatusCodes.Status200OK, body, CancellationToken.None);
        return Answer(StatusCodes.Status200OK, body);
    }

    private static IResult Respond(HttpResponse response, StoredAnswer earlier, DateTimeOffset now)
    {
        if (IdempotencyRules.Decide(earlier, now) == EarlierAnswer.InProgress)
        {
            return Problem.Conflict($"A request with this {IdempotencyKey.Header} is still in progress; retry later");
        }
        response.Headers[IdempotencyKey.ReplayedHeader] = "true";
        return Answer(earlier.StatusCode, earlier.Body);
    }

    private static IResult Answer(int statusCode, string body) => Results.Content(body, "application/json", Encoding.UTF8, statusCode);
}
