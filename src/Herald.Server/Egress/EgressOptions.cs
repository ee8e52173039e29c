namespace Herald.Server.Egress;

/// <summary>
/// The <c>Delivery</c> section as one request to a receiver (or its token endpoint) reads it: how it is made and
/// bounded. The queue's own keys of that section are read by the delivery feature's options.
/// </summary>
public sealed class EgressOptions
{
    public const string Section = "Delivery";

    /// <summary>Lifts the destination guard entirely (development and tests only).</summary>
    public bool AllowPrivateNetworks { get; set; }

    /// <summary>CIDR blocks (or single addresses) that deliveries may reach although the guard would block them.</summary>
    public List<string> AllowedNetworks { get; set; } = [];

    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Sends the attempt's trace context (<c>traceparent</c>, <c>tracestate</c>) to receivers. Off by default:
    /// receivers are third parties, and Herald's traces are its own.
    /// </summary>
    public bool PropagateTraceContext { get; set; }

    /// <summary>HTTP CONNECT proxy (<c>http://[user:password@]host:port</c>) for configs with <c>enableStaticIP</c>.</summary>
    public string? StaticIpProxy { get; set; }

    /// <summary>HTTP CONNECT proxies for configs with <c>secureProxy</c>, by <c>integration_id</c> or <c>use_case_slug</c>.</summary>
    public Dictionary<string, string> SecureProxies { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The secure proxy for a <c>secureProxy</c> config that <see cref="SecureProxies"/> does not name.</summary>
    public string? SecureProxy { get; set; }

    /// <summary>One OAuth token request, within the attempt it serves: connect, send, read the answer.</summary>
    public TimeSpan TokenTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Configs whose OAuth token a node keeps; past it the expired tokens go, then the least recently used half, so
    /// that memory stays bounded however many configs are made and deleted.
    /// </summary>
    public int TokenCacheSize { get; set; } = 10_000;

    /// <summary>The whole attempt: connect, send, and read the (capped) response.</summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How much of a response body is read and recorded; beyond it the body is dropped.</summary>
    public int MaxResponseBytes { get; set; } = 64 * 1024;

    /// <summary>
    /// The names and values of the headers built for one attempt from a config (custom headers and auth), together;
    /// also the most any other field with env references may resolve to. Beyond it the attempt fails, not retried.
    /// </summary>
    public int MaxRequestHeaderBytes { get; set; } = 64 * 1024;

    public EgressOptions Validated() =>
        TokenCacheSize < 1 ? throw new Http.InvalidSettingException($"{Section}:TokenCacheSize must be at least 1 (got {TokenCacheSize})") : this;
}
