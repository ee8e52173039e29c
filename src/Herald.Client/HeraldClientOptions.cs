namespace Herald.Client;

/// <summary>Where Herald is and how the client proves who it acts for.</summary>
public sealed class HeraldClientOptions
{
    /// <summary>Herald's base address, for example <c>https://herald.example.com/</c>; the API's paths are appended to it.</summary>
    public Uri? BaseAddress { get; set; }

    /// <summary>
    /// The bearer token sent with every call: a static token from Herald's <c>Auth:Tokens</c>, or a JWT that Herald's
    /// <c>Auth:Jwt</c> accepts. Ignored when <see cref="AccessTokenProvider"/> is set.
    /// </summary>
    public string? AccessToken { get; set; }

    /// <summary>
    /// Supplies the bearer token for each call, for tokens that expire (a JWT from an identity provider). It is asked
    /// once per request, so it should cache the token itself.
    /// </summary>
    public Func<IServiceProvider, CancellationToken, ValueTask<string>>? AccessTokenProvider { get; set; }

    /// <summary>How long one call may take before it fails with a <see cref="TaskCanceledException"/>; 100 seconds by default.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(100);
}
