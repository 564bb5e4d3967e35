using Pipeline.Reporting.Batches;
using Pipeline.Reporting.Catalogue;

namespace Pipeline.Functions.Http;

/// <summary>A batch's status, counts and one page of row results, with errors and warnings in the reader's language.</summary>
public sealed class BatchViews(ProblemFactory problems, ReportViews reports)
{
    public BatchView Batch(BatchInfo batch, IReadOnlyDictionary<BatchRowOutcome, int> counts, IReadOnlyList<BatchRowResult> page, string? next, Language language)
    {
        var recorded = counts.Values.Sum();
        var status = batch.Status == BatchStatus.Queued && recorded > 0 ? BatchStatus.Processing : batch.Status;
        return new BatchView(
            batch.BatchId,
            status,
            batch.Total,
            counts[BatchRowOutcome.Created] + counts[BatchRowOutcome.Updated] + counts[BatchRowOutcome.Unchanged],
            counts[BatchRowOutcome.Rejected],
            counts[BatchRowOutcome.NotProcessed],
            page.Select(r => new BatchRowView(
                r.Row, r.UnitCode, r.ReportDate, r.Outcome, r.Revision, r.Receipt,
                reports.Warnings(r.Warnings, language), problems.Render(r.Errors, language))).ToList(),
            next);
    }
}
