namespace Herald.Server.Http;

/// <summary>
/// The <c>Requests</c> section: how many of one organization's requests a node handles at once, and how many bytes of
/// request bodies it reads and holds at once. Each request with a
/// body takes its length (or, without a <c>Content-Length</c>, its buffer as it grows) while its handler runs, and its
/// parsed form takes several times that again, so the sum is what bounds the memory many large requests at once could
/// take (<see cref="BodyAllowance"/>).
/// </summary>
public sealed class RequestOptions
{
    public const string Section = "Requests";
    public const string PerNodeSetting = Section + ":" + nameof(MaxBodyBytesInFlight);
    public const string PerOrganizationSetting = Section + ":" + nameof(MaxBodyBytesInFlightPerOrganization);
    public const string ConcurrentSetting = Section + ":" + nameof(MaxConcurrentPerOrganization);
    public const string QueuedSetting = Section + ":" + nameof(MaxQueuedPerOrganization);
    public const string HeaderBytesSetting = Section + ":" + nameof(MaxHeaderBytes);
    public const string HeaderCountSetting = Section + ":" + nameof(MaxHeaderCount);
    public const string UrlBytesSetting = Section + ":" + nameof(MaxUrlBytes);
    public const string ConnectionsSetting = Section + ":" + nameof(MaxConnections);

    /// <summary>The node's bound, for all callers together.</summary>
    public long MaxBodyBytesInFlight { get; set; } = 64L * 1024 * 1024;

    /// <summary>One organization's share; unset, half of <see cref="MaxBodyBytesInFlight"/>. Callers without an organization share one.</summary>
    public long? MaxBodyBytesInFlightPerOrganization { get; set; }

    public long PerOrganization => MaxBodyBytesInFlightPerOrganization ?? MaxBodyBytesInFlight / 2;

    /// <summary>
    /// How many of one organization's API requests a node handles at once; the next wait their turn, in order
    /// (<see cref="RequestTurn"/>). A sync trigger gives its turn back once its event is written, while it waits for its
    /// receiver. Two cores are busy with far fewer: the bound keeps one organization's flood from filling the node's
    /// thread pool queue and its write queue ahead of the others.
    /// </summary>
    public int MaxConcurrentPerOrganization { get; set; } = 64;

    /// <summary>
    /// How many of one organization's API requests wait for their turn on a node; one more is answered 429. A waiting
    /// request holds its body's room (<see cref="MaxBodyBytesInFlightPerOrganization"/>) as it waits, so that share also
    /// bounds the bytes of the waiting requests.
    /// </summary>
    public int MaxQueuedPerOrganization { get; set; } = 1024;

    /// <summary>
    /// The most a request's headers may take: each header's name, value and 4 bytes (its <c>": "</c> and line end),
    /// all together. Past it, 431 with a message naming this setting (<c>Hosting/RequestHeads</c>). Kestrel itself reads
    /// up to twice this, and refuses more with its own 431 without a body.
    /// </summary>
    public int MaxHeaderBytes { get; set; } = 32 * 1024;

    /// <summary>The most headers a request may send (each value counted once); past it, 431 naming this setting. Kestrel refuses more than twice this.</summary>
    public int MaxHeaderCount { get; set; } = 100;

    /// <summary>
    /// The longest URL a request may send: its path and query as sent. Past it, 414 naming this setting. Kestrel itself
    /// reads request lines up to twice this (and the method's and version's bytes), and refuses longer ones with its
    /// own 414 without a body.
    /// </summary>
    public int MaxUrlBytes { get; set; } = 8 * 1024;

    /// <summary>
    /// The most client connections a node keeps open at once, idle ones among them; Kestrel closes one more as soon as
    /// it is accepted, without an answer. Each holds a socket and its buffers, so this keeps many callers (or one
    /// caller's idle connections) from taking the process's file descriptors and memory.
    /// </summary>
    public int MaxConnections { get; set; } = 10_000;

    /// <summary>The ranges <see cref="MaxHeaderBytes"/>, <see cref="MaxHeaderCount"/> and <see cref="MaxUrlBytes"/> may take.</summary>
    public const int LeastHeaderBytes = 4 * 1024, MostHeaderBytes = 1024 * 1024, LeastHeaderCount = 16, MostHeaderCount = 10_000,
        LeastUrlBytes = 1024, MostUrlBytes = 1024 * 1024, MostConnections = 1_000_000;

    /// <summary>
    /// These settings, or the error of one Herald cannot start with: the largest body one request may send must fit in
    /// one organization's share, or it could never be read, and the share cannot pass the node's bound.
    /// </summary>
    public RequestOptions Validated() =>
        PerOrganization < JsonBody.LargestMaxBytes
            ? throw new InvalidSettingException(
                $"{PerOrganizationSetting} ({PerOrganization}) must be at least {JsonBody.LargestMaxBytes} bytes, the largest body "
                + $"one request may send (a trigger's); unset, it is half of {PerNodeSetting}")
        : PerOrganization > MaxBodyBytesInFlight
            ? throw new InvalidSettingException($"{PerOrganizationSetting} ({PerOrganization}) must be at most {PerNodeSetting} ({MaxBodyBytesInFlight})")
        : MaxConcurrentPerOrganization < 1
            ? throw new InvalidSettingException($"{ConcurrentSetting} ({MaxConcurrentPerOrganization}) must be at least 1: an organization needs one request at a time")
        : MaxQueuedPerOrganization < 0
            ? throw new InvalidSettingException($"{QueuedSetting} ({MaxQueuedPerOrganization}) must be at least 0 (0: a request that finds no turn is answered 429 at once)")
        : MaxHeaderBytes is < LeastHeaderBytes or > MostHeaderBytes
            ? throw new InvalidSettingException($"{HeaderBytesSetting} ({MaxHeaderBytes}) must be from {LeastHeaderBytes} to {MostHeaderBytes} bytes")
        : MaxHeaderCount is < LeastHeaderCount or > MostHeaderCount
            ? throw new InvalidSettingException($"{HeaderCountSetting} ({MaxHeaderCount}) must be from {LeastHeaderCount} to {MostHeaderCount}")
        : MaxUrlBytes is < LeastUrlBytes or > MostUrlBytes
            ? throw new InvalidSettingException($"{UrlBytesSetting} ({MaxUrlBytes}) must be from {LeastUrlBytes} to {MostUrlBytes} bytes")
        : MaxConnections is < 1 or > MostConnections
            ? throw new InvalidSettingException($"{ConnectionsSetting} ({MaxConnections}) must be from 1 to {MostConnections}")
        : this;
}
