using Pipeline.Reporting.Submissions;

namespace Pipeline.Reporting.Storage;

/// <summary>One valid report to store: its content hash, the token that sent it and that token's role (<c>official</c> for a report phoned in).</summary>
public sealed record IncomingReport(ValidReport Report, string ContentHash, string SubmittedBy, string SubmitterRole = "");

/// <summary>What became of one report given to <see cref="ReportWriter"/>: saved (or recognised as a replay), or the fault that stopped it.</summary>
public sealed record ReportSave(SaveResult? Saved, Exception? Error);

/// <summary>
/// What the planner decided for one report: a new revision (<see cref="Stored"/>), or a replay of revision
/// <see cref="Replayed"/> while the day's newest is <see cref="Latest"/>.
/// </summary>
public sealed record PlannedOutcome(StoredReport? Stored, int Replayed, int Latest)
{
    public static PlannedOutcome New(StoredReport stored) => new(stored, 0, stored.Revision);

    public static PlannedOutcome Replay(int replayed, int latest) => new(null, replayed, latest);
}

/// <summary>
/// One unit's writes, all in one entity-group transaction: the new revision rows, and the state row when it
/// changes (<see cref="Next"/>, written on the ETag of <see cref="Read"/>). <see cref="Outcomes"/> answers the
/// first <c>Outcomes.Count</c> reports planned; the rest (more than one transaction holds) wait for the next plan.
/// </summary>
public sealed record UnitPlan(UnitState Read, UnitState? Next, IReadOnlyList<StoredReport> Revisions, IReadOnlyList<PlannedOutcome> Outcomes)
{
    /// <summary>The unit's own rows in the transaction: its revisions and its state row.</summary>
    public int Actions => Revisions.Count + (Next is null ? 0 : 1);
}
