using Pipeline.Reporting.Batches;
using Pipeline.Reporting.Catalogue;

namespace Pipeline.Functions.Http;

public sealed record BatchRowView(
    int Row,
    string? UnitCode,
    string? ReportDate,
    BatchRowOutcome Outcome,
    int? Revision,
    string? Receipt,
    IReadOnlyList<WarningView> Warnings,
    IReadOnlyDictionary<string, string[]> Errors);

public sealed record BatchView(
    string BatchId,
    BatchStatus Status,
    int Total,
    int Accepted,
    int Rejected,
    int NotProcessed,
    IReadOnlyList<BatchRowView> Results);

/// <summary>A batch's status and row results, with errors and warnings in the reader's language.</summary>
public sealed class BatchViews(ProblemFactory problems, ReportViews reports)
{
    public BatchView Batch(BatchInfo batch, IReadOnlyList<BatchRowResult> results, Language language)
    {
        var status = batch.Status == BatchStatus.Queued && results.Count > 0 ? BatchStatus.Processing : batch.Status;
        return new BatchView(
            batch.BatchId,
            status,
            batch.Total,
            results.Count(r => r.IsAccepted),
            results.Count(r => r.Outcome == BatchRowOutcome.Rejected),
            results.Count(r => r.Outcome == BatchRowOutcome.NotProcessed),
            results.Select(r => new BatchRowView(
                r.Row, r.UnitCode, r.ReportDate, r.Outcome, r.Revision, r.Receipt,
                reports.Warnings(r.Warnings, language), problems.Render(r.Errors, language))).ToList());
    }
}
