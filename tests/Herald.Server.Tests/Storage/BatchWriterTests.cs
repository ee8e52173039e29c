using Herald.Server.Storage;

namespace Herald.Server.Tests.Storage;

public class BatchWriterTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Items_handed_over_while_a_write_runs_go_together_in_the_next_one_up_to_the_batch_size()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var batches = new List<int[]>();
        await using var writer = new BatchWriter<int, int>(async (items, _) =>
        {
            lock (batches)
            {
                batches.Add([.. items]);
            }
            await gate.Task;
            return items.Select(i => i * 10).ToList();
        }, maxBatch: 3);

        var first = writer.WriteAsync(1);
        await Eventually(() => batches.Count == 1);
        var rest = Enumerable.Range(2, 4).Select(i => writer.WriteAsync(i)).ToList();
        gate.SetResult();

        Assert.Equal(10, await first.WaitAsync(Bound, Ct));
        Assert.Equal(new[] { 20, 30, 40, 50 }, await Task.WhenAll(rest).WaitAsync(Bound, Ct));
        Assert.Equal(new[] { new[] { 1 }, new[] { 2, 3, 4 }, new[] { 5 } }, batches);
    }

    [Fact]
    public async Task A_failed_write_fails_every_caller_of_its_batch_and_the_next_batch_is_written()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var calls = 0;
        await using var writer = new BatchWriter<int, int>(async (items, _) =>
        {
            if (Interlocked.Increment(ref calls) == 1)
            {
                await gate.Task;
                return items.ToList();
            }
            if (items.Contains(-1))
            {
                throw new InvalidOperationException("refused");
            }
            return items.ToList();
        }, maxBatch: 10);

        var held = writer.WriteAsync(0);
        await Eventually(() => Volatile.Read(ref calls) == 1);
        var doomed = new[] { writer.WriteAsync(-1), writer.WriteAsync(7) };
        gate.SetResult();
        await held.WaitAsync(Bound, Ct);

        foreach (var caller in doomed)
        {
            var error = await Assert.ThrowsAsync<InvalidOperationException>(() => caller.WaitAsync(Bound, Ct));
            Assert.Equal("refused", error.Message);
        }
        Assert.Equal(8, await writer.WriteAsync(8).WaitAsync(Bound, Ct));
    }

    [Fact]
    public async Task A_caller_resumes_off_the_writers_loop_and_never_holds_it_up()
    {
        await using var writer = new BatchWriter<int, int>((items, _) => Task.FromResult<IReadOnlyList<int>>(items.ToList()), maxBatch: 10);
        var blocked = new ManualResetEventSlim();
        var resumed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        try
        {
            // The first caller's continuation blocks its thread; were it running on the writer's loop, the second
            // write would never be answered.
            var first = writer.WriteAsync(1).ContinueWith(_ =>
            {
                resumed.SetResult();
                blocked.Wait(Bound, Ct);
            }, Ct, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            await resumed.Task.WaitAsync(Bound, Ct);
            Assert.Equal(2, await writer.WriteAsync(2).WaitAsync(Bound, Ct));
        }
        finally
        {
            blocked.Set();
        }
    }

    private static async Task Eventually(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + Bound;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "the condition did not hold in time");
            await Task.Delay(5, Ct);
        }
    }
}
