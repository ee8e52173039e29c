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
/// An object read from a <see cref="JsonObject"/> input (<see cref="Over"/>) converts its properties on first use,
/// one level at a time: an expression that reads three fields of a large payload converts the objects on the way
/// to those fields and leaves the rest of the document alone. Loading is safe when several threads read the same
/// object; exactly one converted form is kept.
/// </remarks>
internal sealed class JObject : IReadOnlyDictionary<string, object?>
{
    private OrderedDictionary<string, object?>? _map;
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

    /// <summary>False while the properties of a <see cref="JsonObject"/> have not been read yet.</summary>
    public bool IsLoaded => Volatile.Read(ref _map) != null;

    private OrderedDictionary<string, object?> Map => Volatile.Read(ref _map) ?? Load();

    public int Count => Map.Count;

    public OrderedDictionary<string, object?>.KeyCollection Keys => Map.Keys;

    public OrderedDictionary<string, object?>.ValueCollection Values => Map.Values;

    IEnumerable<string> IReadOnlyDictionary<string, object?>.Keys => Keys;

    IEnumerable<object?> IReadOnlyDictionary<string, object?>.Values => Values;

    /// <summary>Plain dictionary access: a new key goes last, whatever it looks like (see <see cref="Set"/>).</summary>
    public object? this[string key]
    {
        get => Map[key];
        set => Map[key] = value;
    }

    public bool TryGetValue(string key, [MaybeNullWhen(false)] out object? value) => Map.TryGetValue(key, out value);

    public bool ContainsKey(string key) => Map.ContainsKey(key);

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

    /// <summary>Converts the properties of the source object (their own properties stay unread) and keeps the result.</summary>
    private OrderedDictionary<string, object?> Load()
    {
        var source = Volatile.Read(ref _source);
        if (source == null)
        {
            // loaded by another thread since Map looked
            return Volatile.Read(ref _map)!;
        }

        var map = new OrderedDictionary<string, object?>(source.Count, StringComparer.Ordinal);
        var indexKeys = 0;
        for (var i = 0; i < source.Count; i++)
        {
            var (key, value) = source.GetAt(i);
            Set(map, ref indexKeys, key, JsonConvert.FromNodeLazily(value));
        }

        // Another thread may have loaded the same object meanwhile; the first one published wins, and both
        // computed the same index-key count.
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
