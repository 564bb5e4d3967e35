using Pipeline.Reporting.Catalogue;
using Pipeline.Reporting.Storage;
using Pipeline.Reporting.Submissions;

namespace Pipeline.Functions.Http;

/// <summary>Turns stored reports into API bodies in the reader's language.</summary>
public sealed class ReportViews(ProblemFactory problems)
{
    public SubmissionView Submission(SaveOutcome outcome, StoredReport report, Language language) =>
        new(report.UnitCode, ReportDate.Iso(report.ReportDate), report.Revision, report.Receipt, report.Late,
            outcome.ToString().ToLowerInvariant(), Warnings(report.Warnings, language));

    public ReportView Report(StoredReport report, Language language) =>
        new(report.UnitCode, ReportDate.Iso(report.ReportDate), report.Values, report.Notes,
            new ReporterView(report.ReporterName, report.ReporterPhone), report.Revision, report.ReceivedAt,
            report.Late, report.Receipt, Warnings(report.Warnings, language),
            report.SubmitterRole.Length > 0 ? report.SubmitterRole : null);

    public IReadOnlyList<WarningView> Warnings(IEnumerable<ReportWarning> warnings, Language language) =>
        warnings.Select(w => new WarningView(
            w.Indicator, w.Rule,
            problems.Message(w.Rule, language, new Reporting.Validation.IndicatorLabel(w.Indicator), w.Value, w.Reference)))
        .ToList();
}
