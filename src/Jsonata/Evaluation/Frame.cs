namespace Jsonata.Evaluation;

/// <summary>
/// A scope of variable bindings, chained to its enclosing scope. Most scopes (lambda parameters,
/// blocks, tuple bindings) hold a handful of names, so they are kept in small arrays and only
/// large scopes such as the built-in library use a dictionary.
/// </summary>
internal sealed class Frame
{
    private const int SmallLimit = 8;

    private readonly Frame? _parent;
    private string[]? _names;
    private object?[]? _values;
    private int _count;
    private Dictionary<string, object?>? _map;

    public Frame(Frame? parent, EvalContext? context = null)
    {
        _parent = parent;
        Context = context ?? parent?.Context!;
    }

    public EvalContext Context { get; }

    public void Bind(string name, object? value)
    {
        if (_map != null)
        {
            _map[name] = value;
            return;
        }

        var index = IndexOf(name);
        if (index >= 0)
        {
            _values![index] = value;
            return;
        }

        if (_count == SmallLimit)
        {
            _map = new Dictionary<string, object?>(SmallLimit * 2, StringComparer.Ordinal);
            for (var i = 0; i < _count; i++)
            {
                _map[_names![i]] = _values![i];
            }

            _map[name] = value;
            _names = null;
            _values = null;
            return;
        }

        if (_names == null)
        {
            _names = new string[4];
            _values = new object?[4];
        }
        else if (_count == _names.Length)
        {
            Array.Resize(ref _names, _count * 2);
            Array.Resize(ref _values, _count * 2);
        }

        _names[_count] = name;
        _values![_count] = value;
        _count++;
    }

    private int IndexOf(string name)
    {
        var names = _names;
        for (var i = 0; i < _count; i++)
        {
            var candidate = names![i];
            if (ReferenceEquals(candidate, name) || string.Equals(candidate, name, StringComparison.Ordinal))
            {
                return i;
            }
        }

        return -1;
    }

    private bool TryGetLocal(string name, out object? value)
    {
        if (_map != null)
        {
            return _map.TryGetValue(name, out value);
        }

        var index = IndexOf(name);
        if (index >= 0)
        {
            value = _values![index];
            return true;
        }

        value = null;
        return false;
    }

    public object? Lookup(string name)
    {
        for (var frame = this; frame != null; frame = frame._parent)
        {
            if (frame.TryGetLocal(name, out var value))
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
            if (frame.TryGetLocal(name, out _))
            {
                return true;
            }
        }

        return false;
    }
}
