using Herald.Server.Delivery;
using Microsoft.Extensions.Time.Testing;

namespace Herald.Server.Tests.Delivery;

public sealed class DeliverySignalTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>A fake clock that a test moves on just while the worker makes its poll timer: the race of one step.</summary>
    private sealed class ClockMovedWhileATimerIsMade(TimeSpan step) : FakeTimeProvider(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero))
    {
        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            Advance(step);
            return base.CreateTimer(callback, state, dueTime, period);
        }
    }

    [Fact]
    public async Task A_clock_moved_past_the_deadline_while_the_timer_is_made_ends_the_wait()
    {
        var clock = new ClockMovedWhileATimerIsMade(TimeSpan.FromSeconds(115));

        await new DeliverySignal().WaitAsync(clock.GetUtcNow() + TimeSpan.FromSeconds(1), clock, Ct).WaitAsync(TimeSpan.FromSeconds(5), Ct);
    }

    [Fact]
    public async Task The_wait_ends_when_the_clock_reaches_the_deadline_or_at_a_wake_up_and_not_before()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));
        var signal = new DeliverySignal();

        var waiting = signal.WaitAsync(clock.GetUtcNow() + TimeSpan.FromSeconds(1), clock, Ct);
        clock.Advance(TimeSpan.FromMilliseconds(900));
        await Task.Delay(100, Ct);
        Assert.False(waiting.IsCompleted);
        clock.Advance(TimeSpan.FromMilliseconds(100));
        await waiting.WaitAsync(TimeSpan.FromSeconds(5), Ct);

        var woken = signal.WaitAsync(clock.GetUtcNow() + TimeSpan.FromSeconds(1), clock, Ct);
        signal.Notify();
        await woken.WaitAsync(TimeSpan.FromSeconds(5), Ct);

        await signal.WaitAsync(clock.GetUtcNow() - TimeSpan.FromSeconds(1), clock, Ct).WaitAsync(TimeSpan.FromSeconds(5), Ct);
    }
}
