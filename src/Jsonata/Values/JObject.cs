using System.Collections;
using System.Diagnostics.CodeAnalysis;
using System.Text.Json.Nodes;
using Jsonata.Json;

namespace Jsonata.Values;

/// <summary>
/// A JSON object. Keys keep insertion order except that array-index-like keys come first in ascending
/// numeric order, which is how JavaScript orders object properties.
/// </summary>
/// <remarks>
/// An object read from a <see cref="JsonObject"/> input (<see cref="Over"/>) is converted as it is used. A lookup
/// reads the one property from the source and converts it once (objects again as unread views). Enumerating or
/// changing the object converts all its properties into a map of its own, reusing the values already converted.
/// An expression that reads three fields of a large payload thus converts little more than those fields. Whatever
/// is kept is published once, so threads reading the same object see the same values.
/// </remarks>
internal sealed class JObject : IReadOnlyDictionary<string, object?>
{
    // At first either _map (an object built here) or _source (not converted yet) is set. Lookups on the source keep
    // the values they convert in _children, by property index; enumerating or changing the object publishes _map,
    // which is used from then on.
    private OrderedDictionary<string, object?>? _map;
    private JsonObject? _source;
    private object?[]? _children;
    private int _indexKeys;

    public JObject()
    {
        _map = new OrderedDictionary<string, object?>(StringComparer.Ordinal);
    }

    public JObject(int capacity)
    {
        _map = new OrderedDictionary<string, object?>(capacity, StringComparer.Ordinal);
    }

    private JObject(JsonObject source)
    {
        _source = source;
    }

    /// <summary>An object whose properties are read from <paramref name="source"/> as they are used.</summary>
    public static JObject Over(JsonObject source)
    {
        var result = new JObject(source);
        if (source.Options is { PropertyNameCaseInsensitive: true })
        {
            // lookups in the source would ignore case, which JSONata's never do
            result.Convert();
        }

        return result;
    }

    /// <summary>Every value converted: for enumeration and changes.</summary>
    private OrderedDictionary<string, object?> Map => Volatile.Read(ref _map) ?? Convert();

    /// <summary>The source for lookups, or null once the object is converted.</summary>
    private JsonObject? Source => Volatile.Read(ref _source);

    public int Count => Source?.Count ?? Map.Count;

    public OrderedDictionary<string, object?>.KeyCollection Keys => Map.Keys;

    public OrderedDictionary<string, object?>.ValueCollection Values => Map.Values;

    IEnumerable<string> IReadOnlyDictionary<string, object?>.Keys => Keys;

    IEnumerable<object?> IReadOnlyDictionary<string, object?>.Values => Values;

    /// <summary>Plain dictionary access: a new key goes last, whatever it looks like (see <see cref="Set(string, object?)"/>).</summary>
    public object? this[string key]
    {
        get => TryGetValue(key, out var value) ? value : throw new KeyNotFoundException(key);
        set => Map[key] = value;
    }

    public bool TryGetValue(string key, [MaybeNullWhen(false)] out object? value)
    {
        var source = Source;
        if (source == null)
        {
            return Map.TryGetValue(key, out value);
        }

        var index = source.IndexOf(key);
        if (index < 0)
        {
            value = null;
            return false;
        }

        value = Property(source, index);
        return true;
    }

    public bool ContainsKey(string key) => Source?.ContainsKey(key) ?? Map.ContainsKey(key);

    public OrderedDictionary<string, object?>.Enumerator GetEnumerator() => Map.GetEnumerator();

    IEnumerator<KeyValuePair<string, object?>> IEnumerable<KeyValuePair<string, object?>>.GetEnumerator() => GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>Adds or replaces a property, keeping JavaScript's property order.</summary>
    public void Set(string key, object? value) => Set(Map, ref _indexKeys, key, value);

    public bool RemoveKey(string key)
    {
        var map = Map;
        var existing = map.IndexOf(key);
        if (existing < 0)
        {
            return false;
        }

        if (existing < _indexKeys)
        {
            _indexKeys--;
        }

        map.RemoveAt(existing);
        return true;
    }

    private static void Set(OrderedDictionary<string, object?> map, ref int indexKeys, string key, object? value)
    {
        if (key.Length == 0 || !char.IsAsciiDigit(key[0]))
        {
            // not index-like: insertion order, and replacing keeps the position
            map[key] = value;
            return;
        }

        var existing = map.IndexOf(key);
        if (existing >= 0)
        {
            map.SetAt(existing, value);
            return;
        }

        if (IsIndexKey(key, out var numeric))
        {
            var pos = 0;
            while (pos < indexKeys)
            {
                var other = map.GetAt(pos).Key;
                if (ParseIndex(other) > numeric)
                {
                    break;
                }

                pos++;
            }

            map.Insert(pos, key, value);
            indexKeys++;
            return;
        }

        map.Add(key, value);
    }

    /// <summary>The value of the source's property at <paramref name="index"/>, converted on first use and kept.</summary>
    private object? Property(JsonObject source, int index)
    {
        var kept = Volatile.Read(ref _children)?[index];
        if (kept != null)
        {
            return kept;
        }

        var converted = JsonConvert.FromNodeLazily(source.GetAt(index).Value);
        if (converted == null)
        {
            return null;
        }

        var children = Volatile.Read(ref _children)
            ?? Interlocked.CompareExchange(ref _children, new object?[source.Count], null)
            ?? _children!;
        return Interlocked.CompareExchange(ref children[index], converted, null) ?? converted;
    }

    /// <summary>Converts every property of the source, in JavaScript's key order, and keeps the result.</summary>
    private OrderedDictionary<string, object?> Convert()
    {
        var source = Volatile.Read(ref _source);
        if (source == null)
        {
            // converted by another thread since the caller looked
            return Volatile.Read(ref _map)!;
        }

        var map = new OrderedDictionary<string, object?>(source.Count, StringComparer.Ordinal);
        var children = Volatile.Read(ref _children);
        var indexKeys = 0;
        for (var i = 0; i < source.Count; i++)
        {
            var (key, node) = source.GetAt(i);
            var value = children == null ? JsonConvert.FromNodeLazily(node) : Property(source, i);
            Set(map, ref indexKeys, key, value);
        }

        // threads converting at the same time compute the same keys and count; the first map published wins
        _indexKeys = indexKeys;
        var published = Interlocked.CompareExchange(ref _map, map, null) ?? map;
        Volatile.Write(ref _source, null);
        return published;
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
