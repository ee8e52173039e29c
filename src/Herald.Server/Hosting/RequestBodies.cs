using System.Diagnostics.Metrics;
using Herald.Server.Authentication;
using Herald.Server.Http;

namespace Herald.Server.Hosting;

/// <summary>
/// The <c>Requests</c> section: how many bytes of request bodies a node reads and holds at once. Each request with a
/// body takes its length (or, without a <c>Content-Length</c>, its buffer as it grows) while its handler runs, and its
/// parsed form takes several times that again, so the sum is what bounds the memory many large requests at once could
/// take (<see cref="BodyAllowance"/>).
/// </summary>
public sealed class RequestOptions
{
    /// <summary>The node's bound, for all callers together.</summary>
    public long MaxBodyBytesInFlight { get; set; } = 64L * 1024 * 1024;

    /// <summary>One organization's share; unset, half of <see cref="MaxBodyBytesInFlight"/>. Callers without an organization share one.</summary>
    public long? MaxBodyBytesInFlightPerOrganization { get; set; }

    public long PerOrganization => MaxBodyBytesInFlightPerOrganization ?? MaxBodyBytesInFlight / 2;
}

public static class RequestBodies
{
    public const string MeterName = "Herald.Requests";

    /// <summary>The <c>Requests</c> settings, checked, and the node's budget for request bodies with its instruments.</summary>
    public static IServiceCollection AddRequestBodies(this IServiceCollection services)
    {
        services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IConfiguration>().GetSection(BodyAllowance.Section).Get<RequestOptions>() ?? new RequestOptions();
            // The largest body one request may send must fit in one organization's share, or it could never be read.
            if (options.PerOrganization < JsonBody.LargestMaxBytes)
            {
                throw new InvalidSettingException(
                    $"{BodyAllowance.PerOrganizationSetting} ({options.PerOrganization}) must be at least {JsonBody.LargestMaxBytes} bytes, the largest body "
                    + $"one request may send (a trigger's); unset, it is half of {BodyAllowance.PerNodeSetting}");
            }
            if (options.PerOrganization > options.MaxBodyBytesInFlight)
            {
                throw new InvalidSettingException(
                    $"{BodyAllowance.PerOrganizationSetting} ({options.PerOrganization}) must be at most {BodyAllowance.PerNodeSetting} ({options.MaxBodyBytesInFlight})");
            }
            return options;
        });
        services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<RequestOptions>();
            return new ByteBudget<string>(options.MaxBodyBytesInFlight, options.PerOrganization);
        });
        services.AddSingleton<Instruments>();
        return services;
    }

    /// <summary>
    /// Gives each request that may carry a body its <see cref="BodyAllowance"/>, keyed by the caller's organization, and
    /// gives its bytes back when the request ends. After authentication, which names the organization.
    /// </summary>
    public static IApplicationBuilder UseRequestBodies(this IApplicationBuilder app)
    {
        var budget = app.ApplicationServices.GetRequiredService<ByteBudget<string>>();
        app.ApplicationServices.GetRequiredService<Instruments>();
        return app.Use((context, next) =>
        {
            var request = context.Request;
            if (request.ContentLength is > 0 || (request.ContentLength is null && !HttpMethods.IsGet(request.Method) && !HttpMethods.IsHead(request.Method)))
            {
                var organization = context.User.FindFirst(Organization.ClaimType)?.Value ?? BodyAllowance.Unauthenticated;
                var allowance = new BodyAllowance(budget, organization);
                context.Features.Set(allowance);
                context.Response.RegisterForDispose(allowance);
            }
            return next(context);
        });
    }

    private sealed class Instruments
    {
        public Instruments(IMeterFactory meters, ByteBudget<string> budget)
        {
            var meter = meters.Create(MeterName);
            meter.CreateObservableGauge("herald.requests.body_bytes", () => budget.Held, "By",
                $"Bytes of request bodies this node reads and holds now (at most {BodyAllowance.PerNodeSetting})");
            meter.CreateObservableCounter("herald.requests.bodies_refused", () => new[]
            {
                new Measurement<long>(budget.Refused(ByteBudget<string>.Bound.Organization), new KeyValuePair<string, object?>("bound", "organization")),
                new Measurement<long>(budget.Refused(ByteBudget<string>.Bound.Node), new KeyValuePair<string, object?>("bound", "node")),
            }, "{request}", $"Requests answered 429 (bound organization: {BodyAllowance.PerOrganizationSetting}) or 503 (bound node: {BodyAllowance.PerNodeSetting}) because their body found no room");
        }
    }
}
