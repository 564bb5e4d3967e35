using Pipeline.Reporting.Submissions;

namespace Pipeline.Reporting.Storage;

/// <summary>
/// What a rollup reads of a revision beside its values (<see cref="ReportEntityMapper.ReadRollupRow"/>): a value, not an
/// object, since a rollup reads every row of a day and keeps none of them. The rest of the revision's record is not read.
/// </summary>
/// <param name="RowKey">The revision's row (<see cref="ReportKeys.RevisionRow"/>): its day and unit.</param>
public readonly record struct RollupRevision(
    string RowKey,
    int Revision,
    bool Late,
    IReadOnlyList<ReportWarning> Warnings,
    string Notes,
    string ReporterName,
    string ReporterPhone)
{
    public ReadOnlySpan<char> UnitCode => ReportKeys.UnitOfRevisionRow(RowKey);

    /// <summary>As stored (<see cref="ReportKeys.Day"/>).</summary>
    public ReadOnlySpan<char> ReportDate => ReportKeys.DayTextOfRevisionRow(RowKey);
}
