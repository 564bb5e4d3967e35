using Pipeline.Reporting.Storage;
using Pipeline.Reporting.Submissions;

namespace Pipeline.Reporting.Rollups;

/// <summary>A report or correction for a day that already has a rollup makes that rollup stale.</summary>
public sealed class RollupStaleMarker(RollupIndex index) : IReportSavedListener
{
    public Task ReportSavedAsync(SaveResult saved, CancellationToken cancellationToken) =>
        index.MarkStaleAsync(saved.Report.ReportDate, saved.Report.ReceivedAt, cancellationToken);
}
