using Herald.Server.Http;

namespace Herald.Server.Console;

/// <summary>The <c>Console</c> section: the web console served at <c>/console</c>.</summary>
public sealed class ConsoleOptions
{
    public const string Section = "Console";

    /// <summary>Serve the console (and its two API extensions) at all.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// The <c>frame-ancestors</c> sources allowed to embed the console (for example <c>https://app.example.com</c>).
    /// Empty: the console cannot be framed (<c>frame-ancestors 'none'</c>, <c>X-Frame-Options: DENY</c>).
    /// </summary>
    public string? FrameAncestors { get; set; }

    /// <summary>How long a sign-in lasts; a JWT's own expiry ends it sooner.</summary>
    public TimeSpan SessionLifetime { get; set; } = TimeSpan.FromHours(8);

    /// <summary>Where the session and form keys are kept, sealed with the master key. Default: <c>{DataDirectory}/console-keys</c>.</summary>
    public string? KeysDirectory { get; set; }

    /// <summary>
    /// The address the console calls Herald's API on. Default: this process's own first listening address (a
    /// wildcard host becomes loopback).
    /// </summary>
    public string? ApiBaseUrl { get; set; }

    /// <summary>This section, or the reason Herald cannot start with it.</summary>
    public ConsoleOptions Validated() =>
        SessionLifetime <= TimeSpan.Zero
            ? throw new InvalidSettingException($"{Section}:{nameof(SessionLifetime)} must be positive (got {SessionLifetime})")
            : this;
}
