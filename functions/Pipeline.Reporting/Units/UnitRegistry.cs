using System.Collections.Frozen;
using System.Globalization;
using System.Text;
using CsvHelper;

namespace Pipeline.Reporting.Units;

/// <summary>
/// The administrative hierarchy, loaded from a data file: another prefecture is another file.
/// </summary>
public sealed class UnitRegistry
{
    private readonly FrozenDictionary<string, AdminUnit> byCode;
    private readonly FrozenDictionary<string, IReadOnlyList<AdminUnit>> childrenByCode;
    private readonly IReadOnlyList<CountyTownships> townshipsByCounty;
    private readonly FrozenDictionary<string, CountyTownships> countyTownships;

    public UnitRegistry(IEnumerable<AdminUnit> units)
    {
        var list = units.ToList();
        byCode = list.ToFrozenDictionary(u => u.Code, StringComparer.Ordinal);
        childrenByCode = list.Where(u => u.ParentCode is not null)
            .GroupBy(u => u.ParentCode!)
            .ToFrozenDictionary(g => g.Key, g => (IReadOnlyList<AdminUnit>)g.OrderBy(u => u.Code, StringComparer.Ordinal).ToList());
        var roots = list.Where(u => u.ParentCode is null).ToList();
        if (roots.Count != 1)
        {
            throw new InvalidDataException($"The unit file must have exactly one root unit; it has {roots.Count}.");
        }

        Root = roots[0];
        var orphan = list.FirstOrDefault(u => u.ParentCode is not null && !byCode.ContainsKey(u.ParentCode));
        if (orphan is not null)
        {
            throw new InvalidDataException($"Unit {orphan.Code} names unknown parent {orphan.ParentCode}.");
        }

        Counties = Children(Root.Code).Where(u => u.Level == UnitLevel.County).ToList();
        Townships = list.Where(u => u.Level == UnitLevel.Township).OrderBy(u => u.Code, StringComparer.Ordinal).ToList();
        townshipsByCounty = Group(Townships);
        countyTownships = townshipsByCounty.ToFrozenDictionary(c => c.County.Code, StringComparer.Ordinal);
    }

    public AdminUnit Root { get; }

    public IReadOnlyList<AdminUnit> Counties { get; }

    public IReadOnlyList<AdminUnit> Townships { get; }

    public IReadOnlyCollection<AdminUnit> All => byCode.Values;

    public AdminUnit? Find(string? code) =>
        code is not null && byCode.TryGetValue(code, out var unit) ? unit : null;

    public IReadOnlyList<AdminUnit> Children(string code) =>
        childrenByCode.TryGetValue(code, out var children) ? children : [];

    public bool IsTownship(string? code) => Find(code)?.Level == UnitLevel.Township;

    /// <summary>The county-level ancestor of a unit (the unit itself for a county).</summary>
    public AdminUnit? CountyOf(string code)
    {
        for (var unit = Find(code); unit is not null; unit = Find(unit.ParentCode))
        {
            if (unit.Level == UnitLevel.County)
            {
                return unit;
            }
        }

        return null;
    }

    /// <summary>True when <paramref name="code"/> is <paramref name="scope"/> or lies beneath it.</summary>
    public bool IsWithin(string code, string scope)
    {
        for (var unit = Find(code); unit is not null; unit = Find(unit.ParentCode))
        {
            if (unit.Code == scope)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Every township at or under <paramref name="scope"/>, in code order.</summary>
    public IReadOnlyList<AdminUnit> TownshipsWithin(string scope) =>
        Townships.Where(t => IsWithin(t.Code, scope)).ToList();

    /// <summary>
    /// Every township at or under <paramref name="scope"/> under its county, counties and townships in code order: what an
    /// area's reads go through, county by county. The prefecture's and each county's are made once, with the registry (at
    /// 100,000 townships, grouping them anew took a build some 100 ms before its first query).
    /// </summary>
    public IReadOnlyList<CountyTownships> TownshipsByCounty(string scope) =>
        scope == Root.Code ? townshipsByCounty
        : countyTownships.TryGetValue(scope, out var county) ? [county]
        : Group(TownshipsWithin(scope));

    private IReadOnlyList<CountyTownships> Group(IEnumerable<AdminUnit> townships) =>
        [.. townships.Select(t => (County: CountyOf(t.Code), Township: t))
            .Where(t => t.County is not null)
            .GroupBy(t => t.County!)
            .OrderBy(g => g.Key.Code, StringComparer.Ordinal)
            .Select(g => new CountyTownships(g.Key, [.. g.Select(t => t.Township)]))];

    public static UnitRegistry LoadEmbedded() => Load(EmbeddedData.Open("divisions.csv"));

    /// <summary>Reads <c>code,name_zh,name_en,level,parent_code</c> rows (UTF-8, header first).</summary>
    public static UnitRegistry Load(Stream csv)
    {
        using var reader = new StreamReader(csv, Encoding.UTF8);
        using var rows = new CsvReader(reader, CultureInfo.InvariantCulture);
        rows.Read();
        rows.ReadHeader();
        var units = new List<AdminUnit>();
        while (rows.Read())
        {
            string Cell(string column) => (rows.GetField(column) ?? "").Trim();
            units.Add(new AdminUnit(
                Cell("code"),
                Cell("name_zh"),
                Cell("name_en"),
                Enum.Parse<UnitLevel>(Cell("level"), ignoreCase: true),
                Cell("parent_code") is { Length: > 0 } parent ? parent : null));
        }

        return new UnitRegistry(units);
    }
}
