namespace Jsonata.Values;

/// <summary>
/// One item of a tuple stream: the context value (<c>@</c>) plus the focus, index and ancestor
/// variables bound along a path.
/// </summary>
internal sealed class TupleBinding : Dictionary<string, object?>
{
    public const string ContextKey = "@";

    public TupleBinding() : base(StringComparer.Ordinal)
    {
    }

    public TupleBinding(TupleBinding other) : base(other, StringComparer.Ordinal)
    {
    }

    public object? Context
    {
        get => TryGetValue(ContextKey, out var v) ? v : null;
        set => this[ContextKey] = value;
    }
}
