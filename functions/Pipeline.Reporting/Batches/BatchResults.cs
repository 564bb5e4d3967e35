namespace Pipeline.Reporting.Batches;

/// <summary>
/// A batch's row results as recorded so far, one per row, in row order. A row recorded twice (a poison replay that
/// finished a row an earlier attempt gave up on, or two runs at once) counts once: a stored outcome wins over
/// <see cref="BatchRowOutcome.NotProcessed"/>, otherwise the later record.
/// </summary>
public sealed class BatchResults
{
    private readonly List<BatchRowResult> rows;

    /// <param name="records">Every record, oldest first.</param>
    public BatchResults(IEnumerable<BatchRowResult> records)
    {
        var byRow = new Dictionary<int, BatchRowResult>();
        foreach (var record in records)
        {
            if (!byRow.TryGetValue(record.Row, out var earlier)
                || record.Outcome != BatchRowOutcome.NotProcessed
                || earlier.Outcome == BatchRowOutcome.NotProcessed)
            {
                byRow[record.Row] = record;
            }
        }

        rows = byRow.Values.OrderBy(r => r.Row).ToList();
        Counts = Enum.GetValues<BatchRowOutcome>().ToDictionary(o => o, o => rows.Count(r => r.Outcome == o));
    }

    public IReadOnlyList<BatchRowResult> Rows => rows;

    /// <summary>How many rows have each outcome.</summary>
    public IReadOnlyDictionary<BatchRowOutcome, int> Counts { get; }

    /// <summary>The rows after <paramref name="afterRow"/> (only those of one outcome, if given), at most <paramref name="pageSize"/>; <c>More</c> says whether rows follow.</summary>
    public (IReadOnlyList<BatchRowResult> Rows, bool More) Page(int afterRow, BatchRowOutcome? only, int pageSize)
    {
        var start = rows.BinarySearch(new BatchRowResult(afterRow, null, null, default, null, null, [], []), ByRow.Instance);
        start = start < 0 ? ~start : start + 1;
        var page = new List<BatchRowResult>();
        for (var i = start; i < rows.Count; i++)
        {
            if (only is { } outcome && rows[i].Outcome != outcome)
            {
                continue;
            }

            if (page.Count == pageSize)
            {
                return (page, true);
            }

            page.Add(rows[i]);
        }

        return (page, false);
    }

    private sealed class ByRow : IComparer<BatchRowResult>
    {
        public static readonly ByRow Instance = new();

        public int Compare(BatchRowResult? x, BatchRowResult? y) => x!.Row.CompareTo(y!.Row);
    }
}
