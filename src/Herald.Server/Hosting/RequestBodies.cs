using System.Diagnostics.Metrics;
using Herald.Server.Authentication;
using Herald.Server.Http;

namespace Herald.Server.Hosting;

public static class RequestBodies
{
    public const string MeterName = "Herald.Requests";

    /// <summary>The <c>Requests</c> settings, checked, and the node's budget for request bodies with its instruments.</summary>
    public static IServiceCollection AddRequestBodies(this IServiceCollection services)
    {
        services.AddSingleton(sp => (sp.GetRequiredService<IConfiguration>().GetSection(RequestOptions.Section).Get<RequestOptions>() ?? new RequestOptions()).Validated());
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
                $"Bytes of request bodies this node reads and holds now (at most {RequestOptions.PerNodeSetting})");
            meter.CreateObservableCounter("herald.requests.bodies_refused", () => new[]
            {
                new Measurement<long>(budget.Refused(ByteBudget<string>.Bound.Organization), new KeyValuePair<string, object?>("bound", "organization")),
                new Measurement<long>(budget.Refused(ByteBudget<string>.Bound.Node), new KeyValuePair<string, object?>("bound", "node")),
            }, "{request}", $"Requests answered 429 (bound organization: {RequestOptions.PerOrganizationSetting}) or 503 (bound node: {RequestOptions.PerNodeSetting}) because their body found no room");
        }
    }
}
