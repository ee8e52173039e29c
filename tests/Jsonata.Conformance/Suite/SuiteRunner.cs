using Jsonata.Evaluation;
using Jsonata.Json;
using Jsonata.Values;

namespace Jsonata.Conformance.Suite;

/// <summary>Outcome of running one case: passed, or a description of the mismatch.</summary>
internal sealed record CaseOutcome(bool Passed, string Detail);

/// <summary>How a case's input reaches the engine.</summary>
internal enum InputForm
{
    /// <summary>The engine's own value model, as <c>JsonataValue.Parse</c> gives it.</summary>
    Parsed,

    /// <summary>A <c>JsonNode</c> parsed from the input's JSON text, read by the evaluation as it goes (Herald's path).</summary>
    JsonNode,
}

/// <summary>Runs suite cases with the same pass/fail rules as the reference harness.</summary>
internal static class SuiteRunner
{
    private const int StackSize = 64 * 1024 * 1024;

    public static CaseOutcome Run(SuiteCase c, SuiteLoader loader, InputForm form = InputForm.Parsed)
    {
        CaseOutcome? outcome = null;
        var thread = new Thread(() => outcome = RunOnThisThread(c, loader, form), StackSize);
        thread.Start();
        thread.Join();
        return outcome!;
    }

    private static CaseOutcome RunOnThisThread(SuiteCase c, SuiteLoader loader, InputForm form)
    {
        var expectsError = c.Code != null || c.Error != null;
        JsonataExpression expr;
        try
        {
            expr = JsonataExpression.Compile(c.Expression);
        }
        catch (JsonataException ex)
        {
            var expectedCode = c.Code ?? c.Error?.GetValueOrDefault("code") as string;
            if (expectedCode == ex.Code && (c.Token == null || c.Token == ex.Token))
            {
                return new CaseOutcome(true, string.Empty);
            }

            return Fail(c, $"compile error {ex.Code} ({ex.Message}) token {ex.Token}");
        }
        catch (Exception ex)
        {
            return Fail(c, $"{ex.GetType().Name} while compiling: {ex.Message}");
        }

        object? input = c.HasData ? c.Data : c.Dataset != null ? loader.Dataset(c.Dataset) : null;
        input = Builtins_Clone(input);
        Dictionary<string, object?>? bindings = null;
        if (c.Bindings is { Count: > 0 })
        {
            bindings = new Dictionary<string, object?>(StringComparer.Ordinal);
            foreach (var (k, v) in c.Bindings)
            {
                bindings[k] = Builtins_Clone(v);
            }
        }

        JsonataOptions? options = null;
        if (c.TimeLimit != null && c.Depth != null)
        {
            options = new JsonataOptions { MaxDepth = c.Depth.Value, TimeLimit = TimeSpan.FromMilliseconds(c.TimeLimit.Value) };
        }

        object? result;
        try
        {
            result = form == InputForm.JsonNode && input != null
                ? JsonConvert.Settle(expr.EvaluateRaw(JsonConvert.FromNodeLazily(ToJsonNode(input)), bindings, options))
                : expr.EvaluateRaw(input, bindings, options);
        }
        catch (JsonataException ex)
        {
            if (c.Code != null)
            {
                return ex.Code == c.Code ? new CaseOutcome(true, string.Empty) : Fail(c, $"error {ex.Code} ({ex.Message})");
            }

            if (c.Error != null)
            {
                foreach (var (key, expected) in c.Error)
                {
                    object? actual = key switch
                    {
                        "code" => ex.Code,
                        "message" => ex.Message,
                        "token" => ex.Token,
                        "value" => ex.RawValue,
                        "functionName" => ex.FunctionName,
                        "position" => (double)ex.Position,
                        _ => null,
                    };
                    if (!ValuesEqual(expected, actual))
                    {
                        return Fail(c, $"error {ex.Code} with {key} {Describe(actual)}");
                    }
                }

                return new CaseOutcome(true, string.Empty);
            }

            return Fail(c, $"error {ex.Code} ({ex.Message})");
        }
        catch (Exception ex)
        {
            return Fail(c, $"{ex.GetType().Name}: {ex.Message}");
        }

        if (expectsError)
        {
            return Fail(c, Describe(result));
        }

        if (c.UndefinedResult)
        {
            return result == null ? new CaseOutcome(true, string.Empty) : Fail(c, Describe(result));
        }

        if (result != null && ValuesEqual(c.Result, result))
        {
            return new CaseOutcome(true, string.Empty);
        }

        return Fail(c, Describe(result));
    }

    /// <summary>
    /// The input as System.Text.Json parses it from JSON text; inputs that text cannot carry (lone surrogates, which
    /// System.Text.Json rejects) are built node by node instead.
    /// </summary>
    private static System.Text.Json.Nodes.JsonNode? ToJsonNode(object input)
    {
        try
        {
            return System.Text.Json.Nodes.JsonNode.Parse(JsonWriter.Serialize(input, false));
        }
        catch (System.Text.Json.JsonException)
        {
            return JsonConvert.ToNode(input);
        }
    }

    private static object? Builtins_Clone(object? value) => value switch
    {
        JArray arr => new JArray(arr.Select(Builtins_Clone)),
        JObject obj => CloneObject(obj),
        _ => value,
    };

    private static JObject CloneObject(JObject obj)
    {
        var copy = new JObject(obj.Count);
        foreach (var (k, v) in obj)
        {
            copy.Set(k, Builtins_Clone(v));
        }

        return copy;
    }

    private static CaseOutcome Fail(SuiteCase c, string got) => new(false, $"expected {ExpectedText(c)}, got {got}");

    private static string ExpectedText(SuiteCase c)
    {
        if (c.Code != null)
        {
            return "error " + c.Code + (c.Token != null ? " token " + c.Token : string.Empty);
        }

        if (c.Error != null)
        {
            return "error " + JsonWriter.Serialize(c.Error, false);
        }

        return c.UndefinedResult ? "undefined" : Describe(c.Result);
    }

    private static string Describe(object? value)
    {
        if (value == null)
        {
            return "undefined";
        }

        try
        {
            var text = JsonWriter.Serialize(value, false);
            return text.Length > 300 ? text.Substring(0, 300) + "..." : text;
        }
        catch (JsonataException)
        {
            return value.ToString() ?? "?";
        }
    }

    /// <summary>Deep equality as the reference harness checks it: arrays in order, objects by key set.</summary>
    public static bool ValuesEqual(object? expected, object? actual)
    {
        switch (expected)
        {
            case null:
                return actual == null;
            case JNull:
                return actual is JNull;
            case double e:
                return actual is double a && (a == e || (double.IsNaN(a) && double.IsNaN(e)));
            case string s:
                return actual is string t && string.Equals(s, t, StringComparison.Ordinal);
            case bool b:
                return actual is bool ab && ab == b;
            case JArray ea:
                {
                    if (actual is not JArray aa || aa.Count != ea.Count)
                    {
                        return false;
                    }

                    for (var i = 0; i < ea.Count; i++)
                    {
                        if (!ValuesEqual(ea[i], aa[i]))
                        {
                            return false;
                        }
                    }

                    return true;
                }

            case JObject eo:
                {
                    if (actual is not JObject ao)
                    {
                        return false;
                    }

                    var keys = ao.Where(kv => kv.Value != null).Select(kv => kv.Key).ToHashSet(StringComparer.Ordinal);
                    if (keys.Count != eo.Count)
                    {
                        return false;
                    }

                    foreach (var (key, value) in eo)
                    {
                        if (!ao.TryGetValue(key, out var other) || !ValuesEqual(value, other))
                        {
                            return false;
                        }
                    }

                    return true;
                }

            default:
                return Util.DeepEquals(expected, actual);
        }
    }
}
