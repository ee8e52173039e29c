using System.Diagnostics.Metrics;
using Herald.Server.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Herald.Server.Hosting;

/// <summary>
/// A request's head within Herald's own bounds: <c>Requests:MaxHeaderBytes</c>, <c>Requests:MaxHeaderCount</c> and
/// <c>Requests:MaxUrlBytes</c>. Kestrel answers a head past its own limits with a bare 431 or 414 that no middleware
/// sees, so its limits are set to twice Herald's, and Herald answers what lies between with a 431 or 414 whose
/// <c>{"message"}</c> names the setting and what the request sent. Only a head more than twice the bound still gets
/// Kestrel's bare answer.
/// </summary>
public static class RequestHeads
{
    /// <summary>What a request line holds besides its URL: the method, two spaces, the version and the line end.</summary>
    private const int RequestLineSlack = 64;

    /// <summary>The bytes a header is counted at beyond its name and value: <c>": "</c> and the line end.</summary>
    public const int BytesPerHeader = 4;

    /// <summary>Kestrel's limits, set from the <c>Requests</c> settings (after they are checked).</summary>
    public static IServiceCollection AddRequestHeads(this IServiceCollection services)
    {
        services.AddOptions<KestrelServerOptions>().Configure<RequestOptions>((kestrel, requests) =>
        {
            kestrel.Limits.MaxRequestHeadersTotalSize = 2 * requests.MaxHeaderBytes;
            kestrel.Limits.MaxRequestHeaderCount = 2 * requests.MaxHeaderCount;
            kestrel.Limits.MaxRequestLineSize = 2 * requests.MaxUrlBytes + RequestLineSlack;
            // Not a head's bound, but Kestrel's too: the connections a node keeps open at once.
            kestrel.Limits.MaxConcurrentConnections = requests.MaxConnections;
            kestrel.Limits.MaxConcurrentUpgradedConnections = requests.MaxConnections;
        });
        services.AddSingleton<Refusals>();
        return services;
    }

    /// <summary>First of all, before authentication: a caller whose token makes its headers too large learns that, not 401.</summary>
    public static IApplicationBuilder UseRequestHeads(this IApplicationBuilder app)
    {
        var options = app.ApplicationServices.GetRequiredService<RequestOptions>();
        var refusals = app.ApplicationServices.GetRequiredService<Refusals>();
        return app.Use((context, next) =>
        {
            if (Refusal(context, options) is not { } refused)
            {
                return next(context);
            }
            refusals.Count(refused.Setting);
            return Problem.Status(refused.StatusCode, refused.Message).ExecuteAsync(context);
        });
    }

    /// <summary>Why a request's head is past a bound, with the status and the setting; null when it is within them.</summary>
    internal static (int StatusCode, string Setting, string Message)? Refusal(HttpContext context, RequestOptions options)
    {
        var url = context.Features.Get<IHttpRequestFeature>()?.RawTarget.Length ?? 0;
        if (url > options.MaxUrlBytes)
        {
            return (StatusCodes.Status414UriTooLong, RequestOptions.UrlBytesSetting,
                $"The request's URL (path and query) is {url} bytes, more than {RequestOptions.UrlBytesSetting} ({options.MaxUrlBytes}) allows; "
                + "send shorter query parameters, or the node's operator may raise the setting");
        }
        long bytes = 0;
        var count = 0;
        foreach (var (name, values) in context.Request.Headers)
        {
            foreach (var value in values)
            {
                bytes += name.Length + (value?.Length ?? 0) + BytesPerHeader;
                count++;
            }
        }
        if (count > options.MaxHeaderCount)
        {
            return (StatusCodes.Status431RequestHeaderFieldsTooLarge, RequestOptions.HeaderCountSetting,
                $"The request sent {count} headers, more than {RequestOptions.HeaderCountSetting} ({options.MaxHeaderCount}) allows; "
                + "send fewer headers, or the node's operator may raise the setting");
        }
        if (bytes > options.MaxHeaderBytes)
        {
            return (StatusCodes.Status431RequestHeaderFieldsTooLarge, RequestOptions.HeaderBytesSetting,
                $"The request's headers take {bytes} bytes (each header's name and value and {BytesPerHeader} bytes more), more than "
                + $"{RequestOptions.HeaderBytesSetting} ({options.MaxHeaderBytes}) allows; send fewer or shorter headers, or the node's operator may raise the setting");
        }
        return null;
    }

    /// <summary>How many requests each bound refused, as the counter <c>herald.requests.heads_refused</c>.</summary>
    internal sealed class Refusals
    {
        private long _headerBytes;
        private long _headerCount;
        private long _urlBytes;

        public Refusals(IMeterFactory meters)
        {
            var meter = meters.Create(RequestBodies.MeterName);
            meter.CreateObservableCounter("herald.requests.heads_refused", () => new[]
            {
                Measurement(RequestOptions.HeaderBytesSetting, ref _headerBytes),
                Measurement(RequestOptions.HeaderCountSetting, ref _headerCount),
                Measurement(RequestOptions.UrlBytesSetting, ref _urlBytes),
            }, "{request}", $"Requests answered 431 or 414 because their head passed {RequestOptions.HeaderBytesSetting}, {RequestOptions.HeaderCountSetting} or {RequestOptions.UrlBytesSetting} (the tag names which)");
        }

        public void Count(string setting)
        {
            switch (setting)
            {
                case RequestOptions.HeaderBytesSetting: Interlocked.Increment(ref _headerBytes); break;
                case RequestOptions.HeaderCountSetting: Interlocked.Increment(ref _headerCount); break;
                default: Interlocked.Increment(ref _urlBytes); break;
            }
        }

        private static Measurement<long> Measurement(string setting, ref long count) =>
            new(Volatile.Read(ref count), new KeyValuePair<string, object?>("setting", setting));
    }
}
