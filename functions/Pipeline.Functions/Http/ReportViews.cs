using System.Globalization;
using Pipeline.Reporting.Catalogue;
using Pipeline.Reporting.Storage;
using Pipeline.Reporting.Submissions;

namespace Pipeline.Functions.Http;

public sealed record WarningView(string Indicator, string Rule, string Message);

public sealed record ReporterView(string Name, string Phone);

/// <summary>The answer to a submission: what was stored and how to prove it.</summary>
public sealed record SubmissionView(
    string UnitCode, string ReportDate, int Revision, string Receipt, bool Late, string Outcome, IReadOnlyList<WarningView> Warnings);

/// <summary>A stored report read back: the submitted shape plus what the server added.</summary>
public sealed record ReportView(
    string UnitCode,
    string ReportDate,
    IReadOnlyDictionary<string, decimal> Values,
    string Notes,
    ReporterView Reporter,
    int Revision,
    DateTimeOffset ReceivedAt,
    bool Late,
    string Receipt,
    IReadOnlyList<WarningView> Warnings,
    string? EnteredBy = null);

/// <summary>Turns stored reports into API bodies in the reader's language.</summary>
public sealed class ReportViews(ProblemFactory problems)
{
    public static string Iso(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public SubmissionView Submission(SaveOutcome outcome, StoredReport report, Language language) =>
        new(report.UnitCode, Iso(report.ReportDate), report.Revision, report.Receipt, report.Late,
            outcome.ToString().ToLowerInvariant(), Warnings(report.Warnings, language));

    public ReportView Report(StoredReport report, Language language) =>
        new(report.UnitCode, Iso(report.ReportDate), report.Values, report.Notes,
            new ReporterView(report.ReporterName, report.ReporterPhone), report.Revision, report.ReceivedAt,
            report.Late, report.Receipt, Warnings(report.Warnings, language),
            report.SubmitterRole.Length > 0 ? report.SubmitterRole : null);

    public IReadOnlyList<WarningView> Warnings(IEnumerable<ReportWarning> warnings, Language language) =>
        warnings.Select(w => new WarningView(
            w.Indicator, w.Rule,
            problems.Message(w.Rule, language, new Reporting.Validation.IndicatorLabel(w.Indicator), w.Value, w.Reference)))
        .ToList();
}
