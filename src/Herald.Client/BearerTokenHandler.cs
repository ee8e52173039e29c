using System.Net.Http.Headers;
using Microsoft.Extensions.Options;

namespace Herald.Client;

/// <summary>
/// Adds <c>Authorization: Bearer</c> to each request from the options of the client's name, read per request so that
/// a changed token (options reloaded from configuration) applies to the next call.
/// </summary>
internal sealed class BearerTokenHandler(IServiceProvider services, IOptionsMonitor<HeraldClientOptions> options, string name) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var current = options.Get(name);
        var token = current.AccessTokenProvider is { } provider
            ? await provider(services, cancellationToken).ConfigureAwait(false)
            : current.AccessToken;
        if (!string.IsNullOrEmpty(token) && request.Headers.Authorization is null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
        return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
    }
}
