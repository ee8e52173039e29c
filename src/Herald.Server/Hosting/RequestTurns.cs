using System.Diagnostics.Metrics;
using System.Globalization;
using System.Threading.RateLimiting;
using Herald.Server.Authentication;
using Herald.Server.Http;

namespace Herald.Server.Hosting;

/// <summary>
/// Each organization's API requests take turns on a node: at most <c>Requests:MaxConcurrentPerOrganization</c> are
/// handled at once, the next wait in the order they came (at most <c>Requests:MaxQueuedPerOrganization</c>), and one
/// more is answered 429. So one organization's flood of requests holds a bounded share of the node's threads and of its
/// write queue, and another organization's request is handled as soon as it comes. Requests without an organization
/// (health, metrics, the public key, the console's pages) take no turn.
/// </summary>
public static class RequestTurns
{
    /// <summary>The <c>Retry-After</c> of a request refused a turn, in seconds: a turn lasts moments.</summary>
    public const int RetryAfterSeconds = 1;

    public static IServiceCollection AddRequestTurns(this IServiceCollection services)
    {
        services.AddSingleton<Turns>();
        return services;
    }

    /// <summary>After authentication, which names the organization, and after <see cref="RequestBodies.UseRequestBodies"/>.</summary>
    public static IApplicationBuilder UseRequestTurns(this IApplicationBuilder app)
    {
        var turns = app.ApplicationServices.GetRequiredService<Turns>();
        return app.Use(turns.HandleAsync);
    }

    /// <summary>The node's turns, one queue per organization, with their instruments.</summary>
    internal sealed class Turns : IDisposable
    {
        private readonly PartitionedRateLimiter<string> _limiter;
        private readonly RequestOptions _options;
        private long _waiting;
        private long _refused;

        public Turns(RequestOptions options, IMeterFactory meters)
        {
            _options = options;
            // A partition idle for a while is dropped by the limiter itself: what it keeps is bounded by the
            // organizations with requests now.
            _limiter = PartitionedRateLimiter.Create<string, string>(organization => RateLimitPartition.GetConcurrencyLimiter(organization, _ => new ConcurrencyLimiterOptions
            {
                PermitLimit = options.MaxConcurrentPerOrganization,
                QueueLimit = options.MaxQueuedPerOrganization,
                QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
            }));
            var meter = meters.Create(RequestBodies.MeterName);
            meter.CreateObservableGauge("herald.requests.waiting", () => Volatile.Read(ref _waiting), "{request}",
                $"API requests waiting for their organization's turn on this node (at most {RequestOptions.ConcurrentSetting} of an organization's are handled at once)");
            meter.CreateObservableCounter("herald.requests.turns_refused", () => Volatile.Read(ref _refused), "{request}",
                $"API requests answered 429 because their organization already had {RequestOptions.QueuedSetting} requests waiting on this node");
        }

        public async Task HandleAsync(HttpContext context, RequestDelegate next)
        {
            if (context.User.FindFirst(Organization.ClaimType)?.Value is not { Length: > 0 } organization)
            {
                await next(context);
                return;
            }
            var lease = _limiter.AttemptAcquire(organization);
            if (!lease.IsAcquired)
            {
                lease.Dispose();
                // A waiting request holds its body's room, as if it were being read: the organization's share of request
                // bodies bounds the bytes its waiting requests hold in the server's buffers, too.
                if (context.Features.Get<BodyAllowance>() is { } allowance && allowance.Cover(context.Request.ContentLength ?? 0, context.Response) is { } full)
                {
                    await full.ExecuteAsync(context);
                    return;
                }
                Interlocked.Increment(ref _waiting);
                try
                {
                    lease = await _limiter.AcquireAsync(organization, 1, context.RequestAborted);
                }
                catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
                {
                    // The caller went away while waiting: nothing to answer.
                    return;
                }
                finally
                {
                    Interlocked.Decrement(ref _waiting);
                }
                if (!lease.IsAcquired)
                {
                    lease.Dispose();
                    Interlocked.Increment(ref _refused);
                    context.Response.Headers.RetryAfter = RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
                    await Problem.Status(StatusCodes.Status429TooManyRequests,
                        $"Organization {organization} already has {_options.MaxConcurrentPerOrganization} requests in progress on this node and "
                        + $"{_options.MaxQueuedPerOrganization} waiting for their turn ({RequestOptions.ConcurrentSetting}, {RequestOptions.QueuedSetting}); "
                        + $"retry after {RetryAfterSeconds} s, send fewer requests at once, or raise the settings").ExecuteAsync(context);
                    return;
                }
            }
            using var turn = new RequestTurn(lease);
            context.Features.Set(turn);
            await next(context);
        }

        public void Dispose() => _limiter.Dispose();
    }
}
