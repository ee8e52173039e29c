namespace Jsonata.Values;

/// <summary>
/// A JSON object. Keys keep insertion order except that array-index-like keys come first in ascending
/// numeric order, which is how JavaScript orders object properties.
/// </summary>
internal sealed class JObject : OrderedDictionary<string, object?>
{
    private int _indexKeys;

    public JObject() : base(StringComparer.Ordinal)
    {
    }

    public JObject(int capacity) : base(capacity, StringComparer.Ordinal)
    {
    }

    /// <summary>Adds or replaces a property, keeping JavaScript's property order.</summary>
    public void Set(string key, object? value)
    {
        if (key.Length == 0 || !char.IsAsciiDigit(key[0]))
        {
            // not index-like: insertion order, and replacing keeps the position
            this[key] = value;
            return;
        }

        var existing = IndexOf(key);
        if (existing >= 0)
        {
            SetAt(existing, value);
            return;
        }

        if (IsIndexKey(key, out var numeric))
        {
            var pos = 0;
            while (pos < _indexKeys)
            {
                var other = GetAt(pos).Key;
                if (ParseIndex(other) > numeric)
                {
                    break;
                }

                pos++;
            }

            Insert(pos, key, value);
            _indexKeys++;
            return;
        }

        Add(key, value);
    }

    public bool RemoveKey(string key)
    {
        var existing = IndexOf(key);
        if (existing < 0)
        {
            return false;
        }

        if (existing < _indexKeys)
        {
            _indexKeys--;
        }

        RemoveAt(existing);
        return true;
    }

    private static bool IsIndexKey(string key, out uint value)
    {
        value = 0;
        if (key.Length == 0 || key.Length > 10 || key[0] < '0' || key[0] > '9')
        {
            return false;
        }

        if (key.Length > 1 && key[0] == '0')
        {
            return false;
        }

        ulong acc = 0;
        foreach (var c in key)
        {
            if (c < '0' || c > '9')
            {
                return false;
            }

            acc = (acc * 10) + (ulong)(c - '0');
        }

        if (acc >= uint.MaxValue)
        {
            return false;
        }

        value = (uint)acc;
        return true;
    }

    private static uint ParseIndex(string key)
    {
        uint acc = 0;
        foreach (var c in key)
        {
            acc = (acc * 10) + (uint)(c - '0');
        }

        return acc;
    }
}
