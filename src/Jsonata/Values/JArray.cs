using System.Collections;

namespace Jsonata.Values;

/// <summary>
/// An array value. The flags mirror the reference implementation's array annotations: a sequence is a
/// result collection that collapses to its single item, whereas a plain array is a JSON array.
/// A range (<c>[1..n]</c>) is held as its bounds and only materialised when it is modified, so large
/// ranges that are only counted or iterated do not allocate an item per number.
/// </summary>
internal sealed class JArray : IList<object?>, IReadOnlyList<object?>
{
    private object?[] _items;
    private int _count;
    private double _rangeStart;
    private int _rangeCount = -1;

    public JArray()
    {
        _items = [];
    }

    public JArray(int capacity)
    {
        _items = capacity == 0 ? [] : new object?[capacity];
    }

    public JArray(IEnumerable<object?> items)
    {
        _items = [];
        AddRange(items);
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
        var seq = new JArray(1) { Sequence = true };
        seq.Add(item);
        return seq;
    }

    /// <summary>The integers <paramref name="start"/> .. start + count - 1, as a sequence.</summary>
    public static JArray Range(double start, int count) => new() { Sequence = true, _rangeStart = start, _rangeCount = count };

    public int Count => _rangeCount >= 0 ? _rangeCount : _count;

    /// <summary>A range not materialised yet: its items are numbers computed on access.</summary>
    public bool IsRange => _rangeCount >= 0;

    public bool IsReadOnly => false;

    public object? this[int index]
    {
        get
        {
            if ((uint)index >= (uint)Count)
            {
                throw new ArgumentOutOfRangeException(nameof(index));
            }

            return _rangeCount >= 0 ? Boxes.Number(_rangeStart + index) : _items[index];
        }

        set
        {
            Materialize();
            if ((uint)index >= (uint)_count)
            {
                throw new ArgumentOutOfRangeException(nameof(index));
            }

            _items[index] = value;
        }
    }

    public void Add(object? item)
    {
        Materialize();
        if (_count == _items.Length)
        {
            Grow(_count + 1);
        }

        _items[_count++] = item;
    }

    public void AddRange(IEnumerable<object?> items)
    {
        if (_rangeCount < 0 && _count == 0 && items is JArray { _rangeCount: >= 0 } range)
        {
            // appending a range to an empty array keeps it lazy
            _rangeStart = range._rangeStart;
            _rangeCount = range._rangeCount;
            return;
        }

        Materialize();
        if (items is JArray other)
        {
            var n = other.Count;
            if (_count + n > _items.Length)
            {
                Grow(_count + n);
            }

            if (other._rangeCount >= 0)
            {
                for (var i = 0; i < n; i++)
                {
                    _items[_count++] = Boxes.Number(other._rangeStart + i);
                }
            }
            else
            {
                Array.Copy(other._items, 0, _items, _count, n);
                _count += n;
            }

            return;
        }

        if (items is object?[] array)
        {
            if (_count + array.Length > _items.Length)
            {
                Grow(_count + array.Length);
            }

            Array.Copy(array, 0, _items, _count, array.Length);
            _count += array.Length;
            return;
        }

        foreach (var item in items)
        {
            Add(item);
        }
    }

    public void Insert(int index, object? item)
    {
        Materialize();
        if (_count == _items.Length)
        {
            Grow(_count + 1);
        }

        Array.Copy(_items, index, _items, index + 1, _count - index);
        _items[index] = item;
        _count++;
    }

    public void RemoveAt(int index)
    {
        Materialize();
        _count--;
        Array.Copy(_items, index + 1, _items, index, _count - index);
        _items[_count] = null;
    }

    public bool Remove(object? item)
    {
        var index = IndexOf(item);
        if (index < 0)
        {
            return false;
        }

        RemoveAt(index);
        return true;
    }

    public void Clear()
    {
        _rangeCount = -1;
        _items = [];
        _count = 0;
    }

    public int IndexOf(object? item)
    {
        for (var i = 0; i < Count; i++)
        {
            if (Equals(this[i], item))
            {
                return i;
            }
        }

        return -1;
    }

    public bool Contains(object? item) => IndexOf(item) >= 0;

    public void CopyTo(object?[] array, int arrayIndex)
    {
        for (var i = 0; i < Count; i++)
        {
            array[arrayIndex + i] = this[i];
        }
    }

    public object?[] ToArray()
    {
        var result = new object?[Count];
        CopyTo(result, 0);
        return result;
    }

    public void Reverse()
    {
        Materialize();
        Array.Reverse(_items, 0, _count);
    }

    public Enumerator GetEnumerator() => new(this);

    IEnumerator<object?> IEnumerable<object?>.GetEnumerator() => GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    private void Materialize()
    {
        if (_rangeCount < 0)
        {
            return;
        }

        var n = _rangeCount;
        _items = new object?[Math.Max(n, 4)];
        for (var i = 0; i < n; i++)
        {
            _items[i] = Boxes.Number(_rangeStart + i);
        }

        _count = n;
        _rangeCount = -1;
    }

    private void Grow(int min)
    {
        var size = Math.Max(min, Math.Max(4, _items.Length * 2));
        Array.Resize(ref _items, size);
    }

    public struct Enumerator : IEnumerator<object?>
    {
        private readonly JArray _array;
        private int _index;

        public Enumerator(JArray array)
        {
            _array = array;
            _index = -1;
        }

        public readonly object? Current => _array[_index];

        readonly object? IEnumerator.Current => Current;

        public bool MoveNext() => ++_index < _array.Count;

        public void Reset() => _index = -1;

        public readonly void Dispose()
        {
        }
    }
}
