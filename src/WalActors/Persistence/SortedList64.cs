namespace WalActors.Persistence;

/// <summary>
/// A growable array of 64-bit keys kept in ascending order. Appends are the common case (the log grows at the end);
/// an insert a little below the end happens when concurrent writes finish out of order, and costs a short shift.
/// </summary>
/// <typeparam name="T">The element type.</typeparam>
internal sealed class SortedList64<T>
    where T : struct
{
    private readonly Func<T, long> _key;
    private T[] _items = new T[16];

    public SortedList64(Func<T, long> key) => _key = key;

    public int Count { get; private set; }

    public T this[int index] => _items[index];

    public void Insert(T item)
    {
        if (Count == _items.Length)
        {
            Array.Resize(ref _items, _items.Length * 2);
        }

        var key = _key(item);
        var at = Count;
        while (at > 0 && _key(_items[at - 1]) > key)
        {
            at--;
        }

        if (at < Count)
        {
            Array.Copy(_items, at, _items, at + 1, Count - at);
        }

        _items[at] = item;
        Count++;
    }

    /// <summary>The index of the first element whose key is at least <paramref name="key"/> (<see cref="Count"/> if none).</summary>
    public int LowerBound(long key)
    {
        int low = 0, high = Count;
        while (low < high)
        {
            var middle = (low + high) >>> 1;
            if (_key(_items[middle]) < key)
            {
                low = middle + 1;
            }
            else
            {
                high = middle;
            }
        }

        return low;
    }

    /// <summary>Drops the first <paramref name="count"/> elements (those a checkpoint moved to disk), giving back room once few are left.</summary>
    public void RemoveFirst(int count)
    {
        if (count <= 0)
        {
            return;
        }

        var left = Count - count;
        var target = left < _items.Length / 4 ? new T[Math.Max(16, left * 2)] : _items;
        Array.Copy(_items, count, target, 0, left);
        Array.Clear(target, left, target.Length - left);
        _items = target;
        Count = left;
    }
}
