using Jsonata;

namespace Herald.Server.Expressions;

/// <summary>
/// Compiled expressions by their text, bounded by count and by estimated memory, the least recently used dropped
/// first. The text is the key because a compiled expression depends on nothing else and is safe to share: configs
/// with the same condition share one entry, and a config's old expression ages out instead of staying forever.
/// </summary>
public sealed class ExpressionCache(int maxEntries, long maxBytes)
{
    /// <summary>
    /// A syntax tree takes some 300 bytes per node, and a dense expression has about a node per character; the text
    /// itself takes two bytes per character. The estimate errs high so the bound holds for the densest expressions.
    /// </summary>
    private const long BytesPerCharacter = 320;
    private const long BytesPerEntry = 1024;

    private readonly object _gate = new();
    private readonly Dictionary<string, LinkedListNode<Entry>> _byText = new(StringComparer.Ordinal);
    private readonly LinkedList<Entry> _recency = new();

    /// <summary>Entries kept now.</summary>
    internal int Count
    {
        get
        {
            lock (_gate)
            {
                return _byText.Count;
            }
        }
    }

    /// <summary>Estimated memory of the entries kept now.</summary>
    internal long Bytes { get; private set; }

    public static long EstimatedBytes(string source) => BytesPerEntry + (source.Length * BytesPerCharacter);

    /// <summary>The compiled form of <paramref name="source"/>; compile errors propagate and nothing is kept for them.</summary>
    public JsonataExpression GetOrCompile(string source)
    {
        lock (_gate)
        {
            if (_byText.TryGetValue(source, out var found))
            {
                _recency.Remove(found);
                _recency.AddFirst(found);
                return found.Value.Expression;
            }
        }

        // compiled outside the lock: two threads may compile the same text, and the second keeps the first's entry
        var expression = JsonataExpression.Compile(source);
        var size = EstimatedBytes(source);
        if (size > maxBytes || maxEntries <= 0)
        {
            return expression;
        }
        lock (_gate)
        {
            if (_byText.TryGetValue(source, out var raced))
            {
                return raced.Value.Expression;
            }
            while (_recency.Last is { } oldest && (_byText.Count >= maxEntries || Bytes + size > maxBytes))
            {
                _recency.RemoveLast();
                _byText.Remove(oldest.Value.Source);
                Bytes -= oldest.Value.Size;
            }
            _byText[source] = _recency.AddFirst(new Entry(source, expression, size));
            Bytes += size;
        }
        return expression;
    }

    private sealed record Entry(string Source, JsonataExpression Expression, long Size);
}
