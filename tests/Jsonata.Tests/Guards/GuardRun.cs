using System.Diagnostics;

namespace Jsonata.Tests.Guards;

/// <summary>
/// Runs a guarded evaluation on a thread of its own and waits a bounded time for it, so a guard that fails to stop
/// a runaway expression fails the test instead of hanging the run.
/// </summary>
internal static class GuardRun
{
    public static async Task<(JsonataException Error, TimeSpan Elapsed)> FailsWithin(TimeSpan bound, Func<object?> run)
    {
        var clock = Stopwatch.StartNew();
        var work = Task.Factory.StartNew(
            () =>
            {
                try
                {
                    run();
                    return null;
                }
                catch (JsonataException e)
                {
                    return e;
                }
            },
            TestContext.Current.CancellationToken,
            TaskCreationOptions.LongRunning,
            TaskScheduler.Default);
        var finished = await Task.WhenAny(work, Task.Delay(bound, TestContext.Current.CancellationToken));
        Assert.True(finished == work, $"Still running after {bound.TotalSeconds:0.#} s: the guard did not stop it");
        var error = await work;
        Assert.True(error != null, "Expected a JsonataException, but the evaluation succeeded");
        return (error!, clock.Elapsed);
    }
}
