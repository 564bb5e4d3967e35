using Pipeline.Reporting.Submissions;

namespace Pipeline.Reporting.Rollups;

/// <summary>
/// The daily prefecture rollup, the machine format of spec section 5. An indicator no unit reported is
/// absent from every totals map (never 0); a unit that did not report has no values.
/// </summary>
public sealed record RollupDocument(
    string Date,
    int Revision,
    DateTimeOffset? GeneratedAt,
    AreaRef Prefecture,
    Completeness Completeness,
    IReadOnlyDictionary<string, decimal> Totals,
    IReadOnlyDictionary<string, decimal> Cumulative,
    IReadOnlyDictionary<string, decimal> Changes,
    IReadOnlyList<CountyRollup> Counties,
    IReadOnlyList<UnitRollup> Units);

public sealed record AreaRef(string Code, string Name, string NameEn);

public sealed record Completeness(int Expected, int Reported, int OnTime, int Late, IReadOnlyList<MissingUnit> Missing);

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
    IReadOnlyList<ReportWarning> Warnings);
