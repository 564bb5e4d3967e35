using System.Text.Json;
using Pipeline.Reporting.Rollups;
using Pipeline.Reporting.Rollups.Rendering;

namespace Pipeline.Reporting.Tests.Rollups.Rendering;

/// <summary>The machine format (spec section 5) parsed back: camelCase names, the document's figures, nothing invented.</summary>
public sealed class JsonRollupRendererTests
{
    private static JsonElement Render(RollupDocument rollup)
    {
        var file = new JsonRollupRenderer().Render(rollup);
        Assert.Equal("application/json; charset=utf-8", file.ContentType);
        return JsonDocument.Parse(file.Content).RootElement;
    }

    [Fact]
    public void The_file_is_the_document_in_camel_case()
    {
        var rollup = SmallRollup.Document();
        var json = Render(rollup);

        Assert.Equal("2026-11-26", json.GetProperty("date").GetString());
        Assert.Equal(1, json.GetProperty("revision").GetInt32());
        Assert.Equal(SmallRollup.County, json.GetProperty("scope").GetProperty("code").GetString());
        Assert.Equal("迭部县", json.GetProperty("scope").GetProperty("name").GetString());
        Assert.Equal("623000", json.GetProperty("prefecture").GetProperty("code").GetString());
        Assert.False(json.GetProperty("provisional").GetBoolean());
        var completeness = json.GetProperty("completeness");
        Assert.Equal(11, completeness.GetProperty("expected").GetInt32());
        Assert.Equal(2, completeness.GetProperty("reported").GetInt32());
        Assert.Equal(9, completeness.GetProperty("missing").GetArrayLength());
        Assert.Equal(19, json.GetProperty("totals").GetProperty("returnees").GetDecimal());
        Assert.Equal(100.5m, json.GetProperty("totals").GetProperty("donatedCashYuan").GetDecimal());
        Assert.Equal(2, json.GetProperty("changes").GetProperty("returnees").GetDecimal());
        Assert.Equal(1, json.GetProperty("changeUnits").GetProperty("returnees").GetInt32());
        Assert.Equal(119, json.GetProperty("cumulative").GetProperty("returnees").GetDecimal());
    }

    [Fact]
    public void Every_township_is_listed_and_one_that_did_not_report_has_no_values_not_zeros()
    {
        var units = Render(SmallRollup.Document()).GetProperty("units").EnumerateArray().ToDictionary(u => u.GetProperty("code").GetString()!);

        Assert.Equal(11, units.Count);
        var reporting = units[SmallRollup.Reporting];
        Assert.True(reporting.GetProperty("reported").GetBoolean());
        Assert.Equal(["returnees", "fromEpidemicAreas", "donatedCashYuan"], reporting.GetProperty("values").EnumerateObject().Select(p => p.Name));
        Assert.Equal(12, reporting.GetProperty("values").GetProperty("returnees").GetDecimal());
        var silent = units[SmallRollup.Silent];
        Assert.False(silent.GetProperty("reported").GetBoolean());
        Assert.Empty(silent.GetProperty("values").EnumerateObject());
    }

    [Fact]
    public void A_provisional_rollup_says_so()
    {
        Assert.True(Render(SmallRollup.Document(provisional: true)).GetProperty("provisional").GetBoolean());
    }

    [Fact]
    public void The_file_is_compact_json_without_indentation_or_line_breaks()
    {
        var rollup = SmallRollup.Document();

        var content = new JsonRollupRenderer().Render(rollup).Content;

        Assert.DoesNotContain((byte)'\n', content);
        Assert.Equal(JsonSerializer.SerializeToUtf8Bytes(rollup, JsonDefaults.Web), content);
    }
}
