using System.Collections;
using System.Diagnostics.CodeAnalysis;
using Azure;
using Azure.Data.Tables;

namespace Pipeline.Reporting.Storage;

/// <summary>
/// A revision row as the rollup's read takes it from the table client: the properties in the order they came, held as
/// they are in two small arrays. The client fills an entity type that is a dictionary through its indexer, one
/// property at a time, after it has parsed the page into a dictionary of its own; a <see cref="TableEntity"/> copies that
/// into one more dictionary (grown as it fills, hashed key by key), which the mapper then looked up 33 times a row. A
/// rollup reads every row of a day (100,000 and more), and the rows live only until they are mapped
/// (<see cref="ReportEntityMapper.ReadRollupRow"/>), so this keeps only what the client hands over. Lookups by name are
/// linear: a row has about twenty properties and is read once.
/// </summary>
public sealed class RollupRow : ITableEntity, IDictionary<string, object>
{
    /// <summary>Room for a row of the rollup's selected properties before the arrays grow.</summary>
    private const int Capacity = 24;

    private string[] names = new string[Capacity];
    private object?[] values = new object?[Capacity];
    private int count;

    public string PartitionKey
    {
        get => GetString(nameof(PartitionKey)) ?? "";
        set => this[nameof(PartitionKey)] = value;
    }

    public string RowKey
    {
        get => GetString(nameof(RowKey)) ?? "";
        set => this[nameof(RowKey)] = value;
    }

    public DateTimeOffset? Timestamp
    {
        get => TryGetValue(nameof(Timestamp), out var value) ? value as DateTimeOffset? : null;
        set => this[nameof(Timestamp)] = value!;
    }

    /// <summary>Read without metadata, a rollup's rows carry none; kept for the interface.</summary>
    public ETag ETag { get; set; }

    public int Count => count;

    /// <summary>The i-th property's name, in the order the client set them.</summary>
    public string NameAt(int i) => names[i];

    /// <summary>The i-th property's value as the client gave it (null where the storage sent null).</summary>
    public object? ValueAt(int i) => values[i];

    public string? GetString(string name) => TryGetValue(name, out var value) ? value as string : null;

    public object this[string key]
    {
        get => TryGetValue(key, out var value) ? value : throw new KeyNotFoundException(key);
        set
        {
            var at = IndexOf(key);
            if (at >= 0)
            {
                values[at] = value;
                return;
            }

            if (count == names.Length)
            {
                Array.Resize(ref names, count * 2);
                Array.Resize(ref values, count * 2);
            }

            names[count] = key;
            values[count++] = value;
        }
    }

    public bool TryGetValue(string key, [MaybeNullWhen(false)] out object value)
    {
        var at = IndexOf(key);
        value = at >= 0 ? values[at]! : null;
        return at >= 0;
    }

    public bool ContainsKey(string key) => IndexOf(key) >= 0;

    public void Add(string key, object value)
    {
        if (ContainsKey(key))
        {
            throw new ArgumentException($"The row already has a property {key}.", nameof(key));
        }

        this[key] = value;
    }

    public bool Remove(string key)
    {
        var at = IndexOf(key);
        if (at < 0)
        {
            return false;
        }

        count--;
        Array.Copy(names, at + 1, names, at, count - at);
        Array.Copy(values, at + 1, values, at, count - at);
        (names[count], values[count]) = (null!, null);
        return true;
    }

    public void Clear()
    {
        Array.Clear(names, 0, count);
        Array.Clear(values, 0, count);
        count = 0;
    }

    public ICollection<string> Keys => names[..count];

    public ICollection<object> Values => values[..count]!;

    public bool IsReadOnly => false;

    public void Add(KeyValuePair<string, object> item) => Add(item.Key, item.Value);

    public bool Contains(KeyValuePair<string, object> item) => TryGetValue(item.Key, out var value) && Equals(value, item.Value);

    public bool Remove(KeyValuePair<string, object> item) => Contains(item) && Remove(item.Key);

    public void CopyTo(KeyValuePair<string, object>[] array, int arrayIndex)
    {
        for (var i = 0; i < count; i++)
        {
            array[arrayIndex + i] = new KeyValuePair<string, object>(names[i], values[i]!);
        }
    }

    public IEnumerator<KeyValuePair<string, object>> GetEnumerator()
    {
        for (var i = 0; i < count; i++)
        {
            yield return new KeyValuePair<string, object>(names[i], values[i]!);
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>Ordinal, as string equality is.</summary>
    private int IndexOf(string key) => Array.IndexOf(names, key, 0, count);
}
