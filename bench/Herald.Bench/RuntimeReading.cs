using System.Globalization;
using System.Text.RegularExpressions;

namespace Herald.Bench;

/// <summary>
/// What Herald's runtime has done so far, read from its own <c>/metrics</c> (meter <c>System.Runtime</c>): bytes
/// allocated, exceptions thrown, garbage collections and their pauses. Two readings around the timed part give what a
/// delivery costs the collector, a figure that moves far less from run to run than CPU time.
/// </summary>
public sealed partial record RuntimeReading(double AllocatedBytes, double Exceptions, double Collections, double PauseSeconds)
{
    public static async Task<RuntimeReading> ReadAsync(HttpClient api, CancellationToken cancellationToken)
    {
        var text = await api.GetStringAsync("/metrics", cancellationToken);
        return new RuntimeReading(
            Sum(text, "dotnet_gc_heap_total_allocated_bytes_total"),
            Sum(text, "dotnet_exceptions_total"),
            Sum(text, "dotnet_gc_collections_total"),
            Sum(text, "dotnet_gc_pause_time_seconds_total"));
    }

    public static RuntimeReading operator -(RuntimeReading after, RuntimeReading before) =>
        new(after.AllocatedBytes - before.AllocatedBytes, after.Exceptions - before.Exceptions,
            after.Collections - before.Collections, after.PauseSeconds - before.PauseSeconds);

    /// <summary>The sum of every series of <paramref name="name"/> (all its label sets).</summary>
    private static double Sum(string text, string name) =>
        Sample().Matches(text).Where(m => m.Groups["name"].Value == name)
            .Sum(m => double.Parse(m.Groups["value"].Value, CultureInfo.InvariantCulture));

    [GeneratedRegex(@"^(?<name>[a-z_]+)\{[^}]*\} (?<value>\S+)", RegexOptions.Multiline)]
    private static partial Regex Sample();
}
