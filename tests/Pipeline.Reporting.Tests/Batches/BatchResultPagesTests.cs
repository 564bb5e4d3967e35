using Pipeline.Reporting.Batches;
using Pipeline.Reporting.Submissions;
using Pipeline.Reporting.Validation;

namespace Pipeline.Reporting.Tests.Batches;

/// <summary>Row results stored a page at a time, and read back as one result per row.</summary>
public sealed class BatchResultPagesTests
{
    private static BatchRowResult Created(int row, int revision = 1) =>
        new(row, "623024100", "2026-11-27", BatchRowOutcome.Created, revision, $"R{row}", [new ReportWarning("returnees", "spike", 120m, 12m)], []);

    private static BatchRowResult Rejected(int row, int errors = 1) => new(
        row, "623024100", "2026/11/27", BatchRowOutcome.Rejected, null, null, [],
        Enumerable.Range(0, errors).Select(i => new FieldError($"values.k{i}", "cannotExceed", [new IndicatorLabel("fromWuhan"), 5m, "长文本" + new string('x', 60)])).ToList());

    private static BatchRowResult NotProcessed(int row) =>
        new(row, null, null, BatchRowOutcome.NotProcessed, null, null, [], [new FieldError("row", "batchRowStorageUnavailable", [])]);

    private static List<BatchRowResult> RoundTrip(IEnumerable<BatchRowResult> results) =>
        BatchResultPages.ToEntities("b", results).SelectMany(BatchResultPages.FromEntity).ToList();

    [Fact]
    public void A_page_gives_back_every_row_as_it_was_recorded()
    {
        var results = new[] { Created(2), Rejected(3), NotProcessed(4), Created(5, revision: 7) };
        var back = RoundTrip(results);

        Assert.Equal(results.Select(r => (r.Row, r.UnitCode, r.ReportDate, r.Outcome, r.Revision, r.Receipt)),
            back.Select(r => (r.Row, r.UnitCode, r.ReportDate, r.Outcome, r.Revision, r.Receipt)));
        Assert.Equal(results[0].Warnings, back[0].Warnings);
        var error = back[1].Errors.Single();
        Assert.Equal(("values.k0", "cannotExceed"), (error.Field, error.Code));
        Assert.Equal(results[1].Errors[0].Args, error.Args);
        Assert.Empty(back[0].Errors);
    }

    [Fact]
    public void A_thousand_rows_are_one_page_and_rows_that_break_every_rule_spill_into_more_pages_each_within_the_limits()
    {
        var page = Assert.Single(BatchResultPages.ToEntities("b", Enumerable.Range(2, 1000).Select(r => Created(r))));
        Assert.Equal(1000, page.GetInt32("rows"));
        Assert.StartsWith("page_00000002_", page.RowKey, StringComparison.Ordinal);

        var heavy = Enumerable.Range(2, 1000).Select(r => Rejected(r, errors: 60)).ToList();
        var pages = BatchResultPages.ToEntities("b", heavy).ToList();
        Assert.True(pages.Count > 1);
        foreach (var entity in pages)
        {
            var parts = entity.Keys.Where(k => k.StartsWith('d')).Select(k => entity.GetBinary(k)!).ToList();
            Assert.All(parts, p => Assert.InRange(p.Length, 1, 64 * 1024));
            Assert.InRange(parts.Sum(p => p.Length), 1, BatchResultPages.MaxPageBytes);
        }

        var back = pages.SelectMany(BatchResultPages.FromEntity).ToList();
        Assert.Equal(heavy.Select(r => r.Row), back.Select(r => r.Row));
        Assert.All(back, r => Assert.Equal(50, r.Errors.Count)); // at most 50 errors of a row are kept
        Assert.Equal(pages.Count, pages.Select(p => p.RowKey).Distinct().Count());
    }

    [Fact]
    public void A_row_recorded_twice_counts_once_and_a_stored_outcome_wins_over_not_processed()
    {
        // An attempt gave up on rows 3 and 4; the poison replay stored row 3; two runs at once both recorded row 5.
        var results = new BatchResults([Created(2), NotProcessed(3), NotProcessed(4), Created(5), Created(3, revision: 2), Created(5), NotProcessed(5)]);

        Assert.Equal([2, 3, 4, 5], results.Rows.Select(r => r.Row));
        Assert.Equal(2, results.Rows.Single(r => r.Row == 3).Revision);
        Assert.Equal(3, results.Counts[BatchRowOutcome.Created]);
        Assert.Equal(1, results.Counts[BatchRowOutcome.NotProcessed]);
        Assert.Equal(4, results.Counts.Values.Sum());
    }

    [Fact]
    public void Pages_of_results_follow_the_row_after_and_may_hold_one_outcome_only()
    {
        var results = new BatchResults(Enumerable.Range(2, 12).Select(r => r % 3 == 0 ? Rejected(r) : Created(r)).Reverse());

        var (first, more) = results.Page(0, null, 5);
        Assert.Equal([2, 3, 4, 5, 6], first.Select(r => r.Row));
        Assert.True(more);
        AssertPage([7, 8, 9, 10, 11], true, results.Page(6, null, 5));
        AssertPage([12, 13], false, results.Page(11, null, 5));
        AssertPage([3, 6, 9, 12], false, results.Page(0, BatchRowOutcome.Rejected, 4));
        AssertPage([9, 12], false, results.Page(7, BatchRowOutcome.Rejected, 4));
        Assert.Empty(results.Page(13, null, 5).Rows);
    }

    private static void AssertPage(int[] rows, bool more, (IReadOnlyList<BatchRowResult> Rows, bool More) page)
    {
        Assert.Equal(rows, page.Rows.Select(r => r.Row));
        Assert.Equal(more, page.More);
    }
}
