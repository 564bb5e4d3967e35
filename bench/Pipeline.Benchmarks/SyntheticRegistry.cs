using Pipeline.Reporting.Units;

namespace Pipeline.Benchmarks;

/// <summary>
/// A generated unit registry: one root, <c>counties</c> counties, <c>townshipsPerCounty</c> townships each, with
/// division-code-shaped codes (root <c>620000</c>, counties <c>62ppcc</c>, townships county + <c>ttt</c>).
/// </summary>
public static class SyntheticRegistry
{
    public static UnitRegistry Create(int counties, int townshipsPerCounty)
    {
        if (counties is < 1 or > 99 * 99 || townshipsPerCounty is < 1 or > 1000)
        {
            throw new ArgumentOutOfRangeException(nameof(counties), "At most 9,801 counties of at most 1,000 townships.");
        }

        var root = new AdminUnit("620000", "合成省", "Synthetic province", UnitLevel.Prefecture, null);
        var units = new List<AdminUnit> { root };
        for (var c = 0; c < counties; c++)
        {
            // Two digits of "city" and two of county, as in a real six-digit county code.
            var countyCode = $"62{c / 99 + 1:D2}{c % 99 + 1:D2}";
            units.Add(new AdminUnit(countyCode, $"合成县{c + 1}", $"County {c + 1}", UnitLevel.County, root.Code));
            for (var t = 0; t < townshipsPerCounty; t++)
            {
                units.Add(new AdminUnit($"{countyCode}{t:D3}", $"合成乡{c + 1}-{t + 1}", $"Township {c + 1}-{t + 1}", UnitLevel.Township, countyCode));
            }
        }

        return new UnitRegistry(units);
    }
}
