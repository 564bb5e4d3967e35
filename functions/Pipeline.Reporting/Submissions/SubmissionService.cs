using System.Runtime.ExceptionServices;
using Microsoft.Extensions.Logging;
using Pipeline.Reporting.Access;
using Pipeline.Reporting.Storage;
using Pipeline.Reporting.Units;
using Pipeline.Reporting.Validation;

namespace Pipeline.Reporting.Submissions;

/// <summary>
/// The one path every report takes, whatever client sent it: access, hard rules, then <see cref="ReportWriter"/>
/// (the revision planner applies the soft rules from the unit's history, the store writes).
/// </summary>
public sealed partial class SubmissionService(
    ReportValidation validation,
    ReportWriter writer,
    AccessPolicy access,
    UnitRegistry units,
    ILogger<SubmissionService> logger)
{
    public async Task<SubmissionResult> SubmitAsync(ParsedReport parsed, Caller caller, CancellationToken cancellationToken)
    {
        var (refused, report) = Check(parsed, caller);
        if (report is null)
        {
            return refused!;
        }

        var save = (await writer.SaveAsync([Incoming(report, caller)], cancellationToken))[0];
        if (save.Error is { } error)
        {
            ExceptionDispatchInfo.Throw(error);
        }

        var saved = save.Saved!;
        LogSaved(report.UnitCode, report.ReportDate, saved.Report.Revision, saved.Outcome);
        return new SubmissionResult.Saved(saved.Outcome, saved.Report, saved.Latest);
    }

    /// <summary>
    /// Many reports of one caller, as a batch brings them: each checked exactly as <see cref="SubmitAsync"/> checks
    /// it, the valid ones stored together (<see cref="ReportWriter"/>), in the order given for each unit.
    /// </summary>
    public async Task<IReadOnlyList<SubmissionAttempt>> SubmitManyAsync(IReadOnlyList<ParsedReport> reports, Caller caller, CancellationToken cancellationToken)
    {
        var attempts = new SubmissionAttempt[reports.Count];
        var valid = new List<(int Index, IncomingReport Report)>();
        for (var i = 0; i < reports.Count; i++)
        {
            var (refused, report) = Check(reports[i], caller);
            if (report is null)
            {
                attempts[i] = new SubmissionAttempt(refused, null);
                continue;
            }

            valid.Add((i, Incoming(report, caller)));
        }

        var saves = await writer.SaveAsync(valid.Select(v => v.Report).ToList(), cancellationToken);
        for (var i = 0; i < valid.Count; i++)
        {
            var save = saves[i];
            attempts[valid[i].Index] = save.Saved is { } saved
                ? new SubmissionAttempt(new SubmissionResult.Saved(saved.Outcome, saved.Report, saved.Latest), null)
                : new SubmissionAttempt(null, save.Error);
        }

        return attempts;
    }

    private static IncomingReport Incoming(ValidReport report, Caller caller) =>
        new(report, ReportFingerprint.ContentHash(report), caller.TokenId, caller.Role.ToString().ToLowerInvariant());

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

    [LoggerMessage(Level = LogLevel.Information, Message = "Report of {UnitCode} for {ReportDate:yyyy-MM-dd}: revision {Revision}, {Outcome}")]
    private partial void LogSaved(string unitCode, DateOnly reportDate, int revision, SaveOutcome outcome);
}
