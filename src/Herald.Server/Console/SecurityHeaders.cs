namespace Herald.Server.Console;

/// <summary>
/// The headers every console response carries: a strict content security policy (only Herald's own scripts and
/// styles, no inline code), <c>frame-ancestors</c> from <c>Console:FrameAncestors</c> (none by default, then also
/// <c>X-Frame-Options: DENY</c>), no sniffing, no referrer, and no caching of pages.
/// </summary>
public static class SecurityHeaders
{
    public static string ContentSecurityPolicy(ConsoleOptions options) =>
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
        "form-action 'self'; base-uri 'none'; frame-ancestors " +
        (string.IsNullOrWhiteSpace(options.FrameAncestors) ? "'none'" : options.FrameAncestors.Trim());

    public static void Apply(HttpResponse response, ConsoleOptions options)
    {
        var headers = response.Headers;
        headers.ContentSecurityPolicy = ContentSecurityPolicy(options);
        if (string.IsNullOrWhiteSpace(options.FrameAncestors))
        {
            headers.XFrameOptions = "DENY";
        }
        else
        {
            // frame-ancestors decides; X-Frame-Options cannot name the allowed embedders.
            headers.Remove("X-Frame-Options");
        }
        headers.XContentTypeOptions = "nosniff";
        headers["Referrer-Policy"] = "no-referrer";
        headers["Cross-Origin-Opener-Policy"] = "same-origin";
        headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=(), payment=()";
        if (!headers.ContainsKey("Cache-Control"))
        {
            headers.CacheControl = "no-store";
        }
    }

    /// <summary>Puts the headers first in the pipeline, so redirects to sign-in and errors carry them too.</summary>
    public sealed class StartupFilter(ConsoleOptions options) : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use((context, nextMiddleware) =>
            {
                if (context.Request.Path.StartsWithSegments(ConsolePaths.Root))
                {
                    context.Response.OnStarting(() =>
                    {
                        Apply(context.Response, options);
                        return Task.CompletedTask;
                    });
                }
                return nextMiddleware(context);
            });
            next(app);
        };
    }
}
