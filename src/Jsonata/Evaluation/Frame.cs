namespace Jsonata.Evaluation;

/// <summary>A scope of variable bindings, chained to its enclosing scope.</summary>
internal sealed class Frame
{
    private readonly Frame? _parent;
    private Dictionary<string, object?>? _bindings;

    public Frame(Frame? parent, EvalContext? context = null)
    {
        _parent = parent;
        Context = context ?? parent?.Context!;
    }

    public EvalContext Context { get; }

    public void Bind(string name, object? value)
    {
        (_bindings ??= new Dictionary<string, object?>(StringComparer.Ordinal))[name] = value;
    }

    public object? Lookup(string name)
    {
        for (var frame = this; frame != null; frame = frame._parent)
        {
            if (frame._bindings != null && frame._bindings.TryGetValue(name, out var value))
            {
                return value;
            }
        }

        return null;
    }

    /// <summary>True when the name is bound in this frame or an enclosing one (even to undefined).</summary>
    public bool IsBound(string name)
    {
        for (var frame = this; frame != null; frame = frame._parent)
        {
            if (frame._bindings != null && frame._bindings.ContainsKey(name))
            {
                return true;
            }
        }

        return false;
    }
}
