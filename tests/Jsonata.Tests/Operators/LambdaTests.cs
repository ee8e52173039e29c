namespace Jsonata.Tests.Operators;

public class LambdaTests
{
    [Fact]
    public void Closures_capture_their_scope()
    {
        Assert.Equal("5", TestEval.Run("($add := function($x){ function($y){ $x + $y } }; $add(2)(3))"));
    }

    [Fact]
    public void Partial_application_fills_placeholders_later()
    {
        Assert.Equal("\"hel\"", TestEval.Run("($first3 := $substring(?, 0, 3); $first3('hello'))"));
        Assert.Equal("\"a-b\"", TestEval.Run("($join3 := function($a, $s, $b){ $a & $s & $b }; $dash := $join3(?, '-', ?); $dash('a', 'b'))"));
    }

    [Fact]
    public void Chain_operator_passes_the_left_value_as_first_argument()
    {
        Assert.Equal("\"ABC\"", TestEval.Run("'abc' ~> $uppercase()"));
        Assert.Equal("8", TestEval.Run("($inc := function($x){$x + 1}; $dbl := function($x){$x * 2}; 3 ~> ($inc ~> $dbl))"));
    }

    [Fact]
    public void Tail_calls_do_not_exhaust_the_stack()
    {
        Assert.Equal("100000", TestEval.Run("($count := function($n, $acc){ $n = 0 ? $acc : $count($n - 1, $acc + 1) }; $count(100000, 0))"));
    }

    [Fact]
    public void Signatures_fill_missing_arguments_from_the_context()
    {
        Assert.Equal("\"HI\"", TestEval.Run("($up := function($s)<s-:s>{ $uppercase($s) }; name.$up())", "{\"name\": \"hi\"}"));
    }

    [Fact]
    public void Eval_runs_expression_text()
    {
        Assert.Equal("3", TestEval.Run("$eval('a + b', {'a': 1, 'b': 2})"));
    }
}
