using Microsoft.Extensions.Logging;
using Pipeline.Reporting.Access;
using Pipeline.Reporting.Storage;
using Pipeline.Reporting.Time;
using Pipeline.Reporting.Units;
using Pipeline.Reporting.Validation;

namespace Pipeline.Reporting.Submissions;

/// <summary>
/// The one path every report takes, whatever client sent it: access, hard rules, soft rules from the
/// unit's history, then a revision in storage.
/// </summary>
public sealed partial class SubmissionService(
    ReportValidation validation,
    SoftRules softRules,
    ReportStore store,
    AccessPolicy access,
    UnitRegistry units,
    ReportingClock clock,
    ILogger<SubmissionService> logger,
    IEnumerable<IReportSavedListener> savedListeners)
{
    /// <summary>How far back the soft rules look for the unit's earlier reports.</summary>
    private const int HistoryDays = 30;

    public Task<SubmissionResult> SubmitAsync(ParsedReport parsed, Caller caller, CancellationToken cancellationToken) =>
        SubmitAsync(parsed, caller, projectCurrent: true, cancellationToken);

    /// <param name="projectCurrent">
    /// False for batch rows: the batch moves the current projection of many rows at once
    /// (<see cref="ReportStore.ProjectCurrentAsync(IEnumerable{StoredReport}, CancellationToken)"/>).
    /// </param>
    public async Task<SubmissionResult> SubmitAsync(ParsedReport parsed, Caller caller, bool projectCurrent, CancellationToken cancellationToken)
    {
        var input = parsed.Input;
        if (units.Find(input.UnitCode) is not null && !access.CanAccessUnit(caller, input.UnitCode!))
        {
            return new SubmissionResult.Forbidden(input.UnitCode!);
        }

        var outcome = validation.Validate(input, AccessPolicy.CanBackfill(caller));
        if (parsed.Errors.Count > 0 || !outcome.IsValid)
        {
            var unreadable = parsed.Errors.Select(e => e.Field).ToHashSet();
            return new SubmissionResult.Rejected(parsed.Errors.Concat(outcome.Errors.Where(e => !unreadable.Contains(e.Field))).ToList());
        }

        var report = outcome.Report!;
        var receivedAt = clock.UtcNow;
        var window = await store.ReadWindowAsync(report.UnitCode, report.ReportDate, HistoryDays, cancellationToken);
        var draft = new RevisionDraft(
            report,
            ReportFingerprint.ContentHash(report),
            receivedAt,
            clock.IsLate(report.ReportDate, receivedAt),
            softRules.Evaluate(report, window.History),
            caller.TokenId);
        var saved = projectCurrent
            ? await store.SaveAsync(draft, cancellationToken, window.Revisions)
            : await store.SaveRevisionAsync(draft, cancellationToken, window.Revisions);
        LogSaved(report.UnitCode, report.ReportDate, saved.Report.Revision, saved.Outcome);
        foreach (var listener in savedListeners)
        {
            await listener.ReportSavedAsync(saved, cancellationToken);
        }

        return new SubmissionResult.Saved(saved.Outcome, saved.Report, saved.Latest);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Report of {UnitCode} for {ReportDate}: revision {Revision}, {Outcome}")]
    private partial void LogSaved(string unitCode, DateOnly reportDate, int revision, SaveOutcome outcome);
}
