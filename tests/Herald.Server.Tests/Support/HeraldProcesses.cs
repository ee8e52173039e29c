namespace Herald.Server.Tests.Support;

/// <summary>
/// The Herald processes one test started: disposing kills whichever still run, and their output can be written to
/// the test's output when it fails.
/// </summary>
public sealed class HeraldProcesses : IAsyncDisposable
{
    private readonly List<HeraldProcess> _started = [];

    public async Task<HeraldProcess> StartAsync(string name, IReadOnlyDictionary<string, string> settings, CancellationToken cancellationToken)
    {
        var process = await HeraldProcess.StartAsync(name, settings, cancellationToken);
        lock (_started)
        {
            _started.Add(process);
        }
        return process;
    }

    /// <summary>
    /// Writes the last lines of every process's output to <paramref name="output"/> and returns false, so that it can
    /// serve as an exception filter: it runs before the processes are disposed, and the exception goes on.
    /// </summary>
    public bool WriteTails(ITestOutputHelper output, int lines = 60)
    {
        lock (_started)
        {
            foreach (var process in _started)
            {
                output.WriteLine(process.Tail(lines));
            }
        }
        return false;
    }

    public async ValueTask DisposeAsync()
    {
        HeraldProcess[] started;
        lock (_started)
        {
            started = [.. _started];
        }
        foreach (var process in started)
        {
            await process.DisposeAsync();
        }
    }
}
