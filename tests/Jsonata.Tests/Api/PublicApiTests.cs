using System.Text.Json;
using System.Text.Json.Nodes;

namespace Jsonata.Tests.Api;

public class PublicApiTests
{
    [Fact]
    public void Evaluates_json_nodes_and_elements()
    {
        var expr = JsonataExpression.Compile("$sum(items.(price * qty))");
        const string json = """{"items": [{"price": 2, "qty": 3}, {"price": 1.5, "qty": 2}]}""";

        Assert.Equal(9, expr.Evaluate(JsonNode.Parse(json)).AsNumber());
        using var doc = JsonDocument.Parse(json);
        Assert.Equal(9, expr.Evaluate(doc.RootElement).AsNumber());
    }

    [Fact]
    public void Distinguishes_undefined_from_null()
    {
        var missing = JsonataExpression.Compile("a").Evaluate(JsonNode.Parse("{}"));
        var nullValue = JsonataExpression.Compile("a").Evaluate(JsonNode.Parse("{\"a\": null}"));

        Assert.True(missing.IsUndefined);
        Assert.False(missing.IsNull);
        Assert.True(nullValue.IsNull);
        Assert.False(nullValue.IsUndefined);
    }

    [Fact]
    public void No_input_differs_from_null_input()
    {
        var expr = JsonataExpression.Compile("$type($)");
        Assert.True(expr.Evaluate(JsonataValue.Undefined).IsUndefined);
        Assert.Equal("null", expr.Evaluate((JsonNode?)null).AsString());
    }

    [Fact]
    public void Results_convert_back_to_json()
    {
        var result = JsonataExpression.Compile("{'total': 3, 'tags': ['a', 'b'], 'none': null}").Evaluate();
        var node = result.ToJsonNode()!;

        Assert.Equal(3, node["total"]!.GetValue<double>());
        Assert.Equal("b", node["tags"]![1]!.GetValue<string>());
        Assert.Equal("{\"total\":3,\"tags\":[\"a\",\"b\"],\"none\":null}", result.ToJsonString());
    }

    [Fact]
    public void Bindings_supply_variables_and_functions()
    {
        var bindings = new JsonataBindings()
            .Bind("rate", JsonValue.Create(0.2))
            .BindFunction("double", args => JsonataValue.From(args[0].AsNumber()!.Value * 2), "<n:n>");
        var expr = JsonataExpression.Compile("$double(price) * (1 + $rate)");

        Assert.Equal(12, expr.Evaluate(JsonNode.Parse("{\"price\": 5}"), bindings).AsNumber()!.Value, 10);
    }

    [Fact]
    public void Registered_functions_are_checked_against_their_signature()
    {
        var bindings = new JsonataBindings().BindFunction("shout", args => JsonataValue.From(args[0].AsString() + "!"), "<s:s>");
        var error = Assert.Throws<JsonataException>(() => JsonataExpression.Compile("$shout(1)").Evaluate(bindings));
        Assert.Equal("T0410", error.Code);
    }

    [Fact]
    public void One_compiled_expression_can_be_evaluated_concurrently()
    {
        var expr = JsonataExpression.Compile("items{category: $sum(amount)}");
        Parallel.For(0, 200, i =>
        {
            var json = $$"""{"items": [{"category": "a", "amount": {{i}}}, {"category": "a", "amount": 1}, {"category": "b", "amount": 2}]}""";
            var result = expr.Evaluate(JsonNode.Parse(json)).ToJsonNode()!;
            Assert.Equal(i + 1, result["a"]!.GetValue<double>());
            Assert.Equal(2, result["b"]!.GetValue<double>());
        });
    }

    [Fact]
    public void Now_is_fixed_for_one_evaluation()
    {
        var result = JsonataExpression.Compile("$now() = $now() and $millis() = $millis()").Evaluate();
        Assert.True(result.AsBoolean());
    }

    [Fact]
    public void Accepts_nodes_built_from_clr_values()
    {
        var input = new JsonObject { ["count"] = 3, ["price"] = 2.5m, ["code"] = 'x', ["ok"] = true, ["name"] = "n" };
        var result = JsonataExpression.Compile("[count * price, code, ok, name]").Evaluate(input);
        Assert.Equal("[7.5,\"x\",true,\"n\"]", result.ToJsonString());
    }

    [Fact]
    public void Parses_json_text_with_lone_surrogates()
    {
        var value = JsonataValue.Parse("\"\\ud800\"");
        Assert.Equal("\ud800", value.AsString());
    }

    [Fact]
    public void A_result_does_not_follow_later_changes_of_the_input_node()
    {
        var input = JsonNode.Parse("""{"order": {"note": "first", "items": [{"sku": "a", "tags": ["x"]}]}, "other": {"n": 1}}""")!;
        var result = JsonataExpression.Compile("order").Evaluate(input);

        input["order"]!["note"] = "changed";
        input["order"]!["items"]![0]!["sku"] = "b";
        input["order"]!["items"]![0]!["tags"]!.AsArray().Add("y");

        Assert.Equal("""{"note":"first","items":[{"sku":"a","tags":["x"]}]}""", result.ToJsonString());
    }

    [Fact]
    public void Field_names_match_exactly_even_in_a_case_insensitive_node()
    {
        var input = JsonNode.Parse("""{"Name": "upper", "inner": {"Code": 1}}""", new JsonNodeOptions { PropertyNameCaseInsensitive = true });

        Assert.True(JsonataExpression.Compile("name").Evaluate(input).IsUndefined);
        Assert.True(JsonataExpression.Compile("inner.code").Evaluate(input).IsUndefined);
        Assert.Equal("upper", JsonataExpression.Compile("Name").Evaluate(input).AsString());
        Assert.Equal(1, JsonataExpression.Compile("inner.Code").Evaluate(input).AsNumber());
    }

    [Fact]
    public void An_error_value_does_not_follow_later_changes_of_the_input_node()
    {
        var input = JsonNode.Parse("""{"order": {"note": "first"}}""")!;
        var error = Assert.Throws<JsonataException>(() => JsonataExpression.Compile("order + 1").Evaluate(input));

        input["order"]!["note"] = "changed";

        Assert.Equal("T2001", error.Code);
        Assert.Equal("""{"note":"first"}""", Assert.IsAssignableFrom<JsonNode>(error.Value).ToJsonString());
    }
}
