namespace Jsonata.Tests.Paths;

public class PathNavigationTests
{
    private const string Order = """
        {
          "customer": { "name": "Ada", "tier": "gold" },
          "items": [
            { "sku": "A1", "price": 10, "qty": 2, "tags": ["new", "sale"] },
            { "sku": "B2", "price": 5.5, "qty": 1, "tags": ["sale"] },
            { "sku": "C3", "price": 100, "qty": 1 }
          ]
        }
        """;

    [Theory]
    [InlineData("customer.name", "\"Ada\"")]
    [InlineData("items.sku", "[\"A1\",\"B2\",\"C3\"]")]
    [InlineData("items[0].sku", "\"A1\"")]
    [InlineData("items[-1].sku", "\"C3\"")]
    [InlineData("items[price > 6].sku", "[\"A1\",\"C3\"]")]
    [InlineData("items.tags", "[\"new\",\"sale\",\"sale\"]")]
    [InlineData("items[1].tags", "[\"sale\"]")]
    [InlineData("items.nothing", "undefined")]
    [InlineData("$.customer.tier", "\"gold\"")]
    public void Navigates_fields_and_arrays(string expression, string expected)
    {
        Assert.Equal(expected, TestEval.Run(expression, Order));
    }

    [Fact]
    public void Singleton_results_collapse_unless_kept_with_empty_brackets()
    {
        Assert.Equal("\"C3\"", TestEval.Run("items[price > 50].sku", Order));
        Assert.Equal("[\"C3\"]", TestEval.Run("items[price > 50].sku[]", Order));
    }

    [Fact]
    public void Wildcards_and_descendants_reach_nested_values()
    {
        Assert.Equal("[\"Ada\",\"gold\"]", TestEval.Run("customer.*", Order));
        Assert.Equal("[10,5.5,100]", TestEval.Run("**.price", Order));
    }

    [Fact]
    public void Parent_operator_refers_to_the_enclosing_object()
    {
        Assert.Equal("[\"A1:new\",\"A1:sale\",\"B2:sale\"]", TestEval.Run("items.tags.(%.sku & ':' & $)", Order));
    }

    [Fact]
    public void Positional_and_focus_variables_bind_along_the_path()
    {
        Assert.Equal("[\"0:A1\",\"1:B2\",\"2:C3\"]", TestEval.Run("items#$i.($string($i) & ':' & sku)", Order));
        Assert.Equal("[\"Ada bought A1\",\"Ada bought B2\",\"Ada bought C3\"]",
            TestEval.Run("$@$o.items@$it.($o.customer.name & ' bought ' & $it.sku)", Order));
    }

    [Fact]
    public void Arrays_given_as_input_are_treated_as_one_context_item()
    {
        Assert.Equal("3", TestEval.Run("$count($)", "[1,2,3]"));
        Assert.Equal("[1,2,3]", TestEval.Run("$", "[1,2,3]"));
        Assert.Equal("2", TestEval.Run("$[1]", "[1,2,3]"));
    }

    [Fact]
    public void Quoted_names_select_fields_with_spaces()
    {
        Assert.Equal("1", TestEval.Run("`first name`", "{\"first name\": 1}"));
        Assert.Equal("1", TestEval.Run("a.'b c'", "{\"a\": {\"b c\": 1}}"));
    }
}
