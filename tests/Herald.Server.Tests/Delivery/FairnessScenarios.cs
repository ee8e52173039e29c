using System.Diagnostics;
using Herald.Server.Tests.Support;

namespace Herald.Server.Tests.Delivery;

/// <summary>
/// A receiver that is slow, refuses connections or never answers may borrow every slot of the node while no other
/// receiver waits (it does: between rounds it is alone), but never more; a fast receiver of the same organization
/// arriving beside it starts within its share at once and keeps its usual pace.
/// Each test measures the fast receiver alone and beside the others, on the same machine in the same run, with no
/// other test running meanwhile.
/// </summary>
[Collection(nameof(PaceCollection))]
public class FairnessScenarios(ITestOutputHelper output) : ReceiverScenario
{
    private const int FastEvents = 1000;
    private const int Rounds = 3;
    private const int MaxRounds = 10;
    private const double Pace = 0.8;

    protected override IReadOnlyDictionary<string, string?> ExtraSettings => new Dictionary<string, string?> { ["Workers:ShutdownGrace"] = "00:00:00.200" };

    [Fact]
    public async Task A_slow_receiver_holds_at_most_the_node_and_a_fast_one_keeps_its_pace()
    {
        var slow = await Receiver.StartAsync();
        slow.Default = new Answer.Slow(TimeSpan.FromSeconds(2));
        OtherReceivers.Add(slow);
        var (slowConfig, _) = await Client.CreateConfigAsync(slow.Url);
        var (fastConfig, _) = await Client.CreateConfigAsync(Receiver.Url);

        var sent = 0;
        // Each measurement starts with the slow receiver idle: otherwise one round's slow sends, borrowing every slot once
        // they are alone, still hold the node when the next round starts, and "alone" and "beside" measure the leftovers.
        async Task SettleAsync()
        {
            await Eventually.ReturnsAsync(() => Task.FromResult(slow.Received.Count), count => count >= sent, "the slow receiver to get every event", TimeSpan.FromSeconds(60));
            await Eventually.ReturnsAsync(() => Task.FromResult(slow.InFlight), count => count == 0, "the slow receiver to answer every request", TimeSpan.FromSeconds(10));
        }
        var (alone, beside) = await PaceAsync(fastConfig, () =>
        {
            sent += 100;
            return Client.TriggerAllAsync(Enumerable.Repeat(slowConfig, 100).ToList(), parallel: 2);
        }, SettleAsync);

        Assert.True(beside.TotalSeconds <= alone.TotalSeconds / Pace,
            $"{FastEvents} events to the fast receiver took {alone.TotalSeconds:0.00} s alone and {beside.TotalSeconds:0.00} s beside the slow one");
        output.WriteLine($"fast receiver: {alone.TotalSeconds:0.000} s alone, {beside.TotalSeconds:0.000} s beside the slow one");
        Assert.InRange(slow.MaxInFlight, 1, 32);
    }

    [Fact]
    public async Task Receivers_that_refuse_connections_or_never_answer_do_not_slow_a_fast_one()
    {
        var silent = (await Backlogs.SilentReceiversAsync(1))[0];
        OtherReceivers.Add(silent);
        var (silentConfig, _) = await Client.CreateConfigAsync(silent.Url);
        var (refusedConfig, _) = await Client.CreateConfigAsync(Backlogs.RefusingUrl());
        var (fastConfig, _) = await Client.CreateConfigAsync(Receiver.Url);

        var (alone, beside) = await PaceAsync(fastConfig,
            () => Client.TriggerAllAsync(Enumerable.Range(0, 100).Select(i => i % 2 == 0 ? silentConfig : refusedConfig).ToList(), parallel: 2));

        output.WriteLine($"fast receiver: {alone.TotalSeconds:0.000} s alone, {beside.TotalSeconds:0.000} s beside the dead ones");
        Assert.True(beside.TotalSeconds <= alone.TotalSeconds / Pace,
            $"{FastEvents} events to the fast receiver took {alone.TotalSeconds:0.00} s alone and {beside.TotalSeconds:0.00} s beside the dead ones");
        Assert.InRange(silent.MaxInFlight, 1, 32);
    }

    /// <summary>
    /// How long <see cref="FastEvents"/> triggers to the fast config take to reach its receiver, alone and with
    /// <paramref name="others"/> fired alongside: the best of a few alternating rounds after a warm-up, so that a
    /// moment of load from outside the test does not decide it. While the best "beside" is still short of the pace
    /// after <see cref="Rounds"/> rounds, more rounds follow, up to <see cref="MaxRounds"/>: a machine busy with other
    /// work for seconds at a time (CI) gets more chances, and a scheduler that lets the others slow the fast receiver
    /// fails every one of them.
    /// </summary>
    private async Task<(TimeSpan Alone, TimeSpan Beside)> PaceAsync(string fastConfig, Func<Task> others, Func<Task>? settle = null)
    {
        settle ??= () => Task.CompletedTask;
        await DeliverFastAsync(fastConfig, FastEvents / 5, null);
        var (alone, beside) = (TimeSpan.MaxValue, TimeSpan.MaxValue);
        for (var round = 0; round < Rounds || (round < MaxRounds && beside.TotalSeconds > alone.TotalSeconds / Pace); round++)
        {
            await settle();
            alone = TimeSpan.FromTicks(Math.Min(alone.Ticks, (await DeliverFastAsync(fastConfig, FastEvents, null)).Ticks));
            await settle();
            beside = TimeSpan.FromTicks(Math.Min(beside.Ticks, (await DeliverFastAsync(fastConfig, FastEvents, others)).Ticks));
        }
        return (alone, beside);
    }

    private async Task<TimeSpan> DeliverFastAsync(string fastConfig, int count, Func<Task>? others)
    {
        // The others are accepted first, so their sends hold the node when the fast ones arrive (the hard case for the
        // scheduler), and the clock measures the fast receiver's pace, not the CPU their triggers took.
        if (others is not null)
        {
            await others();
        }
        var before = Receiver.Received.Count;
        var clock = Stopwatch.StartNew();
        await Client.TriggerAllAsync(Enumerable.Repeat(fastConfig, count).ToList());
        await Receiver.WaitForAsync(before + count, TimeSpan.FromSeconds(60));
        return clock.Elapsed;
    }
}

/// <summary>The same scenarios with Herald on PostgreSQL.</summary>
[Collection(nameof(PaceCollection))]
public sealed class PostgresFairnessScenarios(PostgresServer server, ITestOutputHelper output) : FairnessScenarios(output)
{
    protected override Task<Dictionary<string, string?>> StorageAsync() => server.StorageAsync();
}

/// <summary>Tests that compare two paces run alone: a test running beside them would slow one measurement and not the other.</summary>
[CollectionDefinition(nameof(PaceCollection), DisableParallelization = true)]
public sealed class PaceCollection;
