namespace Pipeline.Functions.Http;

/// <summary>The answer to a submission: what was stored and how to prove it.</summary>
public sealed record SubmissionView(
    string UnitCode, string ReportDate, int Revision, string Receipt, bool Late, string Outcome, IReadOnlyList<WarningView> Warnings);
