namespace Jsonata.Values;

/// <summary>
/// An array value. The flags mirror the reference implementation's array annotations: a sequence is a
/// result collection that collapses to its single item, whereas a plain array is a JSON array.
/// </summary>
internal sealed class JArray : List<object?>
{
    public JArray()
    {
    }

    public JArray(int capacity) : base(capacity)
    {
    }

    public JArray(IEnumerable<object?> items) : base(items)
    {
    }

    /// <summary>Result sequence rather than a JSON array.</summary>
    public bool Sequence;

    /// <summary>A singleton sequence that must not collapse to its item (the <c>[]</c> suffix).</summary>
    public bool KeepSingleton;

    /// <summary>Built by an array constructor; not flattened by path steps.</summary>
    public bool Cons;

    /// <summary>Wraps an input array so the whole array is the context item.</summary>
    public bool OuterWrapper;

    /// <summary>Holds tuples (<see cref="TupleBinding"/>) rather than values.</summary>
    public bool TupleStream;

    public static JArray CreateSequence() => new() { Sequence = true };

    public static JArray CreateSequence(object? item)
    {
        var seq = new JArray { Sequence = true };
        seq.Add(item);
        return seq;
    }
}
