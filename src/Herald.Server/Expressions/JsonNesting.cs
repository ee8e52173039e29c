using System.Text.Json.Nodes;

namespace Herald.Server.Expressions;

/// <summary>
/// How deep the JSON an expression produced is nested. Herald reads and writes JSON at most
/// <see cref="MaxDepth"/> levels deep (System.Text.Json's default), so a deeper result is refused where it is made,
/// with a message, rather than failing later when it is written.
/// </summary>
public static class JsonNesting
{
    public const int MaxDepth = 64;

    /// <summary>True when <paramref name="node"/> nests deeper than <see cref="MaxDepth"/>; walks with its own stack.</summary>
    public static bool TooDeep(JsonNode? node)
    {
        var pending = new Stack<(JsonNode Node, int Depth)>();
        if (node is JsonObject or JsonArray)
        {
            pending.Push((node, 1));
        }
        while (pending.TryPop(out var current))
        {
            if (current.Depth > MaxDepth)
            {
                return true;
            }
            var children = current.Node is JsonObject obj ? obj.Select(p => p.Value) : current.Node.AsArray();
            foreach (var child in children)
            {
                if (child is JsonObject or JsonArray)
                {
                    pending.Push((child, current.Depth + 1));
                }
            }
        }
        return false;
    }

    public static string Message(string what) => $"{what} is nested more than {MaxDepth} levels deep, deeper than the JSON Herald sends";
}
