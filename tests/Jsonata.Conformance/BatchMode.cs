using Jsonata.Json;
using Jsonata.Values;

namespace Jsonata.Conformance;

/// <summary>
/// Evaluates a JSON array of <c>{expr, data?, bindings?}</c> and prints one line per entry: the result as
/// JSON, <c>undefined</c>, or <c>ERROR code</c>. Used to compare behaviour with other implementations.
/// </summary>
internal static class BatchMode
{
    public static int Run(string file, bool messages = false)
    {
        var entries = (JArray)JsonReader.Parse(File.ReadAllText(file))!;
        foreach (var entry in entries)
        {
            var obj = (JObject)entry!;
            string line;
            try
            {
                var expr = JsonataExpression.Compile((string)obj["expr"]!);
                Dictionary<string, object?>? bindings = null;
                if (obj.GetValueOrDefault("bindings") is JObject b)
                {
                    bindings = b.ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal);
                }

                object? result = null;
                Exception? failure = null;
                var thread = new Thread(
                    () =>
                    {
                        try
                        {
                            result = expr.EvaluateRaw(obj.GetValueOrDefault("data"), bindings, null);
                        }
                        catch (Exception ex)
                        {
                            failure = ex;
                        }
                    },
                    256 * 1024 * 1024);
                thread.Start();
                thread.Join();
                if (failure != null)
                {
                    throw failure;
                }

                line = result == null ? "undefined" : JsonWriter.SerializeRaw(result);
            }
            catch (JsonataException ex)
            {
                line = "ERROR " + ex.Code + (ex.Token != null ? " token=" + ex.Token : string.Empty) + (messages ? " | " + JsonWriter.Quote(ex.Message) : string.Empty);
            }
            catch (Exception ex)
            {
                line = "CRASH " + ex.GetType().Name + ": " + ex.Message.Replace('\n', ' ');
            }

            Console.WriteLine(line);
        }

        return 0;
    }
}
