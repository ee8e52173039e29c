namespace Jsonata.Tests.Paths;

public class ShapingTests
{
    private const string Sales = """
        {"sales": [
          {"region": "north", "amount": 10},
          {"region": "south", "amount": 7},
          {"region": "north", "amount": 5}
        ]}
        """;

    [Fact]
    public void Object_constructor_on_a_path_groups_by_key()
    {
        Assert.Equal("{\"north\":15,\"south\":7}", TestEval.Run("sales{region: $sum(amount)}", Sales));
    }

    [Fact]
    public void Object_constructor_as_a_step_builds_one_object_per_item()
    {
        Assert.Equal("[{\"r\":\"north\"},{\"r\":\"south\"},{\"r\":\"north\"}]", TestEval.Run("sales.{'r': region}", Sales));
    }

    [Fact]
    public void Order_by_sorts_stably_with_direction_markers()
    {
        Assert.Equal("[5,7,10]", TestEval.Run("sales^(amount).amount", Sales));
        Assert.Equal("[\"south\",\"north\",\"north\"]", TestEval.Run("sales^(>region, amount).region", Sales));
    }

    [Fact]
    public void Array_constructors_keep_nested_arrays()
    {
        Assert.Equal("[[1,2],[3]]", TestEval.Run("[[1,2],[3]]"));
        Assert.Equal("[1,2,3]", TestEval.Run("[[1,2],[3]].$"));
        Assert.Equal("[1,2,3,4,5]", TestEval.Run("[1..3, 4, 5]"));
    }

    [Fact]
    public void Transform_copies_and_updates_matches()
    {
        const string input = """{"order": {"id": 1, "secret": "x", "total": 5}}""";
        Assert.Equal("{\"order\":{\"id\":1,\"total\":10}}", TestEval.Run("$ ~> |order|{'total': total * 2}, ['secret']|", input));
        Assert.Equal("{\"id\":1,\"secret\":\"x\",\"total\":5}", TestEval.Run("order", input));
    }

    [Fact]
    public void Integer_like_keys_come_first_as_in_javascript()
    {
        Assert.Equal("[\"1\",\"2\",\"b\"]", TestEval.Run("$keys({'b': 1, '2': 2, '1': 3})"));
    }
}
