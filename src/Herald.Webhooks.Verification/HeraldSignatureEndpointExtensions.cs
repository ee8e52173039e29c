using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Herald.Webhooks.Verification;

/// <summary>One line on a minimal API route (or group): <c>app.MapPost("/hooks", Handle).RequireHeraldSignature(options)</c>.</summary>
public static class HeraldSignatureEndpointExtensions
{
    /// <summary>
    /// Lets only deliveries that verify with <paramref name="options"/> reach the endpoint; others are answered 401.
    /// The options are read (and their keys checked) now, so a malformed secret fails at start, not per request.
    /// </summary>
    /// <exception cref="ArgumentException">The options are not usable; the message names the setting.</exception>
    public static TBuilder RequireHeraldSignature<TBuilder>(this TBuilder builder, HeraldWebhookOptions options)
        where TBuilder : IEndpointConventionBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        var filter = new HeraldSignatureFilter(options);
        // Parameter binding reads the body before endpoint filters run; buffering from the start keeps the raw bytes
        // readable for the filter when the handler binds the body (a JsonObject or record parameter).
        builder.Add(endpoint =>
        {
            if (endpoint.RequestDelegate is { } inner)
            {
                endpoint.RequestDelegate = context =>
                {
                    context.Request.EnableBuffering();
                    return inner(context);
                };
            }
        });
        return builder.AddEndpointFilter(filter);
    }

    /// <summary>As <see cref="RequireHeraldSignature{TBuilder}(TBuilder, HeraldWebhookOptions)"/>, with the options set by <paramref name="configure"/>.</summary>
    public static TBuilder RequireHeraldSignature<TBuilder>(this TBuilder builder, Action<HeraldWebhookOptions> configure)
        where TBuilder : IEndpointConventionBuilder
    {
        ArgumentNullException.ThrowIfNull(configure);
        var options = new HeraldWebhookOptions();
        configure(options);
        return builder.RequireHeraldSignature(options);
    }

    /// <summary>The delivery the <see cref="HeraldSignatureFilter"/> verified for this request, or null outside such an endpoint.</summary>
    public static VerifiedWebhook? GetVerifiedWebhook(this HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.Items.TryGetValue(HeraldSignatureFilter.ItemKey, out var verified) ? verified as VerifiedWebhook : null;
    }
}
