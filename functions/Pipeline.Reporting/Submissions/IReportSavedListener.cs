using Pipeline.Reporting.Storage;

namespace Pipeline.Reporting.Submissions;

/// <summary>Told of every saved report, replays included, after the save (the rollup's stale marking).</summary>
public interface IReportSavedListener
{
    Task ReportSavedAsync(SaveResult saved, CancellationToken cancellationToken);
}
