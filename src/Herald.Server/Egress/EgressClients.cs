using System.Collections.Concurrent;
using System.Net;

namespace Herald.Server.Egress;

/// <summary>
/// One HTTP client per egress route, all behind the destination guard: the direct one connects through
/// <see cref="GuardedConnector"/>, each proxy gets its own handler (so pooled connections never mix routes) that
/// tunnels through <see cref="TunnelConnector"/>. None follows redirects, keeps cookies or decompresses. Deliveries
/// and OAuth token requests share them.
/// </summary>
public sealed class EgressClients : IDisposable
{
    private readonly EgressOptions _options;
    private readonly TimeProvider _time;
    private readonly DestinationGuard _guard;
    private readonly HttpMessageInvoker _direct;
    private readonly ConcurrentDictionary<Uri, Lazy<HttpMessageInvoker>> _proxied = new();

    public EgressClients(EgressOptions options, EgressProxies proxies, TimeProvider time)
    {
        _options = options;
        _time = time;
        _guard = new DestinationGuard(options.AllowPrivateNetworks, options.AllowedNetworks);
        _direct = Create(new GuardedConnector(_guard, options.ConnectTimeout, time).ConnectAsync);
        Proxies = proxies;
    }

    public EgressProxies Proxies { get; }

    public HttpMessageInvoker For(EgressRoute? route) => route?.Proxy is not { } proxy
        ? _direct
        : _proxied.GetOrAdd(proxy, p => new Lazy<HttpMessageInvoker>(() =>
            Create(new TunnelConnector(_guard, p, _options.ConnectTimeout, _time).ConnectAsync))).Value;

    private static HttpMessageInvoker Create(Func<SocketsHttpConnectionContext, CancellationToken, ValueTask<Stream>> connect) =>
        new(new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseCookies = false,
            UseProxy = false,
            AutomaticDecompression = DecompressionMethods.None,
            PooledConnectionLifetime = TimeSpan.FromMinutes(2),
            ConnectCallback = connect,
            // The handler never adds trace headers, whatever the process-wide propagator: a trigger caller's context
            // stays inside, and the attempt's goes only with Delivery:PropagateTraceContext (TraceContext).
            ActivityHeadersPropagator = null,
        });

    public void Dispose()
    {
        _direct.Dispose();
        foreach (var client in _proxied.Values.Where(c => c.IsValueCreated))
        {
            client.Value.Dispose();
        }
    }
}
