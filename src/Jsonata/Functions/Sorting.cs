using Jsonata.Values;

namespace Jsonata.Functions;

/// <summary>The reference's stable merge sort, driven by a "should swap" predicate.</summary>
internal static class Sorting
{
    public static JArray MergeSort(JArray input, Func<object?, object?, bool> swap)
    {
        if (input.Count <= 1)
        {
            return input;
        }

        var items = input.ToArray();
        var buffer = new object?[items.Length];
        Sort(items, buffer, 0, items.Length, swap);
        return new JArray(items);
    }

    private static void Sort(object?[] items, object?[] buffer, int start, int end, Func<object?, object?, bool> swap)
    {
        var length = end - start;
        if (length <= 1)
        {
            return;
        }

        var middle = start + (length / 2);
        Sort(items, buffer, start, middle, swap);
        Sort(items, buffer, middle, end, swap);

        int l = start, r = middle, o = start;
        while (l < middle && r < end)
        {
            if (swap(items[l], items[r]))
            {
                buffer[o++] = items[r++];
            }
            else
            {
                buffer[o++] = items[l++];
            }
        }

        while (l < middle)
        {
            buffer[o++] = items[l++];
        }

        while (r < end)
        {
            buffer[o++] = items[r++];
        }

        Array.Copy(buffer, start, items, start, length);
    }
}
