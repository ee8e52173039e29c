namespace Herald.Webhooks.Verification;

/// <summary>
/// What a receiver trusts and how strictly it checks: the config's signing secrets (<c>v1</c>), the organization's
/// public keys (<c>v1a</c>), the timestamp tolerance and the clock. At least one secret or key is required.
/// </summary>
public sealed class HeraldWebhookOptions
{
    /// <summary>The Standard Webhooks default: 5 minutes either way.</summary>
    public static readonly TimeSpan DefaultTolerance = TimeSpan.FromMinutes(5);

    /// <summary>The endpoint filter's default body limit, 32 MiB: a <c>json_base64</c> delivery of Herald's largest inline files fits.</summary>
    public const long DefaultMaxBodyBytes = 32 * 1024 * 1024;

    /// <summary>
    /// Signing secrets (<c>whsec_</c> + base64, as <c>createConfig</c> and <c>rotate-secret</c> answer them), each
    /// checked against the header's <c>v1</c> entries. During a rotation list both the new and the old secret.
    /// </summary>
    public IList<string> SigningSecrets { get; } = [];

    /// <summary>
    /// Ed25519 public keys, each checked against the header's <c>v1a</c> entries: PEM SubjectPublicKeyInfo as
    /// <c>GET /v1/webhooks/.well-known/public-key</c> returns it (<c>public_key</c>), or <c>whpk_</c> + base64 of the
    /// 32 raw bytes. During a key rotation list both keys.
    /// </summary>
    public IList<string> PublicKeys { get; } = [];

    /// <summary>How far <c>webhook-timestamp</c> may lie from <see cref="TimeProvider"/>'s clock, either way; default 5 minutes.</summary>
    public TimeSpan Tolerance { get; set; } = DefaultTolerance;

    /// <summary>The clock timestamps are checked against; the system clock unless a test or host gives another.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>
    /// The endpoint filter only: the largest body it reads; a longer one is answered 413. Default
    /// <see cref="DefaultMaxBodyBytes"/>.
    /// </summary>
    public long MaxBodyBytes { get; set; } = DefaultMaxBodyBytes;

    /// <summary>
    /// The endpoint filter only: for a <c>multipart/form-data</c> request (a <c>binary_multipart</c> delivery), the
    /// attachment each file part stands for, in part order, as the receiver knows them (for example from an
    /// <c>extraFields</c> field that carries <c>event_attachments</c>). Unset, multipart requests are refused with 401.
    /// </summary>
    public Func<Microsoft.AspNetCore.Http.IFormCollection, IReadOnlyList<HeraldAttachment>>? MultipartAttachments { get; set; }
}
