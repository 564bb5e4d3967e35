namespace Pipeline.Reporting.Rollups.Rendering;

/// <summary>
/// Table rows made when read, one at a time: a large area's unit table (100,000 rows of 50 cells) is never held, and a
/// renderer that reads it twice (the workbook measures its columns first) makes each row twice instead.
/// </summary>
public sealed class ComputedRows(int count, Func<int, IReadOnlyList<object?>> row) : IReadOnlyList<IReadOnlyList<object?>>
{
    public int Count => count;

    public IReadOnlyList<object?> this[int index] =>
        (uint)index < (uint)count ? row(index) : throw new ArgumentOutOfRangeException(nameof(index));

    public IEnumerator<IReadOnlyList<object?>> GetEnumerator()
    {
        for (var i = 0; i < count; i++)
        {
            yield return row(i);
        }
    }

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
}
