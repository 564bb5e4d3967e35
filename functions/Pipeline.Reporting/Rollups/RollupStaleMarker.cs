using Pipeline.Reporting.Storage;
using Pipeline.Reporting.Submissions;
using Pipeline.Reporting.Units;

namespace Pipeline.Reporting.Rollups;

/// <summary>A report or correction for a day that already has a rollup makes that rollup stale: the prefecture's and its county's.</summary>
public sealed class RollupStaleMarker(RollupIndex index, UnitRegistry units) : IReportSavedListener
{
    public async Task ReportSavedAsync(SaveResult saved, CancellationToken cancellationToken)
    {
        var report = saved.Report;
        await index.MarkStaleAsync(report.ReportDate, units.Root.Code, report.ReceivedAt, cancellationToken);
        if (units.CountyOf(report.UnitCode) is { } county)
        {
            await index.MarkStaleAsync(report.ReportDate, county.Code, report.ReceivedAt, cancellationToken);
        }
    }
}
