using Pipeline.Reporting.Submissions;

namespace Pipeline.Reporting.Rollups;

/// <summary>
/// A day's rollup of one area (the prefecture or one county), the machine format of spec sections 5 and 9. An
/// indicator no unit reported is absent from every totals map (never 0); a unit that did not report has no values.
/// </summary>
/// <param name="Prefecture">The prefecture the area belongs to (the area itself for the prefecture rollup).</param>
/// <param name="Scope">The area this rollup covers: the prefecture or one county.</param>
/// <param name="Provisional">Built on the report day itself before its deadline: more reports may come.</param>
/// <param name="Changes">Per indicator, today minus the previous day over the units that reported it on both days.</param>
/// <param name="ChangeUnits">Per indicator of <paramref name="Changes"/>, how many units that delta is based on.</param>
/// <param name="RevisionChanges">For revision N &gt; 1, what changed since revision N-1; not part of the content hash.</param>
public sealed record RollupDocument(
    string Date,
    int Revision,
    DateTimeOffset? GeneratedAt,
    AreaRef Prefecture,
    AreaRef Scope,
    bool Provisional,
    Completeness Completeness,
    CompletenessCounts PreviousCompleteness,
    IReadOnlyDictionary<string, decimal> Totals,
    IReadOnlyDictionary<string, decimal> Cumulative,
    IReadOnlyDictionary<string, decimal> Changes,
    IReadOnlyDictionary<string, int> ChangeUnits,
    IReadOnlyList<CountyRollup> Counties,
    IReadOnlyList<UnitRollup> Units,
    RevisionChanges? RevisionChanges = null)
{
    public bool IsPrefecture => Scope.Code == Prefecture.Code;
}

public sealed record AreaRef(string Code, string Name, string NameEn);

public sealed record Completeness(int Expected, int Reported, int OnTime, int Late, IReadOnlyList<MissingUnit> Missing)
{
    public CompletenessCounts Counts => new(Expected, Reported, OnTime, Late);
}

/// <summary>Completeness without the list of missing units (the previous day's, beside the changes).</summary>
public sealed record CompletenessCounts(int Expected, int Reported, int OnTime, int Late);

public sealed record MissingUnit(string Code, string Name, string CountyCode);

public sealed record CountyRollup(
    string Code, string Name, int Expected, int Reported, int OnTime, int Late, IReadOnlyDictionary<string, decimal> Totals)
{
    public int MissingCount => Expected - Reported;
}

public sealed record UnitRollup(
    string Code,
    string Name,
    string CountyCode,
    bool Reported,
    bool Late,
    int? Revision,
    IReadOnlyDictionary<string, decimal> Values,
    IReadOnlyList<ReportWarning> Warnings,
    string? Notes = null,
    string? ReporterName = null,
    string? ReporterPhone = null);

/// <summary>What a new revision changed against the one before it: the units whose report changed, and the totals.</summary>
public sealed record RevisionChanges(
    int PreviousRevision,
    DateTimeOffset? PreviousGeneratedAt,
    IReadOnlyList<UnitChange> Units,
    IReadOnlyDictionary<string, decimal> TotalsBefore,
    IReadOnlyDictionary<string, decimal> TotalsAfter);

/// <summary>One unit's report in revision N-1 and in revision N (a revision null: no report then).</summary>
public sealed record UnitChange(
    string Code,
    string Name,
    string CountyCode,
    int? RevisionBefore,
    int? RevisionAfter,
    IReadOnlyDictionary<string, decimal> Before,
    IReadOnlyDictionary<string, decimal> After);
