namespace Herald.Server.Files;

/// <summary>The <c>Files</c> section: where file deliveries read attachments from and how much they may read.</summary>
public sealed class FilesOptions
{
    public const string Section = "Files";

    /// <summary><c>S3</c> or <c>Directory</c>; none leaves file delivery modes failing with <c>FILE_SOURCE_NOT_CONFIGURED</c>.</summary>
    public string? Source { get; set; }

    /// <summary>For <c>Source = Directory</c>: the folder holding <c>{bucket}/{key}</c>.</summary>
    public string? Directory { get; set; }

    /// <summary>The largest one file may be; a larger one fails the delivery with <c>FILE_TOO_LARGE</c>, not retried.</summary>
    public long MaxBytes { get; set; } = 100L * 1024 * 1024;

    /// <summary>
    /// <c>json_base64</c> holds the whole body in memory (and the event log keeps it): the files of one event together
    /// may hold at most this many bytes before encoding; beyond it the delivery fails with <c>FILE_TOO_LARGE</c>.
    /// </summary>
    public long MaxInlineBytes { get; set; } = 20L * 1024 * 1024;

    /// <summary>One download from storage, opening to last byte; past it the attempt fails and is retried.</summary>
    public TimeSpan DownloadTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Every attachment key must start with this, <c>{organization}</c> replaced by the event's organization id: an
    /// event names files of its own organization only. Empty turns the rule off (single-tenant installs only).
    /// </summary>
    public string KeyPrefix { get; set; } = FileScope.OrganizationPrefix;

    /// <summary>The buckets attachments may name; empty allows any.</summary>
    public List<string> Buckets { get; set; } = [];

    /// <summary>The most attachments one delivery reads; more fail the event, not retried.</summary>
    public int MaxAttachmentsPerEvent { get; set; } = 20;

    /// <summary>
    /// <c>binary_multipart</c> spools an event's files to disk for the length of its attempt: together they may hold at
    /// most this many bytes; beyond it the delivery fails with <c>FILE_TOO_LARGE</c>, not retried.
    /// </summary>
    public long MaxSpoolBytes { get; set; } = 512L * 1024 * 1024;

    /// <summary>
    /// What all of this node's <c>binary_multipart</c> spools may hold at once: an attempt that would pass it, or its
    /// organization's share (<see cref="MaxSpoolBytesPerOrganization"/>), goes back to the queue without an attempt, due
    /// a few seconds later. With the share unset (half of this), at least twice <see cref="MaxSpoolBytes"/>, so that one
    /// organization's attempt always fits.
    /// </summary>
    public long MaxSpoolBytesPerNode { get; set; } = 4L * 1024 * 1024 * 1024;

    /// <summary>
    /// What one organization's <c>binary_multipart</c> spools may hold at once on this node; unset, half of
    /// <see cref="MaxSpoolBytesPerNode"/>. At least <see cref="MaxSpoolBytes"/>, so that one attempt always fits, and at
    /// most <see cref="MaxSpoolBytesPerNode"/>.
    /// </summary>
    public long? MaxSpoolBytesPerOrganization { get; set; }

    /// <summary><see cref="MaxSpoolBytesPerOrganization"/>, or its default when unset.</summary>
    public long SpoolBytesPerOrganization => MaxSpoolBytesPerOrganization ?? MaxSpoolBytesPerNode / 2;

    /// <summary>Where <c>binary_multipart</c> spools files while hashing them; none is the system's temp folder.</summary>
    public string? SpoolDirectory { get; set; }

    public S3FileOptions S3 { get; set; } = new();
}

/// <summary>The <c>Files:S3</c> section: any S3-compatible store.</summary>
public sealed class S3FileOptions
{
    public string? ServiceUrl { get; set; }

    public string? Region { get; set; }

    public string? AccessKey { get; set; }

    public string? SecretKey { get; set; }

    public bool ForcePathStyle { get; set; }
}
