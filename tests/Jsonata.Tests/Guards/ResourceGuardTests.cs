namespace Jsonata.Tests.Guards;

public class ResourceGuardTests
{
    private const string Factorial = "($f := function($n){ $n = 0 ? 1 : $n * $f($n - 1) }; $f(N))";

    private static JsonataValue Run(string expression, JsonataOptions options) =>
        JsonataExpression.Compile(expression).Evaluate(null, options);

    [Fact]
    public void Depth_is_counted_per_nested_evaluation()
    {
        var options = new JsonataOptions { MaxDepth = 302, TimeLimit = TimeSpan.FromSeconds(5) };
        Assert.False(Run(Factorial.Replace("N", "99", StringComparison.Ordinal), options).IsUndefined);
        var error = Assert.Throws<JsonataException>(() => Run(Factorial.Replace("N", "100", StringComparison.Ordinal), options));
        Assert.Equal("U1001", error.Code);
    }

    [Fact]
    public void The_steps_of_a_plain_name_path_count_towards_the_depth()
    {
        // the path is one level and its steps a second, with or without the shortcut for plain names
        var input = System.Text.Json.Nodes.JsonNode.Parse("""{"a": {"b": {"c": 7}}}""");
        var expr = JsonataExpression.Compile("a.b.c");

        Assert.Equal(7, expr.Evaluate(input, options: new JsonataOptions { MaxDepth = 2 }).AsNumber());
        var error = Assert.Throws<JsonataException>(() => expr.Evaluate(input, options: new JsonataOptions { MaxDepth = 1 }));
        Assert.Equal("U1001", error.Code);
    }

    [Fact]
    public void Tail_calls_do_not_count_towards_the_depth()
    {
        const string expression = "($even := function($n){ $n = 0 ? true : $odd($n - 1) }; $odd := function($n){ $n = 0 ? false : $even($n - 1) }; $odd(6555))";
        var result = Run(expression, new JsonataOptions { MaxDepth = 500, TimeLimit = TimeSpan.FromSeconds(10) });
        Assert.True(result.AsBoolean());
    }

    [Fact]
    public void Time_limit_stops_endless_loops()
    {
        var error = Assert.Throws<JsonataException>(() =>
            Run("($loop := function(){ $loop() }; $loop())", new JsonataOptions { TimeLimit = TimeSpan.FromMilliseconds(200) }));
        Assert.Equal("U1001", error.Code);
    }

    [Fact]
    public void Cancellation_is_observed()
    {
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        Assert.ThrowsAny<OperationCanceledException>(() =>
            Run("($loop := function(){ $loop() }; $loop())", new JsonataOptions { CancellationToken = cts.Token }));
    }

    [Fact]
    public void Deep_recursion_without_a_limit_fails_cleanly_instead_of_crashing()
    {
        var error = Assert.Throws<JsonataException>(() =>
            JsonataExpression.Compile("($f := function($n){ 1 + $f($n + 1) }; $f(0))").Evaluate());
        Assert.Equal("U1001", error.Code);
    }
}
