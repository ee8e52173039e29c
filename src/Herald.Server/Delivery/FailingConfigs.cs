using System.Threading.Channels;

namespace Herald.Server.Delivery;

/// <summary>
/// The configs whose failure streak has reached <see cref="DeliveryOptions.AutoDisable"/>'s span and count, waiting
/// for <see cref="AutoDisable"/> to disable them. Written after the outcome's commit, read off the delivery path; a
/// streak dropped because many wait is considered again on the config's next failure.
/// </summary>
public sealed class FailingConfigs(DeliveryOptions options)
{
    private readonly Channel<FailureStreak> _waiting = Channel.CreateBounded<FailureStreak>(
        new BoundedChannelOptions(1024) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true });

    /// <summary>The pure rule: no success for at least <c>After</c>, and at least <c>MinFailures</c> failed attempts in that span.</summary>
    public static bool Disables(FailureStreak streak, AutoDisableOptions rule) =>
        rule.Enabled && streak.Failures >= rule.MinFailures && streak.LastFailureAt - streak.FirstFailureAt >= rule.After;

    public void Consider(FailureStreak streak)
    {
        if (Disables(streak, options.AutoDisable))
        {
            _waiting.Writer.TryWrite(streak);
        }
    }

    internal ChannelReader<FailureStreak> Reader => _waiting.Reader;
}
