namespace Herald.Server.Delivery;

/// <summary>The <c>Delivery</c> section: how requests to receivers are made and bounded.</summary>
public sealed class DeliveryOptions
{
    public const string Section = "Delivery";

    /// <summary>Lifts the destination guard entirely (development and tests only).</summary>
    public bool AllowPrivateNetworks { get; set; }

    /// <summary>CIDR blocks (or single addresses) that deliveries may reach although the guard would block them.</summary>
    public List<string> AllowedNetworks { get; set; } = [];

    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>HTTP CONNECT proxy (<c>http://[user:password@]host:port</c>) for configs with <c>enableStaticIP</c>.</summary>
    public string? StaticIpProxy { get; set; }

    /// <summary>HTTP CONNECT proxies for configs with <c>secureProxy</c>, by <c>integration_id</c> or <c>use_case_slug</c>.</summary>
    public Dictionary<string, string> SecureProxies { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The secure proxy for a <c>secureProxy</c> config that <see cref="SecureProxies"/> does not name.</summary>
    public string? SecureProxy { get; set; }

    /// <summary>One OAuth token request, within the attempt it serves: connect, send, read the answer.</summary>
    public TimeSpan TokenTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The whole attempt: connect, send, and read the (capped) response.</summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How much of a response body is read and recorded; beyond it the body is dropped.</summary>
    public int MaxResponseBytes { get; set; } = 64 * 1024;

    /// <summary>
    /// The names and values of the headers built for one attempt from a config (custom headers and auth), together;
    /// also the most any other field with env references may resolve to. Beyond it the attempt fails, not retried.
    /// </summary>
    public int MaxRequestHeaderBytes { get; set; } = 64 * 1024;

    /// <summary>
    /// How long a claimed job stays owned without renewal. Always at least the attempt timeout plus
    /// <see cref="LeaseMargin"/>, so an attempt can never outlive its lease.
    /// </summary>
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromSeconds(90);

    public static readonly TimeSpan LeaseMargin = TimeSpan.FromSeconds(15);

    /// <summary>
    /// A destination's (scheme, host, port) share of the node's sends: alone it may use every slot, but while another
    /// destination waits to send it gets no slot beyond this many, and a destination below it starts at once even when
    /// borrowed slots fill the node. Null: half of <see cref="WorkerOptions.Concurrency"/>, so a receiver that never
    /// answers cannot keep a newcomer from half the node.
    /// </summary>
    public int? MaxConcurrentPerDestination { get; set; }

    /// <summary>
    /// Sends in flight one organization holds per node while another organization waits to send; alone it may use every
    /// slot. Null: half of <see cref="WorkerOptions.Concurrency"/>.
    /// </summary>
    public int? MaxConcurrentPerOrganization { get; set; }

    /// <summary>
    /// How many times a job's lease may run out without an outcome (its node stopped or crashed mid-attempt) before
    /// the claim that finds it ends the job as failed instead of handing it out again: no job can crash nodes forever.
    /// </summary>
    public int MaxLeaseExpiries { get; set; } = 3;

    public DeliveryOptions Validated() =>
        MaxLeaseExpiries < 1 ? throw new InvalidOperationException($"{Section}:MaxLeaseExpiries must be at least 1 (got {MaxLeaseExpiries})") : this;

    public TimeSpan EffectiveLease => LeaseDuration > AttemptTimeout + LeaseMargin ? LeaseDuration : AttemptTimeout + LeaseMargin;
}

/// <summary>The <c>Workers</c> section: the background delivery workers of this node.</summary>
public sealed class WorkerOptions
{
    public const string Section = "Workers";

    /// <summary>Attempts in flight at once on this node.</summary>
    public int Concurrency { get; set; } = 32;

    /// <summary>The fallback poll when no wake-up arrives (a missed wake-up costs at most this long).</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How long a stopping node lets attempts in flight finish before it gives their jobs back.</summary>
    public TimeSpan ShutdownGrace { get; set; } = TimeSpan.FromSeconds(20);
}
