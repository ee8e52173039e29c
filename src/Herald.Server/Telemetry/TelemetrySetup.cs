using System.Security.Cryptography;
using System.Text;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Herald.Server.Telemetry;

public static class TelemetrySetup
{
    /// <summary>Every meter of Herald's features is named <c>Herald.</c> and its feature.</summary>
    public const string Meters = "Herald.*";

    /// <summary>
    /// The runtime's own meter (memory, garbage collections, allocations, the thread pool's queue, lock contention,
    /// exceptions): its instruments are read when scraped, so serving them costs a delivery nothing.
    /// </summary>
    public const string RuntimeMeter = "System.Runtime";

    public const string OtlpEndpointSetting = "OTEL_EXPORTER_OTLP_ENDPOINT";

    /// <summary>
    /// The <c>Metrics</c> section, the meters behind <c>/metrics</c> (unless <c>Metrics:Prometheus</c> is false) and,
    /// when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set, OTLP export of metrics and traces. Spans are recorded only when
    /// something uses them: an OTLP endpoint, or <c>Delivery:PropagateTraceContext</c>.
    /// </summary>
    public static IServiceCollection AddTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        var options = (configuration.GetSection(MetricsOptions.Section).Get<MetricsOptions>() ?? new MetricsOptions()).Validated();
        services.AddSingleton(options);
        var otlp = !string.IsNullOrWhiteSpace(configuration[OtlpEndpointSetting]);
        var propagate = configuration.GetValue<bool>("Delivery:PropagateTraceContext");
        if (!options.Prometheus && !otlp && !propagate)
        {
            return services;
        }
        var telemetry = services.AddOpenTelemetry().ConfigureResource(r => r.AddService("herald"));
        if (options.Prometheus || otlp)
        {
            telemetry.WithMetrics(metrics =>
            {
                metrics.AddMeter(Meters, RuntimeMeter);
                if (options.Prometheus)
                {
                    metrics.AddPrometheusExporter();
                }
                if (otlp)
                {
                    metrics.AddOtlpExporter();
                }
            });
        }
        if (otlp || propagate)
        {
            telemetry.WithTracing(tracing =>
            {
                // Every trigger and attempt is recorded: an unrecorded parent (ASP.NET Core's request activity, which no
                // one here samples) must not drop Herald's spans.
                tracing.AddSource(HeraldTraces.SourceName).SetSampler(new AlwaysOnSampler());
                if (otlp)
                {
                    tracing.AddOtlpExporter();
                }
            });
        }
        return services;
    }

    /// <summary>Prometheus text at <c>/metrics</c>, behind <c>Metrics:Token</c> when it is set.</summary>
    public static IEndpointRouteBuilder MapMetrics(this IEndpointRouteBuilder routes)
    {
        var options = routes.ServiceProvider.GetRequiredService<MetricsOptions>();
        if (!options.Prometheus)
        {
            return routes;
        }
        routes.MapPrometheusScrapingEndpoint("/metrics", meterProvider: null, configureBranchedPipeline: branch =>
        {
            if (!string.IsNullOrEmpty(options.Token))
            {
                var expected = Encoding.UTF8.GetBytes("Bearer " + options.Token);
                branch.Use(async (context, next) =>
                {
                    var given = Encoding.UTF8.GetBytes(context.Request.Headers.Authorization.ToString());
                    if (!CryptographicOperations.FixedTimeEquals(given, expected))
                    {
                        context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                        await context.Response.WriteAsJsonAsync(new { message = $"/metrics needs Authorization: Bearer with the token of setting {MetricsOptions.Section}:{nameof(MetricsOptions.Token)}" });
                        return;
                    }
                    await next(context);
                });
            }
        }, optionsName: null);
        return routes;
    }
}
