namespace Pipeline.Reporting.Rollups;

/// <summary>A day that already had a rollup got a new revision: what it was and what it is now.</summary>
public sealed record RollupRevisionBuilt(
    DateOnly Date,
    int Revision,
    int PreviousRevision,
    Completeness PreviousCompleteness,
    IReadOnlyDictionary<string, decimal> PreviousTotals,
    Completeness Completeness,
    IReadOnlyDictionary<string, decimal> Totals);

/// <summary>Told by <see cref="RollupService"/> after a published day's new revision is written (the reminders' notice).</summary>
public interface IRollupRevisionListener
{
    /// <summary>Must not throw: the revision is built whatever a listener does.</summary>
    Task RevisionBuiltAsync(RollupRevisionBuilt built, CancellationToken cancellationToken);
}
