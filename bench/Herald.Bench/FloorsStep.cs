using System.Diagnostics;
using System.Globalization;

namespace Herald.Bench;

/// <summary>
/// Runs the floors benchmark (<c>Herald.Bench.Floors.dll</c>, built with this one) as a step of the run, in its own
/// process as it runs alone, with this run's count and concurrency, and reads back its parts.
/// </summary>
public static class FloorsStep
{
    public static async Task<FloorParts> RunAsync(string floorsDirectory, int deliveries, int concurrency, CancellationToken cancellationToken)
    {
        var dll = Path.Combine(floorsDirectory, "Herald.Bench.Floors.dll");
        if (!File.Exists(dll))
        {
            throw new BenchmarkFailedException($"{dll} does not exist; build it with `dotnet build -c Release bench/Herald.Bench.Floors`");
        }
        var json = Path.Combine(Path.GetTempPath(), $"herald-floors-{Guid.NewGuid():N}.json");
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = floorsDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[]
        {
            dll, "--deliveries", deliveries.ToString(CultureInfo.InvariantCulture), "--concurrency", concurrency.ToString(CultureInfo.InvariantCulture), "--json", json,
        })
        {
            start.ArgumentList.Add(argument);
        }
        using var process = Process.Start(start) ?? throw new BenchmarkFailedException("the floors benchmark did not start");
        try
        {
            var errors = process.StandardError.ReadToEndAsync(cancellationToken);
            while (await process.StandardOutput.ReadLineAsync(cancellationToken) is { } line)
            {
                // Its progress lines; its closing table is summed up in this run's report.
                if (line.StartsWith("  ", StringComparison.Ordinal))
                {
                    Console.WriteLine($"  [{DateTime.Now:HH:mm:ss}] floors:{line[1..]}");
                }
            }
            await process.WaitForExitAsync(cancellationToken);
            if (process.ExitCode != 0 || !File.Exists(json))
            {
                throw new BenchmarkFailedException($"the floors benchmark exited with {process.ExitCode}: {await errors}");
            }
            return FloorParts.Read(json);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
            File.Delete(json);
        }
    }
}
