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
/// An object read from a <see cref="JsonObject"/> input (<see cref="Over"/>) is converted as it is used. The first
/// use reads its keys and wraps its objects (unread in turn) and arrays; strings and numbers stay JSON values until a
/// lookup asks for one of them, and are converted in full only when the object is enumerated or changed. An
/// expression that reads three fields of a large payload thus converts little more than those fields. Each stage
/// is published once, so threads reading the same object see the same property values.
/// </remarks>
internal sealed class JObject : IReadOnlyDictionary<string, object?>
{
    // At first either _map (an object built here) or _source (not read yet) is set. A lookup publishes _loaded,
    // whose values may still be JsonValue; enumerating or changing the object publishes _map with every value
    // converted, and _map is used from then on.
    private OrderedDictionary<string, object?>? _map;
    private OrderedDictionary<string, object?>? _loaded;
    private JsonObject? _source;
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

    /// <summary>An object whose properties are read from <paramref name="source"/> when it is first used.</summary>
    public static JObject Over(JsonObject source) => new(source);

    /// <summary>Every value converted: for enumeration and changes.</summary>
    private OrderedDictionary<string, object?> Map => Volatile.Read(ref _map) ?? Convert();

    /// <summary>The keys in their final order, values possibly not converted yet.</summary>
    private OrderedDictionary<string, object?> Keyed => Volatile.Read(ref _map) ?? Volatile.Read(ref _loaded) ?? Load();

    public int Count => Keyed.Count;

    public OrderedDictionary<string, object?>.KeyCollection Keys => Keyed.Keys;

    public OrderedDictionary<string, object?>.ValueCollection Values => Map.Values;

    IEnumerable<string> IReadOnlyDictionary<string, object?>.Keys => Keys;

    IEnumerable<object?> IReadOnlyDictionary<string, object?>.Values => Values;

    /// <summary>Plain dictionary access: a new key goes last, whatever it looks like (see <see cref="Set"/>).</summary>
    public object? this[string key]
    {
        get => TryGetValue(key, out var value) ? value : throw new KeyNotFoundException(key);
        set => Map[key] = value;
    }

    public bool TryGetValue(string key, [MaybeNullWhen(false)] out object? value)
    {
        var map = Volatile.Read(ref _map);
        if (map != null)
        {
            return map.TryGetValue(key, out value);
        }

        if (!(Volatile.Read(ref _loaded) ?? Load()).TryGetValue(key, out value))
        {
            return false;
        }

        if (value is JsonValue json)
        {
            value = JsonConvert.FromValue(json);
        }

        return true;
    }

    public bool ContainsKey(string key) => Keyed.ContainsKey(key);

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

    /// <summary>
    /// Reads the keys of the source object, in JavaScript's order, with its objects as unread views, its arrays
    /// converted (object items again as views), and its other values as they are.
    /// </summary>
    private OrderedDictionary<string, object?> Load()
    {
        var source = Volatile.Read(ref _source);
        if (source == null)
        {
            // read by another thread since the caller looked
            return Volatile.Read(ref _map) ?? Volatile.Read(ref _loaded)!;
        }

        var loaded = new OrderedDictionary<string, object?>(source.Count, StringComparer.Ordinal);
        var indexKeys = 0;
        for (var i = 0; i < source.Count; i++)
        {
            var (key, value) = source.GetAt(i);
            Set(loaded, ref indexKeys, key, value is JsonValue ? value : JsonConvert.FromNodeLazily(value));
        }

        // Threads that read at the same time compute the same keys and count; the first one published wins.
        _indexKeys = indexKeys;
        var published = Interlocked.CompareExchange(ref _loaded, loaded, null) ?? loaded;
        Volatile.Write(ref _source, null);
        return published;
    }

    /// <summary>
    /// Converts every value: straight from the source when the object has not been read yet, else from the loaded
    /// form, which stays as it was.
    /// </summary>
    private OrderedDictionary<string, object?> Convert()
    {
        OrderedDictionary<string, object?> map;
        var loaded = Volatile.Read(ref _loaded);
        var source = Volatile.Read(ref _source);
        if (loaded == null && source != null)
        {
            map = new OrderedDictionary<string, object?>(source.Count, StringComparer.Ordinal);
            var indexKeys = 0;
            for (var i = 0; i < source.Count; i++)
            {
                var (key, value) = source.GetAt(i);
                Set(map, ref indexKeys, key, JsonConvert.FromNodeLazily(value));
            }

            _indexKeys = indexKeys;
        }
        else
        {
            loaded ??= Load();
            map = new OrderedDictionary<string, object?>(loaded.Count, StringComparer.Ordinal);
            for (var i = 0; i < loaded.Count; i++)
            {
                var (key, value) = loaded.GetAt(i);
                map.Add(key, value is JsonValue json ? JsonConvert.FromValue(json) : value);
            }
        }

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
