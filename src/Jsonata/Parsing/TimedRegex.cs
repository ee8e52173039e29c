using System.Text.RegularExpressions;
using Jsonata.Evaluation;

namespace Jsonata.Parsing;

/// <summary>
/// A compiled regular expression that never runs past the deadline of the evaluation using it. .NET fixes a regex's
/// match timeout when it is constructed, so one instance per timeout is kept: the time an evaluation has left is
/// rounded down to a step of a quarter octave (1 ms, 1.19 ms, 1.41 ms, ... ), and the instance for that step is built
/// on first use and shared from then on. A match may thus stop up to 16 % of the remaining time early, never late.
/// </summary>
internal sealed class TimedRegex
{
    private const int StepsPerOctave = 4;

    // 2^31 ms is the longest timeout .NET accepts
    private const int Steps = 31 * StepsPerOctave;

    private readonly Regex?[] _byStep = new Regex?[Steps];

    public TimedRegex(Regex unlimited)
    {
        Unlimited = unlimited;
    }

    /// <summary>The regex without a timeout, compiled at parse time (which also checks its syntax).</summary>
    public Regex Unlimited { get; }

    /// <summary>The regex to run under <paramref name="ctx"/>: timed to its deadline, or unlimited when it has none.</summary>
    public Regex For(EvalContext ctx)
    {
        if (ctx.Remaining is not { } remaining)
        {
            return Unlimited;
        }

        if (remaining.TotalMilliseconds < 1)
        {
            throw Errors.Limits.Timeout();
        }

        var step = Math.Min(Steps - 1, (int)Math.Floor(Math.Log2(remaining.TotalMilliseconds) * StepsPerOctave));
        var regex = Volatile.Read(ref _byStep[step]);
        if (regex == null)
        {
            // two threads may both build one; either will do
            var timeout = TimeSpan.FromMilliseconds(Math.Pow(2, (double)step / StepsPerOctave));
            regex = new Regex(Unlimited.ToString(), Unlimited.Options, timeout);
            Volatile.Write(ref _byStep[step], regex);
        }

        return regex;
    }
}
