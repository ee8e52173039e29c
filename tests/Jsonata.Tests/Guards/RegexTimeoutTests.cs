namespace Jsonata.Tests.Guards;

/// <summary>
/// Every regex match runs under the deadline of the evaluation that uses it: catastrophic backtracking ends with the
/// time-limit error near the time limit, also for regexes compiled once and shared.
/// </summary>
public class RegexTimeoutTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(15);

    private static JsonataOptions Within(TimeSpan limit) => new() { TimeLimit = limit, MaxDepth = 500 };

    [Theory]
    [InlineData("$match($pad('', 30, 'a') & '!', /^(a+)+$/)")]
    [InlineData("$contains($pad('', 30, 'a') & '!', /^(a+)+$/)")]
    [InlineData("$replace($pad('', 30, 'a') & '!', /^(a+)+$/, 'x')")]
    [InlineData("$split($pad('', 30, 'a') & '!', /^(a+)+$/)")]
    [InlineData("/^(a+)+$/($pad('', 30, 'a') & '!')")]
    public async Task Catastrophic_backtracking_ends_with_the_time_limit_error_near_the_limit(string expression)
    {
        var compiled = JsonataExpression.Compile(expression);

        var (error, elapsed) = await GuardRun.FailsWithin(Bound, () => compiled.Evaluate(options: Within(TimeSpan.FromSeconds(1))));

        Assert.Equal("U1001", error.Code);
        Assert.Contains("timeout", error.Message, StringComparison.OrdinalIgnoreCase);
        Assert.True(elapsed < TimeSpan.FromSeconds(5), $"The match ran {elapsed.TotalSeconds:0.0} s under a 1 s limit");
    }

    [Fact]
    public async Task A_compiled_regex_takes_the_time_of_each_evaluation_not_of_the_first()
    {
        var compiled = JsonataExpression.Compile("$match($pad('', 30, 'a') & '!', /^(a+)+$/)");

        var (shortRun, _) = await GuardRun.FailsWithin(Bound, () => compiled.Evaluate(options: Within(TimeSpan.FromMilliseconds(100))));
        var (longRun, elapsed) = await GuardRun.FailsWithin(Bound, () => compiled.Evaluate(options: Within(TimeSpan.FromMilliseconds(1500))));

        Assert.Equal("U1001", shortRun.Code);
        Assert.Equal("U1001", longRun.Code);
        // a match may stop early by a fraction of the time left, never by most of it
        Assert.True(elapsed >= TimeSpan.FromMilliseconds(1000), $"The second evaluation stopped after {elapsed.TotalMilliseconds:0} ms of 1500");
    }

    [Fact]
    public void Matches_within_the_time_limit_are_found_as_before()
    {
        var result = JsonataExpression.Compile("$match('ab12cd345', /[0-9]+/).match").Evaluate(options: Within(TimeSpan.FromSeconds(1)));
        Assert.Equal("""["12","345"]""", result.ToJsonString());
    }

    [Fact]
    public async Task A_signature_with_many_repeatable_parameters_is_checked_in_polynomial_time()
    {
        var parameters = string.Concat(Enumerable.Repeat("n+", 20));
        var arguments = string.Join(", ", Enumerable.Range(1, 40)) + ", 'end'";
        var compiled = JsonataExpression.Compile($"function($a)<{parameters}>{{ 1 }}({arguments})");

        var (error, _) = await GuardRun.FailsWithin(Bound, () => compiled.Evaluate(options: Within(TimeSpan.FromSeconds(5))));

        Assert.Equal("T0410", error.Code);
        Assert.Equal("end", error.Value);
    }
}
