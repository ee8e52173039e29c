using System.Text.Json.Nodes;
using Herald.Server.Filters;

namespace Herald.Server.Tests.Filters;

public sealed class FieldValueTests
{
    private static readonly JsonNode Input = JsonNode.Parse("""
        {"entity":{
          "line_items":[
            {"price":10,"tags":["a","b"],"note":""},
            {"price":25,"tags":[],"note":null},
            {"tags":["c"]}],
          "meter_readings":[{"file_id":"f0"},{"file_id":"f1"}],
          "matrix":[[{"v":1}],[{"v":2},{"v":3}]],
          "nothing":null}}
        """)!;

    [Theory]
    [InlineData("entity.line_items.price", "[10,25]")]
    [InlineData("entity.line_items.tags", """["a","b","c"]""")]
    [InlineData("entity.line_items[1].price", "[25]")]
    [InlineData("entity.line_items.1.price", "[25]")]
    [InlineData("entity.line_items[7].price", "[]")]
    [InlineData("entity.line_items", """[{"price":10,"tags":["a","b"],"note":""},{"price":25,"tags":[],"note":null},{"tags":["c"]}]""")]
    [InlineData("entity.line_items.missing", "[]")]
    [InlineData("entity.line_items.note", "[\"\"]")]
    [InlineData("entity.matrix.v", "[1,2,3]")]
    [InlineData("entity.meter_readings[1].file_id", "[\"f1\"]")]
    [InlineData("entity.nothing", "[]")]
    [InlineData("nowhere.at.all", "[]")]
    public void A_path_that_crosses_arrays_collects_every_value_found(string path, string expected)
    {
        var found = FieldPath.Collect(Input, path);

        Assert.Equal(JsonNode.Parse(expected)!.ToJsonString(), new JsonArray(found.Select(n => n.DeepClone()).ToArray()).ToJsonString());
    }

    [Theory]
    [InlineData("entity.meter_readings.1.file_id", "\"f1\"")]
    [InlineData("entity.meter_readings[1].file_id", "\"f1\"")]
    [InlineData("entity.line_items.price", null)]
    [InlineData("entity.nothing", null)]
    public void Without_per_item_evaluation_a_path_names_one_value(string path, string? expected)
    {
        Assert.Equal(expected, FieldPath.Resolve(Input, path)?.ToJsonString());
    }

    [Theory]
    [InlineData("entity.line_items.price", true, 2, false)]
    [InlineData("entity.line_items.note", true, 1, true)]
    [InlineData("entity.line_items.missing", true, 0, true)]
    [InlineData("entity.line_items", false, 3, false)]
    [InlineData("entity.line_items.price", false, 0, true)]
    [InlineData("entity.nothing", false, 0, true)]
    [InlineData("entity.meter_readings.0.file_id", false, 1, false)]
    public void The_field_value_knows_its_item_count_and_emptiness(string path, bool perItem, int count, bool empty)
    {
        var field = FieldValue.At(Input, path, perItem);

        Assert.Equal(count, field.Count);
        Assert.Equal(empty, field.IsEmpty);
    }

    [Theory]
    [InlineData("null", true)]
    [InlineData("\"\"", true)]
    [InlineData("\" \"", false)]
    [InlineData("[]", true)]
    [InlineData("[null]", false)]
    [InlineData("{}", true)]
    [InlineData("0", false)]
    [InlineData("false", false)]
    public void Blank_values(string json, bool blank)
    {
        Assert.Equal(blank, FieldValue.IsBlank(JsonNode.Parse(json)));
    }
}
