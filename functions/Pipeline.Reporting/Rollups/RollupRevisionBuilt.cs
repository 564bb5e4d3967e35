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
