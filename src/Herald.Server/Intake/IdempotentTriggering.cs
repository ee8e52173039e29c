using System.Text;
using System.Text.Json;
using Herald.Server.Configs;
using Herald.Server.Events;
using Herald.Server.Http;
using Herald.Server.Idempotency;

namespace Herald.Server.Intake;

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
    public async Task<IResult?> EarlierAnswerAsync(HttpResponse response, OrganizationId orgId, string scope, string key, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        return await answers.FindAsync(orgId, scope, key, now, cancellationToken) is { } earlier ? Respond(response, earlier, now) : null;
    }

    /// <summary>Commits the events and answers <paramref name="answer"/>, or repeats the earlier answer under the key.</summary>
    public async Task<IResult> AcceptAsync<TAnswer>(
        HttpResponse response, OrganizationId orgId, string scope, string key, IReadOnlyList<(ConfigRecord Config, EventRecord Event)> events, int statusCode, TAnswer answer)
    {
        var body = JsonSerializer.Serialize(answer, HeraldJson.Options);
        var claim = new IdempotencyClaim(orgId, scope, key, time.GetUtcNow(), statusCode, body, Completed: true);
        var accepted = await triggering.AcceptAsync(events, claim, JobStart.HandOver);
        return accepted.Earlier is null ? Answer(statusCode, body) : Respond(response, accepted.Earlier, time.GetUtcNow());
    }

    /// <summary>A sync trigger: commits the event, runs its first attempt and answers with the outcome, or repeats the earlier answer.</summary>
    public async Task<IResult> DeliverNowAsync(HttpResponse response, OrganizationId orgId, string scope, string key, ConfigRecord config, EventRecord stored)
    {
        var provisional = JsonSerializer.Serialize(new TriggerWebhookResp { EventId = stored.EventId.Value }, HeraldJson.Options);
        var claim = new IdempotencyClaim(orgId, scope, key, time.GetUtcNow(), StatusCodes.Status200OK, provisional, Completed: false);
        var accepted = await triggering.AcceptAsync([(config, stored)], claim, JobStart.Now);
        if (accepted.Earlier is not null)
        {
            return Respond(response, accepted.Earlier, time.GetUtcNow());
        }
        var outcome = await triggering.OutcomeAsync(accepted.Jobs[0], response.HttpContext.Features.Get<RequestTurn>());
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
