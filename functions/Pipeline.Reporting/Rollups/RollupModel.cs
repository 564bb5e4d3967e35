using System.Text.Json.Serialization;
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
/// <remarks>
/// The JSON's member order (the serializer's, and so the file's): first what is known before the day is read, then the
/// units, then what needs the whole day (<see cref="AfterUnits"/>). A large area's file is written while its counties are
/// still being read, unit by unit in county order, and its figures at the end; JSON members are unordered (RFC 8259).
/// </remarks>
public sealed record RollupDocument(
    string Date,
    int Revision,
    DateTimeOffset? GeneratedAt,
    AreaRef Prefecture,
    AreaRef Scope,
    bool Provisional,
    [property: JsonPropertyOrder(RollupDocument.AfterUnits)] Completeness Completeness,
    [property: JsonPropertyOrder(RollupDocument.AfterUnits)] CompletenessCounts PreviousCompleteness,
    [property: JsonPropertyOrder(RollupDocument.AfterUnits)] IReadOnlyDictionary<string, decimal> Totals,
    [property: JsonPropertyOrder(RollupDocument.AfterUnits)] IReadOnlyDictionary<string, decimal> Cumulative,
    [property: JsonPropertyOrder(RollupDocument.AfterUnits)] IReadOnlyDictionary<string, decimal> Changes,
    [property: JsonPropertyOrder(RollupDocument.AfterUnits)] IReadOnlyDictionary<string, int> ChangeUnits,
    [property: JsonPropertyOrder(RollupDocument.AfterUnits)] IReadOnlyList<CountyRollup> Counties,
    [property: JsonPropertyOrder(RollupDocument.UnitsOrder)] IReadOnlyList<UnitRollup> Units,
    [property: JsonPropertyOrder(RollupDocument.AfterUnits)] RevisionChanges? RevisionChanges = null)
{
    /// <summary>The JSON order of <see cref="Units"/>: after the members known before the day is read (order 0).</summary>
    public const int UnitsOrder = 1;

    /// <summary>The JSON order of the members that need the whole day: after the units.</summary>
    public const int AfterUnits = 2;

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
