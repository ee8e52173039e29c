using System.Security.Claims;
using System.Text.Json.Serialization;
using Herald.Server.Authentication;
using Herald.Server.Configs;
using Herald.Server.Events;
using Herald.Server.Http;
using Herald.Server.Intake;

namespace Herald.Server.Recovery;

/// <summary>
/// POST /v1/webhooks/configs/{configId}/recover   recoverEvents   (Herald extension; 202, 400, 404, 422, 429)
/// </summary>
/// <remarks>
/// Replays every event of the config whose status is <c>failed</c> and whose <c>created_at</c> lies in the window,
/// oldest first, once each. The answer comes at once with how many it found; the replays are queued in the background
/// by <see cref="RecoveryWorker"/>, a page at a time, through the same path as <c>batchReplayEvents</c>. While a
/// recovery of the same config and window runs, asking again answers its count and starts nothing.
/// </remarks>
public static partial class RecoverApi
{
    public static IEndpointRouteBuilder MapRecovery(this IEndpointRouteBuilder routes)
    {
        routes.MapPost("/v1/webhooks/configs/{configId}/recover", RecoverEvents).WithName("recoverEvents").WithTags("webhooks", "events")
            .RequireAuthorization().Accepts<RecoverRequestBody>("application/json").Produces<RecoverResp>(StatusCodes.Status202Accepted)
            .Produces<ErrorResp>(StatusCodes.Status400BadRequest).Produces<ErrorResp>(StatusCodes.Status404NotFound)
            .Produces<ErrorResp>(StatusCodes.Status422UnprocessableEntity).Produces<ErrorResp>(StatusCodes.Status429TooManyRequests);
        return routes;
    }

    public static async Task<IResult> RecoverEvents(
        string configId, HttpRequest request, ClaimsPrincipal user, IConfigStore configs, IEventStore events, IRecoveryStore recoveries,
        RecoveryOptions options, RecoverySignal signal, TimeProvider time, ILoggerFactory logs, CancellationToken cancellationToken)
    {
        var (body, error) = await JsonBody.ReadObjectAsync(request);
        if (error is not null)
        {
            return error;
        }
        var now = time.GetUtcNow();
        var (window, invalid) = RecoveryRequest.Read(body!, now, options.MaxWindow);
        if (invalid is not null)
        {
            return Problem.BadRequest(invalid);
        }

        var orgId = user.OrgId();
        var id = ConfigId.From(configId);
        if (await ReplayApi.ConfigToReplayAsync(configs, orgId, id, cancellationToken) is (null, var refused))
        {
            return refused!;
        }
        if (await recoveries.FindAsync(orgId, id, window!.Key, cancellationToken) is { } running)
        {
            return Accepted(running.Total);
        }

        var total = await events.CountAsync(orgId, id, EventStatus.Failed, window.Since, window.Until, cancellationToken);
        if (total == 0)
        {
            return Accepted(0);
        }
        var started = await recoveries.StartAsync(new EventRecovery
        {
            RecoveryId = ShortId.New(),
            OrgId = orgId,
            ConfigId = id,
            WindowKey = window.Key,
            Since = window.Since,
            Until = window.Until,
            Total = total,
            CreatedAt = now,
        }, options.MaxRunningPerOrganization, cancellationToken);
        if (started is null)
        {
            return Problem.Status(StatusCodes.Status429TooManyRequests,
                $"This organization already runs {options.MaxRunningPerOrganization} recoveries (setting {RecoveryOptions.Section}:{nameof(RecoveryOptions.MaxRunningPerOrganization)}); "
                + "wait for one to finish");
        }
        signal.Notify();
        LogStarted(logs.CreateLogger(typeof(RecoverApi)), id, started.Total, window.Since, window.Until);
        return Accepted(started.Total);
    }

    private static IResult Accepted(int recovered) => Results.Json(new RecoverResp(recovered), statusCode: StatusCodes.Status202Accepted);

    [LoggerMessage(EventId = 800, Level = LogLevel.Information, Message = "Recovering {Count} failed events of config {ConfigId} created from {Since} to {Until}")]
    private static partial void LogStarted(ILogger logger, ConfigId configId, int count, DateTimeOffset since, DateTimeOffset until);
}

/// <summary>The body of <c>recoverEvents</c> (documentation only: bodies are read by hand).</summary>
public sealed record RecoverRequestBody(
    [property: JsonPropertyName("since")] string Since,
    [property: JsonPropertyName("until")] string? Until);

/// <summary>The 202 answer of <c>recoverEvents</c>: how many failed events the window held when asked.</summary>
public sealed record RecoverResp([property: JsonPropertyName("recovered")] int Recovered);
