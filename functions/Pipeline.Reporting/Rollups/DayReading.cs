using Pipeline.Reporting.Units;

namespace Pipeline.Reporting.Rollups;

/// <summary>What one day's current reports say for an area: per county, per unit, and in total.</summary>
public sealed record DayReading(
    DateOnly Date,
    AdminUnit Scope,
    Completeness Completeness,
    IReadOnlyDictionary<string, decimal> Totals,
    IReadOnlyList<CountyRollup> Counties,
    IReadOnlyList<UnitRollup> Units)
{
    /// <summary>The part of this reading that lies in one county: its row, its units, its completeness and totals.</summary>
    public DayReading Within(AdminUnit county)
    {
        var row = Counties.SingleOrDefault(c => c.Code == county.Code)
            ?? throw new ArgumentException($"{county.Code} is not a county of this reading.", nameof(county));
        return new DayReading(Date, county,
            new Completeness(row.Expected, row.Reported, row.OnTime, row.Late,
                Completeness.Missing.Where(m => m.CountyCode == county.Code).ToList()),
            row.Totals, [row], Units.Where(u => u.CountyCode == county.Code).ToList());
    }
}
