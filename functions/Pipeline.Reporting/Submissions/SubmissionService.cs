using Microsoft.Extensions.Logging;
using Pipeline.Reporting.Access;
using Pipeline.Reporting.Storage;
using Pipeline.Reporting.Time;
using Pipeline.Reporting.Units;
using Pipeline.Reporting.Validation;

namespace Pipeline.Reporting.Submissions;

/// <summary>What became of one report of many: a result, or the storage fault that kept it from one.</summary>
public sealed record SubmissionAttempt(SubmissionResult? Result, Exception? Error);

/// <summary>
/// The one path every report takes, whatever client sent it: access, hard rules, soft rules from the
/// unit's history, then a revision in storage.
/// </summary>
public sealed partial class SubmissionService(
    ReportValidation validation,
    SoftRules softRules,
    ReportStore store,
    GroupedReportWriter groupedWriter,
    AccessPolicy access,
    UnitRegistry units,
    ReportingClock clock,
    ILogger<SubmissionService> logger,
    IEnumerable<IReportSavedListener> savedListeners)
{
    /// <summary>How far back the soft rules look for the unit's earlier reports.</summary>
    private const int HistoryDays = 30;

    public async Task<SubmissionResult> SubmitAsync(ParsedReport parsed, Caller caller, CancellationToken cancellationToken)
    {
        var (refused, report) = Check(parsed, caller);
        if (report is null)
        {
            return refused!;
        }

        var window = await store.ReadWindowAsync(report.UnitCode, report.ReportDate, HistoryDays, cancellationToken);
        var saved = await store.SaveAsync(Draft(report, ReportFingerprint.ContentHash(report), window.History, caller), window, cancellationToken);
        LogSaved(report.UnitCode, report.ReportDate, saved.Report.Revision, saved.Outcome);
        await NotifyAsync([saved], cancellationToken);
        return new SubmissionResult.Saved(saved.Outcome, saved.Report, saved.Latest);
    }

    /// <summary>
    /// Many reports of one caller, as a batch brings them: each checked exactly as <see cref="SubmitAsync"/> checks
    /// it, the valid ones stored together (<see cref="GroupedReportWriter"/>), in the order given for each unit.
    /// </summary>
    public async Task<IReadOnlyList<SubmissionAttempt>> SubmitManyAsync(IReadOnlyList<ParsedReport> reports, Caller caller, CancellationToken cancellationToken)
    {
        var attempts = new SubmissionAttempt[reports.Count];
        var valid = new List<(int Index, GroupedReport Report)>();
        for (var i = 0; i < reports.Count; i++)
        {
            var (refused, report) = Check(reports[i], caller);
            if (report is null)
            {
                attempts[i] = new SubmissionAttempt(refused, null);
                continue;
            }

            valid.Add((i, new GroupedReport(report, ReportFingerprint.ContentHash(report))));
        }

        var saves = await groupedWriter.SaveAsync(
            valid.Select(v => v.Report).ToList(),
            (report, history) => Draft(report.Report, report.ContentHash, history, caller),
            HistoryDays,
            cancellationToken);
        for (var i = 0; i < valid.Count; i++)
        {
            var save = saves[i];
            attempts[valid[i].Index] = save.Saved is { } saved
                ? new SubmissionAttempt(new SubmissionResult.Saved(saved.Outcome, saved.Report, saved.Latest), null)
                : new SubmissionAttempt(null, save.Error);
        }

        await NotifyAsync(saves.Select(s => s.Saved).OfType<SaveResult>().ToList(), cancellationToken);
        return attempts;
    }

    /// <summary>The answer for a report that is not stored: out of the caller's scope, or failing the hard rules.</summary>
    private (SubmissionResult? Refused, ValidReport? Report) Check(ParsedReport parsed, Caller caller)
    {
        var input = parsed.Input;
        if (units.Find(input.UnitCode) is not null && !access.CanAccessUnit(caller, input.UnitCode!))
        {
            return (new SubmissionResult.Forbidden(input.UnitCode!), null);
        }

        var outcome = validation.Validate(input, AccessPolicy.CanBackfill(caller));
        if (parsed.Errors.Count > 0 || !outcome.IsValid)
        {
            var unreadable = parsed.Errors.Select(e => e.Field).ToHashSet();
            return (new SubmissionResult.Rejected(parsed.Errors.Concat(outcome.Errors.Where(e => !unreadable.Contains(e.Field))).ToList()), null);
        }

        return (null, outcome.Report);
    }

    private RevisionDraft Draft(ValidReport report, string contentHash, IReadOnlyList<UnitDay> history, Caller caller)
    {
        var receivedAt = clock.UtcNow;
        return new RevisionDraft(report, contentHash, receivedAt, clock.IsLate(report.ReportDate, receivedAt), softRules.Evaluate(report, history), caller.TokenId,
            caller.Role.ToString().ToLowerInvariant());
    }

    /// <summary>Listeners hear of each day once per call: what they do (marking a rollup stale) is per day, not per report.</summary>
    private async Task NotifyAsync(IReadOnlyList<SaveResult> saved, CancellationToken cancellationToken)
    {
        foreach (var newest in saved.GroupBy(s => s.Report.ReportDate).Select(g => g.MaxBy(s => s.Report.ReceivedAt)!))
        {
            foreach (var listener in savedListeners)
            {
                await listener.ReportSavedAsync(newest, cancellationToken);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Report of {UnitCode} for {ReportDate}: revision {Revision}, {Outcome}")]
    private partial void LogSaved(string unitCode, DateOnly reportDate, int revision, SaveOutcome outcome);
}
