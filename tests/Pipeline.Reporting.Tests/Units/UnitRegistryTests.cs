using Pipeline.Reporting.Units;

namespace Pipeline.Reporting.Tests.Units;

public sealed class UnitRegistryTests
{
    private static readonly UnitRegistry Gannan = UnitRegistry.LoadEmbedded();

    [Fact]
    public void An_areas_townships_come_under_their_counties_in_code_order()
    {
        var prefecture = Gannan.TownshipsByCounty(Gannan.Root.Code);

        Assert.Equal(Gannan.Counties.Select(c => c.Code).Order(StringComparer.Ordinal), prefecture.Select(c => c.County.Code));
        Assert.Equal(Gannan.Townships, prefecture.SelectMany(c => c.Townships));
        Assert.All(prefecture, c => Assert.All(c.Townships, t => Assert.Equal(c.County, Gannan.CountyOf(t.Code))));

        var county = prefecture[1];
        Assert.Equal(county, Assert.Single(Gannan.TownshipsByCounty(county.County.Code)));
        var township = county.Townships[^1];
        var own = Assert.Single(Gannan.TownshipsByCounty(township.Code));
        Assert.Equal((county.County, township), (own.County, Assert.Single(own.Townships)));
    }

    /// <summary>Every build and board asks this: at 100,000 townships, grouping them anew cost a build some 100 ms before its first query.</summary>
    [Fact]
    public void The_prefectures_and_a_countys_townships_are_grouped_once_with_the_registry()
    {
        var root = new AdminUnit("620000", "合成省", "Synthetic", UnitLevel.Prefecture, null);
        var counties = Enumerable.Range(0, 100).Select(c => new AdminUnit($"62{c + 1:D2}00", $"合成县{c}", $"County {c}", UnitLevel.County, root.Code)).ToList();
        var registry = new UnitRegistry([root, .. counties, .. counties.SelectMany(c => Enumerable.Range(0, 1000)
            .Select(t => new AdminUnit($"{c.Code}{t:D3}", $"合成乡{t}", $"Township {t}", UnitLevel.Township, c.Code)))]);
        registry.TownshipsByCounty(root.Code);
        registry.TownshipsByCounty(counties[7].Code);

        var before = GC.GetAllocatedBytesForCurrentThread();
        var prefecture = registry.TownshipsByCounty(root.Code);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(100_000, prefecture.Sum(c => c.Townships.Count));
        Assert.Equal(0, allocated);
        Assert.Same(prefecture[7], Assert.Single(registry.TownshipsByCounty(counties[7].Code)));
    }
}
