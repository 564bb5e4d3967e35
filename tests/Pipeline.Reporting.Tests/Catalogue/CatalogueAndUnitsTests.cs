using Pipeline.Reporting.Catalogue;
using Pipeline.Reporting.Units;

namespace Pipeline.Reporting.Tests.Catalogue;

public sealed class CatalogueAndUnitsTests
{
    private readonly IndicatorCatalogue catalogue = IndicatorCatalogue.LoadEmbedded();
    private readonly UnitRegistry units = UnitRegistry.LoadEmbedded();

    [Fact]
    public void Catalogue_holds_the_33_indicators_of_the_spec_with_their_kinds_and_bounds()
    {
        Assert.Equal(33, catalogue.Indicators.Count);
        Assert.Equal(["returnees", "fromEpidemicAreas", "homeQuarantine", "feverReferred"], catalogue.Indicators.Where(i => i.Required).Select(i => i.Key));
        Assert.Equal(IndicatorKind.Stock, catalogue["homeQuarantine"].Kind);
        Assert.Equal(IndicatorKind.Money, catalogue["donatedCashYuan"].Kind);
        Assert.Equal(100_000_000m, catalogue["donatedCashYuan"].Bounds.Max);
        Assert.Equal(2, catalogue["donatedCashYuan"].Bounds.Decimals);
        Assert.Equal(1_000_000m, catalogue["returnees"].Bounds.Max);
        Assert.Equal("其中：武汉", catalogue["fromWuhan"].LabelZh);
        Assert.Equal("of which from Wuhan", catalogue["fromWuhan"].Label(Language.English));
        Assert.Equal(8, catalogue.Groups.Count);
        Assert.False(catalogue["checkpointsStaffed"].Cumulative);
        Assert.True(catalogue["masksDonated"].Cumulative);
    }

    [Fact]
    public void Catalogue_refuses_a_file_that_names_an_unknown_indicator_in_a_constraint()
    {
        const string json = """
            {"kinds":{"flow":{"min":0,"max":10,"decimals":0,"cumulative":true}},
             "groups":[{"key":"g","labelZh":"组","labelEn":"G"}],
             "indicators":[{"key":"a","labelZh":"甲","labelEn":"A","group":"g","kind":"flow","required":false}],
             "constraints":[{"key":"a","atMostSumOf":["nope"]}],
             "rollupKeyIndicators":[]}
            """;
        var error = Assert.Throws<InvalidDataException>(() => IndicatorCatalogue.Load(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(json))));
        Assert.Contains("nope", error.Message);
    }

    [Fact]
    public void Units_registry_has_the_prefecture_8_counties_and_102_townships()
    {
        Assert.Equal("623000", units.Root.Code);
        Assert.Equal(8, units.Counties.Count);
        Assert.Equal(102, units.Townships.Count);
        Assert.Equal(11, units.Children("623024").Count);
        Assert.Equal("623024", units.CountyOf("623024100")!.Code);
        Assert.True(units.IsWithin("623024100", "623000"));
        Assert.True(units.IsWithin("623024100", "623024"));
        Assert.False(units.IsWithin("623024100", "623025"));
        Assert.Null(units.Find("62302410'"));
    }

    [Fact]
    public void Every_unit_has_a_pinyin_english_name_so_english_pages_and_files_show_no_chinese_names()
    {
        Assert.All(units.All, u => Assert.Matches(@"^[A-Z][A-Za-z' ]+$", u.Name(Language.English)));
        Assert.Equal("Dianga Town", units.Find("623024100")!.Name(Language.English));
        Assert.Equal("Yihe'ang Subdistrict", units.Find("623001002")!.Name(Language.English));
        Assert.Equal("电尕镇", units.Find("623024100")!.Name(Language.Chinese));
    }

    [Fact]
    public void Two_townships_with_the_same_name_are_told_apart_by_code()
    {
        var chengguan = units.Townships.Where(t => t.NameZh == "城关镇").ToList();
        Assert.Equal(2, chengguan.Count);
        Assert.NotEqual(units.CountyOf(chengguan[0].Code)!.Code, units.CountyOf(chengguan[1].Code)!.Code);
    }

    [Fact]
    public void Another_prefecture_is_another_data_file()
    {
        const string csv = "code,name_zh,name_en,level,parent_code\n900000,某州,Some,prefecture,\n900001,某县,County,county,900000\n900001100,某镇,,township,900001\n";
        var other = UnitRegistry.Load(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(csv)));
        Assert.Equal("900000", other.Root.Code);
        Assert.Single(other.Townships);
        Assert.Equal("某镇", other.Find("900001100")!.Name(Language.English));
    }
}
