using Herald.Server.Http;

namespace Herald.Server.Telemetry;

/// <summary>The <c>Metrics</c> section: the Prometheus endpoint and what the instruments carry.</summary>
public sealed class MetricsOptions
{
    public const string Section = "Metrics";

    /// <summary>Serves the instruments as Prometheus text at <c>/metrics</c>.</summary>
    public bool Prometheus { get; set; } = true;

    /// <summary>When set, <c>/metrics</c> answers only requests with <c>Authorization: Bearer</c> and this token.</summary>
    public string? Token { get; set; }

    /// <summary>
    /// Adds the organization id to the delivery instruments. Off by default: every organization is a new series in the
    /// scraper, without bound; turn it on only where organizations are few.
    /// </summary>
    public bool OrganizationAttribute { get; set; }

    /// <summary>How long one reading of the queue (depth, oldest due job) serves the gauges before the store is read again.</summary>
    public TimeSpan QueueReadInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>This section, or the reason Herald cannot start with it.</summary>
    public MetricsOptions Validated() =>
        QueueReadInterval <= TimeSpan.Zero
            ? throw new InvalidSettingException($"{Section}:{nameof(QueueReadInterval)} must be positive (got {QueueReadInterval})")
            : this;
}
